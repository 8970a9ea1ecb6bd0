/* SPDX-License-Identifier: GPL-2.0 */
/* The test-only echo device (echo_test.c; docs/VMM-INTERFACE.md, "Test devices"). */
#ifndef XENKVM_DRIVERS_PV_ECHO_TEST_H
#define XENKVM_DRIVERS_PV_ECHO_TEST_H

#define ECHO_TEST_TYPE "xenkvm-echo"
#define ECHO_TEST_DEVID 0

#endif
