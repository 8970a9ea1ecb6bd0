#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""xenkvm-api driven by a real EC2 client no one here wrote: the AWS SDK for Python
(Debian's python3-boto3/botocore), with endpoint_url at the API. Run by api-boto3.sh,
which starts the API and passes, in the environment: API_ENDPOINT, API_KEY, API_SECRET,
GUEST_WAIT (a guest that prints a line and blocks), GUEST_POWEROFF (a guest that powers
off), ROOT_DISK (a file to clone), XL, XENKVM_RUN_DIR.

Expectations come from EC2's API reference: state codes 0 pending, 16 running,
48 terminated, 64 stopping, 80 stopped; hypervisor "xen"; error codes and statuses."""
import datetime
import os
import subprocess
import sys
import threading
import time

import urllib.error
import urllib.request

import boto3
import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
import botocore.exceptions
from botocore.config import Config

PASS = FAIL = 0


def ok(name):
    global PASS
    PASS += 1
    print(f"PASS {name}", flush=True)


def bad(name, why):
    global FAIL
    FAIL += 1
    print(f"FAIL {name}: {why}", flush=True)


def check(name, cond, why=""):
    if cond:
        ok(name)
    else:
        bad(name, why)


def client(key=None, secret=None):
    return boto3.client(
        "ec2", endpoint_url=os.environ["API_ENDPOINT"], region_name="us-east-1",
        aws_access_key_id=key or os.environ["API_KEY"],
        aws_secret_access_key=secret or os.environ["API_SECRET"],
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))


def error_of(fn, **kw):
    """The EC2 error code and HTTP status that fn(**kw) gets, or (None, None)."""
    try:
        fn(**kw)
    except botocore.exceptions.ClientError as e:
        return (e.response["Error"]["Code"],
                e.response["ResponseMetadata"]["HTTPStatusCode"])
    return (None, None)


def expect_error(name, code, status, fn, **kw):
    got = error_of(fn, **kw)
    check(name, got == (code, status), f"got {got}, expected {(code, status)}")


def instances(ec2, ids):
    out = {}
    for page in ec2.get_paginator("describe_instances").paginate(InstanceIds=ids):
        for r in page["Reservations"]:
            for i in r["Instances"]:
                out[i["InstanceId"]] = i
    return out


def state_of(ec2, iid):
    return instances(ec2, [iid])[iid]["State"]["Name"]


def until(fn, tries=200):
    """Polls fn every 0.1 s until it is true (a bound on a hung test, no timing asserted)."""
    for _ in range(tries):
        if fn():
            return True
        time.sleep(0.1)
    return False


def xl_names():
    out = subprocess.run([os.environ["XL"], "list"], capture_output=True, text=True,
                         env=dict(os.environ)).stdout
    return {line.split()[0] for line in out.splitlines()[1:] if line.split()}


def test_images(ec2):
    ami = ec2.register_image(
        Name="kit-wait", KernelId=os.environ["GUEST_WAIT"], ImageLocation=os.environ["ROOT_DISK"],
        VirtualizationType="hvm", Description="a kit guest that waits")["ImageId"]
    ec2.create_tags(Resources=[ami], Tags=[{"Key": "os", "Value": "kit"},
                                           {"Key": "xenkvm:cmdline",
                                            "Value": "console=hvc0 marker=xenkvm-api"}])
    check("register-image-id", ami.startswith("ami-") and len(ami) == 21, ami)
    img = ec2.describe_images(ImageIds=[ami])["Images"]
    check("describe-image", len(img) == 1 and img[0]["Hypervisor"] == "xen"
          and img[0]["VirtualizationType"] == "hvm" and img[0]["Name"] == "kit-wait"
          and img[0]["State"] == "available"
          and {"Key": "os", "Value": "kit"} in img[0].get("Tags", []), str(img))
    pv = ec2.register_image(Name="kit-poweroff", KernelId=os.environ["GUEST_POWEROFF"],
                            VirtualizationType="paravirtual")["ImageId"]
    expect_error("register-duplicate-name", "InvalidAMIName.Duplicate", 400,
                 ec2.register_image, Name="kit-wait", KernelId=os.environ["GUEST_WAIT"])
    expect_error("register-missing-kernel", "MissingParameter", 400, ec2.register_image,
                 Name="no-kernel")
    expect_error("register-bad-path", "InvalidParameterValue", 400, ec2.register_image,
                 Name="bad-path", KernelId="/nonexistent/vmlinuz")
    gone = ec2.register_image(Name="kit-gone", KernelId=os.environ["GUEST_WAIT"])["ImageId"]
    check("deregister-image", ec2.deregister_image(ImageId=gone)["ResponseMetadata"]
          ["HTTPStatusCode"] == 200)
    expect_error("describe-deregistered", "InvalidAMIID.NotFound", 400, ec2.describe_images,
                 ImageIds=[gone])
    return ami, pv


def test_lifecycle(ec2, ami):
    r = ec2.run_instances(ImageId=ami, InstanceType="xk.tiny", MinCount=2, MaxCount=2,
                          TagSpecifications=[{"ResourceType": "instance",
                                              "Tags": [{"Key": "Name", "Value": "web"}]}])
    ids = [i["InstanceId"] for i in r["Instances"]]
    check("run-two", len(ids) == 2 and all(i.startswith("i-") and len(i) == 19 for i in ids),
          str(ids))
    check("run-running", all(i["State"] == {"Code": 16, "Name": "running"}
                             for i in r["Instances"]), str([i["State"] for i in r["Instances"]]))
    long = subprocess.run([os.environ["XL"], "list", "-l", ids[0]], capture_output=True,
                          text=True).stdout
    check("image-tag-cmdline", "marker=xenkvm-api" in long, long[:300])
    d = instances(ec2, ids)
    check("describe-hypervisor-xen", all(i["Hypervisor"] == "xen" for i in d.values()),
          str([i.get("Hypervisor") for i in d.values()]))
    check("describe-fields", all(i["ImageId"] == ami and i["InstanceType"] == "xk.tiny"
                                 and i["VirtualizationType"] == "hvm"
                                 and i["Architecture"] == "x86_64"
                                 and i["Placement"]["AvailabilityZone"] == "us-east-1a"
                                 and {"Key": "Name", "Value": "web"} in i["Tags"]
                                 for i in d.values()), str(d))
    check("xl-list-shows-them", set(ids) <= xl_names(), str(xl_names()))
    f = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["web"]},
                                        {"Name": "instance-state-name", "Values": ["running"]}])
    got = {i["InstanceId"] for r in f["Reservations"] for i in r["Instances"]}
    check("filter-tag-and-state", got == set(ids), f"{got} vs {ids}")
    f = ec2.describe_instances(Filters=[{"Name": "instance-type", "Values": ["c5.*"]}])
    check("filter-type-wildcard", not any(r["Instances"] for r in f["Reservations"]))
    out = ""
    for _ in range(100):
        # botocore decodes EC2's base64 Output itself (its GetConsoleOutput handler).
        out = ec2.get_console_output(InstanceId=ids[0]).get("Output", "")
        if "wait_forever" in out:
            break
        time.sleep(0.1)
    check("console-output", "wait_forever: blocking" in out, repr(out[-200:]))
    st = ec2.describe_instance_status(InstanceIds=ids)["InstanceStatuses"]
    check("instance-status", len(st) == 2 and all(s["InstanceStatus"]["Status"] == "ok"
                                                   for s in st), str(st))

    ec2.create_tags(Resources=[ids[0]], Tags=[{"Key": "env", "Value": "prod"}])
    ec2.delete_tags(Resources=[ids[0]], Tags=[{"Key": "Name"}])
    tags = instances(ec2, [ids[0]])[ids[0]].get("Tags", [])
    check("tags", tags == [{"Key": "env", "Value": "prod"}], str(tags))

    # EC2 answers a stop at once with "stopping"; the instance gets to "stopped" itself.
    s = ec2.stop_instances(InstanceIds=[ids[0]])["StoppingInstances"][0]
    check("stop", s["PreviousState"]["Code"] == 16 and s["CurrentState"]["Code"] == 64, str(s))
    until(lambda: state_of(ec2, ids[0]) == "stopped")
    i = instances(ec2, [ids[0]])[ids[0]]
    check("stopped-described", i["State"]["Name"] == "stopped"
          and i["StateReason"]["Code"] == "Client.UserInitiatedShutdown", str(i["State"]))
    check("stopped-not-in-xl", ids[0] not in xl_names(), str(xl_names()))
    expect_error("reboot-stopped", "IncorrectInstanceState", 400, ec2.reboot_instances,
                 InstanceIds=[ids[0]])
    s = ec2.start_instances(InstanceIds=[ids[0]])["StartingInstances"][0]
    check("start", s["PreviousState"]["Code"] == 80 and s["CurrentState"]["Code"] == 16, str(s))
    check("started-in-xl", ids[0] in xl_names(), str(xl_names()))
    ec2.reboot_instances(InstanceIds=[ids[1]])
    check("rebooted-running", instances(ec2, [ids[1]])[ids[1]]["State"]["Code"] == 16)

    s = ec2.stop_instances(InstanceIds=[ids[1]], Force=True)["StoppingInstances"][0]
    check("stop-force", s["CurrentState"]["Name"] == "stopping"
          and until(lambda: state_of(ec2, ids[1]) == "stopped"), str(s))
    t = ec2.terminate_instances(InstanceIds=ids)["TerminatingInstances"]
    check("terminate", all(x["CurrentState"] == {"Code": 32, "Name": "shutting-down"}
                           for x in t), str(t))
    check("terminated", until(lambda: all(state_of(ec2, i) == "terminated" for i in ids)),
          str([state_of(ec2, i) for i in ids]))
    check("terminated-gone-from-xl", not set(ids) & xl_names(), str(xl_names()))
    # The same StartInstances as above: signed in the same second it would be the same
    # signature, which the API refuses as a replay (xl's lifecycle can be that fast).
    time.sleep(1.1)
    expect_error("start-terminated", "IncorrectInstanceState", 400, ec2.start_instances,
                 InstanceIds=[ids[0]])
    return ids


def test_vmm_end(ec2, pv):
    """A guest that powers itself off: stopped, as EC2 reports an instance-initiated
    shutdown; a VMM killed from outside: stopped with a server error, never dropped."""
    i = ec2.run_instances(ImageId=pv, InstanceType="xk.tiny", MinCount=1,
                          MaxCount=1)["Instances"][0]
    iid = i["InstanceId"]
    check("paravirtual-described", i["VirtualizationType"] == "paravirtual", str(i))
    stopped = until(lambda: instances(ec2, [iid])[iid]["State"]["Name"] == "stopped")
    i = instances(ec2, [iid])[iid]
    check("guest-poweroff-stopped", stopped and i["StateReason"]["Code"] ==
          "Client.InstanceInitiatedShutdown", str(i["State"]) + str(i.get("StateReason")))
    w = ec2.run_instances(ImageId=os.environ["AMI_WAIT"], InstanceType="xk.tiny", MinCount=1,
                          MaxCount=1)["Instances"][0]["InstanceId"]
    rec = [d for d in os.listdir(os.environ["XENKVM_RUN_DIR"] + "/domains")
           if open(f"{os.environ['XENKVM_RUN_DIR']}/domains/{d}/record").read()
           .find(f"name={w}\n") >= 0]
    pid = int([ln for ln in open(f"{os.environ['XENKVM_RUN_DIR']}/domains/{rec[0]}/record")
               if ln.startswith("pid=")][0][4:])
    os.kill(pid, 9)
    until(lambda: instances(ec2, [w])[w]["State"]["Name"] != "running")
    i = instances(ec2, [w])[w]
    check("vmm-killed-reported", i["State"]["Name"] == "stopped"
          and i["StateReason"]["Code"] == "Server.InternalError", str(i["State"]) +
          str(i.get("StateReason")))
    ec2.terminate_instances(InstanceIds=[iid, w])


class FakeDatetime(datetime.datetime):
    offset = datetime.timedelta(0)

    @classmethod
    def utcnow(cls):
        return datetime.datetime.utcnow() + cls.offset


def replayed(ami):
    """One CreateTags request, signed by botocore, sent twice byte for byte."""
    req = AWSRequest(method="POST", url=os.environ["API_ENDPOINT"] + "/",
                     data=f"Action=CreateTags&Version=2016-11-15&ResourceId.1={ami}"
                          "&Tag.1.Key=replay&Tag.1.Value=1",
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(os.environ["API_KEY"], os.environ["API_SECRET"]), "ec2",
              "us-east-1").add_auth(req)
    out = []
    for _ in range(2):
        r = urllib.request.Request(req.url, data=req.body, headers=dict(req.headers),
                                   method="POST")
        try:
            with urllib.request.urlopen(r) as resp:
                out.append((resp.status, None))
        except urllib.error.HTTPError as e:
            body = e.read().decode()
            out.append((e.code, body.split("<Code>")[1].split("</Code>")[0]))
    return out


def test_errors(ec2, ami):
    got = replayed(ami)
    check("replay-refused", got == [(200, None), (401, "AuthFailure")], str(got))
    expect_error("bad-secret", "SignatureDoesNotMatch", 403,
                 client(secret="not-the-secret").describe_instances)
    expect_error("unknown-key", "AuthFailure", 401,
                 client(key="AKIANOTAKEY0000000000").describe_instances)
    real = botocore.auth.datetime
    fake = type("m", (), {"datetime": FakeDatetime})
    try:
        botocore.auth.datetime = fake
        FakeDatetime.offset = datetime.timedelta(minutes=-10)
        expect_error("request-expired", "RequestExpired", 400, client().describe_instances)
        FakeDatetime.offset = datetime.timedelta(minutes=10)
        expect_error("request-from-future", "RequestExpired", 400, client().describe_instances)
    finally:
        botocore.auth.datetime = real
    expect_error("instance-not-found", "InvalidInstanceID.NotFound", 400,
                 ec2.describe_instances, InstanceIds=["i-0123456789abcdef0"])
    expect_error("instance-malformed", "InvalidInstanceID.Malformed", 400,
                 ec2.stop_instances, InstanceIds=["i-xyz"])
    expect_error("bad-instance-type", "InvalidParameterValue", 400, ec2.run_instances,
                 ImageId=ami, InstanceType="z9.enormous", MinCount=1, MaxCount=1)
    expect_error("missing-instance-id", "MissingParameter", 400, ec2.start_instances,
                 InstanceIds=[])
    expect_error("insufficient-capacity", "InsufficientInstanceCapacity", 500,
                 ec2.run_instances, ImageId=ami, InstanceType="c5.24xlarge", MinCount=1,
                 MaxCount=1)
    expect_error("image-not-found", "InvalidAMIID.NotFound", 400, ec2.run_instances,
                 ImageId="ami-0123456789abcdef0", InstanceType="xk.tiny", MinCount=1,
                 MaxCount=1)
    t = ec2.describe_instance_types(InstanceTypes=["c5.large", "c5.18xlarge", "t2.micro"])
    got = {x["InstanceType"]: (x["VCpuInfo"]["DefaultVCpus"], x["MemoryInfo"]["SizeInMiB"],
                               x["Hypervisor"]) for x in t["InstanceTypes"]}
    check("instance-types", got == {"c5.large": (2, 4096, "xen"),
                                    "c5.18xlarge": (72, 147456, "xen"),
                                    "t2.micro": (1, 1024, "xen")}, str(got))


def test_concurrency(ami, clients=8, each=2):
    """Many clients at once: every launch gets its own instance, none lost, none twice;
    DescribeInstances runs alongside."""
    launched, errors = [], []
    lock = threading.Lock()

    def worker():
        ec2 = client()
        for _ in range(each):
            try:
                r = ec2.run_instances(ImageId=ami, InstanceType="xk.tiny", MinCount=1,
                                      MaxCount=1)
                ec2.describe_instances()
                with lock:
                    launched.extend(i["InstanceId"] for i in r["Instances"])
            except Exception as e:  # noqa: BLE001 - reported as a failure below
                with lock:
                    errors.append(repr(e))

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check("concurrent-no-errors", not errors, str(errors[:3]))
    check("concurrent-distinct", len(launched) == len(set(launched)) == clients * each,
          f"{len(launched)} launched, {len(set(launched))} distinct")
    ec2 = client()
    pages, seen = 0, []
    for page in ec2.get_paginator("describe_instances").paginate(
            Filters=[{"Name": "instance-state-name", "Values": ["running"]}],
            PaginationConfig={"PageSize": 5}):
        pages += 1
        seen += [i["InstanceId"] for r in page["Reservations"] for i in r["Instances"]]
    check("paginated-all-once", sorted(seen) == sorted(launched) and pages >= 4,
          f"{len(seen)} seen in {pages} pages, {len(launched)} launched")
    check("xl-agrees", set(launched) <= xl_names(), "")
    ec2.terminate_instances(InstanceIds=launched)
    until(lambda: all(state_of(ec2, i) == "terminated" for i in launched), tries=600)
    check("concurrent-terminated", not set(launched) & xl_names(), str(xl_names()))


def test_capacity(ec2):
    """Run by api-boto3.sh against a second API with --vcpu-capacity 3 and
    --memory-capacity 100, types xk.tiny (1 vCPU, 32 MiB) and xk.fat (1 vCPU, 64 MiB):
    what is placed (not stopped, not terminated) counts against both; EC2 launches as
    many as fit between MinCount and MaxCount, else InsufficientInstanceCapacity."""
    ami = ec2.register_image(Name="kit-wait", KernelId=os.environ["GUEST_WAIT"])["ImageId"]

    def run(itype, lo, hi):
        return [i["InstanceId"] for i in ec2.run_instances(
            ImageId=ami, InstanceType=itype, MinCount=lo, MaxCount=hi)["Instances"]]

    def state(iid):
        return state_of(ec2, iid)

    expect_error("capacity-min-count", "InsufficientInstanceCapacity", 500, ec2.run_instances,
                 ImageId=ami, InstanceType="xk.tiny", MinCount=4, MaxCount=4)
    ids = run("xk.tiny", 1, 5)
    check("capacity-as-many-as-fit", len(ids) == 3, str(ids))
    expect_error("capacity-vcpus-full", "InsufficientInstanceCapacity", 500,
                 ec2.run_instances, ImageId=ami, InstanceType="xk.tiny", MinCount=1,
                 MaxCount=1)
    ec2.stop_instances(InstanceIds=[ids[0]], Force=True)
    check("capacity-stopped", until(lambda: state(ids[0]) == "stopped"), state(ids[0]))
    # A vCPU is free now, but 64 + 2 x 32 MiB would pass the 100 MiB.
    expect_error("capacity-memory-full", "InsufficientInstanceCapacity", 500,
                 ec2.run_instances, ImageId=ami, InstanceType="xk.fat", MinCount=1,
                 MaxCount=1)
    ids += run("xk.tiny", 1, 1)
    check("capacity-freed-by-stop", len(ids) == 4, str(ids))
    expect_error("capacity-start-refused", "InsufficientInstanceCapacity", 500,
                 ec2.start_instances, InstanceIds=[ids[0]])
    ec2.terminate_instances(InstanceIds=ids)
    check("capacity-terminated", until(lambda: all(state(i) == "terminated" for i in ids)))
    check("capacity-freed-by-terminate", len(run("xk.fat", 1, 1)) == 1)


def main():
    if sys.argv[1:] == ["capacity"]:
        test_capacity(client())
        print(f"{PASS} passed, {FAIL} failed, 0 skipped")
        return 1 if FAIL else 0
    ec2 = client()
    check("describe-regions", ec2.describe_regions()["Regions"][0]["RegionName"] == "us-east-1")
    ami, pv = test_images(ec2)
    os.environ["AMI_WAIT"] = ami
    test_lifecycle(ec2, ami)
    test_vmm_end(ec2, pv)
    test_errors(ec2, ami)
    # Fewer guests under QEMU TCG (the test host), where each boot is slow.
    test_concurrency(ami, each=1 if os.environ.get("XENKVM_IN_TESTHOST") else 2)
    print(f"{PASS} passed, {FAIL} failed, 0 skipped")
    return 1 if FAIL else 0


if __name__ == "__main__":
    sys.exit(main())
