// SPDX-License-Identifier: GPL-2.0
/*
 * Which xl.cfg keys (Xen's xl.cfg(5)) xenkvm acts on. xl itself ignores keys it does
 * not know; we never do so silently: a key that would change what the guest gets
 * (devices, passthrough) is refused, one that cannot matter to a
 * xenkvm PVH guest (display, emulated-device and scheduler tuning) is warned about.
 */
#include <errno.h>
#include <string.h>

#include "toolstack/cfg/keys.h"

#define IMPL(n)                          \
	{                                \
		n, KEY_IMPLEMENTED, NULL \
	}
#define PARSED(n, w)             \
	{                        \
		n, KEY_PARSED, w \
	}
#define IGN(n, w)                 \
	{                         \
		n, KEY_IGNORED, w \
	}
#define REF(n, w)                 \
	{                         \
		n, KEY_REFUSED, w \
	}

static const char display[] = "no emulated display or input on xenkvm";
static const char hvmonly[] = "an HVM/device-model setting; xenkvm runs PVH guests";
static const char sched[] = "scheduler and pool tuning is left to the host's Linux scheduler";
static const char nodev[] = "this device type is not implemented by xenkvm";

static const struct key_info table[] = {
	IMPL("name"),
	IMPL("uuid"),
	IMPL("type"),
	IMPL("builder"),
	IMPL("kernel"),
	IMPL("ramdisk"),
	IMPL("cmdline"),
	IMPL("extra"),
	IMPL("root"),
	IMPL("memory"),
	IMPL("maxmem"),
	IMPL("vcpus"),
	IMPL("maxvcpus"),
	IMPL("cpus"),
	IMPL("on_poweroff"),
	IMPL("on_reboot"),
	IMPL("on_crash"),
	IMPL("on_watchdog"),
	IMPL("serial"),
	IMPL("xen_version"),
	PARSED("disk", "parsed and validated; block backends are not attached yet"),
	PARSED("vif", "parsed and validated; network backends are not attached yet"),
	IGN("on_soft_reset", "soft reset ends the domain on xenkvm"),
	IGN("cpus_soft", sched),
	IGN("cpu_weight", sched),
	IGN("cap", sched),
	IGN("pool", sched),
	IGN("migration_channel", sched),
	IGN("claim_mode", sched),
	IGN("max_grant_frames", "xenkvm's --max-grant-frames default applies"),
	IGN("max_maptrack_frames", "no maptrack limit on xenkvm"),
	IGN("max_grant_version", "xenkvm offers grant table v1"),
	IGN("hap", "KVM always uses the host's two-dimensional paging"),
	IGN("oos", sched),
	IGN("acpi", hvmonly),
	IGN("apic", hvmonly),
	IGN("pae", hvmonly),
	IGN("hpet", hvmonly),
	IGN("localtime", hvmonly),
	IGN("rtc_timeoffset", hvmonly),
	IGN("boot", hvmonly),
	IGN("stdvga", hvmonly),
	IGN("videoram", hvmonly),
	IGN("vga", hvmonly),
	IGN("device_model_version", hvmonly),
	IGN("device_model_override", hvmonly),
	IGN("device_model_args", hvmonly),
	IGN("nestedhvm", hvmonly),
	IGN("viridian", hvmonly),
	IGN("timer_mode", hvmonly),
	IGN("tsc_mode", "KVM's TSC is what the guest sees"),
	IGN("vnc", display),
	IGN("vnclisten", display),
	IGN("vncdisplay", display),
	IGN("vncunused", display),
	IGN("vncpasswd", display),
	IGN("sdl", display),
	IGN("opengl", display),
	IGN("keymap", display),
	IGN("vfb", display),
	IGN("vkb", display),
	IGN("nographic", display),
	IGN("usb", display),
	IGN("usbdevice", display),
	IGN("xen_platform_pci", hvmonly),
	IGN("seclabel", "no XSM/FLASK on xenkvm"),
	IGN("vif2", "netchannel2 is deprecated and not supported by xl either"),
	IGN("driver_domain", "xenkvm domains are never driver domains"),
	IGN("e820_host", "a PV-only setting"),
	IMPL("bootloader"),
	IMPL("bootloader_args"),
	IMPL("bootargs"),
	IMPL("pvshim"),
	IMPL("pvshim_path"),
	IMPL("pvshim_cmdline"),
	IMPL("pvshim_extra"),
	REF("pci", "PCI passthrough is not supported by xenkvm"),
	REF("dtdev", "device-tree passthrough is not supported by xenkvm"),
	REF("iomem", "I/O memory passthrough is not supported by xenkvm"),
	REF("ioports", "I/O port passthrough is not supported by xenkvm"),
	REF("irqs", "interrupt passthrough is not supported by xenkvm"),
	REF("vtpm", nodev),
	REF("p9", nodev),
	REF("pvcalls", nodev),
	REF("vdispl", nodev),
	REF("vsnd", nodev),
	REF("channel", nodev),
	REF("usbctrl", nodev),
	REF("usbdev", nodev),
	REF("vnuma", "virtual NUMA is not supported by xenkvm"),
	REF("device_tree", "an Arm-only setting"),
	REF("firmware", "xenkvm boots PVH kernels directly, without firmware"),
};

struct key_info keys_lookup(const char *key)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++)
		if (!strcmp(table[i].name, key))
			return table[i];
	return (struct key_info){ NULL, KEY_UNKNOWN, NULL };
}

int keys_check(const struct cfg_file *cf, struct cfg_error *err, FILE *warn)
{
	for (const struct cfg_setting *s = cf->head; s; s = s->next) {
		struct key_info k = keys_lookup(s->key);

		if (cfg_find(cf, s->key) != s)
			continue; /* a later assignment overrides this one */
		switch (k.status) {
		case KEY_REFUSED:
			cfg_error_set(err, s->source, s->line, s->col, s->key, "%s", k.why);
			return -EINVAL;
		case KEY_IGNORED:
			if (warn)
				fprintf(warn, "%s:%d: warning: key `%s' ignored: %s\n", s->source,
					s->line, s->key, k.why);
			break;
		case KEY_PARSED:
			if (warn)
				fprintf(warn, "%s:%d: warning: key `%s' %s\n", s->source, s->line,
					s->key, k.why);
			break;
		case KEY_UNKNOWN:
			if (warn)
				fprintf(warn,
					"%s:%d: warning: unknown key `%s' ignored (not an "
					"xl.cfg key xenkvm knows)\n",
					s->source, s->line, s->key);
			break;
		case KEY_IMPLEMENTED:
			break;
		}
	}
	return 0;
}
