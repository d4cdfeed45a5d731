"""Plan files: one joint contingency plan (one version of it) as a human-editable YAML text file.

The format is described in docs/plan-format.md (JSON Schema: docs/plan-format.schema.json). This module
is plain Python (no Qt, no database):

- `read_plan_file(path)` / `parse_plan_text(text, source)` parse and validate a file into a `PlanFile`
  (frozen dataclasses). Every problem raises `PlanFileError` naming the file, the line (1-based) and the
  field path (``actions[3].target_minutes``; list indexes count from 0). The YAML is composed into nodes
  (PyYAML's SafeLoader) and read node by node, so each value keeps its line, and a key given twice in
  one mapping is an error rather than silently the last one.
- `dump_plan_file(plan)` writes a `PlanFile` back as YAML text: stable key order, block style, Chinese
  as it is, multi-line texts as literal blocks (``|``). `plan_file_from_doc(doc)` turns a stored plan
  version (a `PlanDoc`) into a `PlanFile`, so an export is `dump_plan_file(plan_file_from_doc(doc))`.

Texts lose their surrounding whitespace on reading (and are written stripped), nothing else changes:
parsing what `dump_plan_file` wrote gives back an equal `PlanFile`.

A plan file may come from anywhere, so reading it is bounded: the file's size, the number of sections,
levels, actions, matrix entries, contacts and resources, every text's length, and the dates are capped
(`MAX_*`, `FIRST_DAY`..`LAST_DAY`); YAML anchors, aliases and deep nesting are refused while composing
(drillapp/io/yaml_guard.py); text the database cannot store (a lone surrogate, NUL) is refused by field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from drillapp.errors import DomainError
from drillapp.i18n import N_, _
from drillapp.io.storable import printable, unstorable
from drillapp.io.yaml_guard import MAX_NESTING, MAX_NODES, YamlRefused, compose
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
    from drillapp.read_models.plan import PlanDoc

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


# --- reading --------------------------------------------------------------------------------------

def read_plan_file(path: str | Path) -> PlanFile:
    """Parse and validate one plan file; PlanFileError (naming file, line and field) if it is not valid."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise PlanFileError(name, None, "", _("the file is too large ({size:,} bytes; a plan file has at most "
                                                  "{limit:,} bytes).").format(size=size, limit=MAX_FILE_BYTES))
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise PlanFileError(name, None, "", _("the file does not exist.")) from None
    except OSError as exc:
        raise PlanFileError(name, None, "", _("the file cannot be read ({error}).").format(
            error=exc.strerror or exc)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanFileError(name, line, "", _("the file is not UTF-8 text (save it as UTF-8).")) from None
    return parse_plan_text(text, name)


def parse_plan_text(text: str, source: str = "<text>") -> PlanFile:
    """Parse and validate plan-file text; `source` names it in errors."""
    if len(text) > MAX_FILE_BYTES:
        raise PlanFileError(source, None, "", _("the plan is too large ({size:,} characters; a plan file has at "
                                                "most {limit:,}).").format(size=len(text), limit=MAX_FILE_BYTES))
    try:
        root = compose(text)
    except YamlRefused as exc:
        if exc.kind == "alias":
            problem = _("YAML anchors and aliases are not allowed in a plan file: write each part out in full.")
        elif exc.kind == "nesting":
            problem = _("the YAML is nested too deeply (more than {n} levels).").format(n=MAX_NESTING)
        else:
            problem = _("the file holds more than {n:,} values: far more than a plan needs.").format(n=MAX_NODES)
        raise PlanFileError(source, exc.line, "", problem) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or str(exc)
        raise PlanFileError(source, mark.line + 1 if mark else None, "",
                            _("not valid YAML: {problem}").format(problem=problem)) from None
    except yaml.YAMLError as exc:
        raise PlanFileError(source, None, "", _("not valid YAML: {problem}").format(problem=exc)) from None
    if root is None:
        raise PlanFileError(source, None, "", _("the file is empty."))
    return _Reader(source).plan(root)


_CONSTRUCT = SafeConstructor()
_STR, _INT, _NULL, _BOOL, _FLOAT, _TIMESTAMP = (
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "null", "bool", "float", "timestamp"))


def _shown(node: Node) -> str:
    value = node.value if isinstance(node, ScalarNode) else ("[…]" if isinstance(node, SequenceNode) else "{…}")
    return f"“{printable(str(value))}”"


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


class _Reader:
    """Reads the composed node tree, checking as it goes; `lines` records where each field path is."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines: dict[str, int] = {}
        self.section_count = 0
        self.lineages: dict[str, dict[str, str]] = {}  # list name -> lineage -> the path that gave it first

    # -- errors and structure ------------------------------------------------------------------------
    def fail(self, node: Node | None, path: str, problem: str) -> PlanFileError:
        line = node.start_mark.line + 1 if node is not None else None
        return PlanFileError(self.source, line, path, problem)

    def mapping(self, node: Node, path: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, path, _("must be a mapping of fields ({fields}), not {value}.").format(
                fields=", ".join(allowed), value=_shown(node)))
        out: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            where = f"{path}.{key}" if path and key is not None else (key or path)
            if not isinstance(key, str) or key_node.tag != _STR:
                raise self.fail(key_node, path, _("{key} is not a field name.").format(key=_shown(key_node)))
            if key not in allowed:
                raise self.fail(key_node, printable(where), _("unknown field “{key}” (allowed here: {fields}).").format(
                    key=printable(key), fields=", ".join(allowed)))
            if key in out:
                raise self.fail(key_node, where, _("“{key}” is given twice (first on line {line}).").format(
                    key=key, line=self.lines[where]))
            self.lines[where] = key_node.start_mark.line + 1
            out[key] = value_node
        for key in required:
            if key not in out:
                raise self.fail(node, f"{path}.{key}" if path else key, _("this field is missing."))
        return out

    def items(self, node: Node | None, path: str, limit: int | None = None, too_many: str = "",
              ) -> list[tuple[str, Node]]:
        """A list's items with their paths (``actions[0]`` ...); a missing list or null is empty. With a
        `limit`, the item past it is refused with the message `too_many` (formatted with the limit)."""
        if node is None or node.tag == _NULL:
            return []
        if not isinstance(node, SequenceNode):
            raise self.fail(node, path, _("must be a list (items starting with “- ”), not {value}.").format(
                value=_shown(node)))
        out = []
        for i, item in enumerate(node.value):
            if limit is not None and i >= limit:
                raise self.fail(item, f"{path}[{i}]", too_many.format(limit=limit))
            self.lines[f"{path}[{i}]"] = item.start_mark.line + 1
            out.append((f"{path}[{i}]", item))
        return out

    # -- values --------------------------------------------------------------------------------------
    def text(self, node: Node | None, path: str, *, max_len: int = MAX_LONG_TEXT, required: bool = False) -> str:
        if node is None or node.tag == _NULL:
            value = ""
        elif isinstance(node, ScalarNode) and node.tag == _STR:
            value = node.value.strip()
        else:
            raise self.fail(node, path, _("must be text, not {value} (put it in quotes).").format(value=_shown(node)))
        if required and not value:
            raise self.fail(node, path, _("must not be empty."))
        if len(value) > max_len:
            raise self.fail(node, path, _("is too long ({length} characters; at most {limit}).").format(
                length=len(value), limit=max_len))
        bad = unstorable(value)
        if bad:
            raise self.fail(node, path, _("contains a character that cannot be stored ({code}); remove it.").format(
                code=bad))
        return value

    def integer(self, node: Node | None, path: str, low: int, high: int, *, required: bool = False) -> int | None:
        if node is None or node.tag == _NULL:
            if required:
                raise self.fail(node, path, _("must be a whole number."))
            return None
        if not (isinstance(node, ScalarNode) and node.tag == _INT):
            raise self.fail(node, path, _("must be a whole number, not {value}.").format(value=_shown(node)))
        try:
            value = _CONSTRUCT.construct_yaml_int(node)
        except ValueError:  # more digits than Python converts: far out of any range
            value = None
        if value is None or not low <= value <= high:
            raise self.fail(node, path, _("must be a whole number between {low} and {high}, not {value}.").format(
                low=low, high=high, value=_shown(node)))
        return value

    def choice(self, node: Node | None, path: str, enum: type[E], *, required: bool = True) -> E | None:
        if node is None or node.tag == _NULL:
            if required:
                raise self.fail(node, path, _("must be one of: {allowed}.").format(
                    allowed=", ".join(m.value for m in enum)))
            return None
        value = node.value if isinstance(node, ScalarNode) else None
        for member in enum:
            if member.value == value:
                return member
        raise self.fail(node, path, _("{value} is not one of: {allowed}.").format(
            value=_shown(node), allowed=", ".join(m.value for m in enum)))

    def timestamp(self, node: Node | None, path: str, *, with_time: bool) -> date | datetime | None:
        if node is None or node.tag == _NULL:
            return None
        value: Any = None
        if isinstance(node, ScalarNode) and node.tag == _TIMESTAMP:
            try:
                value = _CONSTRUCT.construct_yaml_timestamp(node)
            except (ConstructorError, ValueError):
                value = None
        elif isinstance(node, ScalarNode) and node.tag == _STR:
            try:
                value = (datetime if with_time else date).fromisoformat(node.value.strip())
            except ValueError:
                value = None
        if isinstance(value, date) and not FIRST_DAY <= _day(value) <= LAST_DAY:
            raise self.fail(node, path, _("must be between {first} and {last}, not {value}.").format(
                first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat(), value=_shown(node)))
        if with_time and isinstance(value, datetime):
            return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        if not with_time and isinstance(value, date) and not isinstance(value, datetime):
            return value
        example = "2026-03-01 09:30:00+08:00" if with_time else "2026-03-01"
        raise self.fail(node, path, _("must be a date like {example}, not {value}.").format(
            example=example, value=_shown(node)))

    def lineage(self, node: Node | None, path: str) -> str:
        """An item's optional lineage key: a UUID (lower case kept), once per list (sections: in the whole tree)."""
        value = self.text(node, path, max_len=36).lower()
        if not value:
            return ""
        if not LINEAGE.match(value):
            raise self.fail(node, path, _("must be a lineage key like “{example}” (as drillapp exports it), "
                                          "not {value}.").format(example="0f8e2d1c-4b5a-4c3d-9e8f-7a6b5c4d3e2f",
                                                                 value=_shown(node)))  # type: ignore[arg-type]  # the reader raises PlanFileError for a missing or bad required value, so it is not None here
        seen = self.lineages.setdefault(path.split("[")[0], {})
        if value in seen:
            raise self.fail(node, path, _("the same lineage key is given twice (also at {other}).").format(
                other=seen[value]))
        seen[value] = path
        return value

    # -- the plan ------------------------------------------------------------------------------------
    PLAN_FIELDS = ("code", "scenario", "title_zh", "title_en", "owner", "version", "sections", "levels", "matrix",
                   "actions", "contacts", "resources")
    VERSION_FIELDS = ("number", "status", "approved_by", "approved_at", "effective_on", "review_due_on",
                      "change_note")

    def plan(self, root: Node) -> PlanFile:
        if not isinstance(root, MappingNode):
            raise self.fail(root, "", _("a plan file is a mapping of fields (code, scenario, title_zh, version, …), "
                                        "not {value}.").format(value=_shown(root)))
        f = self.mapping(root, "", self.PLAN_FIELDS, ("code", "scenario", "title_zh", "version"))
        # read in the documented order, so the first problem reported is the first in a file written that way
        code = self.text(f["code"], "code", max_len=MAX_CODE, required=True)
        scenario = self.choice(f["scenario"], "scenario", Scenario)
        title_zh = self.text(f["title_zh"], "title_zh", max_len=MAX_TITLE, required=True)
        title_en = self.text(f.get("title_en"), "title_en", max_len=MAX_TITLE)
        owner = self.choice(f.get("owner"), "owner", Agency, required=False)
        version = self.version(f["version"])
        sections = self.sections(f.get("sections"), "sections", 0)

        levels = self.many(f.get("levels"), "levels", self.level)
        defined: dict[int, str] = {}
        for (path, node), lv in zip(self.items(f.get("levels"), "levels"), levels, strict=True):
            if lv.level in defined:
                raise self.fail(node, f"{path}.level", _("level {roman} is defined twice (also at {other}).").format(
                    roman=ROMAN[lv.level], other=defined[lv.level]))
            defined[lv.level] = path

        matrix = self.many(f.get("matrix"), "matrix", self.matrix_entry)
        seen: dict[tuple[str, Agency], str] = {}
        for (path, node), m in zip(self.items(f.get("matrix"), "matrix"), matrix, strict=True):
            if (m.task, m.agency) in seen:
                raise self.fail(node, path, _("task “{task}” names {agency} twice (also at {other}).").format(
                    task=m.task, agency=m.agency.value, other=seen[(m.task, m.agency)]))
            seen[(m.task, m.agency)] = path

        actions = []
        for path, node in self.items(f.get("actions"), "actions", MAX_ACTIONS, _("a plan has at most {limit:,} actions.")):
            action = self.action(node, path)
            if action.level is not None and action.level not in defined:
                level_node = self.mapping(node, path, self.ACTION_FIELDS, ())["level"]
                raise self.fail(level_node, f"{path}.level", _(
                    "level {level} is not defined in this plan's levels (defined: {defined}).").format(
                    level=action.level, defined=", ".join(str(n) for n in sorted(defined)) or "-"))
            actions.append(action)

        return PlanFile(
            code=code, scenario=scenario, title_zh=title_zh, title_en=title_en, owner=owner,  # type: ignore[arg-type]  # the reader raises PlanFileError for a missing or bad required value, so it is not None here
            version=version, sections=tuple(sections), levels=tuple(levels), matrix=tuple(matrix),
            actions=tuple(actions),
            contacts=tuple(self.many(f.get("contacts"), "contacts", self.contact)),
            resources=tuple(self.many(f.get("resources"), "resources", self.resource)),
            source=self.source, lines=self.lines,
        )

    #: How many items each list may hold, and the message when it holds more.
    LIMITS = {
        "levels": (MAX_LEVELS, N_("a plan has at most {limit} response levels (I–IV).")),
        "matrix": (MAX_MATRIX, N_("a plan has at most {limit:,} responsibility matrix entries.")),
        "contacts": (MAX_CONTACTS, N_("a plan has at most {limit:,} contacts.")),
        "resources": (MAX_RESOURCES, N_("a plan has at most {limit:,} resources.")),
    }

    def many(self, node: Node | None, path: str, read: Callable[[Node, str], Any]) -> list[Any]:
        limit, message = self.LIMITS[path]
        return [read(item, item_path) for item_path, item in self.items(node, path, limit, _(message))]

    def version(self, node: Node) -> VersionFile:
        f = self.mapping(node, "version", self.VERSION_FIELDS, ("number", "status"))
        status = self.choice(f["status"], "version.status", PlanStatus)
        approved_by = self.text(f.get("approved_by"), "version.approved_by", max_len=MAX_NAME)
        approved_at = self.timestamp(f.get("approved_at"), "version.approved_at", with_time=True)
        if status in APPROVED_STATES and approved_at is None:
            raise self.fail(f["status"], "version.approved_at", _(
                "an approved (or superseded, retired) version needs the date and time of its approval."))
        if status not in APPROVED_STATES:
            for key, value in (("approved_by", approved_by), ("approved_at", approved_at)):
                if value:
                    raise self.fail(f[key], f"version.{key}", _(
                        "only an approved (or superseded, retired) version has an approval; this one is {status}."
                    ).format(status=status.value))  # type: ignore[union-attr]  # the reader raises PlanFileError for a missing or bad required value, so it is not None here
        effective_on = self.timestamp(f.get("effective_on"), "version.effective_on", with_time=False)
        review_due_on = self.timestamp(f.get("review_due_on"), "version.review_due_on", with_time=False)
        if effective_on is not None and review_due_on is not None and review_due_on < effective_on:
            raise self.fail(f["review_due_on"], "version.review_due_on", _("is before effective_on ({date}).").format(
                date=effective_on.isoformat()))
        return VersionFile(
            number=self.integer(f["number"], "version.number", 1, 100_000, required=True),  # type: ignore[arg-type]  # the reader raises PlanFileError for a missing or bad required value, so it is not None here
            status=status,  # type: ignore[arg-type]  # the reader raises PlanFileError for a missing or bad required value, so it is not None here
            approved_by=approved_by,
            approved_at=approved_at,  # type: ignore[arg-type]  # the reader raises PlanFileError for a missing or bad required value, so it is not None here
            effective_on=effective_on,
            review_due_on=review_due_on,
            change_note=self.text(f.get("change_note"), "version.change_note"),
        )

    SECTION_FIELDS = ("kind", "title", "body", "children", "lineage")

    def sections(self, node: Node | None, path: str, depth: int) -> list[SectionFile]:
        out = []
        for item_path, item in self.items(node, path):
            if depth >= MAX_SECTION_DEPTH:
                raise self.fail(item, item_path, _("sections nest at most {n} deep.").format(n=MAX_SECTION_DEPTH))
            self.section_count += 1
            if self.section_count > MAX_SECTIONS:
                raise self.fail(item, item_path, _("a plan has at most {limit:,} sections (with their subsections)."
                                                   ).format(limit=MAX_SECTIONS))
            f = self.mapping(item, item_path, self.SECTION_FIELDS, ("kind", "title"))
            out.append(SectionFile(
                kind=self.choice(f["kind"], f"{item_path}.kind", SectionKind),  # type: ignore[arg-type]  # the reader raises PlanFileError for a missing or bad required value, so it is not None here
                title=self.text(f["title"], f"{item_path}.title", max_len=MAX_TITLE, required=True),
                body=self.text(f.get("body"), f"{item_path}.body"),
                children=tuple(self.sections(f.get("children"), f"{item_path}.children", depth + 1)),
                lineage=self.lineage(f.get("lineage"), f"{item_path}.lineage"),
            ))
        return out

    LEVEL_FIELDS = ("level", "name", "colour", "trigger")

    def level(self, node: Node, path: str) -> LevelFile:
        f = self.mapping(node, path, self.LEVEL_FIELDS, ("level", "name", "colour"))
        colour = self.text(f["colour"], f"{path}.colour")  # empty when unquoted: "#" starts a comment
        if not COLOUR.match(colour):
            raise self.fail(f["colour"], f"{path}.colour", _(
                "must be a colour like \"#d32f2f\" (in quotes: # starts a comment in YAML), not {value}.").format(
                value=_shown(f["colour"])))
        return LevelFile(
            level=self.integer(f["level"], f"{path}.level", 1, 4, required=True),  # type: ignore[arg-type]  # the reader raises PlanFileError for a missing or bad required value, so it is not None here
            name=self.text(f["name"], f"{path}.name", max_len=MAX_LEVEL_NAME, required=True),
            colour=colour,
            trigger=self.text(f.get("trigger"), f"{path}.trigger"),
        )

    MATRIX_FIELDS = ("task", "agency", "role")

    def matrix_entry(self, node: Node, path: str) -> MatrixFile:
        f = self.mapping(node, path, self.MATRIX_FIELDS, self.MATRIX_FIELDS)
        return MatrixFile(
            task=self.text(f["task"], f"{path}.task", max_len=MAX_TITLE, required=True),
            agency=self.choice(f["agency"], f"{path}.agency", Agency),  # type: ignore[arg-type]  # the reader raises PlanFileError for a missing or bad required value, so it is not None here
            role=self.choice(f["role"], f"{path}.role", MatrixRole),  # type: ignore[arg-type]  # the reader raises PlanFileError for a missing or bad required value, so it is not None here
        )

    ACTION_FIELDS = ("agency", "level", "phase", "text", "responsible_post", "target_minutes", "report_due",
                     "lineage")

    def action(self, node: Node, path: str) -> ActionFile:
        f = self.mapping(node, path, self.ACTION_FIELDS, ("agency", "level", "phase", "text"))
        return ActionFile(
            agency=self.choice(f["agency"], f"{path}.agency", Agency),  # type: ignore[arg-type]  # the reader raises PlanFileError for a missing or bad required value, so it is not None here
            level=self.integer(f["level"], f"{path}.level", 1, 4),
            phase=self.choice(f["phase"], f"{path}.phase", ResponsePhase),  # type: ignore[arg-type]  # the reader raises PlanFileError for a missing or bad required value, so it is not None here
            text=self.text(f["text"], f"{path}.text", required=True),
            responsible_post=self.text(f.get("responsible_post"), f"{path}.responsible_post", max_len=MAX_POST),
            target_minutes=self.integer(f.get("target_minutes"), f"{path}.target_minutes", 0, MAX_MINUTES),
            report_due=self.choice(f.get("report_due"), f"{path}.report_due", ReportKind, required=False),
            lineage=self.lineage(f.get("lineage"), f"{path}.lineage"),
        )

    CONTACT_FIELDS = ("agency", "name", "post", "phone", "mobile", "notes", "lineage")

    def contact(self, node: Node, path: str) -> ContactFile:
        f = self.mapping(node, path, self.CONTACT_FIELDS, ("name",))
        return ContactFile(
            agency=self.choice(f.get("agency"), f"{path}.agency", Agency, required=False),
            name=self.text(f["name"], f"{path}.name", max_len=MAX_NAME, required=True),
            post=self.text(f.get("post"), f"{path}.post", max_len=MAX_POST),
            phone=self.text(f.get("phone"), f"{path}.phone", max_len=MAX_PHONE),
            mobile=self.text(f.get("mobile"), f"{path}.mobile", max_len=MAX_PHONE),
            notes=self.text(f.get("notes"), f"{path}.notes"),
            lineage=self.lineage(f.get("lineage"), f"{path}.lineage"),
        )

    RESOURCE_FIELDS = ("name", "kind", "quantity", "location", "custodian", "notes", "lineage")

    def resource(self, node: Node, path: str) -> ResourceFile:
        f = self.mapping(node, path, self.RESOURCE_FIELDS, ("name",))
        return ResourceFile(
            name=self.text(f["name"], f"{path}.name", max_len=MAX_NAME, required=True),
            kind=self.text(f.get("kind"), f"{path}.kind", max_len=MAX_KIND),
            quantity=self.integer(f.get("quantity"), f"{path}.quantity", 0, 1_000_000),
            location=self.text(f.get("location"), f"{path}.location", max_len=MAX_LOCATION),
            custodian=self.choice(f.get("custodian"), f"{path}.custodian", Agency, required=False),
            notes=self.text(f.get("notes"), f"{path}.notes"),
            lineage=self.lineage(f.get("lineage"), f"{path}.lineage"),
        )


# --- writing --------------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """Block style with indented lists; multi-line texts as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True  # the same value twice (an agency) is written twice, never as &anchor / *alias


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_enum(dumper: yaml.SafeDumper, value: Enum) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value.value)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_multi_representer(Enum, _represent_enum)


def _with_lineage(data: dict[str, Any], lineage: str) -> dict[str, Any]:
    if lineage:
        data["lineage"] = lineage
    return data


def _section_data(s: SectionFile) -> dict[str, Any]:
    data: dict[str, Any] = _with_lineage({"kind": s.kind, "title": s.title, "body": s.body}, s.lineage)
    if s.children:
        data["children"] = [_section_data(c) for c in s.children]
    return data


def plan_file_data(plan: PlanFile) -> dict[str, Any]:
    """The plan as plain YAML-ready data, keys in the documented order."""
    v = plan.version
    return {
        "code": plan.code,
        "scenario": plan.scenario,
        "title_zh": plan.title_zh,
        "title_en": plan.title_en,
        "owner": plan.owner,
        "version": {
            "number": v.number, "status": v.status, "approved_by": v.approved_by,
            "approved_at": v.approved_at.replace(tzinfo=UTC).astimezone(WRITTEN_ZONE) if v.approved_at else None,
            "effective_on": v.effective_on, "review_due_on": v.review_due_on, "change_note": v.change_note,
        },
        "sections": [_section_data(s) for s in plan.sections],
        "levels": [{"level": x.level, "name": x.name, "colour": x.colour, "trigger": x.trigger} for x in plan.levels],
        "matrix": [{"task": x.task, "agency": x.agency, "role": x.role} for x in plan.matrix],
        "actions": [
            _with_lineage({"agency": x.agency, "level": x.level, "phase": x.phase, "text": x.text,
                           "responsible_post": x.responsible_post, "target_minutes": x.target_minutes,
                           "report_due": x.report_due}, x.lineage)
            for x in plan.actions
        ],
        "contacts": [
            _with_lineage({"agency": x.agency, "name": x.name, "post": x.post, "phone": x.phone, "mobile": x.mobile,
                           "notes": x.notes}, x.lineage)
            for x in plan.contacts
        ],
        "resources": [
            _with_lineage({"name": x.name, "kind": x.kind, "quantity": x.quantity, "location": x.location,
                           "custodian": x.custodian, "notes": x.notes}, x.lineage)
            for x in plan.resources
        ],
    }


def dump_plan_file(plan: PlanFile) -> str:
    """The plan as plan-file text (UTF-8 when written), with a short header comment."""
    header = f"# {plan.title_zh}" + (f" ({plan.title_en})" if plan.title_en else "") + "\n"
    header += "# drillapp plan file: the format is described in docs/plan-format.md\n"
    body = yaml.dump(plan_file_data(plan), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100_000, indent=2)
    return header + body


def plan_file_from_doc(doc: PlanDoc) -> PlanFile:
    """A stored plan version as a PlanFile (the section tree rebuilt from parent ids, siblings in order)."""
    children: dict[int | None, list[Any]] = {}
    for s in sorted(doc.sections, key=lambda x: (x.position, x.id)):
        children.setdefault(s.parent_id, []).append(s)

    def tree(parent_id: int | None) -> tuple[SectionFile, ...]:
        return tuple(SectionFile(s.kind, s.title.strip(), s.body.strip(), tree(s.id), s.lineage)
                     for s in children.get(parent_id, []))

    return PlanFile(
        code=doc.code.strip(), scenario=doc.scenario, title_zh=doc.title_zh.strip(), title_en=doc.title_en.strip(),
        owner=doc.owner_agency,
        version=VersionFile(doc.number, doc.status, doc.approved_by.strip(), doc.approved_at, doc.effective_on,
                            doc.review_due_on, doc.change_note.strip()),
        sections=tree(None),
        levels=tuple(LevelFile(x.level, x.name.strip(), x.colour.strip(), x.trigger.strip()) for x in doc.levels),
        matrix=tuple(MatrixFile(x.task.strip(), x.agency, x.role) for x in doc.matrix),
        actions=tuple(  # in the plan's one order of actions (the PlanDoc has them so)
            ActionFile(x.agency, x.level, x.phase, x.text.strip(), x.responsible_post.strip(), x.target_minutes,
                       x.report_due, x.lineage)
            for x in doc.actions
        ),
        contacts=tuple(
            ContactFile(x.agency, x.name.strip(), x.post.strip(), x.phone.strip(), x.mobile.strip(), x.notes.strip(),
                        x.lineage)
            for x in sorted(doc.contacts, key=lambda c: c.position)
        ),
        resources=tuple(
            ResourceFile(x.name.strip(), x.kind.strip(), x.quantity, x.location.strip(), x.custodian, x.notes.strip(),
                         x.lineage)
            for x in sorted(doc.resources, key=lambda r: r.position)
        ),
        source=f"{doc.code} v{doc.number}",
    )


def export_text(doc: PlanDoc) -> str:
    """A stored plan version as plan-file text."""
    return dump_plan_file(plan_file_from_doc(doc))
