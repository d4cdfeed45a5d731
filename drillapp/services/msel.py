"""A drill's scenario script (MSEL) in and out of sheets: check, import all or nothing, export.

`check(drill_id, path)` reads and checks a sheet against the drill (its length, its objectives) and writes
nothing; `import_file` does the same and replaces the drill's injects with the sheet's rows in one operation
("drills.import_msel"), or refuses the whole sheet, writing nothing, when any row has a problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from drillapp.i18n import _
from drillapp.io.member_sheets import Problem
from drillapp.io.msel_sheets import MselRow, parse_msel, write_msel
from drillapp.io.sheet_files import read_sheet
from drillapp.models import Drill, DrillObjective, Inject
from drillapp.models.enums import DRILL_TO_COME
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError

SHOWN_PROBLEMS = 10


@dataclass(frozen=True)
class MselReport:
    source: str
    rows: int
    problems: tuple[Problem, ...]
    problem_count: int
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        out = [str(p) for p in self.problems]
        more = self.problem_count - len(self.problems)
        if more > 0:
            out.append(_("… and {count} more.").format(count=f"{more:,}"))
        return out

    def message(self) -> str:
        if self.problems:
            return _("{file}: {count} problem(s) in {rows} row(s); nothing imported.").format(
                file=self.source, count=f"{self.problem_count:,}", rows=self.rows)
        return _("{file}: {rows} inject(s) imported.").format(file=self.source, rows=self.imported or self.rows)


class MselImportError(DomainError):
    def __init__(self, report: MselReport) -> None:
        super().__init__("\n".join([report.message(), *report.lines()[:SHOWN_PROBLEMS]]))
        self.report = report


class MselService(ServiceBase):
    def _parse(self, s, drill: Drill, path: str | Path) -> tuple[list[MselRow], MselReport]:  # noqa: ANN001
        sheet = read_sheet(path)
        objectives = len(drill.objectives)
        rows, problems = parse_msel(sheet, drill.duration_minutes, objectives)
        return rows, MselReport(sheet.source, len(sheet.rows), problems.kept(), problems.count)

    def check(self, drill_id: int, path: str | Path) -> MselReport:
        with self.read() as s:
            drill = validate.get(s, Drill, drill_id, _("Drill"))
            return self._parse(s, drill, path)[1]

    def import_file(self, drill_id: int, path: str | Path) -> MselReport:
        """Replace the drill's injects with the sheet's (all rows or none)."""
        with self.write("drills.import_msel") as s:
            drill = validate.get(s, Drill, drill_id, _("Drill"))
            if drill.status not in DRILL_TO_COME:
                raise DomainError(_("This drill has run or was cancelled: its record stays as it was."))
            rows, report = self._parse(s, drill, path)
            if report.problems:
                raise MselImportError(report)
            objectives = list(s.scalars(select(DrillObjective).where(DrillObjective.drill_id == drill.id)
                                        .order_by(DrillObjective.position)))
            drill.injects.clear()
            s.flush()
            used = {r.number for r in rows if r.number}
            free = (n for n in range(1, 10**6) if n not in used)
            for r in sorted(rows, key=lambda x: (x.offset_minutes, x.number or 10**9, x.row)):
                drill.injects.append(Inject(
                    number=r.number or next(free), offset_minutes=r.offset_minutes, scenario_time=r.scenario_time,
                    sender=r.sender, recipient=r.recipient, delivery=r.delivery, message=r.message,
                    expected_action=r.expected_action,
                    objective_id=objectives[r.objective - 1].id if r.objective else None))
            if drill.series_id is not None:
                drill.detached = True
            return MselReport(report.source, report.rows, (), 0, len(rows))

    def export_file(self, drill_id: int, path: str | Path) -> Path:
        with self.read() as s:
            drill = validate.get(s, Drill, drill_id, _("Drill"))
            positions = {o.id: i for i, o in enumerate(drill.objectives, start=1)}
            rows = [MselRow(0, i.number, i.offset_minutes, i.message, i.sender, i.recipient, i.delivery,
                            i.expected_action, i.scenario_time, positions.get(i.objective_id) if i.objective_id else None)
                    for i in drill.injects]
        return write_msel(path, rows)
