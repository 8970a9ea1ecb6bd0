// SPDX-License-Identifier: GPL-2.0
/*
 * xl pause, unpause: through the domain's control socket (docs/CONTROL.md). Pauses
 * nest as on Xen (domain_pause_by_systemcontroller): each pause needs its unpause, and
 * unpausing a domain that is not paused is an error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "toolstack/xl/xl.h"

int xl_pause(int argc, char **argv)
{
	char reply[1024];

	while (xl_getopt(argc, argv, "", NULL, "pause", 1) != -1)
		;
	return xl_domain_control("pause", "paused", argc, argv, reply, sizeof(reply)) < 0 ?
		       EXIT_FAILURE :
		       EXIT_SUCCESS;
}

int xl_unpause(int argc, char **argv)
{
	char reply[1024];

	while (xl_getopt(argc, argv, "", NULL, "unpause", 1) != -1)
		;
	return xl_domain_control("unpause", "unpaused", argc, argv, reply, sizeof(reply)) < 0 ?
		       EXIT_FAILURE :
		       EXIT_SUCCESS;
}
