"""The public nurse-rostering benchmark (schedulingbenchmarks.org instances 1-24) as a `Problem`.

An instance file has sections (SECTION_HORIZON, SECTION_SHIFTS, SECTION_STAFF, SECTION_DAYS_OFF,
SECTION_SHIFT_ON_REQUESTS, SECTION_SHIFT_OFF_REQUESTS, SECTION_COVER) of comma-separated rows; lines
starting with # are comments. Days off are hard (`Person.unavailable`); cover is soft (a preferred count
with weights for each person short and each person over). Every instance starts on a Monday. The
solution file is a CSV `employee,day,shift` with one row per assigned shift.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

from drillapp.io.csv_cells import restore, safe_row
from drillapp.roster.problem import (
    Assignment,
    CoverRequirement,
    Person,
    Problem,
    Request,
    ShiftType,
    Solution,
)


class InstanceError(ValueError):
    """The file is not a benchmark instance; the message names the line."""


def read_instance(path: str | Path) -> Problem:
    path = Path(path)
    return parse_instance(path.read_text(encoding="utf-8-sig"), name=path.stem)


def _sections(text: str) -> dict[str, list[tuple[int, list[str]]]]:
    sections: dict[str, list[tuple[int, list[str]]]] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = line
            sections.setdefault(current, [])
            continue
        if current is None:
            raise InstanceError(f"line {number}: data before the first SECTION_ heading")
        sections[current].append((number, [f.strip() for f in line.split(",")]))
    return sections


def parse_instance(text: str, name: str = "") -> Problem:
    sections = _sections(text)
    try:
        return _build(sections, name)
    except (KeyError, IndexError, ValueError) as exc:
        if isinstance(exc, InstanceError):
            raise
        raise InstanceError(f"{name or 'instance'}: {exc.__class__.__name__}: {exc}") from exc


def _build(sections: dict[str, list[tuple[int, list[str]]]], name: str) -> Problem:
    (_, horizon), = sections["SECTION_HORIZON"]
    days = int(horizon[0])
    shift_types: list[ShiftType] = []
    forbidden: set[tuple[str, str]] = set()
    for _, row in sections["SECTION_SHIFTS"]:
        shift_types.append(ShiftType(code=row[0], minutes=int(row[1]), label=row[0]))
        for nxt in (row[2] if len(row) > 2 else "").split("|"):
            if nxt.strip():
                forbidden.add((row[0], nxt.strip()))
    days_off: dict[str, set[int]] = {}
    for _, row in sections.get("SECTION_DAYS_OFF", []):
        days_off.setdefault(row[0], set()).update(int(v) for v in row[1:] if v)
    people: list[Person] = []
    for number, row in sections["SECTION_STAFF"]:
        if len(row) < 8:
            raise InstanceError(f"line {number}: a staff row has 8 fields, this one {len(row)}")
        caps = {}
        for item in row[1].split("|"):
            if item:
                code, value = item.split("=")
                caps[code.strip()] = int(value)
        people.append(Person(
            key=row[0], name=row[0], max_shifts=caps, max_minutes=int(row[2]), min_minutes=int(row[3]),
            max_consecutive=int(row[4]), min_consecutive=int(row[5]), min_consecutive_off=int(row[6]),
            max_weekends=int(row[7]), unavailable=frozenset(days_off.get(row[0], ()))))
    requests = [Request(person=row[0], day=int(row[1]), shift=row[2], on=on, weight=int(row[3]))
                for section, on in (("SECTION_SHIFT_ON_REQUESTS", True), ("SECTION_SHIFT_OFF_REQUESTS", False))
                for _, row in sections.get(section, [])]
    cover = [CoverRequirement(day=int(row[0]), shift=row[1], minimum=0, preferred=int(row[2]),
                              under_weight=int(row[3]), over_weight=int(row[4]), label="cover")
             for _, row in sections.get("SECTION_COVER", [])]
    return Problem(days=days, shift_types=shift_types, people=people, cover=cover, requests=requests,
                   forbidden_successions=forbidden, first_weekday=0, name=name)


def write_solution(path: str | Path, problem: Problem, assignment: Assignment) -> None:
    order = {p.key: i for i, p in enumerate(problem.people)}
    rows = sorted(assignment.items(), key=lambda item: (order.get(item[0][0], len(order)), item[0][1]))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["employee", "day", "shift"])
        for (person, day), shift in rows:
            writer.writerow(safe_row([person, day, shift]))


def read_solution(path: str | Path) -> Assignment:
    with open(path, newline="", encoding="utf-8") as fh:
        return {(restore(row["employee"]), int(row["day"])): restore(row["shift"]) for row in csv.DictReader(fh)}


def summary_line(solution: Solution) -> str:
    """The one line `drillapp roster bench` prints."""
    def show(v: int | None) -> str:
        return "-" if v is None else str(v)

    return (f"objective={show(solution.objective)} bound={show(solution.bound)} "
            f"status={solution.status} seconds={solution.seconds:.1f}")


def bench_command(instance: Path, time_limit: float, out: Path, workers: int = 2, isolated: bool = False) -> int:
    """`drillapp roster bench`: read, solve with the engine, write the CSV, print one line. `isolated` runs the
    engine in a child process, as the desktop app does (the bundle's smoke test proves that works there)."""
    from drillapp.roster import engine
    from drillapp.roster import isolated as child

    t0 = time.monotonic()
    try:
        problem = read_instance(instance)
    except (OSError, UnicodeDecodeError, InstanceError) as exc:
        print(f"drillapp: cannot read the instance {instance}: {exc}", file=sys.stderr)
        return 1
    left = max(0.1, time_limit - (time.monotonic() - t0))
    if isolated:
        solution = child.search_isolated(problem, time_limit=left, workers=workers).solution
    else:
        solution = engine.solve(problem, time_limit=left, workers=workers)
    solution.seconds = round(time.monotonic() - t0, 3)
    if solution.found:
        write_solution(out, problem, solution.assignment)
    print(summary_line(solution))
    return 0 if solution.found else 1
