// SPDX-License-Identifier: GPL-2.0
/*
 * xenkvm: one process per domain. Parses the command line, loads the PVH image into
 * guest RAM (all before KVM is touched, so a bad image is a usage error), creates the KVM
 * VM with the Xen personality and the platform devices, and runs it until the guest stops.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers-pv/grant_probe.h"
#include "vmm/console.h"
#include "vmm/console_sock.h"
#include "vmm/evloop.h"
#include "xenkvm/control.h"
#include "kimage/kernel_image.h"
#include "vmm/log.h"
#include "vmm/platform.h"
#include "vmm/pvh_elf.h"
#include "vmm/start_info.h"
#include "vmm/vm.h"
#include "xen-emul/transport/accel.h"
#include "xen-emul/magic_pages.h"
#include "xen-emul/memory/memory.h"
#include "xen-emul/xen.h"
#include "xenkvm/backends.h"
#include "xenkvm/options.h"

struct file_map {
	uint8_t *data;
	size_t len;
};

static int map_file(const char *what, const char *path, struct file_map *f)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	f->data = NULL;
	f->len = 0;
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "xenkvm: error: cannot read %s '%s': %s\n", what, path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "xenkvm: error: %s '%s' is not a regular file\n", what, path);
		close(fd);
		return -EINVAL;
	}
	f->len = (size_t)st.st_size;
	if (f->len) {
		f->data = mmap(NULL, f->len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (f->data == MAP_FAILED) {
			f->data = NULL;
			fprintf(stderr, "xenkvm: error: cannot map %s '%s': %s\n", what, path,
				strerror(errno));
			close(fd);
			return -ENOMEM;
		}
	}
	close(fd);
	return 0;
}

static void unmap_file(struct file_map *f)
{
	if (f->data)
		munmap(f->data, f->len);
	f->data = NULL;
}

struct boot_files {
	struct file_map kernel;
	struct file_map modules[BOOT_MAX_MODULES];
	struct boot_module mods[BOOT_MAX_MODULES];
};

static void unmap_boot_files(struct boot_files *bf, unsigned int nr_modules)
{
	unmap_file(&bf->kernel);
	for (unsigned int i = 0; i < nr_modules; i++)
		unmap_file(&bf->modules[i]);
}

/* Loads kernel, modules and start_info into guest RAM; any failure is a usage error. */
static int load_guest(const struct options *o, struct guest_mem *mem, struct pvh_image *pi,
		      uint64_t *start_info)
{
	struct boot_files bf = { 0 };
	struct kernel_elf elf = { 0 };
	struct boot_params bp = { .cmdline = o->cmdline,
				  .nr_modules = o->nr_modules,
				  .modules = bf.mods,
				  .nr_vcpus = o->vcpus };
	char err[256];
	int rc;

	rc = map_file("kernel", o->kernel, &bf.kernel);
	for (unsigned int i = 0; !rc && i < o->nr_modules; i++) {
		rc = map_file("module", o->modules[i].path, &bf.modules[i]);
		bf.mods[i] = (struct boot_module){ bf.modules[i].data, bf.modules[i].len,
						   o->modules[i].cmdline };
	}
	if (rc)
		goto out;
	rc = kernel_elf_find(bf.kernel.data, bf.kernel.len, mem->ram_bytes, &elf, err, sizeof(err));
	if (!rc)
		rc = pvh_parse(elf.data, elf.len, pi, err, sizeof(err));
	if (!rc)
		rc = pvh_load(pi, elf.data, mem, err, sizeof(err));
	if (!rc)
		rc = start_info_build(mem, pi, &bp, start_info, err, sizeof(err));
	if (rc)
		fprintf(stderr, "xenkvm: error: kernel '%s': %s\n", o->kernel, err);
	else
		log_info("kernel '%s' (%s): PVH entry 0x%x, %u segments, 0x%llx-0x%llx", o->kernel,
			 elf.format, pi->entry, pi->nr_segments, (unsigned long long)pi->lowest,
			 (unsigned long long)pi->end);
	kernel_elf_release(&elf);
out:
	unmap_boot_files(&bf, o->nr_modules);
	return rc;
}

/* Console input was queued (from stdin or the console socket): the devices look. */
static void console_input_arrived(void *opaque)
{
	uart16550_input_notify();
	backends_input(opaque);
}

static bool on_stdin(int fd, uint32_t events, void *opaque)
{
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n <= 0)
		return n < 0 && errno == EINTR;
	console_input_push(buf, (size_t)n);
	console_input_arrived(opaque);
	return true;
}

static bool on_signal(int fd, uint32_t events, void *opaque)
{
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return true;
	log_info("stopped by signal %u", si.ssi_signo);
	vm_request_exit(opaque, 128 + (int)si.ssi_signo);
	return true;
}

static int start_events(struct evloop *loop, struct vm *vm, struct backends *b, int *sig_fd)
{
	sigset_t set;
	int rc;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	/* Blocked before any thread exists, so every thread inherits it. */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	*sig_fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (*sig_fd < 0)
		return -errno;
	rc = evloop_add(loop, *sig_fd, EPOLLIN, on_signal, vm);
	if (!rc && isatty(STDIN_FILENO))
		rc = evloop_add(loop, STDIN_FILENO, EPOLLIN, on_stdin, b);
	if (!rc)
		rc = evloop_start(loop);
	return rc;
}

static int build_vm(struct vm *vm, struct xen_domain *dom, const struct options *o,
		    struct guest_mem *mem, const struct pvh_image *pi, uint64_t start_info,
		    struct evloop *loop, struct backends *b)
{
	struct vm_config cfg = { .mem = mem,
				 .nr_vcpus = o->vcpus,
				 .special_gpa = XEN_MAGIC_FIRST_GFN << GUEST_PAGE_SHIFT,
				 .special_pages = XEN_MAGIC_NR_PAGES };
	struct xen_config xcfg = { .domid = o->domid,
				   .version_major = o->version_major,
				   .version_minor = o->version_minor,
				   .name = o->name,
				   .max_grant_frames = o->max_grant_frames };
	char err[256];
	int rc;

	memcpy(xcfg.uuid, o->uuid, sizeof(xcfg.uuid));
	rc = vm_create(vm, &cfg, err, sizeof(err));
	if (rc) {
		log_err("%s", err);
		return rc == -EINVAL ? -EINVAL : rc;
	}
	if (xen_accel_choose(vm, o->xen_accel, &xcfg.accel, err, sizeof(err))) {
		log_err("%s", err);
		return -EINVAL; /* asked for a transport this host does not have */
	}
	log_info("Xen transport: %s", xcfg.accel->name);
	rc = xen_domain_init(dom, vm, &xcfg, loop);
	if (!rc)
		rc = platform_init(vm);
	if (!rc && o->test_devices)
		rc = grant_probe_init(dom);
	if (rc) {
		log_err("setting up the Xen ABI and devices: %s", strerror(-rc));
		return rc;
	}
	/* The backends' pages are in the magic range, which has its memory slot already. */
	rc = backends_init(b, o, dom);
	if (rc)
		return rc == -EINVAL ? -EINVAL : -EIO;
	rc = vm_create_vcpus(vm, err, sizeof(err));
	if (rc) {
		log_err("%s", err);
		return rc;
	}
	rc = vm_set_pvh_entry(vm, pi->entry, (uint32_t)start_info);
	if (rc)
		log_err("setting the PVH entry state: %s", strerror(-rc));
	return rc;
}

/* Peak RSS and the part of the current RSS that is guest RAM (the shared memfd). */
static void log_memory_stats(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long hwm = 0, shmem = 0, anon = 0, file = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "VmHWM: %lu kB", &hwm);
		sscanf(line, "RssShmem: %lu kB", &shmem);
		sscanf(line, "RssAnon: %lu kB", &anon);
		sscanf(line, "RssFile: %lu kB", &file);
	}
	fclose(f);
	/* File pages are mostly libc and friends, shared with every other process. */
	log_info("memory: peak RSS %lu KiB, guest RAM resident %lu KiB, VMM beyond guest RAM "
		 "%lu KiB (now: %lu KiB private anonymous, %lu KiB file-backed)",
		 hwm, shmem, hwm > shmem ? hwm - shmem : 0, anon, file);
}

static int setup_logging(const struct options *o)
{
	int rc;

	/* --stats reports at info level, so it implies -v. */
	log_set_level(o->verbosity >= 2	       ? LOG_DEBUG :
		      o->verbosity || o->stats ? LOG_INFO :
						 LOG_WARN);
	if (o->log_path && (rc = log_open(o->log_path))) {
		fprintf(stderr, "xenkvm: error: --log '%s': %s\n", o->log_path, strerror(-rc));
		return rc;
	}
	console_set_limits(&o->console_limits);
	if ((rc = console_open(o->console_path))) {
		fprintf(stderr, "xenkvm: error: --console '%s': %s\n", o->console_path,
			strerror(-rc));
		return rc;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct guest_mem mem;
	struct pvh_image pi;
	struct vm vm;
	struct xen_domain dom;
	struct evloop loop = { .epfd = -1, .stop_fd = -1 };
	struct backends backends = { 0 };
	struct xenkvm_control control = { .cs.fd = -1 };
	uint64_t start_info;
	int sig_fd = -1, status, rc;

	memset(&dom, 0, sizeof(dom));

	rc = options_parse(argc, argv, &o);
	if (!rc && setup_logging(&o))
		rc = -EINVAL;
	if (rc) {
		/* A refused command line may already hold parsed --disk/--vif specs. */
		options_free(&o);
		return rc > 0 ? 0 : VM_EXIT_USAGE;
	}
	rc = guest_mem_init(&mem, o.memory_mib << 20);
	if (rc) {
		fprintf(stderr, "xenkvm: error: cannot allocate %llu MiB of guest RAM: %s\n",
			(unsigned long long)o.memory_mib, strerror(-rc));
		return VM_EXIT_VMM_ERROR;
	}
	/* The special pages are the one reserved range of the memory map, as under libxl. */
	guest_mem_reserve(&mem, XEN_MAGIC_FIRST_GFN << GUEST_PAGE_SHIFT,
			  XEN_MAGIC_NR_PAGES << GUEST_PAGE_SHIFT);
	if (load_guest(&o, &mem, &pi, &start_info)) {
		guest_mem_destroy(&mem);
		return VM_EXIT_USAGE;
	}
	rc = evloop_init(&loop);
	if (rc) {
		log_err("event loop: %s", strerror(-rc));
		guest_mem_destroy(&mem);
		return VM_EXIT_VMM_ERROR;
	}
	rc = build_vm(&vm, &dom, &o, &mem, &pi, start_info, &loop, &backends);
	if (rc) {
		status = rc == -EINVAL ? VM_EXIT_USAGE : VM_EXIT_VMM_ERROR;
		goto out;
	}
	if (o.paused && !o.control_path) {
		log_err("--paused needs --control-socket (nothing could unpause the guest)");
		status = VM_EXIT_USAGE;
		goto out;
	}
	if (o.paused)
		vm_pause(&vm); /* no vCPU thread yet: each parks before its first instruction */
	if (o.control_path && (rc = xenkvm_control_open(&control, &loop, &vm, &dom, &o))) {
		log_err("--control-socket '%s': %s", o.control_path, strerror(-rc));
		status = VM_EXIT_VMM_ERROR;
		goto out;
	}
	if (o.console_socket &&
	    (rc = console_sock_open(o.console_socket, &loop, console_input_arrived, &backends))) {
		log_err("--console-socket '%s': %s", o.console_socket, strerror(-rc));
		status = VM_EXIT_VMM_ERROR;
		goto out;
	}
	rc = start_events(&loop, &vm, &backends, &sig_fd);
	if (rc) {
		log_err("event loop: %s", strerror(-rc));
		status = VM_EXIT_VMM_ERROR;
		goto out;
	}
	status = vm_run(&vm);
	if (o.stats) {
		xen_hypercall_log_stats(&dom);
		xen_memres_log_stats(&dom);
		log_info("console: %llu bytes of guest output dropped in all",
			 (unsigned long long)console_dropped());
		log_memory_stats();
	}
out:
	evloop_stop(&loop);
	xenkvm_control_close(&control);
	console_sock_close();
	backends_release(&backends);
	if (sig_fd >= 0)
		close(sig_fd);
	console_close();
	grant_probe_destroy();
	xen_domain_destroy(&dom);
	evloop_destroy(&loop);
	vm_destroy(&vm);
	options_free(&o);
	return status;
}
