"""Where py_kitchen.py's numbers come from: the machine and interpreter, in the keys Google
Benchmark writes into its JSON "context" (so the shared loader and the chart footnotes read
both files alike), plus the timer slack every executor sleeps with.
"""

import datetime
import json
import os
import platform
import socket
import subprocess
import sys
from typing import Dict, List, Optional

_PR_SET_TIMERSLACK, _PR_GET_TIMERSLACK = 29, 30  # <linux/prctl.h>


def _prctl(option: int, value: int) -> Optional[int]:
    try:
        import ctypes  # standard library; absent or refused on some platforms
        libc = ctypes.CDLL(None, use_errno=True)
        result = libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0)
    except (OSError, AttributeError, ImportError):
        return None
    return None if result < 0 else result


def set_timer_slack_ns(ns: int) -> Optional[int]:
    """Set this thread's timer slack (inherited by the threads it starts later) and return what
    the kernel reports back, or None off Linux. bench_kitchen sets 1 ns: without it every
    sleep of 1 ms overshoots by ~50 us and the I/O profiles compare the slack, not the
    executors."""
    if not sys.platform.startswith("linux") or _prctl(_PR_SET_TIMERSLACK, ns) is None:
        return None
    return _prctl(_PR_GET_TIMERSLACK, 0)


def _read(path: str) -> Optional[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return None


def _mhz() -> Optional[int]:
    for line in (_read("/proc/cpuinfo") or "").splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("cpu MHz", "clock"):
            try:
                return int(float(value.strip().rstrip("MHz")))
            except ValueError:
                return None
    return None


def _size(text: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(text[:-1]) * units[text[-1]] if text[-1:] in units else int(text)


def _count_cpus(cpu_list: str) -> int:
    count = 0
    for part in cpu_list.split(","):
        low, _, high = part.partition("-")
        count += int(high) - int(low) + 1 if high else 1
    return count


def _caches() -> List[dict]:
    """CPU caches as Google Benchmark lists them (from sysfs on Linux; [] elsewhere)."""
    base = "/sys/devices/system/cpu/cpu0/cache"
    caches = []
    try:
        for index in sorted(os.listdir(base)):
            where = os.path.join(base, index)
            kind, level, size, shared = (_read(os.path.join(where, name)) for name in
                                         ("type", "level", "size", "shared_cpu_list"))
            if not (index.startswith("index") and kind and level and size and shared):
                continue
            caches.append({"type": kind, "level": int(level), "size": _size(size),
                           "num_sharing": _count_cpus(shared)})
    except (OSError, ValueError):
        return []
    return caches


def _git_revision() -> str:
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        head = subprocess.run(["git", "-C", root, "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if head.returncode != 0:
        return "unknown"
    return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def _gil() -> str:
    check = getattr(sys, "_is_gil_enabled", None)  # 3.13+: free-threaded builds may run without
    return "enabled" if check is None or check() else "disabled (free-threaded build)"


def context(sweep: str, seed: int, ns_per_unit: float, slack_ns: Optional[int],
            catalogue: List[dict]) -> Dict[str, object]:
    try:
        load = list(os.getloadavg())
    except OSError:
        load = []
    # Keys containing "python" are shown in the charts' footnotes beside bench_kitchen's compiler.
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "host_name": socket.gethostname(),
        "executable": sys.executable,
        "num_cpus": os.cpu_count() or 1,
        "mhz_per_cpu": _mhz() or 0,
        "cpu_scaling_enabled": False,
        "caches": _caches(),
        "load_avg": load,
        "library_build_type": "none (py_kitchen.py times itself, no Google Benchmark)",
        "python_implementation": platform.python_implementation(),
        "python_version": platform.python_version(),
        "interpreter_gil": _gil(),
        "interpreter_switch_interval_us": f"{sys.getswitchinterval() * 1e6:g}",
        "kitchen_script": os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else "",
        "kitchen_sweep": sweep,
        "kitchen_seed": str(seed),
        "kitchen_git_revision": _git_revision(),
        "cpu_ns_per_unit": f"{ns_per_unit:.4g}",
        "timer_slack_ns": "unknown" if slack_ns is None else str(slack_ns),
        "usable_cores": str(usable_cores()),
        # A JSON-encoded string, as Google Benchmark's context values are strings.
        "kitchen_catalogue": json.dumps(catalogue),
    }


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask), as bench_kitchen's usable_cores
    (which also applies the cgroup quota)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
