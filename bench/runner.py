"""The benchmark runner: a registry of benchmarks, the command line, the table and the JSON results.

A benchmark is a function `(Context) -> dict` registered under a name with `@register("name")` in a
module of this folder; the runner imports every module here (except itself, `__main__`, the helpers
in NOT_BENCHMARKS and names starting with `_`) so that they register. The dict it returns:

    status    "PASS", "FAIL", "ERROR" or "INFO" (measured, no target); "INFO" if left out
    headline  one line for the summary, e.g. "app/bare 1.21x (target <= 1.5x)"
    title     optional line printed above the table
    table     optional {"columns": [...], "rows": [[...], ...]}, printed as a table
    notes     optional list of lines printed under the table (errors, hints)
    ...       anything else JSON can hold (raw timings): it goes to the JSON file only

Each benchmark's dict, plus the run's metadata, is written to bench/results/<name>-<UTC time>.json.
An exception in a benchmark becomes an ERROR result with its traceback; the others still run.
Exit status: 0 if every benchmark passed (or is INFO), 1 if any failed or errored, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"  # git-ignored
# modules of bench/ that are not benchmarks (besides `_private` ones): never imported by discovery
NOT_BENCHMARKS = frozenset({"__main__", "runner", "proc_clock", "bare_window", "stall_sampler"})
STATUSES = ("PASS", "FAIL", "ERROR", "INFO")


@dataclass(frozen=True)
class Context:
    """What the command line hands every benchmark."""

    repeat: int | None  # --repeat N; None: the benchmark's own default
    timeout: float  # --timeout: seconds one measured step (e.g. one process) may take before it is killed
    self_test: bool  # hidden --self-test: swap the system under test for a stand-in, to check the harness
    results_dir: Path  # bench/results/ (git-ignored): JSON results, caches under results_dir / "cache"
    steps: tuple[str, ...] = ()  # --steps: only the steps whose names contain one of these (benchmarks with steps)
    profile: bool = False  # --profile: cProfile each step's GUI thread (benchmarks with steps), saved in results_dir
    baseline: Path | None = None  # --baseline: an earlier result (JSON) to show side by side (stalls)

    def wants(self, step: str) -> bool:
        """Whether `step` is selected by --steps (all are without it)."""
        return not self.steps or any(s.lower() in step.lower() for s in self.steps)

    def repeat_or(self, default: int) -> int:
        return self.repeat if self.repeat is not None else default

    def log(self, message: str) -> None:
        """Progress for the person waiting: stderr, so stdout stays the results table."""
        print(message, file=sys.stderr, flush=True)


Benchmark = Callable[[Context], dict[str, Any]]
BENCHMARKS: dict[str, Benchmark] = {}
IMPORT_ERRORS: dict[str, str] = {}  # module name -> traceback, for modules that failed to import


def register(name: str) -> Callable[[Benchmark], Benchmark]:
    """Decorator: make `fn(ctx) -> dict` runnable as `python -m bench NAME`."""

    def decorate(fn: Benchmark) -> Benchmark:
        existing = BENCHMARKS.get(name)
        if existing is not None and (existing.__module__, existing.__qualname__) != (fn.__module__, fn.__qualname__):
            raise ValueError(f"benchmark {name!r} is registered twice ({existing.__module__}, {fn.__module__})")
        BENCHMARKS[name] = fn
        return fn

    return decorate


def discover() -> None:
    """Import every benchmark module of bench/ so that it registers; a broken one is noted, not fatal."""
    for info in pkgutil.iter_modules([str(BENCH_DIR)]):
        if info.name in NOT_BENCHMARKS or info.name.startswith("_"):
            continue
        try:
            importlib.import_module(f"{__package__ or 'bench'}.{info.name}")
        except Exception:
            IMPORT_ERRORS[info.name] = traceback.format_exc()


# -- output -------------------------------------------------------------------------------------------


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[int] | None = None) -> str:
    """A plain-text table; the columns numbered in `right` (default: all but the first) right-aligned."""
    right = range(1, len(columns)) if right is None else right
    cells = [[str(c) for c in columns]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(r[i]) if i < len(r) else 0 for r in cells) for i in range(len(columns))]

    def line(row: list[str]) -> str:
        row = row + [""] * (len(columns) - len(row))
        cells = (v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(row, widths, strict=True)))
        return "  ".join(cells).rstrip()

    return "\n".join([line(cells[0]), "  ".join("-" * w for w in widths)] + [line(r) for r in cells[1:]])


def print_result(name: str, result: dict[str, Any]) -> None:
    print()
    print(f"== {name}: {result.get('title', '')}".rstrip(": "))
    table = result.get("table")
    if table:
        print(format_table(table["columns"], table["rows"]))
    for note in result.get("notes", []):
        print(note)
    print(f"result: {result['status']}  {result.get('headline', '')}".rstrip())


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def environment() -> dict[str, Any]:
    """Where and on what the numbers were taken, for the JSON file."""
    try:
        from drillapp import __version__ as drillapp_version
    except ImportError:
        drillapp_version = None
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "drillapp_version": drillapp_version,
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": bool(status) if status is not None else None,
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "argv": sys.argv,
    }


def save(name: str, record: dict[str, Any], results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = results_dir / f"{name}-{stamp}.json"
    n = 2
    while path.exists():
        path = results_dir / f"{name}-{stamp}-{n}.json"
        n += 1
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path


# -- running ------------------------------------------------------------------------------------------


def run_one(name: str, fn: Benchmark, ctx: Context) -> dict[str, Any]:
    ctx.log(f"-- {name}")
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    try:
        result = fn(ctx)
        if not isinstance(result, dict):
            raise TypeError(f"benchmark {name!r} returned {type(result).__name__}, not a dict")
    except Exception as exc:
        result = {"status": "ERROR", "headline": f"{exc.__class__.__name__}: {exc}",
                  "traceback": traceback.format_exc()}
        result["notes"] = [line for line in result["traceback"].rstrip().splitlines()[-6:]]
    result.setdefault("status", "INFO")
    if result["status"] not in STATUSES:
        result["headline"] = f"unknown status {result['status']!r}; {result.get('headline', '')}"
        result["status"] = "ERROR"
    return {"benchmark": name, "started_at": started.isoformat(timespec="seconds"),
            "elapsed_s": round(time.perf_counter() - t0, 3), **result}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run drillapp's benchmarks (all registered ones by default), print a table and save "
                    "JSON results in bench/results/.")
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (default: all)")
    parser.add_argument("--repeat", type=_positive_int, metavar="N",
                        help="measured repetitions per benchmark (default: each benchmark's own)")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                        help="longest one measured step may take before it is killed (default: 60)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--steps", metavar="WORDS", default="",
                        help="comma-separated: run only the steps whose names contain one of these (stalls)")
    parser.add_argument("--baseline", type=Path, metavar="JSON",
                        help="an earlier result of the same benchmark, shown side by side per step (stalls)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile each step on the GUI thread; .prof files in bench/results/ (stalls)")
    # checks the harness end to end with stand-ins for the app (startup: the bare window on both sides)
    parser.add_argument("--self-test", action="store_true", help=argparse.SUPPRESS)
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    discover()
    if args.list:
        for name, fn in sorted(BENCHMARKS.items()):
            doc = (fn.__doc__ or "").strip().splitlines()
            print(f"{name:<16} {doc[0] if doc else ''}")
        for module in sorted(IMPORT_ERRORS):
            print(f"{module:<16} (module failed to import: {IMPORT_ERRORS[module].strip().splitlines()[-1]})")
        return 0
    names = args.names or sorted(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"python -m bench: unknown benchmark(s): {', '.join(unknown)}; "
              f"known: {', '.join(sorted(BENCHMARKS)) or 'none'}", file=sys.stderr)
        for module, tb in sorted(IMPORT_ERRORS.items()):
            print(f"module bench/{module}.py failed to import:\n{tb}", file=sys.stderr)
        return 2
    ctx = Context(repeat=args.repeat, timeout=args.timeout, self_test=args.self_test, results_dir=RESULTS_DIR,
                  steps=tuple(s.strip() for s in args.steps.split(",") if s.strip()), profile=args.profile,
                  baseline=args.baseline)
    env = environment()
    records = []
    if not args.names:  # running everything: a module that failed to import is a failure too
        for module, tb in sorted(IMPORT_ERRORS.items()):
            records.append({"benchmark": f"bench/{module}.py", "status": "ERROR",
                            "headline": "failed to import: " + tb.strip().splitlines()[-1], "traceback": tb})
            print_result(records[-1]["benchmark"], records[-1])
    else:
        for module, tb in sorted(IMPORT_ERRORS.items()):
            ctx.log(f"warning: bench/{module}.py failed to import: {tb.strip().splitlines()[-1]}")
    for name in names:
        record = run_one(name, BENCHMARKS[name], ctx)
        record["self_test"] = ctx.self_test
        record["environment"] = env
        record["json"] = str(save(name, record, ctx.results_dir).relative_to(REPO_ROOT))
        records.append(record)
        print_result(name, record)
    print()
    print(format_table(["benchmark", "status", "headline", "time", "json"],
                       [[r["benchmark"], r["status"], r.get("headline", ""),
                         f"{r['elapsed_s']:.1f} s" if "elapsed_s" in r else "", r.get("json", "")]
                        for r in records], right=[3]))
    return 0 if all(r["status"] in ("PASS", "INFO") for r in records) else 1
