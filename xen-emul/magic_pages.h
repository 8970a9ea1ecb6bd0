/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the VMM places the pages a toolstack gives a domain before it boots (the xenstore
 * ring, the PV console ring): where libxc's HVM domain builder puts its special pages,
 * the 8 pages below gfn 0xff000, which libxl's PVH memory map reports reserved. In
 * libxc's order: paging, access and sharing rings, buffered ioreq, xenstore, ioreq, the
 * identity page table, console (real Xen 4.17 gave a PVH domU xenstore 0xfeffc and
 * console 0xfefff; make check-oracle). The guest learns them from HVM_PARAM_STORE_PFN
 * and HVM_PARAM_CONSOLE_PFN. KVM's own pages sit below them (vmm/vm.c).
 */
#ifndef XENKVM_XEN_EMUL_MAGIC_PAGES_H
#define XENKVM_XEN_EMUL_MAGIC_PAGES_H

/* The range the VM gives a memory slot at creation: [0xfeff8000, 0xff000000). */
#define XEN_MAGIC_FIRST_GFN 0xfeff8ULL
#define XEN_MAGIC_NR_PAGES 8

#define XEN_MAGIC_STORE_GFN (XEN_MAGIC_FIRST_GFN + 4)
#define XEN_MAGIC_CONSOLE_GFN (XEN_MAGIC_FIRST_GFN + 7)

#endif
