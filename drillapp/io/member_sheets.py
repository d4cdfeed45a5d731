"""Member sheets: the rapid-response team's members as CSV or XLSX, in and out (plain Python, no Qt, no database).

- `read_sheet(path)` reads a CSV (UTF-8 with or without BOM, else GB18030 as Chinese Excel saves it) or the
  first sheet of an XLSX (openpyxl, read-only) into a `Sheet`: the header row and the data rows with their
  row numbers as the user sees them (the header is row 1). A file that cannot be read at all raises
  `MemberSheetError`.
- `parse_members(sheet, vocabulary)` checks every cell and returns the `MemberRow`s and the `Problem`s (row,
  column, what is wrong, translated). Nothing is resolved against the database here: the `Vocabulary` (the
  port's branch names, squads and skills) is handed in by the service.
- `write_sheet(path, rows)` writes members (Chinese headers, `HEADERS`) as CSV (UTF-8 with BOM) or XLSX; what it
  writes reads back to the same members.

Headers may be Chinese or English (`姓名` / `name`, ...); columns may come in any order; only 姓名 and 支部 are
required. Dates are YYYY-MM-DD or YYYY/MM/DD text, or Excel date cells. Skills are written
``急救:2027-05-01;俄语`` (skill code or name, an optional expiry date after a colon, separated by semicolons).
All texts but the notes lose their surrounding whitespace; the notes are kept exactly.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from drillapp.i18n import _
from drillapp.models.enums import Agency, MemberStatus
from drillapp.services.errors import DomainError

#: (field, Chinese header written on export, other accepted header names, lower case)
COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("name", "姓名", ("name",)),
    ("branch", "支部", ("单位", "branch", "agency")),
    ("post", "职务", ("post",)),
    ("rank", "职级", ("rank",)),
    ("phone", "电话", ("phone",)),
    ("mobile", "手机", ("mobile",)),
    ("email", "邮箱", ("email", "e-mail")),
    ("status", "状态", ("status",)),
    ("volunteer_date", "报名日期", ("volunteer_date", "volunteer date")),
    ("fitness_date", "体能测试日期", ("fitness_date", "fitness date")),
    ("training_date", "培训日期", ("training_date", "training date")),
    ("squad", "小组", ("squad",)),
    ("skills", "技能", ("skills",)),
    ("notes", "备注", ("notes",)),
)
HEADERS = tuple(zh for _key, zh, _other in COLUMNS)
_HEADER_KEYS = {name: key for key, zh, other in COLUMNS for name in (zh, key, *other)}
#: Longest texts the database holds (drillapp/models/team.py).
MAX_LEN = {"name": 100, "post": 100, "rank": 100, "phone": 50, "mobile": 50, "email": 200, "notes": 100_000}
DATE_FIELDS = ("volunteer_date", "fitness_date", "training_date")
#: Words for the agencies, besides the port's own branch names and the enum values.
AGENCY_WORDS: dict[Agency, tuple[str, ...]] = {
    Agency.BORDER_INSPECTION: ("边检", "边检站", "边防检查站", "出入境边防检查站", "border inspection"),
    Agency.CUSTOMS: ("海关", "customs"),
    Agency.QUARANTINE: ("检验检疫", "检疫", "inspection & quarantine", "quarantine"),
    Agency.PORT_OFFICE: ("口岸办", "口岸管理办公室", "port office"),
}
#: Status words: the first is written on export.
STATUS_WORDS: dict[MemberStatus, tuple[str, ...]] = {
    MemberStatus.ACTIVE: ("在岗", "active"),
    MemberStatus.ON_LEAVE: ("休假", "on leave", "on_leave"),
    MemberStatus.LEFT: ("已离队", "离队", "left"),
}
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_SKILL_SEPARATORS = re.compile(r"[;；]")


class MemberSheetError(DomainError):
    """A sheet that cannot be read at all (missing, not CSV/XLSX, damaged)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a sheet: `row` as the user sees it (header = 1), `column` (the header as written,
    or the column letter when it has none) and `problem` (translated)."""

    row: int
    column: str
    problem: str

    def __str__(self) -> str:
        if self.column:
            return _("row {row}, {column}: {problem}").format(row=self.row, column=self.column, problem=self.problem)
        return _("row {row}: {problem}").format(row=self.row, problem=self.problem)


@dataclass(frozen=True)
class Sheet:
    source: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]  # (row number, cells)


@dataclass(frozen=True)
class Vocabulary:
    """What the cells may name, in lower case: text -> branch id, squad id, skill code."""

    branches: Mapping[str, int]
    squads: Mapping[str, int]
    skills: Mapping[str, str]


@dataclass(frozen=True)
class MemberRow:
    row: int
    name: str
    branch_id: int
    #: the fields whose column is in the sheet (an empty cell clears the field; status None = not given)
    values: dict[str, Any] = field(default_factory=dict)
    #: (skill code, expiry or None), as listed
    skills: tuple[tuple[str, date | None], ...] = ()

    @property
    def identity(self) -> tuple[str, int, str]:
        """Who this is: the same name, branch and mobile is the same person."""
        return (self.name, self.branch_id, str(self.values.get("mobile", "")))


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def agency_words(agency: Agency, *names: str) -> set[str]:
    """Everything that names this agency's branch (lower case): enum value, the usual words, the branch's names."""
    return {w.strip().lower() for w in (agency.value, *AGENCY_WORDS[agency], *names) if w and w.strip()}


# --- reading --------------------------------------------------------------------------------------


def read_sheet(path: str | Path) -> Sheet:
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise MemberSheetError(_("{path}: the file does not exist.").format(path=name))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path)
    else:
        raise MemberSheetError(_("{path}: not a member sheet (use a .csv or .xlsx file).").format(path=name))
    rows = [list(r) for r in table]
    while rows and all(_blank(c) for c in rows[-1]):
        rows.pop()
    if not rows:
        raise MemberSheetError(_("{path}: the file is empty.").format(path=name))
    headers = tuple("" if c is None else str(c).strip() for c in rows[0])
    body = tuple((n, tuple(r)) for n, r in enumerate(rows[1:], start=2) if not all(_blank(c) for c in r))
    return Sheet(name, headers, body)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_csv(path: Path) -> list[list[str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MemberSheetError(_("{path}: the file cannot be read ({error}).").format(
            path=path, error=exc.strerror or exc)) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise MemberSheetError(_("{path}: the file is neither UTF-8 nor GB18030 text.").format(path=path))
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise MemberSheetError(_("{path}: not a valid CSV file ({error}).").format(path=path, error=exc)) from None


def _read_xlsx(path: Path) -> list[list[Any]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors: all mean "not a workbook we can read"
        raise MemberSheetError(_("{path}: not a valid XLSX workbook ({error}).").format(path=path, error=exc)) from None
    try:
        sheet = book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


# --- checking -------------------------------------------------------------------------------------


def parse_members(sheet: Sheet, vocabulary: Vocabulary) -> tuple[list[MemberRow], list[Problem]]:
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    labels: dict[int, str] = {}
    for index, header in enumerate(sheet.headers):
        labels[index] = header or column_letter(index)
        if not header:
            continue
        key = _HEADER_KEYS.get(header.lower().replace("＿", "_"))
        if key is None:
            problems.append(Problem(1, labels[index], _("unknown column (known: {known}).").format(
                known=", ".join(HEADERS))))
        elif key in columns:
            problems.append(Problem(1, labels[index], _("the column is given twice (also column {letter}).").format(
                letter=column_letter(columns[key]))))
        else:
            columns[key] = index
    for key, zh in (("name", "姓名"), ("branch", "支部")):
        if key not in columns:
            problems.append(Problem(1, "", _("the column {column} is missing.").format(column=zh)))
    if problems:
        return [], problems

    members: list[MemberRow] = []
    seen: dict[tuple[str, int, str], int] = {}
    for number, cells in sheet.rows:
        row_problems: list[Problem] = []

        def cell(key: str, cells: tuple[Any, ...] = cells) -> Any:
            index = columns[key]
            return cells[index] if index < len(cells) else None

        def fail(key: str, problem: str, number: int = number, row_problems: list[Problem] = row_problems) -> None:
            row_problems.append(Problem(number, labels[columns[key]], problem))

        values: dict[str, Any] = {}
        for key in ("name", "post", "rank", "phone", "mobile", "email", "notes"):
            if key not in columns:
                continue
            text = _text(cell(key), strip=key != "notes")
            if len(text) > MAX_LEN[key]:
                fail(key, _("too long ({length} characters; at most {limit}).").format(
                    length=len(text), limit=MAX_LEN[key]))
            values[key] = text
        name = values.pop("name")
        if not name:
            fail("name", _("the name is missing."))
        branch_text = _text(cell("branch"))
        branch_id = vocabulary.branches.get(branch_text.lower())
        if not branch_text:
            fail("branch", _("the branch is missing."))
        elif branch_id is None:
            fail("branch", _("unknown branch: {value}").format(value=branch_text))
        if "status" in columns:
            status_text = _text(cell("status"))
            if status_text:
                status = _status(status_text)
                if status is None:
                    fail("status", _("unknown status: {value}").format(value=status_text))
                values["status"] = status
        for key in DATE_FIELDS:
            if key in columns:
                raw = cell(key)
                day = _date(raw)
                if day is False:
                    fail(key, _("not a date: {value}").format(value=_text(raw)))
                values[key] = day if day is not False else None
        if "squad" in columns:
            squad_text = _text(cell("squad"))
            squad_id = vocabulary.squads.get(squad_text.lower()) if squad_text else None
            if squad_text and squad_id is None:
                fail("squad", _("unknown squad: {value}").format(value=squad_text))
            values["squad_id"] = squad_id
        skills: list[tuple[str, date | None]] = []
        if "skills" in columns:
            for part in _SKILL_SEPARATORS.split(_text(cell("skills"))):
                part = part.strip()
                if not part:
                    continue
                skill_text, _sep, expiry_text = part.replace("：", ":").partition(":")
                skill_text, expiry_text = skill_text.strip(), expiry_text.strip()
                code = vocabulary.skills.get(skill_text.lower())
                expiry = _date(expiry_text) if expiry_text else None
                if code is None:
                    fail("skills", _("unknown skill: {value}").format(value=skill_text))
                elif expiry is False:
                    fail("skills", _("not a date: {value}").format(value=expiry_text))
                elif any(c == code for c, _e in skills):
                    fail("skills", _("the skill {value} is listed twice.").format(value=skill_text))
                else:
                    skills.append((code, expiry))  # type: ignore[arg-type]
        if not row_problems and branch_id is not None:
            member = MemberRow(number, name, branch_id, values, tuple(skills))
            if member.identity in seen:
                row_problems.append(Problem(number, labels[columns["name"]], _(
                    "the same person as row {other} (same name, branch and mobile).").format(other=seen[member.identity])))
            else:
                seen[member.identity] = number
                members.append(member)
        problems.extend(row_problems)
    return members, problems


def _text(value: Any, *, strip: bool = True) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed into a number cell
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text.strip() if strip else text


def _date(value: Any) -> date | None | bool:
    """The date in a cell; None when empty; False when it is not a date."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.match(str(value).strip())
    if not match:
        return False
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False


def _status(text: str) -> MemberStatus | None:
    lowered = text.lower()
    for status, words in STATUS_WORDS.items():
        if lowered == status.value or lowered in words:
            return status
    return None


# --- writing --------------------------------------------------------------------------------------


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

    def cells(self) -> list[str]:
        skills = ";".join(f"{name}:{expiry.isoformat()}" if expiry else name for name, expiry in self.skills)
        dates = [d.isoformat() if d else "" for d in (self.volunteer_date, self.fitness_date, self.training_date)]
        return [self.name, self.branch, self.post, self.rank, self.phone, self.mobile, self.email,
                STATUS_WORDS[self.status][0], *dates, self.squad, skills, self.notes]


def write_sheet(path: str | Path, rows: Iterable[ExportRow]) -> Path:
    """Write members to a .csv (UTF-8 with BOM, for Excel) or .xlsx file; every cell is text."""
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
                writer.writerows(r.cells() for r in rows)
        else:
            _write_xlsx(path, rows)
    except OSError as exc:
        raise MemberSheetError(_("Cannot write {path}: {error}").format(path=path, error=exc.strerror or exc)) from None
    return path


def _write_xlsx(path: Path, rows: Iterable[ExportRow]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "队员"
    sheet.append(list(HEADERS))
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row.cells(), start=1):
            target = sheet.cell(row=r, column=c)
            target.value = value
            target.data_type = "s"  # text stays text: "=..." is not a formula, "0433..." keeps its zero
    book.save(path)
