"""The scenario script (MSEL) as a sheet, in and out: one inject per row (plain Python, no database).

Read with the member sheets' bounded reader (drillapp/io/sheet_files.py: CSV in UTF-8, GB18030 or Big5, or the
first sheet of an XLSX, formula guards taken off), checked cell by cell with the same row-and-column problem
report (drillapp/io/member_sheets.py `Problem`/`Problems`), and written back as CSV (UTF-8 with BOM, formulas
neutralised) or XLSX (every cell text). Headers may be Chinese or English, in any order; 时间（分钟）and 内容
are required. An offset beyond the drill's end is a problem of its row.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from drillapp.i18n import _
from drillapp.io.csv_cells import safe_row
from drillapp.io.member_sheets import MemberSheetError, Problem, Problems, column_letter
from drillapp.io.sheet_files import Sheet
from drillapp.io.storable import unstorable
from drillapp.models.enums import InjectDelivery

COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("number", "序号", ("number", "no", "no.", "#", "编号")),
    ("offset", "时间（分钟）", ("时间(分钟)", "offset", "offset_minutes", "minute", "minutes", "分钟")),
    ("scenario_time", "情景时间", ("scenario_time", "scenario time")),
    ("sender", "发出方", ("from", "sender", "发送方")),
    ("recipient", "接收方", ("to", "recipient")),
    ("delivery", "方式", ("delivery", "传递方式")),
    ("message", "内容", ("message", "注入内容")),
    ("expected_action", "预期行动", ("expected_action", "expected action", "预期处置")),
    ("objective", "对应目标", ("objective", "目标")),
)
HEADERS = tuple(zh for _key, zh, _other in COLUMNS)
_KEYS = {name.lower(): key for key, zh, other in COLUMNS for name in (zh, key, *other)}
DELIVERY_WORDS: dict[InjectDelivery, tuple[str, ...]] = {
    InjectDelivery.PHONE: ("电话", "phone"),
    InjectDelivery.RADIO: ("对讲机", "电台", "radio"),
    InjectDelivery.PAPER: ("书面", "纸质", "paper"),
    InjectDelivery.IN_PERSON: ("当面", "口头", "in person", "in_person"),
}
MAX_LEN = {"sender": 200, "recipient": 200, "scenario_time": 100, "message": 100_000, "expected_action": 100_000}


@dataclass(frozen=True)
class MselRow:
    row: int
    number: int
    offset_minutes: int
    message: str
    sender: str = ""
    recipient: str = ""
    delivery: InjectDelivery | None = None
    expected_action: str = ""
    scenario_time: str = ""
    objective: int | None = None  # the objective's number (1 = the drill's first objective)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value).strip()


def _whole(value: Any) -> int | None:
    """A whole number in a cell (text or number), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def delivery_of(text: str) -> InjectDelivery | None | Literal[False]:
    """The delivery a cell names; None when empty; False when unknown."""
    if not text:
        return None
    lowered = text.lower()
    for delivery, words in DELIVERY_WORDS.items():
        if lowered == delivery.value or lowered in words:
            return delivery
    return False


def parse_msel(sheet: Sheet, duration_minutes: int, objectives: int) -> tuple[list[MselRow], Problems]:
    problems = Problems()
    columns: dict[str, int] = {}
    labels = {i: (h or column_letter(i)) for i, h in enumerate(sheet.headers)}
    for index, header in enumerate(sheet.headers):
        if not header:
            continue
        key = _KEYS.get(header.lower())
        if key is None:
            problems.add(Problem(1, labels[index], _("unknown column (known: {known}).").format(known=", ".join(HEADERS))))
        elif key in columns:
            problems.add(Problem(1, labels[index], _("the column is given twice (also column {letter}).").format(
                letter=column_letter(columns[key]))))
        else:
            columns[key] = index
    for key, zh in (("offset", "时间（分钟）"), ("message", "内容")):
        if key not in columns:
            problems.add(Problem(1, "", _("the column {column} is missing.").format(column=zh)))
    if problems:
        return [], problems
    last = max(i for i, h in enumerate(sheet.headers) if h)
    rows: list[MselRow] = []
    numbers: dict[int, int] = {}
    for number, cells in sheet.rows:
        found: list[Problem] = []

        def cell(key: str, cells: Sequence[Any] = cells) -> Any:
            i = columns.get(key)
            return cells[i] if i is not None and i < len(cells) else None

        def fail(key: str, text: str, row: int = number, found: list[Problem] = found) -> None:
            found.append(Problem(row, labels[columns[key]] if key in columns else "", text))

        if sheet.complete_rows and len(cells) < last + 1:
            problems.add(Problem(number, "", _("only {count} of the {total} columns; the row is cut short (was the file "
                                               "cut off?).").format(count=len(cells), total=last + 1)))
            continue
        beyond = next((i for i in range(last + 1, len(cells)) if _text(cells[i])), sheet.far_cells.get(number))
        if beyond is not None:
            problems.add(Problem(number, "", _("a cell in column {column}, beyond the last column with a header "
                                               "({last}); clear it or give it a header.").format(
                column=column_letter(beyond), last=column_letter(last))))
            continue
        for i, value in enumerate(cells):
            bad = unstorable(value) if isinstance(value, str) else None
            if bad:
                found.append(Problem(number, labels.get(i, column_letter(i)), _(
                    "contains a character that cannot be stored ({code}); remove it.").format(code=bad)))
        offset = _whole(cell("offset"))
        if offset is None:
            fail("offset", _("not a number of minutes: {value}").format(value=_text(cell("offset")) or "—"))
        elif offset > duration_minutes:
            fail("offset", _("minute {offset} is after the drill's end (it lasts {duration} minutes).").format(
                offset=offset, duration=duration_minutes))
        message = _text(cell("message"))
        if not message:
            fail("message", _("the message is missing."))
        inject_no = 0
        if "number" in columns and _text(cell("number")):
            inject_no = _whole(cell("number")) or 0
            if inject_no <= 0:
                fail("number", _("not an inject number: {value}").format(value=_text(cell("number"))))
            elif inject_no in numbers:
                fail("number", _("the same number as row {other}.").format(other=numbers[inject_no]))
            else:
                numbers[inject_no] = number
        delivery = delivery_of(_text(cell("delivery")))
        if delivery is False:
            fail("delivery", _("unknown delivery: {value} (phone, radio, paper, in person)").format(
                value=_text(cell("delivery"))))
        objective = None
        if "objective" in columns and _text(cell("objective")):
            objective = _whole(cell("objective"))
            if objective is None or not 1 <= objective <= objectives:
                fail("objective", _("no objective {value}: the drill has {count}.").format(
                    value=_text(cell("objective")), count=objectives))
        values = {key: _text(cell(key)) for key in ("sender", "recipient", "expected_action", "scenario_time")}
        values["message"] = message
        for key, text in values.items():
            if len(text) > MAX_LEN[key]:
                fail(key, _("too long ({length} characters; at most {limit}).").format(length=len(text),
                                                                                      limit=MAX_LEN[key]))
        problems.extend(found)
        if found:
            continue
        assert offset is not None and delivery is not False
        rows.append(MselRow(number, inject_no, offset, message, values["sender"], values["recipient"], delivery,
                            values["expected_action"], values["scenario_time"], objective))
    return rows, problems


def write_msel(path: str | Path, rows: Sequence[MselRow]) -> Path:
    """Write injects to a .csv (UTF-8 with BOM, formulas neutralised) or .xlsx (every cell text)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise MemberSheetError(_("{path}: choose a .csv or .xlsx file name.").format(path=path))
    table = [[str(r.number), str(r.offset_minutes), r.scenario_time, r.sender, r.recipient,
              DELIVERY_WORDS[r.delivery][0] if r.delivery else "", r.message, r.expected_action,
              str(r.objective) if r.objective else ""] for r in rows]
    try:
        if suffix == ".csv":
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(HEADERS)
                writer.writerows(safe_row(r) for r in table)
        else:
            import openpyxl
            from openpyxl.worksheet.worksheet import Worksheet

            book = openpyxl.Workbook()
            sheet = book.active
            assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
            sheet.title = "MSEL"
            sheet.append(list(HEADERS))
            for r, cells in enumerate(table, start=2):
                for c, value in enumerate(cells, start=1):
                    target = sheet.cell(row=r, column=c)
                    target.value = value
                    target.data_type = "s"
            book.save(path)
    except OSError as exc:
        raise MemberSheetError(_("Cannot write {path}: {error}").format(path=path, error=exc.strerror or exc)) from None
    return path
