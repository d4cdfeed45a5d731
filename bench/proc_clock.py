"""Seconds since this process was created: the clock both sides of the start-up benchmark report with.

Stdlib only and self-contained on purpose: drillapp cannot import from bench/, so the app carries a
copy of `seconds_since_process_start` (keep the two in step). Import this module as early as possible:
where the process creation time cannot be read, the time of this import is the fallback start.

Linux: /proc/self/stat field 22 (starttime) is the process creation time in clock ticks since boot,
on the same clock as CLOCK_BOOTTIME, so `CLOCK_BOOTTIME - starttime / SC_CLK_TCK` is exact to one
tick (10 ms at the usual 100 Hz; the kernel truncates, so it reads 0-10 ms high). Do NOT use
`time.time() - (btime + starttime / SC_CLK_TCK)` with btime from /proc/stat: btime is whole seconds,
which adds a constant error of up to 1 s to every reading.
"""

from __future__ import annotations

import os
import time

_FALLBACK_START = time.perf_counter()  # the time of this import, for where /proc cannot tell


def seconds_since_process_start() -> float:
    """Seconds from the creation of this process (Linux: exact to one clock tick) to now.

    Elsewhere, or if /proc cannot be read: seconds since this module was imported.
    """
    try:
        with open("/proc/self/stat", "rb") as f:
            stat = f.read()
        # field 2 (the command name) may contain spaces and ')': fields from 3 on follow the last ')'
        start_ticks = int(stat[stat.rindex(b")") + 2:].split()[22 - 3])
        return time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):  # no /proc, or no CLOCK_BOOTTIME
        return time.perf_counter() - _FALLBACK_START


def clock_source() -> str:
    """How `seconds_since_process_start` measures here: "proc" (creation time) or "import" (fallback)."""
    try:
        with open("/proc/self/stat", "rb") as f:
            stat = f.read()
        int(stat[stat.rindex(b")") + 2:].split()[22 - 3])
        time.clock_gettime(time.CLOCK_BOOTTIME)
        os.sysconf("SC_CLK_TCK")
        return "proc"
    except (OSError, ValueError, IndexError, AttributeError):
        return "import"


if __name__ == "__main__":
    print(f"{seconds_since_process_start():.3f} s since process start ({clock_source()})")


def resident_kib() -> int | None:
    """This process's resident memory (VmRSS) in KiB; None where /proc cannot tell (drillapp.proc_clock twin)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None
