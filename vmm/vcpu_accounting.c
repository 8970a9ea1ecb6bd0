// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU thread's halted and waiting time from the host kernel (vcpu_accounting.h). The
 * statistics file descriptor is read with pread() at the offsets its descriptors name, so
 * any thread may read it while the vCPU runs; no vCPU ioctl is involved.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmm/vcpu_accounting.h"
#include "vmm/vm.h"

static const char *const halt_names[3] = { "halt_wait_ns", "halt_poll_success_ns",
					   "halt_poll_fail_ns" };

/* Fills `l` with the byte offsets (within the data block) of the statistics we read. */
static int find_offsets(int fd, struct vcpu_stats_layout *l)
{
	struct kvm_stats_header h;
	size_t desc_size;
	char *descs;
	int rc = -EINVAL;

	if (pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) || h.name_size > 4096 ||
	    h.num_desc > 4096)
		return -EINVAL;
	desc_size = sizeof(struct kvm_stats_desc) + h.name_size;
	descs = calloc(h.num_desc, desc_size);
	if (!descs)
		return -ENOMEM;
	if (pread(fd, descs, desc_size * h.num_desc, h.desc_offset) !=
	    (ssize_t)(desc_size * h.num_desc))
		goto out;
	for (uint32_t i = 0; i < h.num_desc; i++) {
		struct kvm_stats_desc *d = (struct kvm_stats_desc *)(descs + i * desc_size);
		int64_t at = (int64_t)h.data_offset + d->offset;

		d->name[h.name_size - 1] = '\0';
		if (d->size != 1)
			continue;
		for (int k = 0; k < 3; k++)
			if (!strcmp(d->name, halt_names[k]))
				l->halt_ns[k] = at;
		if (!strcmp(d->name, "blocking"))
			l->blocking = at;
	}
	rc = l->halt_ns[0] >= 0 ? 0 : -ENOENT;
out:
	free(descs);
	return rc;
}

void vcpu_accounting_open(struct vcpu *v)
{
	struct vcpu_stats_layout *l = &v->stats;
	int fd;

	*l = (struct vcpu_stats_layout){ .fd = -1, .halt_ns = { -1, -1, -1 }, .blocking = -1 };
	v->schedstat_fd = -1;
	fd = ioctl(v->fd, KVM_GET_STATS_FD, NULL);
	if (fd < 0)
		return;
	if (find_offsets(fd, l)) {
		close(fd);
		*l = (struct vcpu_stats_layout){ .fd = -1,
						 .halt_ns = { -1, -1, -1 },
						 .blocking = -1 };
		return;
	}
	l->fd = fd;
}

void vcpu_accounting_thread(struct vcpu *v)
{
	int fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);

	__atomic_store_n(&v->schedstat_fd, fd, __ATOMIC_RELEASE);
}

void vcpu_accounting_close(struct vcpu *v)
{
	if (v->stats.fd >= 0)
		close(v->stats.fd);
	v->stats.fd = -1;
	if (v->schedstat_fd >= 0)
		close(v->schedstat_fd);
	v->schedstat_fd = -1;
}

static int read_u64(int fd, int64_t at, uint64_t *val)
{
	return at >= 0 && pread(fd, val, sizeof(*val), at) == (ssize_t)sizeof(*val) ? 0 : -EIO;
}

int vcpu_halted_ns(struct vcpu *v, uint64_t *ns, bool *halted_now)
{
	const struct vcpu_stats_layout *l = &v->stats;
	uint64_t total = 0, val;

	if (l->fd < 0)
		return -ENODEV;
	for (int k = 0; k < 3; k++)
		if (!read_u64(l->fd, l->halt_ns[k], &val))
			total += val;
	*ns = total;
	*halted_now = !read_u64(l->fd, l->blocking, &val) && val;
	return 0;
}

/* schedstat: "time on CPU (ns) run_delay (ns) timeslices", one line. */
int vcpu_run_delay_ns(struct vcpu *v, uint64_t *ns)
{
	int fd = __atomic_load_n(&v->schedstat_fd, __ATOMIC_ACQUIRE);
	char buf[96];
	ssize_t n;
	unsigned long long on_cpu, delay;

	if (fd < 0)
		return -ENODEV;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &on_cpu, &delay) != 2)
		return -EIO;
	*ns = delay;
	return 0;
}
