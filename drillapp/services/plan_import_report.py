"""What a plan import read: the actions per response level and agency, and the gaps that suggest a cut file.

A plan file cut short can still be valid YAML (the end of the actions list is simply missing), so the import
cannot refuse it; instead it reports how many actions it read for each level and agency, and warns where a
level the plan defines has no action for an agency that has actions elsewhere in the plan (an action without
a level applies at every level, as on the action cards).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from drillapp.i18n import _
from drillapp.io.plan_files import ROMAN, ActionFile
from drillapp.models.enums import Agency


@dataclass(frozen=True)
class ActionCounts:
    #: (level, or None for "all levels", agency) -> how many actions the file has there
    counts: Mapping[tuple[int | None, Agency], int] = field(default_factory=Counter)
    #: the levels the plan defines
    levels: tuple[int, ...] = ()

    @classmethod
    def of(cls, actions: Iterable[ActionFile], levels: Iterable[int]) -> ActionCounts:
        return cls(Counter((a.level, a.agency) for a in actions), tuple(sorted(levels)))

    def count(self, level: int | None, agency: Agency) -> int:
        return self.counts.get((level, agency), 0)

    def lines(self) -> list[str]:
        """The counts as indented lines: one per level (and "all levels" when there are such actions)."""
        if not self.counts:
            return ["  " + _("no actions read.")]
        out = ["  " + _("actions read ({agencies}):").format(agencies=" / ".join(a.value for a in Agency))]
        rows: list[int | None] = [*sorted({*self.levels, *(lv for lv, _a in self.counts if lv is not None)})]
        if any(lv is None for lv, _a in self.counts):
            rows.append(None)
        for level in rows:
            counts = " / ".join(str(self.count(level, a)) for a in Agency)
            if level is None:
                out.append("    " + _("all levels: {counts}").format(counts=counts))
            else:
                out.append("    " + _("level {level}: {counts}").format(level=ROMAN[level], counts=counts))
        return out

    def warnings(self, source: str) -> list[str]:
        """A line for each defined level without any action of an agency that has actions in the plan."""
        present = [a for a in Agency if any(agency is a for _lv, agency in self.counts)]
        return [
            _("{file}: level {level} has no action for {agency} (the file may be cut short).").format(
                file=source, level=ROMAN[level], agency=agency.value)
            for level in self.levels for agency in present
            if self.count(level, agency) + self.count(None, agency) == 0
        ]
