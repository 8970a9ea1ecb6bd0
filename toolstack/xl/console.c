// SPDX-License-Identifier: GPL-2.0
/*
 * xl console, and create -c: attaches the terminal to the domain's console socket
 * (RUN_DIR/domains/DOMID/console.sock, served by xenkvm --console-socket), as Xen's
 * xenconsole attaches to xenconsoled's pty. The terminal is raw while attached; ^]
 * detaches, as in xl. Without a terminal, input is passed on until its end and output
 * until the domain's console closes (the VMM exited).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "toolstack/xl/xl.h"

#define ESCAPE_CHAR 0x1d /* ^] */

static int connect_console(const struct rundir *rd, unsigned domid)
{
	char path[600];

	rundir_domain_path(rd, domid, "console.sock", path, sizeof(path));
	return xl_connect_unix(path);
}

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* Keyboard to console; false once ^] was typed (what came before it is sent). */
static bool from_terminal(int sock, bool *in_open)
{
	char buf[256], *esc;
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	if (n <= 0) {
		*in_open = n < 0 && errno == EINTR;
		return true;
	}
	esc = memchr(buf, ESCAPE_CHAR, (size_t)n);
	write_all(sock, buf, esc ? (size_t)(esc - buf) : (size_t)n);
	return !esc;
}

static void relay(int sock)
{
	bool in_open = true;

	for (;;) {
		struct pollfd p[2] = { { .fd = sock, .events = POLLIN },
				       { .fd = in_open ? STDIN_FILENO : -1, .events = POLLIN } };
		char buf[4096];
		ssize_t n;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (p[1].revents && !from_terminal(sock, &in_open))
			return;
		if (!p[0].revents)
			continue;
		n = read(sock, buf, sizeof(buf));
		if (n <= 0 && !(n < 0 && errno == EINTR))
			return; /* the VMM closed the console: the domain is gone */
		if (n > 0 && !write_all(STDOUT_FILENO, buf, (size_t)n))
			return;
	}
}

int xl_console_attach(const struct rundir *rd, unsigned domid, bool unpause)
{
	struct termios saved, raw;
	bool tty = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved);
	int sock = connect_console(rd, domid);

	if (sock < 0) {
		fprintf(stderr, "xl: domain %u: cannot attach to its console: %s\n", domid,
			strerror(-sock));
		return EXIT_FAILURE;
	}
	/* create -c: the domain was started paused so that no output is missed. */
	if (unpause) {
		char reply[256];

		if (xl_control(rd, domid, "\"cmd\":\"unpause\"", reply, sizeof(reply)))
			fprintf(stderr, "xl: domain %u: unpause failed\n", domid);
	}
	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	relay(sock);
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	close(sock);
	return EXIT_SUCCESS;
}

int xl_console(int argc, char **argv)
{
	struct rundir rd;
	int opt, d;

	while ((opt = xl_getopt(argc, argv, "n:t:", NULL, "console", 1)) != -1) {
		if (opt == 't' && strcmp(optarg, "pv")) {
			/* xenkvm's PVH guests have the PV console only (no emulated serial). */
			fprintf(stderr, "console type %s is not available (only pv)\n", optarg);
			return EXIT_FAILURE;
		}
		if (opt == 'n' && strcmp(optarg, "0")) {
			fprintf(stderr, "console number %s is not available (only 0)\n", optarg);
			return EXIT_FAILURE;
		}
	}
	if (!xl_open_rundir(&rd))
		return EXIT_FAILURE;
	d = xl_find_domain(&rd, argv[optind]);
	if (d < 0)
		return EXIT_FAILURE;
	if (d == 0) {
		fprintf(stderr, "xl: domain 0 is the host: its console is this terminal\n");
		return EXIT_FAILURE;
	}
	return xl_console_attach(&rd, (unsigned)d, false);
}
