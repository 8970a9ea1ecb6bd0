/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run directory: what the toolstack knows about running domains, shared by every
 * xl invocation (and later xenkvm-api). Layout under RUN_DIR (XENKVM_RUN_DIR or
 * --run-dir, default /run/xenkvm):
 *   lock               flock()ed while a domain is created or destroyed
 *   domains/DOMID/     one directory per domain:
 *     record           key=value lines (name, uuid, memory_kb, vcpus, pid, ...)
 *     xenkvm.log       the VMM's messages
 *     console.log      the guest's console
 *     status           the VMM's exit status once it ended (written by the monitor)
 */
#ifndef XENKVM_TOOLSTACK_DOMAINS_RUNDIR_H
#define XENKVM_TOOLSTACK_DOMAINS_RUNDIR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define DOMID_FIRST 1
#define DOMID_LAST 32751 /* DOMID_FIRST_RESERVED - 1 */

struct dom_record {
	unsigned domid;
	char name[128];
	char uuid[37];
	uint64_t memory_kb, max_memory_kb;
	unsigned vcpus;
	pid_t pid; /* the xenkvm process; 0 while it is being started */
	pid_t monitor; /* the process waiting for it */
	long long start_time; /* seconds since the epoch */
	int exit_status; /* -1 while running */
};

struct rundir {
	char path[512];
	int lock_fd;
};

/* The directory from the flag, XENKVM_RUN_DIR, or /run/xenkvm; created 0700. */
int rundir_open(struct rundir *rd, const char *flag_path);
void rundir_close(struct rundir *rd);
/* Serialises creates and destroys (flock on RUN_DIR/lock). */
int rundir_lock(struct rundir *rd);
void rundir_unlock(struct rundir *rd);

/* Under the lock: the lowest free domid (no directory), its directory made. */
int rundir_alloc_domid(struct rundir *rd, unsigned *domid);
int rundir_domain_path(const struct rundir *rd, unsigned domid, const char *file, char *buf,
		       size_t size);
int rundir_write_record(const struct rundir *rd, const struct dom_record *r);
int rundir_read_record(const struct rundir *rd, unsigned domid, struct dom_record *r);
/* Removes the domain's directory and every file in it. */
int rundir_remove_domain(const struct rundir *rd, unsigned domid);
/* Domids with a directory, ascending; *n entries, the array malloc'd. */
int rundir_list(const struct rundir *rd, unsigned **domids, size_t *n);
/* The domid whose record has this name, or -ENOENT. */
int rundir_find_name(const struct rundir *rd, const char *name, unsigned *domid);

/* Whether pid still runs the xenkvm recorded (not a zombie, not reused). */
bool rundir_pid_alive(pid_t pid);
/* The same for a process whose command name is comm (the monitor is "xl"). */
bool rundir_proc_alive(pid_t pid, const char *comm);

/* mkdir -p: parents 0755, the last directory 0700; -errno. */
int rundir_mkdirs(const char *path);

#endif
