#!/usr/bin/env python3
"""Runs one measuring pass and records what else used the machine while it ran.

usage: pass_monitor.py --name NAME --out FILE.json [--warn-share 0.05] -- COMMAND [ARG ...]

It reads /proc/stat before and after the command and the command's own CPU time (with every
process it waited for: the pantry server, the CPython kitchen's children) from the kernel's
accounting of reaped children, and writes FILE.json:

  name, wall_s, cores           the pass, its length, the CPUs /proc/stat counts
  busy_share                    the machine's busy time over its capacity (cores x wall)
  suite_share                   the command's own CPU time over that capacity
  other_share                   busy_share - suite_share: other processes (never below 0)
  steal_share                   time the hypervisor gave the CPUs to someone else
  hypervisor                    what the CPU and the kernel say runs this machine, or "none"

Shares are of the whole machine (1.0 = every core busy for the whole pass). When other_share or
steal_share passes --warn-share it prints one warning line on stderr. The command's exit status
is passed on; its output is not touched.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

# /proc/stat's cpu line: user nice system idle iowait irq softirq steal guest guest_nice.
# guest and guest_nice are already inside user and nice, so they are not added again.
_BUSY = (0, 1, 2, 5, 6)
_IDLE = (3, 4)
_STEAL = 7


def read_stat(path="/proc/stat"):
    """(busy, idle, steal) ticks over all CPUs, and how many CPUs the file lists."""
    with open(path) as f:
        lines = f.read().splitlines()
    fields = [int(v) for v in lines[0].split()[1:]]
    fields += [0] * (10 - len(fields))
    cores = sum(1 for line in lines[1:] if line.startswith("cpu") and line[3:4].isdigit())
    busy = sum(fields[i] for i in _BUSY)
    idle = sum(fields[i] for i in _IDLE)
    return busy, idle, fields[_STEAL], max(cores, 1)


def hypervisor():
    """The CPU's hypervisor vendor (lscpu's reading of CPUID), else the bare CPU flag; with the
    kernel's own word for a Firecracker guest when its command line carries one."""
    vendor = None
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=5).stdout
        for line in out.splitlines():
            if line.startswith("Hypervisor vendor:"):
                vendor = line.split(":", 1)[1].strip()
    except (OSError, subprocess.SubprocessError):
        pass
    if vendor is None:
        try:
            with open("/proc/cpuinfo") as f:
                if " hypervisor" in f.read():
                    vendor = "unknown hypervisor"
        except OSError:
            pass
    try:
        with open("/proc/cmdline") as f:
            if "firecracker" in f.read():
                vendor = f"{vendor or 'KVM'} (Firecracker)"
    except OSError:
        pass
    return vendor or "none"


def shares(before, after, suite_cpu_s, wall_s, ticks_per_s):
    """The record's shares from two /proc/stat readings and the suite's CPU seconds."""
    busy = after[0] - before[0]
    idle = after[1] - before[1]
    steal = after[2] - before[2]
    total = busy + idle + steal
    if total <= 0:
        return {"busy_share": 0.0, "suite_share": 0.0, "other_share": 0.0, "steal_share": 0.0}
    suite_ticks = suite_cpu_s * ticks_per_s
    return {
        "busy_share": round(busy / total, 4),
        "suite_share": round(min(suite_ticks, busy) / total, 4),
        "other_share": round(max(busy - suite_ticks, 0.0) / total, 4),
        "steal_share": round(steal / total, 4),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="pass_monitor.py", description=__doc__.split("\n")[0])
    parser.add_argument("--name", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--warn-share", type=float, default=0.05)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run after --")
    ticks_per_s = os.sysconf("SC_CLK_TCK")
    before = read_stat()
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    try:
        status = subprocess.call(command)
    except OSError as e:
        print(f"pass_monitor.py: cannot run {command[0]}: {e.strerror}", file=sys.stderr)
        return 2
    wall_s = time.monotonic() - started
    after = read_stat()
    usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    suite_cpu_s = (usage_after.ru_utime - usage_before.ru_utime
                   + usage_after.ru_stime - usage_before.ru_stime)
    record = {"name": args.name, "wall_s": round(wall_s, 3), "cores": before[3],
              **shares(before, after, suite_cpu_s, wall_s, ticks_per_s),
              "suite_cpu_s": round(suite_cpu_s, 3), "hypervisor": hypervisor(),
              "warn_share": args.warn_share}
    tmp = f"{args.out}.tmp.{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(record, f)
        f.write("\n")
    os.replace(tmp, args.out)
    for key, what in (("other_share", "other processes"), ("steal_share", "steal time")):
        if record[key] > args.warn_share:
            print(f"pass_monitor.py: warning: pass '{args.name}': {what} took "
                  f"{record[key] * 100:.1f}% of the machine (over {args.warn_share * 100:.0f}%); "
                  "its figures are suspect", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
