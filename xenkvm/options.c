// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "vmm/console.h"
#include "xen-emul/gnttab/grant_table.h"
#include "xen-emul/xen.h"
#include "xenkvm/options.h"

#define MAX_MEMORY_MIB (1ULL << 20) /* 1 TiB */
#define XEN_MAX_DOMID 0x7fef /* DOMID_FIRST_RESERVED - 1 */
#define XEN_NAME_MAX 64

static const char usage_text[] =
	"Usage: xenkvm --kernel FILE [OPTION]...\n"
	"Boot a PVH guest built for Xen on KVM, emulating the Xen guest ABI.\n"
	"\n"
	"  -k, --kernel FILE          PVH ELF image (ELF32 or ELF64 with the Xen note\n"
	"                             XEN_ELFNOTE_PHYS32_ENTRY), or a Linux bzImage whose\n"
	"                             payload is such an ELF (raw, gzip, xz or zstd); required\n"
	"  -m, --module FILE[,CMDLINE] boot module (initrd...), repeatable up to 16 times\n"
	"  -c, --cmdline STR          kernel command line\n"
	"  -M, --memory MIB           guest RAM in MiB (default 128)\n"
	"  -n, --vcpus N              number of vCPUs (default 1)\n"
	"  -x, --xen-version MAJ.MIN  Xen version to report (default 4.17)\n"
	"      --name NAME            domain name (default \"domU\")\n"
	"      --domid N              domain id, 1..32751 (default 1)\n"
	"      --uuid UUID            domain handle (default: random)\n"
	"      --xen-accel user|kvm   the Xen transport: user (hypercall page with port-I/O\n"
	"                             stubs, works on every KVM) or kvm (KVM's in-kernel Xen\n"
	"                             support, KVM_CAP_XEN_HVM; catches vmcall/vmmcall);\n"
	"                             default: kvm when this KVM has it, else user\n"
	"      --max-grant-frames N   grant-table frames the guest may use, 1..1024\n"
	"      --xenstore-socket PATH introduce the domain to the xenstored at PATH (an error\n"
	"                             if that fails; default: XENSTORED_PATH or\n"
	"                             /run/xenstored/socket when it exists)\n"
	"      --no-xenstore          run without xenstore\n"
	"      --control-socket PATH  answer control requests on a Unix socket at PATH\n"
	"                             (mode 0600; docs/CONTROL.md)\n"
	"      --paused               start with every vCPU paused, until the control\n"
	"                             socket's unpause (xl create -p)\n"
	"      --console-socket PATH  also serve the console on a Unix socket at PATH (mode\n"
	"                             0600; output to every client, client input as console\n"
	"                             input; what xl console attaches to)\n"
	"      --disk SPEC            a PV disk (vbd), in xl's disk syntax\n"
	"                             (xl-disk-configuration(5)); repeatable up to 16 times;\n"
	"                             needs xenstore\n"
	"      --vif SPEC             a PV network interface, in xl's vif syntax\n"
	"                             (xl-network-configuration(5)) plus hostnet=tap (a tap\n"
	"                             on the bridge, the default) or hostnet=loopback (no\n"
	"                             host network: frames come back); repeatable up to 16\n"
	"                             times; needs xenstore\n"
	"      --console-input FILE   queue FILE's bytes as console input (PV console, UART)\n"
	"                             (default 64, as Xen)\n"
	"      --test-devices         add the test-only devices (grant probe at ports\n"
	"                             0x5c0-0x5cf); for the project's test guests\n"
	"      --console FILE         guest console output to FILE (default: stdout)\n"
	"      --console-rate BYTES   guest output allowed a second, the rest dropped and\n"
	"                             counted (K, M suffixes; 0: no limit; default 64K)\n"
	"      --console-burst BYTES  guest output allowed at once (default 1M)\n"
	"      --console-max-size BYTES  rotate a regular-file --console FILE to\n"
	"                             FILE.1 when it would grow past this (min 64K;\n"
	"                             0: never; default 1M; devices never rotate)\n"
	"  -l, --log FILE             VMM messages to FILE (default: stderr)\n"
	"  -v, --verbose              more VMM messages (twice: debug)\n"
	"      --stats                log hypercall counts when the guest stops\n"
	"  -h, --help                 this help\n"
	"  -V, --version              version information\n"
	"\n"
	"Exit status: 0 poweroff, 1 VMM error, 2 bad invocation, 4 reboot, 6 suspend,\n"
	"8 crash, 10 watchdog, 12 soft reset, odd N: guest wrote (N-1)/2 to port 0xf4,\n"
	"128+S: stopped by signal S. See docs/VMM-INTERFACE.md.\n";

enum {
	OPT_NAME = 256,
	OPT_DOMID,
	OPT_UUID,
	OPT_CONSOLE,
	OPT_STATS,
	OPT_MAX_GRANT_FRAMES,
	OPT_TEST_DEVICES,
	OPT_XENSTORE_SOCKET,
	OPT_NO_XENSTORE,
	OPT_PAUSED,
	OPT_CONSOLE_SOCKET,
	OPT_CONSOLE_INPUT,
	OPT_XEN_ACCEL,
	OPT_CONTROL_SOCKET,
	OPT_DISK,
	OPT_VIF,
	OPT_CONSOLE_RATE,
	OPT_CONSOLE_BURST,
	OPT_CONSOLE_MAX_SIZE,
};

static const struct option long_opts[] = {
	{ "kernel", required_argument, NULL, 'k' },
	{ "module", required_argument, NULL, 'm' },
	{ "cmdline", required_argument, NULL, 'c' },
	{ "memory", required_argument, NULL, 'M' },
	{ "vcpus", required_argument, NULL, 'n' },
	{ "xen-version", required_argument, NULL, 'x' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "domid", required_argument, NULL, OPT_DOMID },
	{ "uuid", required_argument, NULL, OPT_UUID },
	{ "console", required_argument, NULL, OPT_CONSOLE },
	{ "log", required_argument, NULL, 'l' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "max-grant-frames", required_argument, NULL, OPT_MAX_GRANT_FRAMES },
	{ "test-devices", no_argument, NULL, OPT_TEST_DEVICES },
	{ "xenstore-socket", required_argument, NULL, OPT_XENSTORE_SOCKET },
	{ "no-xenstore", no_argument, NULL, OPT_NO_XENSTORE },
	{ "paused", no_argument, NULL, OPT_PAUSED },
	{ "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
	{ "console-input", required_argument, NULL, OPT_CONSOLE_INPUT },
	{ "disk", required_argument, NULL, OPT_DISK },
	{ "vif", required_argument, NULL, OPT_VIF },
	{ "xen-accel", required_argument, NULL, OPT_XEN_ACCEL },
	{ "control-socket", required_argument, NULL, OPT_CONTROL_SOCKET },
	{ "console-rate", required_argument, NULL, OPT_CONSOLE_RATE },
	{ "console-burst", required_argument, NULL, OPT_CONSOLE_BURST },
	{ "console-max-size", required_argument, NULL, OPT_CONSOLE_MAX_SIZE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int bad(const char *opt, const char *val, const char *why)
{
	fprintf(stderr, "xenkvm: error: --%s '%s': %s (see xenkvm --help)\n", opt, val, why);
	return -EINVAL;
}

static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	uint64_t v;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* A byte count with an optional K, M or G suffix (powers of 1024), at most 1 TiB. */
static int parse_size(const char *s, uint64_t min, uint64_t *out)
{
	static const char suffixes[] = "KMG";
	char num[32];
	size_t len = strlen(s);
	const char *suffix;
	unsigned int shift = 0;

	if (!len || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, len + 1);
	suffix = strchr(suffixes, s[len - 1]);
	if (s[len - 1] && suffix) {
		shift = 10 * (unsigned int)(suffix - suffixes + 1);
		num[len - 1] = '\0';
	}
	if (parse_u64(num, 0, 1ULL << (40 - shift), out))
		return -EINVAL;
	*out <<= shift;
	if (*out && *out < min)
		return -EINVAL;
	return 0;
}

static int parse_version(const char *s, struct options *o)
{
	unsigned int major, minor;
	int used = 0;

	if (sscanf(s, "%5u.%5u%n", &major, &minor, &used) != 2 || s[used] || major > 0xffff ||
	    minor > 0xffff || !strchr("0123456789", s[0]))
		return -EINVAL;
	o->version_major = (uint16_t)major;
	o->version_minor = (uint16_t)minor;
	return 0;
}

static int parse_uuid(const char *s, uint8_t *out)
{
	unsigned int n = 0;

	for (const char *p = s; *p; p++) {
		unsigned int hi, lo;

		if (*p == '-' && (n == 4 || n == 6 || n == 8 || n == 10))
			continue;
		if (n == 16 || sscanf(p, "%1x%1x", &hi, &lo) != 2)
			return -EINVAL;
		out[n++] = (uint8_t)(hi << 4 | lo);
		p++;
	}
	return n == 16 ? 0 : -EINVAL;
}

static int parse_name(const char *s)
{
	size_t len = strlen(s);

	if (!len || len >= XEN_NAME_MAX)
		return -EINVAL;
	for (const char *p = s; *p; p++)
		if (*p < 0x21 || *p > 0x7e || *p == '/')
			return -EINVAL;
	return 0;
}

static int add_module(char *arg, struct options *o)
{
	char *comma = strchr(arg, ',');

	if (o->nr_modules == BOOT_MAX_MODULES)
		return bad("module", arg, "at most 16 modules");
	if (comma)
		*comma = '\0';
	if (!*arg)
		return bad("module", arg, "empty file name");
	o->modules[o->nr_modules].path = arg;
	o->modules[o->nr_modules].cmdline = comma ? comma + 1 : NULL;
	o->nr_modules++;
	return 0;
}

static void set_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->memory_mib = 128;
	o->vcpus = 1;
	o->version_major = 4;
	o->version_minor = 17;
	o->name = "domU";
	o->domid = 1;
	o->max_grant_frames = XEN_GNTTAB_DEFAULT_MAX_FRAMES;
	o->console_limits = (struct console_limits){ CONSOLE_DEFAULT_RATE, CONSOLE_DEFAULT_BURST,
						     CONSOLE_DEFAULT_MAX_SIZE };
}

static int add_disk(const char *arg, struct options *o)
{
	char msg[160] = "";

	if (o->nr_disks == XENKVM_MAX_DISKS)
		return bad("disk", arg, "at most 16 disks");
	if (domcfg_parse_disk(arg, &o->disks[o->nr_disks], msg, sizeof(msg)))
		return bad("disk", arg, *msg ? msg : "bad disk specification");
	o->nr_disks++;
	return 0;
}

static int add_vif(const char *arg, struct options *o)
{
	char msg[160] = "";

	if (o->nr_vifs == XENKVM_MAX_VIFS)
		return bad("vif", arg, "at most 16 network interfaces");
	/* xl numbers a domain's vifs from 0 in the order given. */
	if (domcfg_parse_vif(arg, (int)o->nr_vifs, &o->vifs[o->nr_vifs], msg, sizeof(msg)))
		return bad("vif", arg, *msg ? msg : "bad vif specification");
	o->nr_vifs++;
	return 0;
}

static int parse_one(int c, char *arg, struct options *o)
{
	uint64_t v;

	switch (c) {
	case 'k':
		o->kernel = arg;
		return 0;
	case 'm':
		return add_module(arg, o);
	case 'c':
		if (strlen(arg) >= BOOT_MAX_CMDLINE)
			return bad("cmdline", "...", "longer than 4095 bytes");
		o->cmdline = arg;
		return 0;
	case 'M':
		if (parse_u64(arg, 2, MAX_MEMORY_MIB, &v))
			return bad("memory", arg, "expected MiB from 2 to 1048576");
		o->memory_mib = v;
		return 0;
	case 'n':
		if (parse_u64(arg, 1, 128, &v))
			return bad("vcpus", arg, "expected a number from 1 to 128");
		o->vcpus = (unsigned int)v;
		return 0;
	case 'x':
		return parse_version(arg, o) ? bad("xen-version", arg, "expected MAJOR.MINOR") : 0;
	case OPT_NAME:
		if (parse_name(arg))
			return bad("name", arg, "1 to 63 printable characters, no '/' or space");
		o->name = arg;
		return 0;
	case OPT_DOMID:
		if (parse_u64(arg, 1, XEN_MAX_DOMID, &v))
			return bad("domid", arg, "expected a domain id from 1 to 32751");
		o->domid = (uint16_t)v;
		return 0;
	case OPT_UUID:
		if (parse_uuid(arg, o->uuid))
			return bad("uuid", arg, "expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
		o->have_uuid = true;
		return 0;
	case OPT_CONSOLE:
		o->console_path = arg;
		return 0;
	case OPT_CONTROL_SOCKET:
		o->control_path = arg;
		return 0;
	case OPT_CONSOLE_RATE:
		if (parse_size(arg, 0, &o->console_limits.rate))
			return bad("console-rate", arg,
				   "expected bytes a second (K, M, G suffixes)");
		return 0;
	case OPT_CONSOLE_BURST:
		if (parse_size(arg, 1, &o->console_limits.burst) || !o->console_limits.burst)
			return bad("console-burst", arg, "expected bytes, at least 1");
		return 0;
	case OPT_CONSOLE_MAX_SIZE:
		if (parse_size(arg, CONSOLE_MIN_MAX_SIZE, &o->console_limits.max_size))
			return bad("console-max-size", arg, "expected 0 or bytes from 64K up");
		return 0;
	case 'l':
		o->log_path = arg;
		return 0;
	case 'v':
		o->verbosity++;
		return 0;
	case OPT_STATS:
		o->stats = true;
		return 0;
	case OPT_MAX_GRANT_FRAMES:
		if (parse_u64(arg, 1, XEN_GNTTAB_MAX_FRAMES_LIMIT, &v))
			return bad("max-grant-frames", arg, "expected a number from 1 to 1024");
		o->max_grant_frames = (unsigned int)v;
		return 0;
	case OPT_XENSTORE_SOCKET:
		if (!*arg)
			return bad("xenstore-socket", arg, "empty path");
		o->xenstore_socket = arg;
		return 0;
	case OPT_PAUSED:
		o->paused = true;
		return 0;
	case OPT_CONSOLE_SOCKET:
		if (!*arg)
			return bad("console-socket", arg, "empty path");
		o->console_socket = arg;
		return 0;
	case OPT_NO_XENSTORE:
		o->no_xenstore = true;
		return 0;
	case OPT_CONSOLE_INPUT:
		o->console_input = arg;
		return 0;
	case OPT_DISK:
		return add_disk(arg, o);
	case OPT_VIF:
		return add_vif(arg, o);
	case OPT_XEN_ACCEL:
		if (!strcmp(arg, "user"))
			o->xen_accel = XEN_ACCEL_USER;
		else if (!strcmp(arg, "kvm"))
			o->xen_accel = XEN_ACCEL_KVM;
		else
			return bad("xen-accel", arg, "expected user or kvm");
		return 0;
	case OPT_TEST_DEVICES:
		o->test_devices = true;
		return 0;
	default:
		fprintf(stderr, "xenkvm: error: bad option (see xenkvm --help)\n");
		return -EINVAL;
	}
}

/* A random version-4 UUID, as xl gives a domain that has none in its config. */
static void random_uuid(uint8_t *u)
{
	if (getrandom(u, 16, 0) != 16)
		memset(u, 0, 16);
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
}

int options_parse(int argc, char **argv, struct options *o)
{
	int c;

	set_defaults(o);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":k:m:c:M:n:x:l:vhV", long_opts, NULL)) != -1) {
		int rc;

		if (c == 'h') {
			fputs(usage_text, stdout);
			return 1;
		}
		if (c == 'V') {
			printf("xenkvm 0.1 (Xen ABI %u.%u by default)\n", 4, 17);
			return 1;
		}
		if (c == ':' || c == '?') {
			fprintf(stderr, "xenkvm: error: %s '%s' (see xenkvm --help)\n",
				c == ':' ? "missing value for option" : "unknown option",
				argv[optind - 1]);
			return -EINVAL;
		}
		rc = parse_one(c, optarg, o);
		if (rc)
			return rc;
	}
	if (optind < argc) {
		fprintf(stderr, "xenkvm: error: unexpected argument '%s' (see xenkvm --help)\n",
			argv[optind]);
		return -EINVAL;
	}
	if (!o->kernel) {
		fprintf(stderr, "xenkvm: error: --kernel FILE is required (see xenkvm --help)\n");
		return -EINVAL;
	}
	if (o->no_xenstore && (o->nr_disks || o->nr_vifs)) {
		fprintf(stderr, "xenkvm: error: --disk and --vif need xenstore, not --no-xenstore "
				"(see xenkvm --help)\n");
		return -EINVAL;
	}
	if (!o->have_uuid)
		random_uuid(o->uuid);
	return 0;
}

void options_free(struct options *o)
{
	for (unsigned int i = 0; i < o->nr_disks; i++)
		domcfg_disk_free(&o->disks[i]);
	for (unsigned int i = 0; i < o->nr_vifs; i++)
		domcfg_vif_free(&o->vifs[i]);
	o->nr_disks = o->nr_vifs = 0;
}
