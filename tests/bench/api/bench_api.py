#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The measurements of tests/bench/api/run (see there). Throughput clients replay one
request signed with botocore's SigV4 signer (valid for the 5-minute window) over raw
keep-alive sockets, one process each, so the client costs little next to the server."""
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

PORT, SECS, GUEST, XL, WORK = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4], \
    sys.argv[5]
ENDPOINT = f"http://127.0.0.1:{PORT}"


def signed_request(body):
    req = AWSRequest(method="POST", url=ENDPOINT + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials("AKIABENCH", "benchsecret"), "ec2", "us-east-1").add_auth(req)
    head = "".join(f"{k}: {v}\r\n" for k, v in req.headers.items())
    return (f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nContent-Length: {len(body)}\r\n"
            f"{head}\r\n{body}").encode()


def read_reply(sock, buf):
    while b"\r\n\r\n" not in buf:
        buf += sock.recv(1 << 16)
    head, rest = buf.split(b"\r\n\r\n", 1)
    length = int([ln for ln in head.split(b"\r\n") if ln.lower().startswith(b"content-length")]
                 [0].split(b":")[1])
    while len(rest) < length:
        rest += sock.recv(1 << 20)
    return int(head[9:12]), rest[length:]


def client(args):
    raw, deadline = args
    s = socket.create_connection(("127.0.0.1", PORT))
    n, buf = 0, b""
    while time.time() < deadline:
        s.sendall(raw)
        status, buf = read_reply(s, buf)
        assert status in (200, 403), status
        n += 1
    s.close()
    return n


def throughput(raw, clients=8):
    deadline = time.time() + SECS
    with multiprocessing.Pool(clients) as pool:
        counts = pool.map(client, [(raw, deadline)] * clients)
    return sum(counts) / SECS


def main():
    describe = signed_request("Action=DescribeInstances&Version=2016-11-15")
    unsigned = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nContent-Length: 41\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
                "Action=DescribeInstances&Version=2016-11-15").encode()
    s = socket.create_connection(("127.0.0.1", PORT))
    s.sendall(describe)
    status, _ = read_reply(s, b"")
    s.close()
    assert status == 200, status
    floor = throughput(unsigned)
    desc = throughput(describe)
    print(f"DescribeInstances, 1000 records, 8 clients: {desc:.0f} req/s; floor (unsigned "
          f"request, error reply) {floor:.0f} req/s; ratio {desc / floor:.3f}")

    ec2 = boto3.client("ec2", endpoint_url=ENDPOINT, region_name="us-east-1",
                       aws_access_key_id="AKIABENCH", aws_secret_access_key="benchsecret")
    ami = ec2.register_image(Name="bench-wait", KernelId=GUEST)["ImageId"]
    run, xl, regions = [], [], []
    cfg = f"{WORK}/xl-floor.cfg"
    for i in range(5):
        t = time.monotonic()
        ec2.describe_regions()
        regions.append(time.monotonic() - t)
        t = time.monotonic()
        iid = ec2.run_instances(ImageId=ami, InstanceType="xk.tiny", MinCount=1,
                                MaxCount=1)["Instances"][0]["InstanceId"]
        while ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0][
                "State"]["Name"] != "running":
            time.sleep(0.01)
        run.append(time.monotonic() - t)
        ec2.terminate_instances(InstanceIds=[iid])
        with open(cfg, "w") as f:
            f.write(f'name = "floor{i}"\ntype = "pvh"\nkernel = "{GUEST}"\nmemory = 32\n'
                    'vcpus = 1\non_poweroff = "preserve"\n')
        t = time.monotonic()
        subprocess.run([XL, "--run-dir", f"{WORK}/run", "create", "-q", cfg], check=True)
        xl.append(time.monotonic() - t)
        subprocess.run([XL, "--run-dir", f"{WORK}/run", "destroy", f"floor{i}"], check=True)
    med = statistics.median
    print(f"RunInstances to running (median of 5): {med(run) * 1000:.1f} ms; floor xl create "
          f"{med(xl) * 1000:.1f} ms (ratio {med(run) / med(xl):.2f}); boto3 DescribeRegions "
          f"{med(regions) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
