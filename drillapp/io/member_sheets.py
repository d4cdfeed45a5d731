"""Member sheets: the rapid-response team's members as CSV or XLSX, in and out (plain Python, no Qt, no database).

- `read_sheet(path)` (drillapp/io/sheet_files.py) reads a CSV (UTF-8, GB18030 or Big5, told apart by
  drillapp/io/text_encoding.py) or the first sheet of an XLSX (streamed, bounded) into a `Sheet`: the header
  row and the data rows with their row numbers as the user sees them (the header is row 1). A file that
  cannot be read at all raises `MemberSheetError`.
- `parse_members(sheet, vocabulary)` checks every cell and returns the `MemberRow`s and the `Problems` (row,
  column, what is wrong, translated; the first `MAX_PROBLEMS` kept, all counted). Nothing is resolved against
  the database here: the `Vocabulary` (the port's branch names, squads and skills) is handed in by the service.
- `write_sheet(path, rows)` (drillapp/io/member_sheet_export.py) writes members (Chinese headers, `HEADERS`)
  as CSV (UTF-8 with BOM, formulas neutralised: drillapp/io/csv_cells.py) or XLSX; what it writes reads
  back to the same members.

An exported sheet ends with two columns, 系统编号 (the member's id) and 数据版本 (a stamp of the member's
data when exported), so that an import can tell the rows changed in the app since then (conflicts,
services/member_conflicts.py); a sheet without them (one a branch made) is matched by name, branch and mobile.

Headers may be Chinese or English (`姓名` / `name`, ...); columns may come in any order; only 姓名 and 支部 are
required. Dates are YYYY-MM-DD or YYYY/MM/DD text, or Excel date cells. Skills are written
``急救:2027-05-01;俄语`` (skill code or name, an optional expiry date after a colon, separated by semicolons).
All texts but the notes lose their surrounding whitespace; the notes are kept exactly.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from drillapp.i18n import _, join_list
from drillapp.io.sheet_files import MemberSheetError, Sheet, read_sheet
from drillapp.io.storable import unstorable
from drillapp.models.enums import Agency, MemberStatus

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
    ("squad", "分队", ("小组", "squad")),  # 小组: the header sheets were written with before
    ("skills", "技能", ("skills",)),
    ("notes", "备注", ("notes",)),
    ("member_id", "系统编号", ("member_id", "member id")),
    ("stamp", "数据版本", ("row_version", "row version", "data version")),
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
#: Problems kept for the report (the rest are only counted: "… and 2,997 more.").
MAX_PROBLEMS = 50
_SKILL_SEPARATORS = re.compile(r"[;；]")


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


class Problems:
    """The problems of a sheet: all counted, the first `limit` (by row, then as found) kept."""

    def __init__(self, limit: int = MAX_PROBLEMS) -> None:
        self.limit = limit
        self.count = 0
        self._kept: list[tuple[int, int, Problem]] = []  # a max-heap on (row, order), as negatives

    def add(self, problem: Problem) -> None:
        self.count += 1
        item = (-problem.row, -self.count, problem)
        if len(self._kept) < self.limit:
            heapq.heappush(self._kept, item)
        elif item > self._kept[0]:
            heapq.heapreplace(self._kept, item)

    def extend(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            self.add(p)

    def kept(self) -> tuple[Problem, ...]:
        return tuple(p for _row, _order, p in sorted(self._kept, reverse=True))

    def __bool__(self) -> bool:
        return self.count > 0

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.kept())


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
    #: (skill code, expiry or None), as listed; `has_skills`: the sheet has the skills column
    skills: tuple[tuple[str, date | None], ...] = ()
    has_skills: bool = False
    #: from an exported sheet: the member's id and the stamp of its data when exported (else None, "")
    member_id: int | None = None
    stamp: str = ""

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


# --- checking -------------------------------------------------------------------------------------


@dataclass
class ParsedSheet:
    """What `parse_members` found: the good rows, the problems, and each field's header as written."""

    members: list[MemberRow]
    problems: Problems
    labels: dict[str, str] = field(default_factory=dict)


def parse_members(sheet: Sheet, vocabulary: Vocabulary) -> ParsedSheet:
    problems = Problems()
    columns, labels = _columns(sheet.headers, problems)
    if problems:
        return ParsedSheet([], problems)
    last_header = max(i for i, h in enumerate(sheet.headers) if h)
    members: list[MemberRow] = []
    seen: dict[tuple[str, int, str], int] = {}
    seen_ids: dict[int, int] = {}
    for number, cells in sheet.rows:
        row = _RowCheck(number, cells, columns, labels)
        if not row.shape(sheet, last_header):
            problems.extend(row.problems)
            continue
        member = row.member(vocabulary)
        if member is not None and member.member_id is not None:
            if member.member_id in seen_ids:
                row.fail("member_id", _("the same member as row {other}.").format(other=seen_ids[member.member_id]))
            else:
                seen_ids[member.member_id] = number
                members.append(member)
        elif member is not None:
            if member.identity in seen:
                row.fail("name", _("the same person as row {other} (same name, branch and mobile).").format(
                    other=seen[member.identity]))
            else:
                seen[member.identity] = number
                members.append(member)
        problems.extend(row.problems)
    return ParsedSheet(members, problems, {key: labels[index] for key, index in columns.items()})


def _columns(headers: Sequence[str], problems: Problems) -> tuple[dict[str, int], dict[int, str]]:
    """Which column holds which field, and each column's label (its header, or its letter)."""
    columns: dict[str, int] = {}
    labels: dict[int, str] = {}
    for index, header in enumerate(headers):
        labels[index] = header or column_letter(index)
        if not header:
            continue
        key = _HEADER_KEYS.get(header.lower().replace("＿", "_"))
        if key is None:
            problems.add(Problem(1, labels[index], _("unknown column (known: {known}).").format(
                known=join_list(HEADERS))))
        elif key in columns:
            problems.add(Problem(1, labels[index], _("the column is given twice (also column {letter}).").format(
                letter=column_letter(columns[key]))))
        else:
            columns[key] = index
    for key, zh in (("name", "姓名"), ("branch", "支部")):
        if key not in columns:
            problems.add(Problem(1, "", _("the column {column} is missing.").format(column=zh)))
    return columns, labels


class _RowCheck:
    """The checks of one data row; `problems` collects what is wrong with it."""

    def __init__(self, number: int, cells: tuple[Any, ...], columns: dict[str, int], labels: dict[int, str]) -> None:
        self.number, self.cells, self.columns, self.labels = number, cells, columns, labels
        self.problems: list[Problem] = []

    def cell(self, key: str) -> Any:
        index = self.columns[key]
        return self.cells[index] if index < len(self.cells) else None

    def fail(self, key: str, problem: str) -> None:
        self.problems.append(Problem(self.number, self.labels[self.columns[key]], problem))

    def shape(self, sheet: Sheet, last_header: int) -> bool:
        """Whether the row is whole (a CSV row as long as the header, nothing beyond the last header, every
        text storable); when not, the other checks are skipped."""
        width = last_header + 1
        if sheet.complete_rows and len(self.cells) < width:
            self.problems.append(Problem(self.number, "", _(
                "only {count} of the {total} columns; the row is cut short (was the file cut off?).").format(
                count=len(self.cells), total=width)))
            return False
        beyond = next((i for i in range(width, len(self.cells)) if not _blank(self.cells[i])),
                      sheet.far_cells.get(self.number))
        if beyond is not None:
            self.problems.append(Problem(self.number, "", _(
                "a cell in column {column}, beyond the last column with a header ({last}); clear it or give it "
                "a header.").format(column=column_letter(beyond), last=column_letter(last_header))))
            return False
        for index, value in enumerate(self.cells):
            bad = unstorable(value) if isinstance(value, str) else None
            if bad:
                self.problems.append(Problem(self.number, self.labels.get(index, column_letter(index)), _(
                    "contains a character that cannot be stored ({code}); remove it.").format(code=bad)))
        return not self.problems

    def member(self, vocabulary: Vocabulary) -> MemberRow | None:
        """The row as a member, or None when something is wrong (then `problems` says what)."""
        values: dict[str, Any] = {}
        for key in ("name", "post", "rank", "phone", "mobile", "email", "notes"):
            if key in self.columns:
                text = _text(self.cell(key), strip=key != "notes")
                if len(text) > MAX_LEN[key]:
                    self.fail(key, _("too long ({length} characters; at most {limit}).").format(
                        length=len(text), limit=MAX_LEN[key]))
                values[key] = text
        name = values.pop("name")
        if not name:
            self.fail("name", _("the name is missing."))
        branch_id = self.branch(vocabulary)
        self.status(values)
        for key in DATE_FIELDS:
            if key in self.columns:
                raw = self.cell(key)
                day = _date(raw)
                if day is False:
                    self.fail(key, _("not a date: {value}").format(value=_text(raw)))
                values[key] = day if day is not False else None
        if "squad" in self.columns:
            squad_text = _text(self.cell("squad"))
            squad_id = vocabulary.squads.get(squad_text.lower()) if squad_text else None
            if squad_text and squad_id is None:
                self.fail("squad", _("unknown squad: {value}").format(value=squad_text))
            values["squad_id"] = squad_id
        skills = self.skills(vocabulary)
        member_id, stamp = self.export_marks()
        if self.problems or branch_id is None:
            return None
        return MemberRow(self.number, name, branch_id, values, tuple(skills), "skills" in self.columns,
                         member_id, stamp)

    def branch(self, vocabulary: Vocabulary) -> int | None:
        text = _text(self.cell("branch"))
        branch_id = vocabulary.branches.get(text.lower())
        if not text:
            self.fail("branch", _("the branch is missing."))
        elif branch_id is None:
            self.fail("branch", _("unknown branch: {value}").format(value=text))
        return branch_id

    def status(self, values: dict[str, Any]) -> None:
        if "status" in self.columns:
            text = _text(self.cell("status"))
            if text:
                status = _status(text)
                if status is None:
                    self.fail("status", _("unknown status: {value}").format(value=text))
                values["status"] = status

    def skills(self, vocabulary: Vocabulary) -> list[tuple[str, date | None]]:
        skills: list[tuple[str, date | None]] = []
        if "skills" not in self.columns:
            return skills
        for part in _SKILL_SEPARATORS.split(_text(self.cell("skills"))):
            part = part.strip()
            if not part:
                continue
            skill_text, _sep, expiry_text = part.replace("：", ":").partition(":")
            skill_text, expiry_text = skill_text.strip(), expiry_text.strip()
            code = vocabulary.skills.get(skill_text.lower())
            expiry = _date(expiry_text) if expiry_text else None
            if code is None:
                self.fail("skills", _("unknown skill: {value}").format(value=skill_text))
            elif expiry is False:
                self.fail("skills", _("not a date: {value}").format(value=expiry_text))
            elif any(c == code for c, _e in skills):
                self.fail("skills", _("the skill {value} is listed twice.").format(value=skill_text))
            else:
                skills.append((code, expiry))  # type: ignore[arg-type]  # expiry is a date or None here: False was reported just above
        return skills

    def export_marks(self) -> tuple[int | None, str]:
        """The member id and data stamp an exported sheet carries (both or neither)."""
        id_text = _text(self.cell("member_id")) if "member_id" in self.columns else ""
        stamp = _text(self.cell("stamp")) if "stamp" in self.columns else ""
        if not id_text and not stamp:
            return None, ""
        if not id_text or not stamp:
            self.fail("stamp" if id_text else "member_id", _(
                "系统编号 and 数据版本 come from an export and go together: keep both or clear both."))
            return None, ""
        if not id_text.isascii() or not id_text.isdigit() or len(id_text) > 12:
            self.fail("member_id", _("not a member id: {value}").format(value=id_text))
            return None, ""
        return int(id_text), stamp


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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




__all__ = [
    "COLUMNS", "HEADERS", "MAX_PROBLEMS", "MemberRow", "MemberSheetError", "ParsedSheet", "Problem", "Problems",
    "Sheet", "Vocabulary", "agency_words", "column_letter", "parse_members", "read_sheet",
]
