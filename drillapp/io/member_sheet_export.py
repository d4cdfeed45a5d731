"""Writing member sheets: the members of a port as CSV (UTF-8 with BOM, formulas neutralised) or XLSX (every cell
text), with Chinese headers and the export marks (系统编号, 数据版本) last; what is written reads back to the same
members (drillapp/io/member_sheets.py reads it)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from drillapp.i18n import _
from drillapp.io.csv_cells import safe_row
from drillapp.io.member_sheets import HEADERS, STATUS_WORDS, MemberSheetError
from drillapp.models.enums import MemberStatus


@dataclass(frozen=True)
class ExportRow:
    """One member as written: the cells under `HEADERS`, in order."""

    name: str
    branch: str
    post: str = ""
    rank: str = ""
    phone: str = ""
    mobile: str = ""
    email: str = ""
    status: MemberStatus = MemberStatus.ACTIVE
    volunteer_date: date | None = None
    fitness_date: date | None = None
    training_date: date | None = None
    squad: str = ""
    skills: Sequence[tuple[str, date | None]] = ()
    notes: str = ""
    #: the export marks: the member's id and the stamp of its data (services/member_conflicts.py)
    member_id: int | None = None
    stamp: str = ""

    def cells(self) -> list[str]:
        skills = ";".join(f"{name}:{expiry.isoformat()}" if expiry else name for name, expiry in self.skills)
        dates = [d.isoformat() if d else "" for d in (self.volunteer_date, self.fitness_date, self.training_date)]
        return [self.name, self.branch, self.post, self.rank, self.phone, self.mobile, self.email,
                STATUS_WORDS[self.status][0], *dates, self.squad, skills, self.notes,
                "" if self.member_id is None else str(self.member_id), self.stamp]


def write_sheet(path: str | Path, rows: Iterable[ExportRow]) -> Path:
    """Write members to a .csv (UTF-8 with BOM, for Excel; cells a spreadsheet would run as formulas get a
    leading quote) or .xlsx file (every cell typed as text)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise MemberSheetError(_("{path}: choose a .csv or .xlsx file name.").format(path=path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".csv":
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(HEADERS)
                writer.writerows(safe_row(r.cells()) for r in rows)
        else:
            _write_xlsx(path, rows)
    except OSError as exc:
        raise MemberSheetError(_("Cannot write {path}: {error}").format(path=path, error=exc.strerror or exc)) from None
    return path


def _write_xlsx(path: Path, rows: Iterable[ExportRow]) -> None:
    import openpyxl
    from openpyxl.worksheet.worksheet import Worksheet

    book = openpyxl.Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = "队员"
    sheet.append(list(HEADERS))
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row.cells(), start=1):
            target = sheet.cell(row=r, column=c)
            target.value = value
            target.data_type = "s"  # text stays text: "=..." is not a formula, "0433..." keeps its zero
    book.save(path)
