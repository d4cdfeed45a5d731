"""Which item of one plan version is "the same" as an item of another: lineage keys by content.

Every section, action, contact and resource carries a lineage key (models/plans.py) that a revision copies
and a plan file may carry. When a file does not carry one, an import takes the key of the matching item of
the plan's newest version, so importing a plan again keeps its items' identities. Items are paired in
three passes, each only among the items still unpaired:

1. the same content, field for field (the n-th such item with the n-th);
2. the same identity: a section's kind and title, an action's agency and text, a contact's agency and
   name, a resource's name (a changed phone or target keeps the item);
3. the same place, where it is unambiguous: exactly one unpaired item on each side with a section's kind,
   an action's agency, level and phase, a contact's agency and post, a resource's custodian and kind (the
   one action of customs at level II in first response whose text was reworded).

Anything else is a new item with a new key. Migration 0007 back-filled the keys of existing versions with
the same rules (its own frozen copy of them), each version against the one numbered before it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

Key = Callable[[Any], Hashable]


@dataclass(frozen=True)
class Rules:
    """The three keys of one kind of item (see the module docstring)."""

    exact: Key
    identity: Key
    place: Key


SECTION = Rules(
    exact=lambda x: (x.kind, x.title, x.body),
    identity=lambda x: (x.kind, x.title),
    place=lambda x: (x.kind,),
)
ACTION = Rules(
    exact=lambda x: (x.agency, x.level, x.phase, x.text, x.responsible_post, x.target_minutes, x.report_due),
    identity=lambda x: (x.agency, x.text),
    place=lambda x: (x.agency, x.level, x.phase),
)
CONTACT = Rules(
    exact=lambda x: (x.agency, x.name, x.post, x.phone, x.mobile, x.notes),
    identity=lambda x: (x.agency, x.name),
    place=lambda x: (x.agency, x.post),
)
RESOURCE = Rules(
    exact=lambda x: (x.name, x.kind, x.quantity, x.location, x.custodian, x.notes),
    identity=lambda x: (x.name,),
    place=lambda x: (x.custodian, x.kind),
)


def pair(old: Sequence[Any], new: Sequence[Any], rules: Rules) -> dict[int, int]:
    """new index -> old index for the items of `new` that are the same as an item of `old`."""
    paired: dict[int, int] = {}
    for key in (rules.exact, rules.identity):
        queues: dict[Hashable, list[int]] = defaultdict(list)
        taken = set(paired.values())
        for i, item in enumerate(old):
            if i not in taken:
                queues[key(item)].append(i)
        for j, item in enumerate(new):
            if j not in paired and queues.get(key(item)):
                paired[j] = queues[key(item)].pop(0)
    taken = set(paired.values())
    old_left: dict[Hashable, list[int]] = defaultdict(list)
    new_left: dict[Hashable, list[int]] = defaultdict(list)
    for i, item in enumerate(old):
        if i not in taken:
            old_left[rules.place(item)].append(i)
    for j, item in enumerate(new):
        if j not in paired:
            new_left[rules.place(item)].append(j)
    for place, js in new_left.items():
        if len(js) == 1 and len(old_left.get(place, ())) == 1:
            paired[js[0]] = old_left[place][0]
    return paired


def inherit(old: Sequence[Any], new: Sequence[Any], rules: Rules, fresh: Callable[[], str]) -> list[str]:
    """A lineage key for each item of `new`: its own when it has one, else that of its match in `old` (items
    with a `lineage` attribute), else a fresh one. No key is given twice."""
    used = {x.lineage for x in new if getattr(x, "lineage", "")}
    matches = pair(old, new, rules)
    out: list[str] = []
    for j, item in enumerate(new):
        own = getattr(item, "lineage", "")
        if own:
            out.append(own)
            continue
        match = old[matches[j]].lineage if j in matches else ""
        if not match or match in used:
            match = fresh()
        used.add(match)
        out.append(match)
    return out
