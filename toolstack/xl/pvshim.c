// SPDX-License-Identifier: GPL-2.0
/*
 * pvshim: a PV kernel boots inside Xen's PV shim (Debian's xen-utils-4.17 ships it as
 * /usr/lib/xen-4.17/boot/xen-shim), a Xen built to run as a PVH guest and host one PV
 * domain, as libxl and QEMU's Xen emulation do it: the shim is the kernel, the PV kernel
 * its first module and the initrd its second, and the shim's command line carries the
 * guest's after " -- ". xl does this for pvshim = 1, and for a bootloader entry whose
 * kernel has only PV notes (bootloader.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toolstack/cfg/domcfg.h"
#include "toolstack/xl/xl.h"

/* Where Debian and upstream Xen install the shim; XENKVM_PVSHIM names another. */
static const char *const shim_paths[] = {
	"/usr/lib/xen-4.17/boot/xen-shim",
	"/usr/lib/xen/boot/xen-shim",
};

/* console=xen: the shim's console is the console_io hypercall, which xenkvm serves.
 * acpi=off: xenkvm's ACPI tables lie in memory its memory map calls RAM, which the shim
 * reuses before it parses them (docs/IMAGES.md, "PV kernels"). */
#define SHIM_CMDLINE "pv-shim console=xen acpi=off"

static const char *find_shim(const struct dom_config *dc)
{
	const char *env = getenv("XENKVM_PVSHIM");

	if (dc->pvshim_path)
		return dc->pvshim_path;
	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof(shim_paths) / sizeof(shim_paths[0]); i++)
		if (!access(shim_paths[i], R_OK))
			return shim_paths[i];
	return NULL;
}

/* xenstored must be there: the shim's start needs its store page (HVM_PARAM_STORE_PFN). */
static bool have_xenstored(void)
{
	const char *p = getenv("XENSTORED_PATH");

	return !access(p && *p ? p : "/run/xenstored/socket", F_OK);
}

int xl_pvshim_wrap(struct dom_config *dc)
{
	const char *shim = find_shim(dc);
	char *cmdline = NULL, *kernel, **mods;

	if (!shim) {
		fprintf(stderr, "xl: the PV kernel needs Xen's PV shim, and none was found "
				"(install xen-utils-4.17 for /usr/lib/xen-4.17/boot/xen-shim, or "
				"set pvshim_path or XENKVM_PVSHIM)\n");
		return -ENOENT;
	}
	if (access(shim, R_OK)) {
		fprintf(stderr, "xl: pvshim_path `%s': %s\n", shim, strerror(errno));
		return -ENOENT;
	}
	if (!have_xenstored()) {
		fprintf(stderr, "xl: the PV shim needs xenstored running (its store page): start "
				"xenstored or set XENSTORED_PATH\n");
		return -ENOENT;
	}
	if (asprintf(&cmdline, "%s%s%s -- %s",
		     dc->pvshim_cmdline ? dc->pvshim_cmdline : SHIM_CMDLINE,
		     dc->pvshim_extra ? " " : "", dc->pvshim_extra ? dc->pvshim_extra : "",
		     dc->cmdline ? dc->cmdline : "") < 0)
		return -ENOMEM;
	kernel = strdup(shim);
	mods = realloc(dc->modules, (dc->nmodules + 1) * sizeof(*mods));
	if (!kernel || !mods) {
		free(cmdline);
		free(kernel);
		if (mods)
			dc->modules = mods;
		return -ENOMEM;
	}
	/* Modules: the PV kernel, then its initrd (the shim takes them in this order). */
	dc->modules = mods;
	if (dc->ramdisk) {
		memmove(mods + 1, mods, dc->nmodules * sizeof(*mods));
		mods[0] = dc->ramdisk;
		dc->nmodules++;
	}
	dc->ramdisk = dc->kernel;
	dc->kernel = kernel;
	free(dc->cmdline);
	dc->cmdline = cmdline;
	dc->pvshim = true;
	return 0;
}
