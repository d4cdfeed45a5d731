"""What changed between two versions of a plan, part by part: added, removed or changed items.

Items are paired by their lineage key (models/plans.py), so a reworded action is one changed item rather
than one removed and one added; items without a lineage on either side (documents built by hand) are
paired by what they are (an action's agency, level, phase and text). Response levels pair by their
number, matrix cells by task and agency.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.services.plan_document import PlanDoc


@dataclass(frozen=True)
class Difference:
    area: str  # untranslated area name (N_ in labels): "sections", "actions", ...
    item: str  # which one
    before: str
    after: str


@dataclass(frozen=True)
class _Part:
    """How one part's items are named (`key`: what the item is) and described (`value`: its details)."""

    area: str
    key: Callable[[Any], tuple[Any, ...]]
    value: Callable[[Any], str]
    by_lineage: bool = True


PARTS = (
    _Part("sections", lambda x: (label(x.kind), x.title), lambda x: x.body),
    _Part("levels", lambda x: (level_label(x.level),), lambda x: f"{x.name} · {x.trigger}", by_lineage=False),
    _Part("actions", lambda a: (label(a.agency), level_label(a.level), label(a.phase), a.text),
          lambda a: f"{a.responsible_post} {a.target_minutes if a.target_minutes is not None else ''}".strip()),
    _Part("matrix", lambda m: (m.task, label(m.agency)), lambda m: label(m.role), by_lineage=False),
    _Part("contacts", lambda c: (label(c.agency), c.name), lambda c: f"{c.post} {c.phone} {c.mobile}"),
    _Part("resources", lambda r: (r.name,), lambda r: f"{r.kind} {r.quantity if r.quantity is not None else ''} "
                                                        f"{r.location}"),
)


def _text(part: _Part, item: Any) -> str:
    return " · ".join(str(k) for k in part.key(item))


def _pairs(part: _Part, old: tuple[Any, ...], new: tuple[Any, ...]) -> list[tuple[Any | None, Any | None]]:
    """(old item, new item) in reading order: old items first (paired or removed), then the added ones."""
    paired_new: dict[int, int] = {}
    if part.by_lineage:
        where = {x.lineage: j for j, x in enumerate(new) if x.lineage}
        for i, x in enumerate(old):
            if x.lineage and x.lineage in where:
                paired_new[i] = where.pop(x.lineage)
    taken = set(paired_new.values())
    by_key: dict[tuple[Any, ...], list[int]] = {}
    for j, x in enumerate(new):
        if j not in taken:
            by_key.setdefault(part.key(x), []).append(j)
    for i, x in enumerate(old):
        if i not in paired_new and by_key.get(part.key(x)):
            paired_new[i] = by_key[part.key(x)].pop(0)
    taken = set(paired_new.values())
    out: list[tuple[Any | None, Any | None]] = [(x, new[paired_new[i]] if i in paired_new else None)
                                                 for i, x in enumerate(old)]
    return out + [(None, x) for j, x in enumerate(new) if j not in taken]


def compare_documents(old: PlanDoc, new: PlanDoc) -> list[Difference]:
    """What changed from `old` to `new`, part by part."""
    diffs: list[Difference] = []
    for part in PARTS:
        for before, after in _pairs(part, getattr(old, part.area), getattr(new, part.area)):
            if after is None:
                diffs.append(Difference(part.area, _text(part, before), part.value(before), ""))
            elif before is None:
                diffs.append(Difference(part.area, _text(part, after), "", part.value(after)))
            elif part.key(before) != part.key(after):  # the same item, renamed or moved: say what it was
                diffs.append(Difference(part.area, _text(part, after), f"{_text(part, before)} · {part.value(before)}",
                                        f"{_text(part, after)} · {part.value(after)}"))
            elif part.value(before) != part.value(after):
                diffs.append(Difference(part.area, _text(part, after), part.value(before), part.value(after)))
    if old.review_due_on != new.review_due_on:
        diffs.append(Difference("version", _("Review due"), str(old.review_due_on or ""),
                                str(new.review_due_on or "")))
    return diffs
