// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmm/errmsg.h"
#include "vmm/log.h"
#include "vmm/vm.h"

/*
 * KVM's own pages below 4 GiB (the TSS takes three, VMX real mode only; the identity map
 * one, EPT without unrestricted guests only): in [0xfeff4000, 0xfeff8000), the pages
 * libxc keeps for ioreq servers (a PVH domU has none) just below Xen's special pages,
 * which the VMM gives a slot of their own. No memory-map entry names them, as none names
 * Xen's ioreq server pages.
 */
#define KVM_IDENTITY_MAP_ADDR 0xfeff4000ULL
#define KVM_TSS_ADDR 0xfeff5000ULL

static int add_special_range(struct vm *vm, const struct vm_config *cfg, char *err, size_t errlen);

struct kvm_cap_need {
	int cap;
	const char *name;
	const char *why;
};

/* Every capability the VMM relies on; a host that lacks one is told which. */
static const struct kvm_cap_need required_caps[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY", "guest RAM" },
	{ KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP", "in-kernel local APIC" },
	{ KVM_CAP_SIGNAL_MSI, "KVM_CAP_SIGNAL_MSI", "event channel upcalls" },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID", "the CPUID table with the Xen leaves" },
	{ KVM_CAP_X86_USER_SPACE_MSR, "KVM_CAP_X86_USER_SPACE_MSR", "the hypercall-page MSR" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT", "stopping vCPUs" },
	{ KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR", "VM set-up" },
};

static int check_caps(struct vm *vm, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(required_caps) / sizeof(required_caps[0]); i++) {
		const struct kvm_cap_need *c = &required_caps[i];

		if (ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, c->cap) <= 0)
			return errmsg(err, errlen, -ENOTSUP,
				      "this host's KVM lacks %s (needed for %s)", c->name, c->why);
	}
	vm->sync_regs = (ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS) &
			 (KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS)) ==
			(KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS);
	return 0;
}

static int check_vcpus(struct vm *vm, unsigned int n, char *err, size_t errlen)
{
	int max = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);

	if (max <= 0)
		max = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
	if (max <= 0)
		max = 4;
	if (n == 0 || n > VM_MAX_VCPUS || n > (unsigned int)max)
		return errmsg(err, errlen, -EINVAL, "%u vCPUs requested; this host allows 1 to %d",
			      n, max < VM_MAX_VCPUS ? max : VM_MAX_VCPUS);
	return 0;
}

/* The firmware pages (the ACPI tables), when the loader placed any: the slot after RAM's. */
static int add_firmware_slot(struct vm *vm, char *err, size_t errlen)
{
	const struct guest_region *r = &vm->mem.firmware;
	struct kvm_userspace_memory_region slot = {
		.slot = GUEST_MEM_MAX_REGIONS,
		.guest_phys_addr = r->gpa,
		.memory_size = r->size,
		.userspace_addr = (uintptr_t)r->host,
	};

	if (!r->size)
		return 0;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
		return errmsg(err, errlen, -errno, "KVM_SET_USER_MEMORY_REGION (firmware): %s",
			      strerror(errno));
	return 0;
}

static int add_memslots(struct vm *vm, char *err, size_t errlen)
{
	for (unsigned int i = 0; i < vm->mem.nr_regions; i++) {
		const struct guest_region *r = &vm->mem.regions[i];
		struct kvm_userspace_memory_region slot = {
			.slot = i,
			.guest_phys_addr = r->gpa,
			.memory_size = r->size,
			.userspace_addr = (uintptr_t)r->host,
		};

		if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
			return errmsg(err, errlen, -errno, "KVM_SET_USER_MEMORY_REGION: %s",
				      strerror(errno));
	}
	return add_firmware_slot(vm, err, errlen);
}

static int load_supported_cpuid(struct vm *vm, char *err, size_t errlen)
{
	for (unsigned int n = 64; n <= 4096; n *= 2) {
		struct kvm_cpuid2 *t = calloc(1, sizeof(*t) + n * sizeof(t->entries[0]));

		if (!t)
			return errmsg(err, errlen, -ENOMEM, "out of memory");
		t->nent = n;
		if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, t) == 0) {
			vm->cpuid = t;
			return 0;
		}
		free(t);
		if (errno != E2BIG)
			return errmsg(err, errlen, -errno, "KVM_GET_SUPPORTED_CPUID: %s",
				      strerror(errno));
	}
	return errmsg(err, errlen, -E2BIG, "KVM_GET_SUPPORTED_CPUID: table too large");
}

/*
 * Drops KVM's own paravirtual leaves (0x40000000 up): the hypervisor range belongs to
 * the upper layer, which advertises Xen there.
 */
static void drop_hypervisor_leaves(struct kvm_cpuid2 *t)
{
	unsigned int out = 0;

	for (unsigned int i = 0; i < t->nent; i++) {
		uint32_t fn = t->entries[i].function;

		if (fn >= 0x40000000 && fn < 0x50000000)
			continue;
		t->entries[out++] = t->entries[i];
	}
	t->nent = out;
}

static int enable_user_msrs(struct vm *vm, char *err, size_t errlen)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_X86_USER_SPACE_MSR,
		.args[0] = KVM_MSR_EXIT_REASON_UNKNOWN | KVM_MSR_EXIT_REASON_INVAL,
	};

	if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap) < 0)
		return errmsg(err, errlen, -errno, "enabling KVM_CAP_X86_USER_SPACE_MSR: %s",
			      strerror(errno));
	return 0;
}

static int open_kvm(struct vm *vm, char *err, size_t errlen)
{
	int version;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return errmsg(err, errlen, -errno, "cannot open /dev/kvm: %s", strerror(errno));
	version = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION)
		return errmsg(err, errlen, -ENOTSUP, "KVM API version %d, expected %d", version,
			      KVM_API_VERSION);
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return errmsg(err, errlen, -errno, "KVM_CREATE_VM: %s", strerror(errno));
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->run_size <= 0)
		return errmsg(err, errlen, -errno, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	return 0;
}

static int setup_platform(struct vm *vm, char *err, size_t errlen)
{
	uint64_t ident = KVM_IDENTITY_MAP_ADDR;
	int khz;

	if (ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR) < 0)
		return errmsg(err, errlen, -errno, "KVM_SET_TSS_ADDR: %s", strerror(errno));
	/* Only VMX uses the identity map; other hosts may refuse it harmlessly. */
	ioctl(vm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &ident);
	if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0)
		return errmsg(err, errlen, -errno, "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	khz = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GET_TSC_KHZ) > 0 ?
		      ioctl(vm->vm_fd, KVM_GET_TSC_KHZ, 0) :
		      -1;
	vm->tsc_khz = khz > 0 ? (uint32_t)khz : 0;
	return 0;
}

int vm_create(struct vm *vm, const struct vm_config *cfg, char *err, size_t errlen)
{
	int rc;

	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = vm->vm_fd = vm->special_fd = -1;
	vm->mem = *cfg->mem;
	cfg->mem->fd = -1;
	cfg->mem->base = NULL;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_cond_init(&vm->cond, NULL);
	rc = open_kvm(vm, err, errlen);
	if (!rc)
		rc = check_caps(vm, err, errlen);
	if (!rc)
		rc = check_vcpus(vm, cfg->nr_vcpus, err, errlen);
	if (rc)
		return rc;
	vm->nr_vcpus = cfg->nr_vcpus;
	rc = add_memslots(vm, err, errlen);
	if (!rc)
		rc = add_special_range(vm, cfg, err, errlen);
	if (!rc)
		rc = setup_platform(vm, err, errlen);
	if (!rc)
		rc = enable_user_msrs(vm, err, errlen);
	if (!rc)
		rc = load_supported_cpuid(vm, err, errlen);
	if (rc)
		return rc;
	drop_hypervisor_leaves(vm->cpuid);
	return 0;
}

#define LAPIC_PAGE 0xfee00000ULL
#define IOAPIC_PAGE 0xfec00000ULL
/*
 * Slots 0..GUEST_MEM_MAX_REGIONS-1 hold RAM, GUEST_MEM_MAX_REGIONS the firmware pages;
 * special pages take the ones from 15.
 */
#define SPECIAL_SLOT_BASE 16

static void *find_special(struct vm *vm, uint64_t gpa)
{
	for (unsigned int i = 0; i < vm->mem.nr_extra; i++)
		if (vm->mem.extra[i].gpa == gpa)
			return vm->mem.extra[i].host;
	return NULL;
}

/*
 * Special pages come from one memfd of their own so that each has a file offset: a page
 * can then be handed to another process (xenstored maps the store ring this way).
 */
/* File layout: the pre-slotted range first, then one page per later special page. */
static int special_fd_open(struct vm *vm)
{
	if (vm->special_fd >= 0)
		return 0;
	vm->special_fd = memfd_create("xenkvm-special-pages", MFD_CLOEXEC);
	if (vm->special_fd < 0 ||
	    ftruncate(vm->special_fd,
		      (off_t)(vm->special_pages + GUEST_MEM_MAX_EXTRA) * GUEST_PAGE_SIZE) < 0)
		return -errno;
	return 0;
}

static int special_backing(struct vm *vm, unsigned int index, void **page)
{
	off_t off = (off_t)(vm->special_pages + index) * (off_t)GUEST_PAGE_SIZE;
	int rc = special_fd_open(vm);

	if (rc)
		return rc;
	*page = mmap(NULL, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, vm->special_fd,
		     off);
	return *page == MAP_FAILED ? -ENOMEM : 0;
}

/* The pre-slotted range: one mapping and one memory slot, made at VM creation. */
static int add_special_range(struct vm *vm, const struct vm_config *cfg, char *err, size_t errlen)
{
	size_t size = (size_t)cfg->special_pages * GUEST_PAGE_SIZE;
	struct kvm_userspace_memory_region slot;
	int rc;

	vm->special_gpa = cfg->special_gpa;
	vm->special_pages = cfg->special_pages;
	if (!size)
		return 0;
	rc = special_fd_open(vm);
	if (rc)
		return errmsg(err, errlen, rc, "special pages: %s", strerror(-rc));
	vm->special_host = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->special_fd, 0);
	if (vm->special_host == MAP_FAILED) {
		vm->special_host = NULL;
		return errmsg(err, errlen, -ENOMEM, "special pages: cannot map them");
	}
	slot = (struct kvm_userspace_memory_region){
		.slot = SPECIAL_SLOT_BASE - 1,
		.guest_phys_addr = cfg->special_gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)vm->special_host,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
		return errmsg(err, errlen, -errno, "special pages slot: %s", strerror(errno));
	return 0;
}

static bool in_special_range(struct vm *vm, uint64_t gpa)
{
	return vm->special_pages && gpa >= vm->special_gpa &&
	       (gpa - vm->special_gpa) / GUEST_PAGE_SIZE < vm->special_pages;
}

int vm_map_special_page(struct vm *vm, uint64_t gpa, void **host)
{
	struct kvm_userspace_memory_region slot;
	unsigned int index;
	void *page;
	int rc = 0;

	if (gpa % GUEST_PAGE_SIZE || gpa == LAPIC_PAGE || gpa == IOAPIC_PAGE || gpa >> 52)
		return -EINVAL;
	/* A RAM or firmware page is itself the page (it has a slot already). */
	if (guest_mem_is_ram(&vm->mem, gpa, GUEST_PAGE_SIZE) ||
	    guest_mem_is_firmware(&vm->mem, gpa, GUEST_PAGE_SIZE)) {
		*host = guest_mem_ptr(&vm->mem, gpa, GUEST_PAGE_SIZE);
		return 0;
	}
	pthread_mutex_lock(&vm->lock);
	page = find_special(vm, gpa);
	if (page)
		goto out;
	index = vm->mem.nr_extra;
	if (index == GUEST_MEM_MAX_EXTRA) {
		rc = -ENOSPC;
		goto out;
	}
	if (in_special_range(vm, gpa)) {
		uint64_t off = gpa - vm->special_gpa;

		page = vm->special_host + off;
		rc = guest_mem_add_extra(&vm->mem, gpa, page, off);
		goto out;
	}
	rc = special_backing(vm, index, &page);
	if (rc) {
		page = NULL;
		goto out;
	}
	slot = (struct kvm_userspace_memory_region){
		.slot = SPECIAL_SLOT_BASE + index,
		.guest_phys_addr = gpa,
		.memory_size = GUEST_PAGE_SIZE,
		.userspace_addr = (uintptr_t)page,
	};
	/* The guest sees the page before the VMM's accessor does: never the reverse. */
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0) {
		rc = -errno;
		munmap(page, GUEST_PAGE_SIZE);
		page = NULL;
		goto out;
	}
	rc = guest_mem_add_extra(&vm->mem, gpa, page,
				 (uint64_t)(vm->special_pages + index) * GUEST_PAGE_SIZE);
out:
	pthread_mutex_unlock(&vm->lock);
	if (!rc)
		*host = page;
	return rc;
}

int vm_page_fd(struct vm *vm, uint64_t gpa, int *fd, uint64_t *offset)
{
	if (gpa % GUEST_PAGE_SIZE)
		return -EINVAL;
	for (unsigned int i = 0; i < vm->mem.nr_regions; i++) {
		const struct guest_region *r = &vm->mem.regions[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size) {
			*fd = vm->mem.fd;
			*offset = r->fd_offset + (gpa - r->gpa);
			return 0;
		}
	}
	if (guest_mem_is_firmware(&vm->mem, gpa, GUEST_PAGE_SIZE)) {
		*fd = vm->mem.fd;
		*offset = vm->mem.firmware.fd_offset + (gpa - vm->mem.firmware.gpa);
		return 0;
	}
	for (unsigned int i = 0; i < vm->mem.nr_extra; i++) {
		if (vm->mem.extra[i].gpa == gpa) {
			*fd = vm->special_fd;
			*offset = vm->mem.extra[i].fd_offset;
			return 0;
		}
	}
	return -ENOENT;
}

int vm_register_pio(struct vm *vm, uint16_t base, uint16_t len, pio_fn fn, void *opaque)
{
	if (vm->nr_pio == VM_MAX_PIO)
		return -ENOSPC;
	vm->pio[vm->nr_pio++] = (struct pio_handler){ base, len, fn, opaque };
	return 0;
}

int vm_register_msr(struct vm *vm, uint32_t index, msr_fn fn, void *opaque)
{
	if (vm->nr_msrs == VM_MAX_MSR)
		return -ENOSPC;
	vm->msrs[vm->nr_msrs++] = (struct msr_handler){ index, fn, opaque };
	return 0;
}

int vm_register_exit(struct vm *vm, uint32_t reason, exit_fn fn, void *opaque)
{
	if (vm->nr_exits == VM_MAX_EXIT)
		return -ENOSPC;
	vm->exits[vm->nr_exits++] = (struct exit_handler){ reason, fn, opaque };
	return 0;
}

void vm_set_request_handler(struct vm *vm, request_fn fn, void *opaque)
{
	vm->request = fn;
	vm->request_opaque = opaque;
}

int vm_check_extension(struct vm *vm, long cap)
{
	int r = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, cap);

	return r < 0 ? 0 : r;
}

struct kvm_cpuid_entry2 *cpuid_find(struct kvm_cpuid2 *table, uint32_t fn, uint32_t index)
{
	for (unsigned int i = 0; i < table->nent; i++) {
		struct kvm_cpuid_entry2 *e = &table->entries[i];

		if (e->function != fn)
			continue;
		if (!(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) || e->index == index)
			return e;
	}
	return NULL;
}

/*
 * The entry for (fn, index), added when missing. KVM answers an entry without
 * KVM_CPUID_FLAG_SIGNIFCANT_INDEX whatever ECX holds, so that flag goes only on leaves
 * that really have sub-leaves; an existing entry (from KVM's supported table) keeps
 * KVM's flag, and a caller that disagrees with it about sub-leaves gets -EINVAL.
 */
static int cpuid_entry(struct vm *vm, uint32_t fn, uint32_t index, bool subleaf,
		       struct kvm_cpuid_entry2 **out)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(vm->cpuid, fn, index);
	struct kvm_cpuid2 *t;

	if (e) {
		if (!!(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) != subleaf)
			return -EINVAL;
		*out = e;
		return 0;
	}
	t = realloc(vm->cpuid, sizeof(*t) + (vm->cpuid->nent + 1) * sizeof(t->entries[0]));
	if (!t)
		return -ENOMEM;
	vm->cpuid = t;
	e = &t->entries[t->nent++];
	memset(e, 0, sizeof(*e));
	e->function = fn;
	e->index = subleaf ? index : 0;
	e->flags = subleaf ? KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0;
	*out = e;
	return 0;
}

static int cpuid_store(struct vm *vm, uint32_t fn, uint32_t index, bool subleaf, uint32_t eax,
		       uint32_t ebx, uint32_t ecx, uint32_t edx)
{
	struct kvm_cpuid_entry2 *e;
	int rc = cpuid_entry(vm, fn, index, subleaf, &e);

	if (rc)
		return rc;
	e->eax = eax;
	e->ebx = ebx;
	e->ecx = ecx;
	e->edx = edx;
	return 0;
}

int cpuid_set(struct vm *vm, uint32_t fn, uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx)
{
	return cpuid_store(vm, fn, 0, false, eax, ebx, ecx, edx);
}

int cpuid_set_subleaf(struct vm *vm, uint32_t fn, uint32_t index, uint32_t eax, uint32_t ebx,
		      uint32_t ecx, uint32_t edx)
{
	return cpuid_store(vm, fn, index, true, eax, ebx, ecx, edx);
}

int vm_inject_msi(struct vm *vm, uint32_t apic_id, uint8_t vector)
{
	struct kvm_msi msi = {
		.address_lo = 0xfee00000u | ((apic_id & 0xff) << 12),
		.address_hi = 0,
		.data = vector,
	};

	if (ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &msi) < 0)
		return -errno;
	return 0;
}

void vm_request_exit(struct vm *vm, int status)
{
	bool first = false;

	pthread_mutex_lock(&vm->lock);
	if (!vm->stopping) {
		__atomic_store_n(&vm->stopping, true, __ATOMIC_RELEASE);
		vm->exit_status = status;
		first = true;
	}
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
	if (first && vm->stop_notify)
		vm->stop_notify(vm->stop_notify_opaque);
}

void vm_set_stop_notify(struct vm *vm, void (*fn)(void *opaque), void *opaque)
{
	vm->stop_notify_opaque = opaque;
	vm->stop_notify = fn;
}

bool vm_stopping(struct vm *vm)
{
	return __atomic_load_n(&vm->stopping, __ATOMIC_ACQUIRE);
}

void vm_destroy(struct vm *vm)
{
	for (unsigned int i = 0; vm->vcpus && i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (v->run)
			munmap(v->run, vm->run_size);
		vcpu_accounting_close(v);
		if (v->fd >= 0)
			close(v->fd);
	}
	free(vm->vcpus);
	free(vm->cpuid);
	guest_mem_destroy(&vm->mem);
	if (vm->special_host)
		munmap(vm->special_host, (size_t)vm->special_pages * GUEST_PAGE_SIZE);
	if (vm->special_fd >= 0)
		close(vm->special_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	pthread_mutex_destroy(&vm->lock);
	pthread_cond_destroy(&vm->cond);
}
