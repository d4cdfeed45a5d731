"""Reading a plan file: bounded, node by node, each problem naming the file, the line and the field (see
plan_files.py for the format's rules).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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
    pass

from drillapp.io.plan_file_model import (
    APPROVED_STATES,
    COLOUR,
    FIRST_DAY,
    LAST_DAY,
    LINEAGE,
    MAX_ACTIONS,
    MAX_CODE,
    MAX_CONTACTS,
    MAX_FILE_BYTES,
    MAX_KIND,
    MAX_LEVEL_NAME,
    MAX_LEVELS,
    MAX_LOCATION,
    MAX_LONG_TEXT,
    MAX_MATRIX,
    MAX_MINUTES,
    MAX_NAME,
    MAX_PHONE,
    MAX_POST,
    MAX_RESOURCES,
    MAX_SECTION_DEPTH,
    MAX_SECTIONS,
    MAX_TITLE,
    ROMAN,
    ActionFile,
    ContactFile,
    E,
    LevelFile,
    MatrixFile,
    PlanFile,
    PlanFileError,
    ResourceFile,
    SectionFile,
    VersionFile,
)

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
