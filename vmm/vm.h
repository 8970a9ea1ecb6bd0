/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KVM virtual machine: guest RAM, vCPUs and their threads, the CPUID table, port-I/O
 * and MSR dispatch, MSI injection, and the exit status. Upper layers (xen-emul/) plug in
 * through vm_register_pio(), vm_register_msr(), the CPUID table and the per-vCPU `priv`.
 */
#ifndef XENKVM_VMM_VM_H
#define XENKVM_VMM_VM_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmm/exit_status.h"
#include "vmm/guest_mem.h"
#include "vmm/paging.h"
#include "vmm/vcpu_accounting.h"

#define VM_MAX_VCPUS 128
#define VM_MAX_PIO 32
#define VM_MAX_MSR 16
#define VM_MAX_EXIT 4

struct vcpu;

/* Returns 0; a write's value is in *val, a read stores its result there. */
typedef int (*pio_fn)(struct vcpu *vcpu, uint16_t port, unsigned int size, bool is_write,
		      uint32_t *val, void *opaque);
/* Returns 0, or -EINVAL to make the guest's rdmsr/wrmsr raise #GP. */
typedef int (*msr_fn)(struct vcpu *vcpu, uint32_t index, bool is_write, uint64_t *val,
		      void *opaque);
/* Handles an exit reason vmm/ does not know (KVM_EXIT_XEN...); false stops the VM. */
typedef bool (*exit_fn)(struct vcpu *vcpu, struct kvm_run *run, void *opaque);
/* Runs on the vCPU's own thread, out of KVM_RUN, after vcpu_request(). */
typedef void (*request_fn)(struct vcpu *vcpu, void *opaque);
/* Adjusts a copy of the VM's CPUID table for one vCPU before it is installed. */
typedef void (*cpuid_fixup_fn)(struct vcpu *vcpu, struct kvm_cpuid2 *table, void *opaque);
/*
 * A secondary vCPU the guest started (SIPI, running = true) or stopped (INIT) through the
 * local APICs, as the VMM noticed it on that vCPU's own thread (no VMM lock held).
 */
typedef void (*vcpu_native_fn)(struct vcpu *vcpu, bool running, void *opaque);
/*
 * A started vCPU stopped at a safe point for vm_pause() (paused = true) or about to run
 * again after vm_unpause(), on its own thread (no VMM lock held).
 */
typedef void (*vcpu_pause_fn)(struct vcpu *vcpu, bool paused, void *opaque);

struct pio_handler {
	uint16_t base, len;
	pio_fn fn;
	void *opaque;
};

struct msr_handler {
	uint32_t index;
	msr_fn fn;
	void *opaque;
};

struct exit_handler {
	uint32_t reason;
	exit_fn fn;
	void *opaque;
};

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	bool thread_created;
	bool runnable; /* started: by the VMM (boot vCPU, VCPUOP_up) or by INIT/SIPI */
	bool parked; /* vcpu_park(): kept out of KVM_RUN until vcpu_start() */
	bool requested; /* vcpu_request(): the request handler runs before the next KVM_RUN */
	bool in_run; /* inside the KVM_RUN ioctl (vm_pause() waits until it is not) */
	void *priv; /* the upper layer's per-vCPU state */
	/* Where the thread's time went (vcpu_accounting.h). */
	struct vcpu_stats_layout stats;
	int schedstat_fd;
	bool synic_enabled; /* KVM_CAP_HYPERV_SYNIC on, for auto-EOI (auto_eoi.h) */

	/* Halt detection: exits seen by the vCPU and by the watchdog, and the verdict. */
	uint64_t nr_exits;
	uint64_t nr_exits_seen;
	bool dead_halt;
	uint64_t state_checks; /* looks at the mp_state after a kick, under vm->lock */
	unsigned int refresh_waiters; /* vcpu_refresh_started() callers, under vm->lock */

	/* Register cache (KVM_CAP_SYNC_REGS when the host has it). */
	bool regs_valid, regs_dirty, sregs_valid;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
};

struct vm_config {
	struct guest_mem *mem; /* prepared guest RAM; the VM takes it over */
	unsigned int nr_vcpus;
	/*
	 * Optional: a range of special pages given a memory slot when the VM is created
	 * (a slot added later is slow on some hosts); vm_map_special_page() inside it costs
	 * no slot change. 0 pages: none.
	 */
	uint64_t special_gpa;
	unsigned int special_pages;
};

struct vm {
	int kvm_fd;
	int vm_fd;
	int run_size;
	int special_fd; /* memfd backing the special pages, -1 until the first */
	uint64_t special_gpa; /* the pre-slotted range of vm_config */
	unsigned int special_pages;
	uint8_t *special_host;
	bool sync_regs;
	uint32_t tsc_khz;
	struct guest_mem mem;

	unsigned int nr_vcpus;
	struct vcpu *vcpus;

	struct kvm_cpuid2 *cpuid;
	cpuid_fixup_fn cpuid_fixup;
	void *cpuid_opaque;
	vcpu_native_fn vcpu_native;
	void *vcpu_native_opaque;
	vcpu_pause_fn vcpu_pause;
	void *vcpu_pause_opaque;

	unsigned int nr_pio;
	struct pio_handler pio[VM_MAX_PIO];
	unsigned int nr_msrs;
	struct msr_handler msrs[VM_MAX_MSR];
	unsigned int nr_exits;
	struct exit_handler exits[VM_MAX_EXIT];
	request_fn request;
	void *request_opaque;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stopping;
	int exit_status;
	unsigned int pause_count; /* vm_pause() minus vm_unpause(); paused while > 0 */
	bool paused; /* pause_count > 0, read by the vCPU threads without the lock */
	/* Called once when the VM starts stopping (vm_set_stop_notify()). */
	void (*stop_notify)(void *opaque);
	void *stop_notify_opaque;
};

int vm_create(struct vm *vm, const struct vm_config *cfg, char *err, size_t errlen);
int vm_create_vcpus(struct vm *vm, char *err, size_t errlen);
void vm_destroy(struct vm *vm);

int vm_register_pio(struct vm *vm, uint16_t base, uint16_t len, pio_fn fn, void *opaque);
int vm_register_msr(struct vm *vm, uint32_t index, msr_fn fn, void *opaque);
int vm_register_exit(struct vm *vm, uint32_t reason, exit_fn fn, void *opaque);
/* The one request handler of the VM (vcpu_request()). */
void vm_set_request_handler(struct vm *vm, request_fn fn, void *opaque);
/* KVM_CHECK_EXTENSION on the VM: the capability's value, 0 when absent. */
int vm_check_extension(struct vm *vm, long cap);

/*
 * CPUID table edits, before vm_create_vcpus(). cpuid_set() is for a leaf whose answer
 * ignores ECX (most leaves: a guest need not clear ECX before CPUID, and third-party
 * kernels do not); cpuid_set_subleaf() for a leaf whose sub-leaves ECX selects. Both
 * return -EINVAL when the leaf already exists with the other kind (KVM's table decides
 * for base leaves), -ENOMEM when the table cannot grow.
 */
struct kvm_cpuid_entry2 *cpuid_find(struct kvm_cpuid2 *table, uint32_t fn, uint32_t index);
int cpuid_set(struct vm *vm, uint32_t fn, uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx);
int cpuid_set_subleaf(struct vm *vm, uint32_t fn, uint32_t index, uint32_t eax, uint32_t ebx,
		      uint32_t ecx, uint32_t edx);

/*
 * A page the VMM owns at guest-physical `gpa` (page-aligned): the RAM page itself when gpa
 * is RAM, else a new one-page memory slot there (a Xen frame the guest placed in a hole).
 * The page stays mapped for the VM's life. -EINVAL for the local APIC and IOAPIC pages.
 */
int vm_map_special_page(struct vm *vm, uint64_t gpa, void **host);
/* The file and offset a guest page (RAM or special) can be mapped from by another process. */
int vm_page_fd(struct vm *vm, uint64_t gpa, int *fd, uint64_t *offset);

/* Puts the boot vCPU in the PVH entry state: 32-bit flat protected mode, paging off. */
int vm_set_pvh_entry(struct vm *vm, uint32_t entry, uint32_t start_info);

/* Runs until the guest or the VMM ends the VM; returns the exit status. */
int vm_run(struct vm *vm);
/* Ends the VM with this status; the first request wins. */
void vm_request_exit(struct vm *vm, int status);
/*
 * The upper layer's wake-up for vCPU threads it holds outside KVM_RUN (a vCPU blocked in
 * a hypercall), called once, with no VMM lock held, when the VM starts stopping: a kick
 * that reaches them where a signal does not.
 */
void vm_set_stop_notify(struct vm *vm, void (*fn)(void *opaque), void *opaque);
bool vm_stopping(struct vm *vm);
/*
 * Pauses the whole VM as Xen's domain_pause_by_systemcontroller() does: every vCPU
 * thread is kicked out of KVM_RUN (signal + immediate_exit) and waits at the top of its
 * loop; returns once none is in KVM_RUN (a vCPU inside an exit handler, such as
 * SCHEDOP_block, parks when the handler returns and runs no guest code before). Pauses
 * nest: -EOVERFLOW past VM_MAX_PAUSE, -ETIMEDOUT if a vCPU did not leave KVM_RUN within
 * a few seconds (the VM stays paused). The guest's clock is not stopped.
 */
#define VM_MAX_PAUSE 255
int vm_pause(struct vm *vm);
/* Undoes one vm_pause(); the vCPUs run again at the last one. -EINVAL when not paused. */
int vm_unpause(struct vm *vm);
bool vm_paused(struct vm *vm);
/*
 * Secondary vCPUs start as on hardware: waiting in KVM's local APIC (KVM_RUN in the
 * UNINITIALIZED or INIT_RECEIVED state) for the guest's INIT and SIPI, which start them
 * in real mode at the SIPI vector. vcpu_start() instead lets a vCPU whose state
 * vcpu_set_initial_state() wrote run from that state, or resumes a parked one.
 */
void vcpu_start(struct vcpu *vcpu);
/*
 * Stops a vCPU before its next guest instruction until vcpu_start(). Callable from any
 * thread: on its own thread it takes effect once the current exit has been handled.
 */
void vcpu_park(struct vcpu *vcpu);
/*
 * Makes sure the VMM has seen whether the guest started (SIPI) or stopped (INIT) this
 * secondary vCPU, which KVM does without an exit: kicks it and waits for its thread to
 * look (vm->vcpu_native runs there), or for its next exit, a second at most. From another
 * vCPU's thread, holding no lock the hook takes; a no-op for the boot vCPU, the calling
 * one and a parked one.
 */
void vcpu_refresh_started(struct vcpu *vcpu);
/*
 * Registers of a vCPU that has not been started yet, read and written from another
 * vCPU's thread. Writing makes it runnable for KVM (it no longer waits for INIT/SIPI)
 * and leaves it parked until vcpu_start(). -EBUSY once the vCPU has been started (by
 * the VMM or by a SIPI), -errno from KVM.
 */
int vcpu_get_initial_state(struct vcpu *vcpu, struct kvm_regs *regs, struct kvm_sregs *sregs);
int vcpu_set_initial_state(struct vcpu *vcpu, const struct kvm_regs *regs,
			   const struct kvm_sregs *sregs);

/*
 * Makes the VM's request handler run on the vCPU's own thread before its next guest
 * instruction: at once when called on that thread, else the vCPU is kicked out of KVM_RUN.
 */
void vcpu_request(struct vcpu *vcpu);
/* Makes KVM_RUN return to user space and enter again (KVM then re-checks interrupts). */
void vcpu_kick(struct vcpu *vcpu);
/* Whether the calling thread is the vCPU's own. */
bool vcpu_is_current(struct vcpu *vcpu);

/* Delivers `vector` to the local APIC with this x2APIC id as a fixed, edge MSI. */
int vm_inject_msi(struct vm *vm, uint32_t apic_id, uint8_t vector);

/*
 * Inside an exit handler: lets KVM complete the exit being handled (store what it asked
 * for, step past the instruction) without running the guest, so that the handler can then
 * rewrite the registers. 0 or -errno.
 */
int vcpu_complete_exit(struct vcpu *vcpu);

/* Register access for exit handlers; changes are written back before the next KVM_RUN. */
struct kvm_regs *vcpu_regs(struct vcpu *vcpu);
void vcpu_regs_dirty(struct vcpu *vcpu);
const struct kvm_sregs *vcpu_sregs(struct vcpu *vcpu);
void vcpu_paging_ctx(struct vcpu *vcpu, struct paging_ctx *ctx);
/* Reads one MSR of the vCPU: from its own thread (an exit handler) only. */
int vcpu_get_msr(struct vcpu *vcpu, uint32_t index, uint64_t *val);
/* The vCPU's current privilege level (0 in real mode, 3 in virtual-8086 mode). */
unsigned int vcpu_cpl(struct vcpu *vcpu);
/* True when the vCPU executes 64-bit code (EFER.LMA and CS.L). */
bool vcpu_is_64bit(struct vcpu *vcpu);

#endif
