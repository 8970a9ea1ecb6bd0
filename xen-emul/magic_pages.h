/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the VMM places the pages a toolstack gives a domain before it boots (the xenstore
 * ring, the PV console ring): in the reserved range below 4 GiB that the guest's memory
 * map marks reserved, as Xen's special pages of an HVM guest are, and below the pages
 * KVM itself uses there (TSS and identity map at 0xfeffc000). The guest learns them from
 * HVM_PARAM_STORE_PFN and HVM_PARAM_CONSOLE_PFN.
 */
#ifndef XENKVM_XEN_EMUL_MAGIC_PAGES_H
#define XENKVM_XEN_EMUL_MAGIC_PAGES_H

/* The range the VM gives a memory slot at creation: [0xfeff0000, 0xfeffc000). */
#define XEN_MAGIC_FIRST_GFN 0xfeff0ULL
#define XEN_MAGIC_NR_PAGES 12

#define XEN_MAGIC_STORE_GFN (XEN_MAGIC_FIRST_GFN + 0)
#define XEN_MAGIC_CONSOLE_GFN (XEN_MAGIC_FIRST_GFN + 1)

#endif
