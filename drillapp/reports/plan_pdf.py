"""Print-outs of a joint contingency plan: the full plan, and one-page action cards.

- **The full plan**: a cover (title, version, status, approval, effective and review dates, the
  "内部资料 / internal" marking), a table of contents, every section in its tree, the response-level
  table in the levels' colours, the responsibility matrix, each agency's actions (level, phase, target
  time, report due, a tick box), contacts and resources; header and footer with the plan's code and
  version and "page x of y". The structured parts follow the section they belong to (levels after
  "Classification", the matrix after "Organisation", the actions after "Response", contacts and
  resources after "Appendices"), or come at the end when the plan has no such section.
- **An action card**: one agency's actions at one response level on one A4 page, for the pocket of the
  officer on duty; the font shrinks until it fits, and a card that cannot fit even then continues on a
  second page rather than lose text.

Labels are in the app's language (`_()`, `drillapp.labels`); the plan's own text prints as written:
every piece of it goes through `markup()` (escaped, undrawable characters shown as □) into a
`CJKParagraph` (Chinese line breaking without orphaned punctuation); every table cell is a paragraph,
so long text wraps inside its cell; table headers repeat on each page.

`full_plan_story(doc)` / `action_card_story(doc, agency, level)` return the flowables (for a preview, or
the benchmark); `write_plan_pdf(doc, out, ...)` prints a PlanDoc; `build_plan_pdf(db, actor, plan_id,
out, ...)` loads the plan and prints it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table

from drillapp.clock import to_local, utcnow
from drillapp.errors import DomainError, ValidationError
from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.models.enums import Agency, SectionKind
from drillapp.read_models.plan import ActionDoc, ContactDoc, LevelDoc, PlanDoc, SectionDoc
from drillapp.reports.page import Contents, PageInfo, build_pdf, frame_size
from drillapp.reports.tables import (
    GRID,
    HEADER_FILL,
    HEADER_ROW,
    PADDINGS,
    TickBox,
    column_widths,
    date_text,
    fit_width,
    grid_style,
    grid_table,
    minutes_text,
    on_colour,
    parse_colour,
    print_styles,
    readable_text_colour,
    text_para,
)

#: Font sizes an action card tries, largest first, until it fits one page.
CARD_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0)
LEAD_FILL = colors.HexColor("#dce8f5")


# -- entry points -------------------------------------------------------------------------------------


def write_plan_pdf(doc: PlanDoc, out: Path, agency: Agency | str | None = None,
                   level: int | str | None = None) -> Path:
    """Print a PlanDoc (the services read it: `PlanService.print_document`) to `out`: the full plan, or with
    `agency` and `level` the action card of that agency at that response level (both, or neither)."""
    agency, level = _card_choice(agency, level)
    if agency is None or level is None:
        return build_pdf(Path(out), full_plan_story(doc), page_info(doc))
    _check_level(doc, level)
    return build_pdf(Path(out), action_card_story(doc, agency, level), page_info(doc, agency, level))


def page_info(doc: PlanDoc, agency: Agency | None = None, level: int | None = None) -> PageInfo:
    """Header and footer of a plan's print-out (the full plan has a cover page without them)."""
    reference = _("{code} · version {number} · {status}").format(
        code=doc.code, number=doc.number, status=label(doc.status))
    if agency is not None and level is not None:
        reference = f"{label(agency)} · {level_label(level)} · {reference}"
    return PageInfo(title=doc.title_zh, reference=reference, cover=agency is None)


def _card_choice(agency: Agency | str | None, level: int | str | None) -> tuple[Agency | None, int | None]:
    if (agency is None) != (level is None):
        raise DomainError(_("An action card needs both an agency and a response level; "
                            "give both, or neither for the full plan."))
    if agency is None:
        return None, None
    if not isinstance(agency, Agency):
        try:
            agency = Agency(str(agency).strip().lower())
        except ValueError:
            try:
                agency = Agency[str(agency).strip().upper()]
            except KeyError:
                raise ValidationError(_("Unknown agency: {agency}. Use one of: {choices}.").format(
                    agency=agency, choices=", ".join(a.value for a in Agency)), "agency") from None
    if isinstance(level, str):  # "2" or "II", as typed on a command line
        text = level.strip().upper()
        level = {"I": 1, "II": 2, "III": 3, "IV": 4}.get(text, int(text) if text.isdigit() else 0)
    if level not in (1, 2, 3, 4):
        raise ValidationError(_("The response level must be I, II, III or IV (1–4)."), "level")
    return agency, level


def _check_level(doc: PlanDoc, level: int) -> None:
    if doc.levels and level not in {lv.level for lv in doc.levels}:
        raise DomainError(_("This plan does not define response level {level}.").format(level=level_label(level)))


# -- the full plan ------------------------------------------------------------------------------------


class _Story:
    """Collects flowables and the headings that go into the contents and the PDF outline."""

    def __init__(self, st: dict[str, ParagraphStyle]) -> None:
        self.st = st
        self.flow: list[Flowable] = []
        self.entries: list[tuple[str, int, str]] = []

    def heading(self, text: str, level: int) -> None:
        """A heading in the contents and the outline. It starts a new page when fewer than about three
        lines would follow it on this one (a cheap stand-in for keepWithNext, which would move a whole
        following table to the next page)."""
        level = max(0, min(level, 2))
        key = f"h{len(self.entries)}"
        style = self.st[("h1", "h2", "h3")[level]]
        para = text_para(text, style)
        para.toc_entry = (key, level, text)
        self.entries.append((key, level, text))
        self.flow.append(CondPageBreak(style.spaceBefore + style.leading + style.spaceAfter
                                       + 3 * self.st["body"].leading + HEADER_ROW))
        self.flow.append(para)

    def add(self, *flowables: Flowable) -> None:
        self.flow.extend(flowables)


def full_plan_story(doc: PlanDoc) -> list[Flowable]:
    """The whole plan: cover, contents, sections, levels, matrix, actions, contacts, resources."""
    st = print_styles()
    story = _Story(st)
    width, _height = frame_size()
    placed: set[str] = set()

    blocks = {
        SectionKind.ORGANISATION: ("matrix",),
        SectionKind.CLASSIFICATION: ("levels",),
        SectionKind.RESPONSE: ("actions",),
        SectionKind.APPENDICES: ("contacts", "resources"),
    }
    children: dict[int | None, list[SectionDoc]] = {}
    ids = {s.id for s in doc.sections}
    for sec in doc.sections:
        children.setdefault(sec.parent_id if sec.parent_id in ids else None, []).append(sec)
    for group in children.values():
        group.sort(key=lambda s: (s.position, s.id))

    def section(sec: SectionDoc, depth: int, seen: set[int]) -> None:
        if sec.id in seen:  # a broken tree (a cycle) must not hang the print-out
            return
        seen.add(sec.id)
        story.heading(sec.title, depth)
        _section_body(story, sec.body)
        for child in children.get(sec.id, []):
            section(child, depth + 1, seen)

    seen: set[int] = set()
    for top in children.get(None, []):
        section(top, 0, seen)
        for block in blocks.get(top.kind, ()):
            if block not in placed:
                placed.add(block)
                _BLOCKS[block](story, doc, width, 1)
    for block in ("levels", "matrix", "actions", "contacts", "resources"):
        if block not in placed:
            _BLOCKS[block](story, doc, width, 0)

    contents = [text_para(_("Contents"), st["h1"]), Contents(story.entries, [st["toc0"], st["toc1"], st["toc2"]]),
                PageBreak()]
    return [*_cover(doc, st), *contents, *story.flow]


def _section_body(story: _Story, body: str) -> None:
    st = story.st
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            story.add(text_para(line.strip(" \t"), st["para"]))
        else:
            story.add(Spacer(1, st["para"].leading * 0.4))


def _cover(doc: PlanDoc, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    width, height = frame_size()
    out: list[Flowable] = [Spacer(1, height * 0.10)]
    if doc.port_name:
        out.append(text_para(doc.port_name, st["centre"]))
        out.append(Spacer(1, 10))
    out.append(text_para(doc.title_zh, st["title"]))
    if doc.title_en:
        out.append(text_para(doc.title_en, st["subtitle"]))
    out.append(Spacer(1, 8))
    out.append(text_para(doc.code, st["centre"]))
    out.append(Spacer(1, 36))
    approved = "—"
    if doc.approved_at or doc.approved_by:
        approved = " · ".join(x for x in (doc.approved_by, date_text(doc.approved_at) if doc.approved_at else "") if x)
    facts = [
        (_("Version"), str(doc.number)),
        (_("Status"), label(doc.status)),
        (_("Approved by"), approved),
        (_("Effective from"), date_text(doc.effective_on)),
        (_("Review due"), date_text(doc.review_due_on)),
        (_("Scenario"), label(doc.scenario)),
        (_("Owner agency"), label(doc.owner_agency) or "—"),
    ]
    if doc.change_note.strip():
        facts.append((_("Change note"), doc.change_note.strip()))
    facts.append((_("Printed"), to_local(utcnow()).strftime("%Y-%m-%d %H:%M")))
    rows = [[text_para(k, st["head"]), text_para(v, st["cell"])] for k, v in facts]
    table = Table(rows, colWidths=column_widths(width * 0.7, [width * 0.7 * 0.32, None]), hAlign="CENTER",
                  style=grid_style([("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
                                    ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 4),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    out.append(table)
    out.append(Spacer(1, 30))
    if doc.status.value != "approved":
        out.append(text_para(_("Not an approved version: do not use it for a real incident."), st["warning"]))
        out.append(Spacer(1, 12))
    marking = Table([[text_para("内部资料 / Internal", st["marking"])]], colWidths=[width * 0.45], hAlign="CENTER",
                    style=grid_style([("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor("#b71c1c")),
                                      ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    out.append(marking)
    out.append(PageBreak())
    return out


def _levels_block(story: _Story, doc: PlanDoc, width: float, level: int) -> None:
    if not doc.levels:
        return
    st = story.st
    story.heading(_("Response levels"), level)
    story.add(*level_table(doc.levels, st, width))


def level_table(levels: Sequence[LevelDoc], st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    """Level, name and trigger per response level; level and name on the level's colour."""
    rows, extra = [], []
    for i, lv in enumerate(sorted(levels, key=lambda x: x.level)):
        fill = parse_colour(lv.colour)
        on = on_colour(st["cell"], fill)
        rows.append([text_para(level_label(lv.level), on), text_para(lv.name, on), text_para(lv.trigger.strip() or "—", st["cell"])])
        extra.append(("BACKGROUND", (0, i), (1, i), fill))
    return grid_table([_("Level"), _("Level name"), _("Triggered when")], rows, column_widths(width, [64, 80, None]), st, extra)


def _matrix_block(story: _Story, doc: PlanDoc, width: float, level: int) -> None:
    if not doc.matrix:
        return
    st = story.st
    story.heading(_("Responsibility matrix"), level)
    tasks: dict[str, dict[Agency, Any]] = {}
    for m in doc.matrix:
        tasks.setdefault(m.task, {})[m.agency] = m.role
    agencies = list(Agency)
    rows, extra = [], []
    for i, (task, roles) in enumerate(tasks.items()):
        rows.append([text_para(task, st["cell"]), *(label(roles.get(a)) if roles.get(a) else "" for a in agencies)])
        for j, a in enumerate(agencies, start=1):
            if roles.get(a) is not None and roles[a].value == "lead":
                extra.append(("BACKGROUND", (j, i), (j, i), LEAD_FILL))
    widths = column_widths(width, [None, *([68] * len(agencies))])
    story.add(*grid_table([_("Task"), *(label(a) for a in agencies)], rows, widths, st, extra))
    story.add(text_para(_("Lead: the agency in charge of the task; support: it assists."), st["small"]))


def _actions_block(story: _Story, doc: PlanDoc, width: float, level: int) -> None:
    if not doc.actions:
        return
    story.heading(_("Actions by agency"), level)
    for agency in Agency:
        actions = doc.actions_for(agency)
        if not actions:
            continue
        story.heading(label(agency), level + 1)
        story.add(*action_table(actions, story.st, width, with_level=True, levels=doc.levels))


def action_table(actions: Sequence[ActionDoc], st: dict[str, ParagraphStyle], width: float,
                 with_level: bool, levels: Sequence[LevelDoc] = ()) -> list[Flowable]:
    """Tick box, (level, on its colour,) phase, action with its responsible post, target time, report due."""
    fills = {lv.level: parse_colour(lv.colour) for lv in levels}
    header = ["✓", *([_("Level")] if with_level else []), _("Phase"), _("Action"), _("Target time"), _("Report due")]
    fixed: list[float | None] = [20, *([50] if with_level else []), 74, None, 54, 58]
    k = st["cell"].fontSize / 9.5
    fixed = [w * k if w is not None else None for w in fixed]
    rows, extra = [], []
    for i, a in enumerate(actions):
        level_cell = level_label(a.level)
        if with_level and a.level in fills:
            extra.append(("BACKGROUND", (1, i), (1, i), fills[a.level]))
            extra.append(("TEXTCOLOR", (1, i), (1, i), readable_text_colour(fills[a.level])))
        text: list[Flowable] = [text_para(a.text, st["cell"])]
        if a.responsible_post.strip():
            text.append(text_para(_("Responsible post: {post}").format(post=a.responsible_post.strip()), st["cell_small"]))
        rows.append([TickBox(8 * k), *([level_cell] if with_level else []), label(a.phase), text,
                     minutes_text(a.target_minutes), label(a.report_due) if a.report_due else "—"])
    return grid_table(header, rows, column_widths(width, fixed), st, extra)


def _contacts_block(story: _Story, doc: PlanDoc, width: float, level: int) -> None:
    if not doc.contacts:
        return
    story.heading(_("Contacts (24-hour duty)"), level)
    story.add(*contact_table(doc, story.st, width, notes=True))


def contact_table(doc: PlanDoc, st: dict[str, ParagraphStyle], width: float, notes: bool) -> list[Flowable]:
    header = [_("Agency"), _("Contact"), _("Post"), _("Phone"), _("Mobile"), *([_("Notes")] if notes else [])]
    k = st["cell"].fontSize / 9.5
    phone = fit_width([c.phone for c in doc.contacts] + [header[3]], st["cell"], 40 * k, width / 6)
    mobile = fit_width([c.mobile for c in doc.contacts] + [header[4]], st["cell"], 40 * k, width / 6)
    fixed: list[float | None] = [88 * k, None, None, phone, mobile, *([None] if notes else [])]
    rows = [[label(c.agency) or "—", c.name, c.post, c.phone, c.mobile, *([c.notes] if notes else [])]
            for c in sorted(doc.contacts, key=lambda c: c.position)]
    return grid_table(header, rows, column_widths(width, fixed), st)


def _resources_block(story: _Story, doc: PlanDoc, width: float, level: int) -> None:
    if not doc.resources:
        return
    st = story.st
    story.heading(_("Resources"), level)
    header = [_("Item"), _("Kind"), _("Quantity"), _("Location"), _("Custodian"), _("Notes")]
    rows = [[r.name, r.kind, "" if r.quantity is None else str(r.quantity), r.location, label(r.custodian) or "—",
             r.notes] for r in sorted(doc.resources, key=lambda r: r.position)]
    story.add(*grid_table(header, rows, column_widths(width, [None, 60, 44, None, 72, None]), st))


_BLOCKS = {
    "levels": _levels_block,
    "matrix": _matrix_block,
    "actions": _actions_block,
    "contacts": _contacts_block,
    "resources": _resources_block,
}


# -- the action card ----------------------------------------------------------------------------------


def action_card_story(doc: PlanDoc, agency: Agency, level: int) -> list[Flowable]:
    """One agency's actions at one response level, on one page: the largest font size that fits.
    If even the smallest does not fit, the card continues on a second page (no text is cut)."""
    width, height = frame_size()
    story: list[Flowable] = []
    for size in CARD_SIZES:
        story = _card(doc, agency, level, size)
        if _height_of(story, width, height) <= height:
            return story
    return story


def _height_of(flowables: Sequence[Flowable], width: float, height: float) -> float:
    import io

    from reportlab.pdfgen.canvas import Canvas

    canv = Canvas(io.BytesIO())
    flat: list[Flowable] = []
    for f in flowables:
        flat.extend(f._content if isinstance(f, KeepTogether) else [f])
    total = 0.0
    for i, f in enumerate(flat):
        _w, h = f.wrapOn(canv, width, height)
        total += h + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0)
    return total


def _card(doc: PlanDoc, agency: Agency, level: int, size: float) -> list[Flowable]:
    st = print_styles(size)
    width, _height = frame_size()
    k = size / 10.5
    lv = next((x for x in doc.levels if x.level == level), None)
    fill = parse_colour(lv.colour if lv else "")
    on = on_colour(st["card_level"], fill)
    level_text = level_label(level) + (f"\n{lv.name}" if lv and lv.name else "")
    band = Table(
        [[[text_para(_("Action card"), st["card_kind"]), text_para(label(agency), st["card_agency"])], text_para(level_text, on)]],
        colWidths=column_widths(width, [None, 130 * k]), hAlign="LEFT",
        style=grid_style([("BOX", (0, 0), (-1, -1), 0.8, GRID), ("BACKGROUND", (1, 0), (1, 0), fill),
                          ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 5 * k),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 7 * k)]),
        spaceAfter=6 * k,
    )
    out: list[Flowable] = [band, text_para(doc.title_zh, st["card_title"])]
    if doc.title_en:
        out.append(text_para(doc.title_en, st["small"]))
    facts = _("{code} · version {number} · {status} · effective {effective} · review due {review}").format(
        code=doc.code, number=doc.number, status=label(doc.status), effective=date_text(doc.effective_on),
        review=date_text(doc.review_due_on))
    out.append(text_para(facts, st["small"]))
    if doc.status.value != "approved":
        out.append(text_para(_("Not an approved version: do not use it for a real incident."), st["warning"]))
    if lv and lv.trigger.strip():
        out.append(Spacer(1, 4 * k))
        out.append(text_para(_("{level} is declared when: {trigger}").format(level=level_label(level),
                                                                   trigger=lv.trigger.strip()), st["small"]))
    out.append(Spacer(1, 6 * k))
    actions = doc.actions_for(agency, level)
    if actions:
        out.extend(action_table(actions, st, width, with_level=False))
    else:
        out.append(text_para(_("No actions for this agency at this level."), st["body"]))
    out.append(Spacer(1, 4 * k))
    out.append(text_para(_("Activated at ________  Level confirmed by ________  Initial report sent at ________"),
                  st["small"]))
    if doc.contacts:
        out.append(Spacer(1, 8 * k))
        out.append(KeepTogether([text_para(_("Contacts (24-hour duty)"), st["h3"]), *_card_contacts(doc, st, width)]))
    return out


def _card_contacts(doc: PlanDoc, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    """The contacts, compact: who (agency, name, post) and the phones; in two columns side by side
    when there are more than a few."""
    contacts = sorted(doc.contacts, key=lambda c: c.position)
    k = st["cell"].fontSize / 9.5

    def who(c: ContactDoc) -> list[Flowable]:
        name = " ".join(x for x in (label(c.agency), c.name) if x)
        return [text_para(name, st["cell"]), *([text_para(c.post, st["cell_small"])] if c.post.strip() else [])]

    phone = fit_width([c.phone for c in contacts] + [_("Phone")], st["cell"], 40 * k, width / 5)
    mobile = fit_width([c.mobile for c in contacts] + [_("Mobile")], st["cell"], 40 * k, width / 5)

    def table(part: Sequence[ContactDoc], w: float) -> list[Flowable]:
        rows = [[who(c), c.phone, c.mobile] for c in part]
        return grid_table([_("Contact"), _("Phone"), _("Mobile")], rows, column_widths(w, [None, phone, mobile]), st)

    if len(contacts) <= 4:
        return table(contacts, width)
    half = (len(contacts) + 1) // 2
    gap = 8
    column = (width - gap) / 2
    pair = Table([[table(contacts[:half], column), table(contacts[half:], column)]], colWidths=[column + gap, column],
                 hAlign="LEFT", style=grid_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                    *((p, (0, 0), (-1, -1), 0) for p in PADDINGS)]))
    return [pair]
