// SPDX-License-Identifier: GPL-2.0
/*
 * vCPUs: creation, one thread each, the KVM_RUN loop and exit dispatch, and the register
 * cache exit handlers use.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vmm/log.h"
#include "vmm/vm.h"

#define VCPU_KICK_SIGNAL SIGUSR1

/* The vCPU whose thread this is (NULL on other threads). */
static __thread struct vcpu *current_vcpu;

/*
 * The leaves that carry the APIC id: leaf 1 EBX[31:24]; EDX of every sub-leaf of the
 * extended topology leaves 0xb and 0x1f (KVM also answers sub-leaves it lacks with the
 * EDX of sub-leaf 1, so all of them must hold this vCPU's id); AMD's 0x8000001e EAX.
 */
static void apply_apic_id(struct kvm_cpuid2 *t, unsigned int id)
{
	for (unsigned int i = 0; i < t->nent; i++) {
		struct kvm_cpuid_entry2 *e = &t->entries[i];

		switch (e->function) {
		case 1:
			e->ebx = (e->ebx & 0x00ffffffu) | (id << 24);
			e->ecx |= 1u << 31; /* running under a hypervisor */
			break;
		case 0xb:
		case 0x1f:
			e->edx = id;
			break;
		case 0x8000001e:
			e->eax = id;
			break;
		}
	}
}

static int install_cpuid(struct vcpu *v, char *err, size_t errlen)
{
	struct vm *vm = v->vm;
	size_t size = sizeof(*vm->cpuid) + vm->cpuid->nent * sizeof(vm->cpuid->entries[0]);
	struct kvm_cpuid2 *t = malloc(size);
	int rc = 0;

	if (!t)
		return -ENOMEM;
	memcpy(t, vm->cpuid, size);
	apply_apic_id(t, v->id);
	if (vm->cpuid_fixup)
		vm->cpuid_fixup(v, t, vm->cpuid_opaque);
	if (ioctl(v->fd, KVM_SET_CPUID2, t) < 0) {
		rc = -errno;
		snprintf(err, errlen, "KVM_SET_CPUID2 on vCPU %u: %s", v->id, strerror(errno));
	}
	free(t);
	return rc;
}

static int create_one(struct vm *vm, struct vcpu *v, unsigned int id, char *err, size_t errlen)
{
	v->vm = vm;
	v->id = id;
	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0) {
		snprintf(err, errlen, "KVM_CREATE_VCPU %u: %s", id, strerror(errno));
		return -errno;
	}
	v->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		snprintf(err, errlen, "mapping kvm_run of vCPU %u: %s", id, strerror(errno));
		return -errno;
	}
	if (vm->sync_regs)
		v->run->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
	vcpu_accounting_open(v);
	return install_cpuid(v, err, errlen);
}

int vm_create_vcpus(struct vm *vm, char *err, size_t errlen)
{
	vm->vcpus = calloc(vm->nr_vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		return -ENOMEM;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i].fd = -1;
		vm->vcpus[i].stats.fd = -1;
		vm->vcpus[i].schedstat_fd = -1;
	}
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		int rc = create_one(vm, &vm->vcpus[i], i, err, errlen);

		if (rc)
			return rc;
	}
	return 0;
}

/* Register cache --------------------------------------------------------------------- */

struct kvm_regs *vcpu_regs(struct vcpu *v)
{
	if (v->vm->sync_regs)
		return &v->run->s.regs.regs;
	if (!v->regs_valid) {
		if (ioctl(v->fd, KVM_GET_REGS, &v->regs) < 0)
			log_err("KVM_GET_REGS on vCPU %u: %s", v->id, strerror(errno));
		v->regs_valid = true;
	}
	return &v->regs;
}

void vcpu_regs_dirty(struct vcpu *v)
{
	if (v->vm->sync_regs)
		v->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
	else
		v->regs_dirty = true;
}

const struct kvm_sregs *vcpu_sregs(struct vcpu *v)
{
	if (v->vm->sync_regs)
		return &v->run->s.regs.sregs;
	if (!v->sregs_valid) {
		if (ioctl(v->fd, KVM_GET_SREGS, &v->sregs) < 0)
			log_err("KVM_GET_SREGS on vCPU %u: %s", v->id, strerror(errno));
		v->sregs_valid = true;
	}
	return &v->sregs;
}

void vcpu_paging_ctx(struct vcpu *v, struct paging_ctx *ctx)
{
	const struct kvm_sregs *s = vcpu_sregs(v);

	*ctx = (struct paging_ctx){ s->cr0, s->cr3, s->cr4, s->efer };
}

int vcpu_get_msr(struct vcpu *v, uint32_t index, uint64_t *val)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry entry;
	} msrs = { .hdr.nmsrs = 1, .entry.index = index };

	if (ioctl(v->fd, KVM_GET_MSRS, &msrs) != 1)
		return -EIO;
	*val = msrs.entry.data;
	return 0;
}

unsigned int vcpu_cpl(struct vcpu *v)
{
	const struct kvm_sregs *s = vcpu_sregs(v);

	if (!(s->cr0 & X86_CR0_PE))
		return 0;
	if (vcpu_regs(v)->rflags & (1u << 17)) /* EFLAGS.VM */
		return 3;
	/* Outside real and virtual-8086 mode, CS's RPL is the CPL. */
	return s->cs.selector & 3;
}

bool vcpu_is_64bit(struct vcpu *v)
{
	const struct kvm_sregs *s = vcpu_sregs(v);

	return (s->efer & X86_EFER_LMA) && s->cs.l;
}

static int flush_regs(struct vcpu *v)
{
	if (!v->vm->sync_regs && v->regs_dirty && ioctl(v->fd, KVM_SET_REGS, &v->regs) < 0)
		return -errno;
	v->regs_valid = v->regs_dirty = v->sregs_valid = false;
	return 0;
}

int vcpu_complete_exit(struct vcpu *v)
{
	int rc = 0;

	if (flush_regs(v) < 0)
		return -errno;
	/* KVM completes pending I/O before it looks at immediate_exit (api.rst). */
	__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_RELEASE);
	if (ioctl(v->fd, KVM_RUN, 0) == 0)
		rc = -EIO; /* it ran the guest: cannot happen with immediate_exit */
	else if (errno != EINTR && errno != EAGAIN)
		rc = -errno;
	/* A kick that came meanwhile is not lost: its reason is a flag run_loop() checks. */
	__atomic_store_n(&v->run->immediate_exit, 0, __ATOMIC_RELEASE);
	v->regs_valid = v->regs_dirty = v->sregs_valid = false;
	return rc;
}

/* PVH entry state ------------------------------------------------------------------- */

static void flat_segment(struct kvm_segment *s, uint16_t sel, uint8_t type)
{
	*s = (struct kvm_segment){
		.base = 0,
		.limit = 0xffffffff,
		.selector = sel,
		.type = type,
		.present = 1,
		.dpl = 0,
		.db = 1,
		.s = 1,
		.l = 0,
		.g = 1,
	};
}

/*
 * The PVH ABI (Xen's docs/misc/pvh.pandoc): 32-bit protected mode, paging off, flat
 * 4 GiB code and data segments, a valid TSS, EFLAGS.IF/TF/VM clear, %ebx = start_info.
 */
int vm_set_pvh_entry(struct vm *vm, uint32_t entry, uint32_t start_info)
{
	struct vcpu *v = &vm->vcpus[0];
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = entry, .rbx = start_info, .rflags = 0x2 };

	if (ioctl(v->fd, KVM_GET_SREGS, &sregs) < 0)
		return -errno;
	flat_segment(&sregs.cs, 0x08, 0xb);
	flat_segment(&sregs.ds, 0x10, 0x3);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	sregs.tr =
		(struct kvm_segment){ .limit = 0x67, .selector = 0x18, .type = 0xb, .present = 1 };
	sregs.cr0 = X86_CR0_PE | X86_CR0_ET;
	sregs.cr4 = 0;
	sregs.efer = 0;
	if (ioctl(v->fd, KVM_SET_SREGS, &sregs) < 0 || ioctl(v->fd, KVM_SET_REGS, &regs) < 0)
		return -errno;
	v->runnable = true;
	return 0;
}

/* Exit dispatch ---------------------------------------------------------------------- */

static void handle_io(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	bool is_write = run->io.direction == KVM_EXIT_IO_OUT;
	unsigned int size = run->io.size;

	for (uint32_t n = 0; n < run->io.count; n++, data += size) {
		uint32_t val = 0;
		bool handled = false;

		if (is_write)
			memcpy(&val, data, size);
		for (unsigned int i = 0; i < v->vm->nr_pio; i++) {
			const struct pio_handler *h = &v->vm->pio[i];

			if (run->io.port >= h->base && run->io.port - h->base < h->len) {
				h->fn(v, run->io.port, size, is_write, &val, h->opaque);
				handled = true;
				break;
			}
		}
		/* An absent device reads as all ones and ignores writes, as on a PC. */
		if (!handled)
			val = 0xffffffff;
		if (!is_write)
			memcpy(data, &val, size);
	}
}

static void handle_msr(struct vcpu *v, bool is_write)
{
	struct kvm_run *run = v->run;

	for (unsigned int i = 0; i < v->vm->nr_msrs; i++) {
		const struct msr_handler *h = &v->vm->msrs[i];

		if (h->index == run->msr.index) {
			uint64_t val = run->msr.data;

			run->msr.error =
				h->fn(v, run->msr.index, is_write, &val, h->opaque) ? 1 : 0;
			if (!is_write)
				run->msr.data = val;
			return;
		}
	}
	log_debug("vCPU %u: %smsr 0x%x unhandled: #GP", v->id, is_write ? "wr" : "rd",
		  run->msr.index);
	run->msr.error = 1;
}

static void handle_mmio(struct vcpu *v)
{
	struct kvm_run *run = v->run;

	log_once(LOG_WARN, "guest touched unassigned MMIO at 0x%llx (reads as all ones)",
		 (unsigned long long)run->mmio.phys_addr);
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
}

/* Returns false when the vCPU must stop. */
static bool handle_exit(struct vcpu *v)
{
	struct kvm_run *run = v->run;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		handle_io(v);
		return true;
	case KVM_EXIT_MMIO:
		handle_mmio(v);
		return true;
	case KVM_EXIT_X86_RDMSR:
		handle_msr(v, false);
		return true;
	case KVM_EXIT_X86_WRMSR:
		handle_msr(v, true);
		return true;
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_SHUTDOWN:
		log_info("vCPU %u: triple fault", v->id);
		vm_request_exit(v->vm, VM_EXIT_CRASH);
		return false;
	case KVM_EXIT_HLT:
		return true;
	default:
		for (unsigned int i = 0; i < v->vm->nr_exits; i++)
			if (v->vm->exits[i].reason == run->exit_reason)
				return v->vm->exits[i].fn(v, run, v->vm->exits[i].opaque);
		break;
	}
	switch (run->exit_reason) {
	case KVM_EXIT_FAIL_ENTRY:
		log_err("vCPU %u: entry failed, reason 0x%llx", v->id,
			(unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		log_err("vCPU %u: KVM internal error, suberror %u (%s) at rip 0x%llx", v->id,
			run->internal.suberror,
			run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ?
				"instruction emulation failed" :
				"see linux/kvm.h",
			(unsigned long long)vcpu_regs(v)->rip);
		break;
	default:
		log_err("vCPU %u: unexpected exit reason %u", v->id, run->exit_reason);
		break;
	}
	vm_request_exit(v->vm, VM_EXIT_VMM_ERROR);
	return false;
}

/* Secondary vCPUs and INIT/SIPI ------------------------------------------------------- */

/* Whether KVM runs guest code on the vCPU, rather than holding it for INIT/SIPI. */
static bool mp_state_running(uint32_t state)
{
	return state == KVM_MP_STATE_RUNNABLE || state == KVM_MP_STATE_HALTED;
}

/*
 * A secondary vCPU that the guest started (SIPI) or stopped (INIT) itself: record it and
 * tell the layer above. Runs on the vCPU's own thread. A parked vCPU is the VMM's to
 * start (VCPUOP_initialise wrote its state), so it is left alone.
 */
static void note_native_state(struct vcpu *v, bool running)
{
	struct vm *vm = v->vm;
	bool changed;

	if (v->id == 0)
		return;
	pthread_mutex_lock(&vm->lock);
	changed = v->runnable != running && !v->parked;
	if (changed)
		__atomic_store_n(&v->runnable, running, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&vm->lock);
	if (!changed)
		return;
	log_debug("vCPU %u %s through its local APIC", v->id,
		  running ? "started (SIPI)" : "stopped (INIT)");
	if (vm->vcpu_native)
		vm->vcpu_native(v, running, vm->vcpu_native_opaque);
}

/* One more look at this vCPU's state has ended: wakes vcpu_refresh_started(). */
static void native_state_checked(struct vcpu *v)
{
	pthread_mutex_lock(&v->vm->lock);
	v->state_checks++;
	pthread_cond_broadcast(&v->vm->cond);
	pthread_mutex_unlock(&v->vm->lock);
}

/*
 * A vCPU in HLT with interrupts disabled can only be woken by an NMI or INIT, which no
 * device here sends. When every vCPU is in that state (or was never started) the guest
 * is dead: end the VM rather than hang. Called after a watchdog kick interrupted KVM_RUN.
 */
static void check_dead_halt(struct vcpu *v)
{
	struct kvm_mp_state mp;
	struct vm *vm = v->vm;
	bool all = true;

	if (ioctl(v->fd, KVM_GET_MP_STATE, &mp) < 0)
		return;
	note_native_state(v, mp_state_running(mp.mp_state));
	v->dead_halt = mp.mp_state == KVM_MP_STATE_HALTED && !(vcpu_regs(v)->rflags & (1u << 9));
	if (!v->dead_halt)
		return;
	pthread_mutex_lock(&vm->lock);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].runnable && !vm->vcpus[i].parked && !vm->vcpus[i].dead_halt)
			all = false;
	pthread_mutex_unlock(&vm->lock);
	/*
	 * Xen's hvm_hlt() takes a vCPU that halts with interrupts off down, and a domain
	 * whose last vCPU goes down is powered off: that is how a PVH Linux powers off
	 * (it has no ACPI sleep registers, and its CPUs end in cli; hlt).
	 */
	if (all) {
		log_info("every vCPU is halted with interrupts disabled: powered off, as Xen does");
		vm_request_exit(vm, VM_EXIT_POWEROFF);
	}
}

/*
 * A parked vCPU waits here, between two runs, until vcpu_start() or the VM's end; every
 * vCPU waits here while the VM is paused. A started vCPU tells the layer above that it
 * stopped for a pause and that it goes on (vm->vcpu_pause), on this thread.
 */
static void wait_while_parked(struct vcpu *v)
{
	struct vm *vm = v->vm;
	bool told = false;

	if (!__atomic_load_n(&v->parked, __ATOMIC_SEQ_CST) &&
	    !__atomic_load_n(&vm->paused, __ATOMIC_SEQ_CST))
		return;
	pthread_mutex_lock(&vm->lock);
	while ((v->parked || vm->paused) && !vm->stopping) {
		if (vm->paused && !told && v->runnable && !v->parked && vm->vcpu_pause) {
			told = true;
			pthread_mutex_unlock(&vm->lock);
			vm->vcpu_pause(v, true, vm->vcpu_pause_opaque);
			pthread_mutex_lock(&vm->lock);
			continue;
		}
		pthread_cond_wait(&vm->cond, &vm->lock);
	}
	pthread_mutex_unlock(&vm->lock);
	if (told && !vm_stopping(vm))
		vm->vcpu_pause(v, false, vm->vcpu_pause_opaque);
}

/* Leaving KVM_RUN: a vm_pause() waiting for this vCPU is woken. */
static void left_run(struct vcpu *v)
{
	__atomic_store_n(&v->in_run, false, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&v->vm->paused, __ATOMIC_SEQ_CST)) {
		pthread_mutex_lock(&v->vm->lock);
		pthread_cond_broadcast(&v->vm->cond);
		pthread_mutex_unlock(&v->vm->lock);
	}
}

static void run_loop(struct vcpu *v)
{
	int rc, err;

	while (!vm_stopping(v->vm)) {
		wait_while_parked(v);
		if (vm_stopping(v->vm))
			return;
		if (__atomic_exchange_n(&v->requested, false, __ATOMIC_ACQ_REL) && v->vm->request)
			v->vm->request(v, v->vm->request_opaque);
		if (flush_regs(v) < 0) {
			log_err("vCPU %u: writing registers: %s", v->id, strerror(errno));
			vm_request_exit(v->vm, VM_EXIT_VMM_ERROR);
			return;
		}
		/*
		 * in_run before KVM_RUN reads immediate_exit, all sequentially consistent:
		 * either vm_pause() sees this vCPU in KVM_RUN and waits, or its kick's
		 * immediate_exit is seen here and KVM_RUN returns before any guest code.
		 */
		__atomic_store_n(&v->in_run, true, __ATOMIC_SEQ_CST);
		rc = ioctl(v->fd, KVM_RUN, 0);
		err = errno;
		left_run(v);
		if (rc < 0) {
			if (err == EINTR || err == EAGAIN) {
				/* Then the loop's top sees a pause that came with this kick. */
				__atomic_store_n(&v->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
				if (!vm_stopping(v->vm))
					check_dead_halt(v);
				native_state_checked(v);
				continue;
			}
			log_err("vCPU %u: KVM_RUN: %s", v->id, strerror(err));
			vm_request_exit(v->vm, VM_EXIT_VMM_ERROR);
			return;
		}
		__atomic_add_fetch(&v->nr_exits, 1, __ATOMIC_RELAXED);
		v->dead_halt = false;
		/* An exit means guest code ran: a secondary vCPU was started by a SIPI. */
		if (!__atomic_load_n(&v->runnable, __ATOMIC_RELAXED))
			note_native_state(v, true);
		/* Answered now: the exit's handler may block (SCHEDOP_block) before the kick. */
		if (__atomic_load_n(&v->refresh_waiters, __ATOMIC_RELAXED))
			native_state_checked(v);
		if (!handle_exit(v))
			return;
	}
}

/* Where a guest that had to be stopped was (with -vv): the first clue to a hang. */
static void log_stop_state(struct vcpu *v)
{
	struct kvm_regs regs;

	if (log_enabled(LOG_DEBUG) && !ioctl(v->fd, KVM_GET_REGS, &regs))
		log_debug("vCPU %u: stopped at rip 0x%llx rsp 0x%llx rflags 0x%llx (%llu exits)",
			  v->id, (unsigned long long)regs.rip, (unsigned long long)regs.rsp,
			  (unsigned long long)regs.rflags,
			  (unsigned long long)__atomic_load_n(&v->nr_exits, __ATOMIC_RELAXED));
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct vm *vm = v->vm;
	sigset_t set;

	current_vcpu = v;
	vcpu_accounting_thread(v);

	sigemptyset(&set);
	sigaddset(&set, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	/*
	 * The boot vCPU waits for its entry state. The others go straight into KVM_RUN,
	 * where KVM holds them until INIT/SIPI, as on hardware (the lock also waits for
	 * vm_run() to have created every thread, so that vcpu_park() can kick this one).
	 */
	pthread_mutex_lock(&vm->lock);
	while (v->id == 0 && !v->runnable && !vm->stopping)
		pthread_cond_wait(&vm->cond, &vm->lock);
	pthread_mutex_unlock(&vm->lock);
	run_loop(v);
	log_stop_state(v);
	return NULL;
}

static void kick_handler(int sig)
{
	(void)sig;
}

static void kick(struct vcpu *v)
{
	/* Sequentially consistent: vm_pause() relies on it (run_loop()). */
	__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	pthread_kill(v->thread, VCPU_KICK_SIGNAL);
}

bool vcpu_is_current(struct vcpu *v)
{
	return current_vcpu == v;
}

void vcpu_kick(struct vcpu *v)
{
	/* Its own thread is out of KVM_RUN already; one not created yet has not run. */
	if (!vcpu_is_current(v) && __atomic_load_n(&v->thread_created, __ATOMIC_ACQUIRE))
		kick(v);
}

void vcpu_request(struct vcpu *v)
{
	if (vcpu_is_current(v)) {
		if (v->vm->request)
			v->vm->request(v, v->vm->request_opaque);
		return;
	}
	__atomic_store_n(&v->requested, true, __ATOMIC_RELEASE);
	vcpu_kick(v);
}

void vcpu_start(struct vcpu *v)
{
	pthread_mutex_lock(&v->vm->lock);
	v->runnable = true;
	__atomic_store_n(&v->parked, false, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&v->vm->cond);
	pthread_mutex_unlock(&v->vm->lock);
}

void vcpu_park(struct vcpu *v)
{
	bool other_thread;

	pthread_mutex_lock(&v->vm->lock);
	__atomic_store_n(&v->parked, true, __ATOMIC_RELEASE);
	other_thread = v->thread_created && !pthread_equal(v->thread, pthread_self());
	pthread_mutex_unlock(&v->vm->lock);
	/* Out of KVM_RUN now; the loop then waits in wait_while_parked(). */
	if (other_thread)
		kick(v);
}

static bool vcpu_started(struct vcpu *v)
{
	bool started;

	pthread_mutex_lock(&v->vm->lock);
	started = v->runnable;
	pthread_mutex_unlock(&v->vm->lock);
	return started;
}

static void unpark(struct vcpu *v)
{
	pthread_mutex_lock(&v->vm->lock);
	__atomic_store_n(&v->parked, false, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&v->vm->cond);
	pthread_mutex_unlock(&v->vm->lock);
}

/*
 * Takes a vCPU that waits for INIT/SIPI out of KVM_RUN (its ioctls wait until KVM_RUN
 * returns) and keeps it out; -EBUSY, and back to waiting, if a SIPI started it.
 */
static int hold_unstarted(struct vcpu *v)
{
	struct kvm_mp_state mp;
	int rc = 0;

	if (vcpu_started(v))
		return -EBUSY;
	vcpu_park(v);
	if (ioctl(v->fd, KVM_GET_MP_STATE, &mp) < 0)
		rc = -errno;
	else if (v->id != 0 && mp_state_running(mp.mp_state))
		rc = -EBUSY;
	if (rc)
		unpark(v);
	return rc;
}

void vcpu_refresh_started(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct timespec deadline;
	uint64_t seen;

	if (v->id == 0 || vcpu_is_current(v))
		return;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 1; /* a bound, should the vCPU's thread be stuck elsewhere */
	pthread_mutex_lock(&vm->lock);
	seen = v->state_checks;
	if (v->thread_created && !v->parked && !vm->stopping) {
		__atomic_add_fetch(&v->refresh_waiters, 1, __ATOMIC_RELAXED);
		kick(v);
		while (v->state_checks == seen && !v->parked && !vm->stopping &&
		       pthread_cond_timedwait(&vm->cond, &vm->lock, &deadline) != ETIMEDOUT)
			;
		__atomic_sub_fetch(&v->refresh_waiters, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&vm->lock);
}

int vcpu_get_initial_state(struct vcpu *v, struct kvm_regs *regs, struct kvm_sregs *sregs)
{
	int rc = hold_unstarted(v);

	if (rc)
		return rc;
	if (ioctl(v->fd, KVM_GET_REGS, regs) < 0 || ioctl(v->fd, KVM_GET_SREGS, sregs) < 0)
		rc = -errno;
	/* Back to waiting for INIT/SIPI: only writing a state keeps it out. */
	unpark(v);
	return rc;
}

int vcpu_set_initial_state(struct vcpu *v, const struct kvm_regs *regs,
			   const struct kvm_sregs *sregs)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };
	int rc = hold_unstarted(v);

	if (rc)
		return rc;
	if (ioctl(v->fd, KVM_SET_SREGS, sregs) < 0 || ioctl(v->fd, KVM_SET_REGS, regs) < 0 ||
	    ioctl(v->fd, KVM_SET_MP_STATE, &mp) < 0) {
		rc = -errno;
		unpark(v);
		return rc;
	}
	/* Nothing cached from before may overwrite the new state at the first run. */
	v->regs_valid = v->regs_dirty = v->sregs_valid = false;
	/* Parked until vcpu_start(): VCPUOP_up, not KVM, decides when it runs. */
	return 0;
}

static void kick_all(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].thread_created)
			kick(&vm->vcpus[i]);
}

/*
 * Once a second, kick the vCPUs in KVM_RUN that have not exited since the last look: a
 * halted one is checked for a dead halt, one that waited for INIT/SIPI for a start.
 */
static void kick_quiet_vcpus(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		uint64_t n = __atomic_load_n(&v->nr_exits, __ATOMIC_RELAXED);

		if (v->thread_created && !__atomic_load_n(&v->parked, __ATOMIC_ACQUIRE) &&
		    !__atomic_load_n(&vm->paused, __ATOMIC_ACQUIRE) && n == v->nr_exits_seen)
			kick(v);
		v->nr_exits_seen = n;
	}
}

static void wait_for_stop(struct vm *vm)
{
	struct timespec deadline;

	pthread_mutex_lock(&vm->lock);
	while (!vm->stopping) {
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += 1;
		if (pthread_cond_timedwait(&vm->cond, &vm->lock, &deadline) == ETIMEDOUT &&
		    !vm->stopping) {
			pthread_mutex_unlock(&vm->lock);
			kick_quiet_vcpus(vm);
			pthread_mutex_lock(&vm->lock);
		}
	}
	pthread_mutex_unlock(&vm->lock);
}

int vm_run(struct vm *vm)
{
	struct sigaction sa = { .sa_handler = kick_handler };
	sigset_t set, old;
	bool failed = false;
	int status;

	sigaction(VCPU_KICK_SIGNAL, &sa, NULL);
	/* Threads start with the kick signal blocked; each unblocks it for itself. */
	sigemptyset(&set);
	sigaddset(&set, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	/* Under the lock: vcpu_park() must see thread_created before the vCPU is in KVM_RUN. */
	pthread_mutex_lock(&vm->lock);
	for (unsigned int i = 0; i < vm->nr_vcpus && !failed; i++) {
		struct vcpu *v = &vm->vcpus[i];

		failed = pthread_create(&v->thread, NULL, vcpu_thread, v) != 0;
		__atomic_store_n(&v->thread_created, !failed, __ATOMIC_RELEASE);
		if (!failed) {
			char name[16];

			/* How `xl vcpu-list` finds each vCPU's thread (/proc/PID/task/TID/comm). */
			snprintf(name, sizeof(name), "vcpu%u", i);
			pthread_setname_np(v->thread, name);
		}
	}
	pthread_mutex_unlock(&vm->lock);
	if (failed) {
		log_err("cannot create the thread of every vCPU");
		vm_request_exit(vm, VM_EXIT_VMM_ERROR);
	}
	wait_for_stop(vm);
	status = vm->exit_status;
	kick_all(vm);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].thread_created)
			pthread_join(vm->vcpus[i].thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return status;
}
