"""Seconds since this process was created, for the start-up benchmark (bench/proc_clock.py keeps a twin:
keep the two in step). Stdlib only; imported first by the drillapp package so the fallback is early."""

from __future__ import annotations

import os
import time

_FALLBACK_START = time.perf_counter()


def seconds_since_process_start() -> float:
    """Linux: exact to one clock tick (CLOCK_BOOTTIME minus /proc/self/stat starttime, same zero).
    Elsewhere: seconds since this module was imported."""
    try:
        with open("/proc/self/stat", "rb") as f:
            stat = f.read()
        # field 2 (the command name) may hold spaces and ')': fields 3.. follow the last ')'
        start_ticks = int(stat[stat.rindex(b")") + 2 :].split()[22 - 3])
        return time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _FALLBACK_START


def resident_kib() -> int | None:
    """This process's resident memory (VmRSS) in KiB, for the benchmarks; None where /proc cannot tell."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None
