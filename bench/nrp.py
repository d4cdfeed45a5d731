"""Benchmark `nrp`: the roster engine on the public nurse-rostering instances (schedulingbenchmarks.org).

Each instance is solved in-process by `drillapp.roster.engine.solve` (the app's own model) with a time
limit (default 60 s) and 2 workers; the roster is checked by `drillapp.roster.check` (no hard rule broken,
objective recomputed equal to the solver's). Target: the best-known value on instances 1-7 and within 2 %
of it on 8-12. Options come from the environment, because the runner's command line is shared:
DRILLAPP_NRP_INSTANCES (e.g. "1-12", "1-24", "3,5,8"; default 1-12), DRILLAPP_NRP_TIME_LIMIT (seconds,
default 60), DRILLAPP_NRP_WORKERS (default 2). `python -m bench.nrp --instances 1-3 --time-limit 20`
runs it directly with the same options as flags.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from bench.runner import Context, format_table, register


def _instances_dir() -> Path:
    """$DRILLAPP_NRP_DIR, else the shared benchmark data beside the repository (../shared/bench/nrp), else
    the workplace's copy (/work/shared/bench/nrp)."""
    if os.environ.get("DRILLAPP_NRP_DIR"):
        return Path(os.environ["DRILLAPP_NRP_DIR"])
    beside = Path(__file__).resolve().parents[2] / "shared" / "bench" / "nrp"
    return beside if beside.is_dir() else Path("/work/shared/bench/nrp")


INSTANCES_DIR = _instances_dir()
BEST_KNOWN = {1: 607, 2: 828, 3: 1001, 4: 1716, 5: 1143, 6: 1950, 7: 1056, 8: 1300, 9: 439, 10: 4631,
              11: 3443, 12: 4040, 13: 1348, 14: 1278, 15: 3828, 16: 3225, 17: 5746, 18: 4459, 19: 3149,
              20: 4769, 21: 21133, 22: 30241, 23: 17285, 24: 40439}
COLUMNS = ["instance", "objective", "best-known", "gap %", "bound", "time s", "status", "check"]


def parse_instances(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = part.split("-")
            out.extend(range(int(lo), int(hi) + 1))
        elif part:
            out.append(int(part))
    return out


def target_met(number: int, objective: int | None) -> bool:
    best = BEST_KNOWN.get(number)
    if objective is None or best is None:
        return False
    return objective <= best if number <= 7 else objective <= best * 1.02


def run_instance(number: int, time_limit: float, workers: int) -> dict:
    from drillapp.roster import check, engine, nrp

    problem = nrp.read_instance(INSTANCES_DIR / f"Instance{number}.txt")
    t0 = time.monotonic()
    solution = engine.solve(problem, time_limit=time_limit, workers=workers)
    seconds = time.monotonic() - t0
    verdict = "-"
    if solution.found:
        broken = check.violations(problem, solution.assignment)
        recomputed = check.objective(problem, solution.assignment)
        verdict = "ok" if not broken and recomputed == solution.objective else (
            f"{len(broken)} broken, objective {recomputed}")
    best = BEST_KNOWN.get(number)
    gap = None if solution.objective is None or not best else 100.0 * (solution.objective - best) / best
    return {"instance": number, "objective": solution.objective, "best_known": best,
            "gap_pct": None if gap is None else round(gap, 2), "bound": solution.bound,
            "seconds": round(seconds, 1), "status": solution.status, "check": verdict,
            "target_met": verdict == "ok" and target_met(number, solution.objective)}


def row(r: dict) -> list:
    gap = "" if r["gap_pct"] is None else f"{r['gap_pct']:.2f}"
    return [r["instance"], r["objective"], r["best_known"], gap, r["bound"], r["seconds"], r["status"], r["check"]]


def run_all(numbers: list[int], time_limit: float, workers: int, log=print) -> dict:
    results = []
    for number in numbers:
        log(f"nrp: instance {number} ({time_limit:g} s) ...")
        results.append(run_instance(number, time_limit, workers))
        log("  " + "  ".join(str(v) for v in row(results[-1])))
    checked = all(r["check"] == "ok" for r in results)
    met = [r["instance"] for r in results if r["target_met"]]
    targeted = [r["instance"] for r in results if r["instance"] <= 12]
    status = "PASS" if checked and all(n in met for n in targeted) else "FAIL"
    return {
        "status": status,
        "headline": f"target met on {len([n for n in targeted if n in met])}/{len(targeted)} of instances 1-12 "
                    f"(best-known on 1-7, within 2% on 8-12); all rosters checked: {'yes' if checked else 'NO'}",
        "title": f"nurse rostering, {time_limit:g} s per instance, {workers} workers",
        "table": {"columns": COLUMNS, "rows": [row(r) for r in results]},
        "results": results,
    }


@register("nrp")
def nrp_bench(ctx: Context) -> dict:
    """The roster engine on the nurse-rostering benchmark (instances 1-12, 60 s each)."""
    numbers = parse_instances(os.environ.get("DRILLAPP_NRP_INSTANCES", "1-12"))
    time_limit = float(os.environ.get("DRILLAPP_NRP_TIME_LIMIT", "60"))
    workers = int(os.environ.get("DRILLAPP_NRP_WORKERS", "2"))
    if ctx.self_test:  # the harness only: one small instance, briefly
        numbers, time_limit = [1], 5.0
    return run_all(numbers, time_limit, workers, log=ctx.log)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.nrp", description=__doc__.splitlines()[0])
    parser.add_argument("--instances", default="1-12", help="e.g. 1-12, 1-24, 3,5,8 (default 1-12)")
    parser.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    result = run_all(parse_instances(args.instances), args.time_limit, args.workers,
                     log=lambda m: print(m, file=sys.stderr, flush=True))
    print(format_table(result["table"]["columns"], result["table"]["rows"]))
    print(f"result: {result['status']}  {result['headline']}")
    return 0 if result["status"] == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
