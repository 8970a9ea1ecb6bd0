#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A Debian Linux instance through xenkvm-api with boto3 (run by tests/real/api-linux,
which passes API_ENDPOINT, API_KEY, API_SECRET, KERNEL, RAMDISK, KERNEL_RELEASE,
BOOT_TIMEOUT, BUDGET, XL and XENKVM_RUN_DIR in the environment).

Expectations come from EC2's API reference (states 16 running, 32 shutting-down,
48 terminated, 64 stopping, 80 stopped; a stop answered with "stopping"; console output
base64) and from what Linux does: its banner "Linux version RELEASE" opens its console,
and drivers/xen/manage.c answers control/shutdown = poweroff by running /sbin/poweroff,
which the initramfs's init reports as "FACT toolstack-end: poweroff"."""
import os
import subprocess
import sys
import time

import boto3
from botocore.config import Config

PASS = FAIL = SKIP = 0
T0 = time.monotonic()


def result(name, ok, why=""):
    global PASS, FAIL
    if ok:
        PASS += 1
        print(f"real api-{name}: SUCCESS", flush=True)
    else:
        FAIL += 1
        print(f"real api-{name}: FAILURE ({why})", flush=True)


def skip(names, why):
    global SKIP
    for n in names:
        SKIP += 1
        print(f"real api-{n}: SKIP ({why})", flush=True)


def finish():
    print(f"{PASS} passed, {FAIL} failed, {SKIP} skipped")
    sys.exit(0)


def elapsed():
    return time.monotonic() - T0


def until(fn, seconds, step=0.5):
    """fn() every step seconds until it is true, within seconds (a bound, not a timing)."""
    end = time.monotonic() + seconds
    while True:
        if fn():
            return True
        if time.monotonic() >= end:
            return False
        time.sleep(step)


def xl_names():
    out = subprocess.run([os.environ["XL"], "list"], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines()[1:] if line.split()}


def main():
    # A Linux shutdown under TCG takes seconds: the SDK's own read timeout (60 s) must
    # not be what decides, and a retry would send the same change twice.
    ec2 = boto3.client("ec2", endpoint_url=os.environ["API_ENDPOINT"], region_name="us-east-1",
                       aws_access_key_id=os.environ["API_KEY"],
                       aws_secret_access_key=os.environ["API_SECRET"],
                       config=Config(retries={"total_max_attempts": 1, "mode": "standard"},
                                     read_timeout=120))
    budget, boot_timeout = int(os.environ["BUDGET"]), int(os.environ["BOOT_TIMEOUT"])
    release = os.environ["KERNEL_RELEASE"]

    def described(iid):
        return ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]

    def console(iid):
        # botocore decodes EC2's base64 Output itself (its GetConsoleOutput handler).
        return ec2.get_console_output(InstanceId=iid).get("Output", "").replace("\r", "")

    ami = ec2.register_image(Name=f"debian-{release}", KernelId=os.environ["KERNEL"],
                             RamdiskId=os.environ["RAMDISK"],
                             VirtualizationType="hvm")["ImageId"]
    # loglevel=6 keeps Linux's notices (its banner among them) and drops its info lines,
    # so that the whole boot fits in the console's last 64 KiB.
    ec2.create_tags(Resources=[ami], Tags=[{
        "Key": "xenkvm:cmdline", "Value": "console=hvc0 loglevel=6 panic=0 real.end=wait"}])
    r = ec2.run_instances(ImageId=ami, InstanceType="xk.linux", MinCount=1, MaxCount=1)
    i = r["Instances"][0]
    iid = i["InstanceId"]
    result("run", i["State"]["Name"] == "running" and i["Hypervisor"] == "xen"
           and iid in xl_names(), f"{i['State']} {i.get('Hypervisor')} {xl_names()}")

    t = time.monotonic()
    left = min(boot_timeout, budget - elapsed() - 60)
    booted = left > 0 and until(lambda: "real-init: tick 1\n" in console(iid), left, 1)
    out = console(iid)
    if not booted:
        if elapsed() + 60 >= budget:
            skip(["console", "stop", "terminate"],
                 f"time budget: Linux not up after {elapsed():.0f} s of {budget} s")
        else:
            result("console", False, f"no tick of init after {left:.0f} s: {out[-300:]!r}")
        finish()  # api-linux destroys what is left
    print(f"api-linux: RunInstances to init's first tick: {time.monotonic() - t:.0f} s",
          flush=True)
    result("console", f"Linux version {release}" in out and "FACT hypervisor-type: xen" in out
           and "FACT userspace: reached" in out, repr(out[:200]) + " ... " + repr(out[-200:]))

    s = ec2.stop_instances(InstanceIds=[iid])["StoppingInstances"][0]
    seen = []

    def stopped():
        name = described(iid)["State"]["Name"]
        if not seen or seen[-1] != name:
            seen.append(name)
        return name == "stopped"

    ended = until(stopped, 240, 0.2)
    d = described(iid)
    kept = console(iid)
    why = []
    if s["CurrentState"] != {"Code": 64, "Name": "stopping"}:
        why.append(f"StopInstances answered {s['CurrentState']}")
    if not ended or seen != ["stopping", "stopped"]:
        why.append(f"states seen {seen}")
    if d.get("StateReason", {}).get("Code") != "Client.UserInitiatedShutdown":
        why.append(f"stateReason {d.get('StateReason')}")
    if "FACT toolstack-end: poweroff" not in kept:
        why.append(f"Linux was not asked to power off: {kept[-300:]!r}")
    if iid in xl_names():
        why.append("the domain is still in xl list")
    result("stop", not why, "; ".join(why))

    t = ec2.terminate_instances(InstanceIds=[iid])["TerminatingInstances"][0]
    gone = until(lambda: described(iid)["State"]["Name"] == "terminated", 60, 0.2)
    result("terminate", t["CurrentState"]["Name"] == "shutting-down" and gone
           and iid not in xl_names(), f"{t['CurrentState']} {described(iid)['State']}")
    print(f"api-linux: {elapsed():.0f} s in all", flush=True)
    finish()


if __name__ == "__main__":
    main()
