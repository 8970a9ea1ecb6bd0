// SPDX-License-Identifier: GPL-2.0
/*
 * The commands of xenkvm's control socket (--control-socket PATH; protocol in
 * docs/CONTROL.md): `info`, `pause`, `unpause` and `destroy`. `shutdown` is answered
 * with an error naming the field: that request is the toolstack's xenstore write.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <stdint.h>
#include <xen/xen.h>
#include <xen/hvm/params.h>

#include "xenkvm/control.h"

static long long ns_since(const struct timespec *t0, clockid_t clk)
{
	struct timespec now;

	clock_gettime(clk, &now);
	return (now.tv_sec - t0->tv_sec) * 1000000000LL + (now.tv_nsec - t0->tv_nsec);
}

/* The vCPUs that are up (started by the VMM, VCPUOP_up or INIT/SIPI), as a bit mask. */
static unsigned long long online_mask(struct vm *vm)
{
	unsigned long long mask = 0;

	for (unsigned int i = 0; vm->vcpus && i < vm->nr_vcpus && i < 64; i++)
		if (__atomic_load_n(&vm->vcpus[i].runnable, __ATOMIC_RELAXED) &&
		    !__atomic_load_n(&vm->vcpus[i].parked, __ATOMIC_RELAXED))
			mask |= 1ULL << i;
	return mask;
}

/* The domain's state as xl list's flags show it: r (running), p (paused), s (shut down). */
static const char *state_name(struct vm *vm)
{
	if (vm_stopping(vm))
		return "shutdown";
	return vm_paused(vm) ? "paused" : "running";
}

static void cmd_pause(struct xenkvm_control *xc, struct control_reply *rep)
{
	int rc = vm_pause(xc->vm);

	if (rc == -EOVERFLOW)
		control_reply_error(rep, "cmd", "paused %d times already (Xen's limit)",
				    VM_MAX_PAUSE);
	else if (rc)
		control_reply_error(rep, NULL, "pause: %s", strerror(-rc));
	else
		control_reply_ok(rep);
}

static void cmd_unpause(struct xenkvm_control *xc, struct control_reply *rep)
{
	if (vm_unpause(xc->vm))
		control_reply_error(rep, "cmd", "the domain is not paused");
	else
		control_reply_ok(rep);
}

static void cmd_info(struct xenkvm_control *xc, struct control_reply *rep)
{
	static const struct timespec zero = { 0, 0 };
	char uuid[37];
	const uint8_t *u = xc->o->uuid;

	snprintf(uuid, sizeof(uuid),
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
		 u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		 u[15]);
	control_reply_ok(rep);
	control_reply_num(rep, "domid", xc->o->domid);
	control_reply_str(rep, "name", xc->o->name);
	control_reply_str(rep, "uuid", uuid);
	control_reply_str(rep, "state", state_name(xc->vm));
	control_reply_num(rep, "vcpus", xc->o->vcpus);
	control_reply_num(rep, "vcpus_online", (long long)online_mask(xc->vm));
	control_reply_num(rep, "memory_kib", (long long)xc->o->memory_mib * 1024);
	control_reply_num(rep, "uptime_ms", ns_since(&xc->started, CLOCK_MONOTONIC) / 1000000);
	control_reply_num(rep, "cpu_time_ns", ns_since(&zero, CLOCK_PROCESS_CPUTIME_ID));
	/*
	 * What libxl__domain_pvcontrol_available() asks Xen for an HVM or PVH domain: the
	 * guest set HVM_PARAM_CALLBACK_IRQ (Linux does, with a per-vCPU vector too), so it
	 * has PV drivers that watch control/shutdown.
	 */
	control_reply_bool(rep, "pv_control",
			   __atomic_load_n(&xc->dom->hvm_params[HVM_PARAM_CALLBACK_IRQ],
					   __ATOMIC_ACQUIRE) != 0);
}

static void handle(const struct control_request *req, struct control_reply *rep, void *opaque)
{
	struct xenkvm_control *xc = opaque;
	const char *cmd = control_get(req, "cmd");

	for (int i = 0; i < req->n; i++)
		if (strcmp(req->f[i].key, "v") && strcmp(req->f[i].key, "cmd")) {
			control_reply_error(rep, req->f[i].key, "unknown field");
			return;
		}
	if (!cmd) {
		control_reply_error(rep, "cmd", "missing command");
		return;
	}
	if (!strcmp(cmd, "info")) {
		cmd_info(xc, rep);
	} else if (!strcmp(cmd, "destroy")) {
		/* As SIGTERM: the VMM stops the guest, removes its xenstore nodes, exits 143. */
		control_reply_ok(rep);
		vm_request_exit(xc->vm, 128 + SIGTERM);
	} else if (!strcmp(cmd, "pause")) {
		cmd_pause(xc, rep);
	} else if (!strcmp(cmd, "unpause")) {
		cmd_unpause(xc, rep);
	} else if (!strcmp(cmd, "shutdown")) {
		/* libxl's protocol: the toolstack writes control/shutdown, the guest acts. */
		control_reply_error(rep, "cmd",
				    "a shutdown request goes to the guest through xenstore "
				    "(control/shutdown, as libxl writes it: xl shutdown)");
	} else {
		control_reply_error(rep, "cmd",
				    "unknown command `%s' (info, destroy, pause, unpause)", cmd);
	}
}

int xenkvm_control_open(struct xenkvm_control *xc, struct evloop *loop, struct vm *vm,
			struct xen_domain *dom, const struct options *o)
{
	xc->vm = vm;
	xc->dom = dom;
	xc->o = o;
	clock_gettime(CLOCK_MONOTONIC, &xc->started);
	return control_sock_open(&xc->cs, o->control_path, loop, handle, xc);
}

void xenkvm_control_close(struct xenkvm_control *xc)
{
	control_sock_close(&xc->cs);
}
