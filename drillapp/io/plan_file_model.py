"""A plan file parsed: the frozen dataclasses (`PlanFile` and its parts), the limits a file is read within and
`PlanFileError`. The reading is in plan_file_reader.py, the writing in plan_file_writer.py; plan_files.py
is what the rest of the app imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from drillapp.errors import DomainError
from drillapp.i18n import _
from drillapp.models.enums import (
    Agency,
    MatrixRole,
    PlanStatus,
    ReportKind,
    ResponsePhase,
    Scenario,
    SectionKind,
)

if TYPE_CHECKING:
    pass

E = TypeVar("E", bound=Enum)

#: Longest texts the database holds (see drillapp/models/plans.py); longer ones are refused by name.
MAX_CODE, MAX_TITLE, MAX_LEVEL_NAME, MAX_POST, MAX_NAME, MAX_PHONE, MAX_KIND, MAX_LOCATION = (
    64, 300, 100, 200, 200, 50, 100, 300)
MAX_MINUTES = 60 * 24 * 30
MAX_SECTION_DEPTH = 6
#: Every other text (section bodies, actions, triggers, notes): as much as the plan editor accepts.
MAX_LONG_TEXT = 100_000
#: The most a plan file may hold: far beyond any real plan, small enough to import and print in seconds.
MAX_FILE_BYTES = 2_000_000
MAX_SECTIONS, MAX_LEVELS, MAX_MATRIX, MAX_ACTIONS, MAX_CONTACTS, MAX_RESOURCES = 500, 4, 1000, 1000, 300, 300
#: Dates a plan may carry (beyond them a date is a typo, and converting time zones would overflow).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
#: Statuses of a version that has been approved (and so needs `approved_at`).
APPROVED_STATES = (PlanStatus.APPROVED, PlanStatus.SUPERSEDED, PlanStatus.RETIRED)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
#: approved_at is written in China Standard Time (stored as naive UTC; any offset is read back).
WRITTEN_ZONE = timezone(timedelta(hours=8))


class PlanFileError(DomainError):
    """A plan file that cannot be used: `path`, `line` (1-based, None when unknown), `field` (a path like
    ``actions[3].target_minutes``, "" for the file as a whole) and `problem` (what is wrong, translated)."""

    def __init__(self, path: str, line: int | None, field: str, problem: str) -> None:
        if line is not None and field:
            message = _("{path}, line {line}, {field}: {problem}").format(
                path=path, line=line, field=field, problem=problem)
        elif line is not None:
            message = _("{path}, line {line}: {problem}").format(path=path, line=line, problem=problem)
        else:
            message = _("{path}: {problem}").format(path=path, problem=problem)
        super().__init__(message)
        self.path, self.line, self.field, self.problem = path, line, field, problem


# --- the parsed plan ------------------------------------------------------------------------------

#: An item's lineage key (models/plans.py): a UUID, optional in a file. It is not part of the item's content
#: (compare=False): a file that differs from the plan only in its keys is the same plan.
LINEAGE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _lineage() -> Any:
    return field(default="", compare=False)


@dataclass(frozen=True)
class SectionFile:
    kind: SectionKind
    title: str
    body: str = ""
    children: tuple[SectionFile, ...] = ()
    lineage: str = _lineage()


@dataclass(frozen=True)
class LevelFile:
    level: int
    name: str
    colour: str
    trigger: str = ""


@dataclass(frozen=True)
class MatrixFile:
    task: str
    agency: Agency
    role: MatrixRole


@dataclass(frozen=True)
class ActionFile:
    agency: Agency
    level: int | None
    phase: ResponsePhase
    text: str
    responsible_post: str = ""
    target_minutes: int | None = None
    report_due: ReportKind | None = None
    lineage: str = _lineage()


@dataclass(frozen=True)
class ContactFile:
    agency: Agency | None
    name: str
    post: str = ""
    phone: str = ""
    mobile: str = ""
    notes: str = ""
    lineage: str = _lineage()


@dataclass(frozen=True)
class ResourceFile:
    name: str
    kind: str = ""
    quantity: int | None = None
    location: str = ""
    custodian: Agency | None = None
    notes: str = ""
    lineage: str = _lineage()


@dataclass(frozen=True)
class VersionFile:
    number: int
    status: PlanStatus
    approved_by: str = ""
    approved_at: datetime | None = None  # naive UTC, like everything stored
    effective_on: date | None = None
    review_due_on: date | None = None
    change_note: str = ""


@dataclass(frozen=True)
class PlanFile:
    code: str
    scenario: Scenario
    title_zh: str
    title_en: str
    owner: Agency | None
    version: VersionFile
    sections: tuple[SectionFile, ...] = ()
    levels: tuple[LevelFile, ...] = ()
    matrix: tuple[MatrixFile, ...] = ()
    actions: tuple[ActionFile, ...] = ()
    contacts: tuple[ContactFile, ...] = ()
    resources: tuple[ResourceFile, ...] = ()
    #: where it came from, and the line of each field path (for errors found later, e.g. at import)
    source: str = field(default="", compare=False)
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def line_of(self, path: str) -> int | None:
        return self.lines.get(path)

    def error(self, path: str, problem: str) -> PlanFileError:
        """A PlanFileError for a field of this file (for problems found after parsing, e.g. on import)."""
        return PlanFileError(self.source, self.line_of(path) or self.line_of(path.split(".")[0]), path, problem)

    def walk_sections(self) -> Iterator[tuple[SectionFile, int]]:
        """Every section in file order (parents before their children), with its depth (0 at the top)."""
        def walk(items: tuple[SectionFile, ...], depth: int) -> Iterator[tuple[SectionFile, int]]:
            for item in items:
                yield item, depth
                yield from walk(item.children, depth + 1)
        return walk(self.sections, 0)
