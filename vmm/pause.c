// SPDX-License-Identifier: GPL-2.0
/*
 * Pausing the whole VM (vm.h: vm_pause, vm_unpause), as `xl pause` does on Xen. The
 * vCPU threads are kicked out of KVM_RUN with the kick signal and immediate_exit, as
 * kvmtool and Firecracker stop theirs, and wait in run_loop()'s wait_while_parked()
 * on the VM's condition variable: no polling. Nothing stops the guest's clock (Xen
 * keeps a paused domain's system time running); its timers fire while it is paused
 * and their events are delivered once it runs again.
 */
#include <errno.h>
#include <time.h>

#include "vmm/log.h"
#include "vmm/vm.h"

#define PAUSE_WAIT_S 5 /* a bound: a kicked vCPU leaves KVM_RUN at its next instruction */

static bool any_in_run(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (__atomic_load_n(&vm->vcpus[i].in_run, __ATOMIC_SEQ_CST))
			return true;
	return false;
}

int vm_pause(struct vm *vm)
{
	struct timespec deadline;
	int rc = 0;

	pthread_mutex_lock(&vm->lock);
	if (vm->pause_count >= VM_MAX_PAUSE) {
		pthread_mutex_unlock(&vm->lock);
		return -EOVERFLOW;
	}
	vm->pause_count++;
	__atomic_store_n(&vm->paused, true, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&vm->lock);
	for (unsigned int i = 0; vm->vcpus && i < vm->nr_vcpus; i++)
		vcpu_kick(&vm->vcpus[i]);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += PAUSE_WAIT_S;
	pthread_mutex_lock(&vm->lock);
	while (vm->vcpus && any_in_run(vm) && !vm->stopping && !rc)
		rc = pthread_cond_timedwait(&vm->cond, &vm->lock, &deadline) == ETIMEDOUT ?
			     -ETIMEDOUT :
			     0;
	pthread_mutex_unlock(&vm->lock);
	if (rc)
		log_warn("pause: a vCPU is still in KVM_RUN after %d s", PAUSE_WAIT_S);
	return rc;
}

int vm_unpause(struct vm *vm)
{
	int rc = 0;

	pthread_mutex_lock(&vm->lock);
	if (!vm->pause_count)
		rc = -EINVAL;
	else if (!--vm->pause_count) {
		__atomic_store_n(&vm->paused, false, __ATOMIC_SEQ_CST);
		pthread_cond_broadcast(&vm->cond);
	}
	pthread_mutex_unlock(&vm->lock);
	return rc;
}

bool vm_paused(struct vm *vm)
{
	return __atomic_load_n(&vm->paused, __ATOMIC_SEQ_CST);
}
