"""Recurring drills: a series is an RRULE from a local DTSTART (python-dateutil expands it); each
occurrence is its own Drill row, linked to the series with its original start (the RECURRENCE-ID).

Making a series is two steps: `preview` lists the occurrences, each with the blocked period it falls in, if
any; `create_series` then takes a decision for each of those (skip it, or move it to another time) and makes
every drill in one operation. Moving, cancelling or editing one occurrence by hand detaches it;
`update_series` changes only the occurrences still attached and to come (adding those the new rule makes,
removing those it no longer does), and leaves the others alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import select

from drillapp.clock import from_local, to_local
from drillapp.i18n import _
from drillapp.models import Drill, DrillSeries, Port
from drillapp.models.enums import DRILL_TO_COME, DrillKind, DrillScope, DrillStatus
from drillapp.scheduling.recurrence import occurrences, parse_rule
from drillapp.services import audit, validate
from drillapp.services.context import ServiceBase
from drillapp.services.drill_reminders import move_reminders
from drillapp.services.drill_rules import check_duration, check_owner, check_plan
from drillapp.services.drills import DrillRow, drill_row
from drillapp.services.errors import ValidationError
from drillapp.services.port_calendar import CalendarEntry, blocking_period, refuse_blocked
from drillapp.services.reminders import HORIZON


@dataclass(frozen=True)
class SeriesSpec:
    """A series as the user writes it: the template of its drills, its rule and its first start (local)."""

    title: str
    kind: DrillKind
    rrule: str
    dtstart_local: datetime  # the port's wall-clock time of the first occurrence
    duration_minutes: int = 60
    scope: DrillScope = DrillScope.SINGLE
    plan_id: int | None = None
    level: int | None = None
    location: str = ""
    scenario_text: str = ""
    safety_notes: str = ""
    owner_id: int | None = None
    count: int | None = None  # adds COUNT=n to the rule


@dataclass(frozen=True)
class Occurrence:
    local_start: datetime  # as the rule makes it, the port's time
    start: datetime  # stored UTC
    blocked_by: CalendarEntry | None  # the blocked period it falls in


@dataclass(frozen=True)
class Decision:
    """What to do with an occurrence in a blocked period: skip it, or hold it at `move_to` (local) instead."""

    skip: bool = False
    move_to: datetime | None = None


@dataclass(frozen=True)
class SeriesPreview:
    rule: str
    occurrences: tuple[Occurrence, ...]

    @property
    def conflicts(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.occurrences if o.blocked_by is not None)


@dataclass(frozen=True)
class SeriesInfo:
    id: int
    row_version: int
    uid: str
    spec: SeriesSpec
    skipped: tuple[datetime, ...]
    occurrences: tuple[DrillRow, ...] = field(default_factory=tuple)


def _check_spec(s, port_id: int, spec: SeriesSpec) -> tuple[str, list[datetime]]:  # noqa: ANN001
    validate.text(spec.title, "title", _("Title"), max_len=300)
    validate.text(spec.location, "location", _("Location"), max_len=300, required=False)
    check_duration(spec.duration_minutes)
    check_plan(s, port_id, spec.plan_id, spec.level)
    check_owner(s, spec.owner_id)
    rule_text, rule = parse_rule(spec.rrule, spec.dtstart_local, count=spec.count)
    return rule_text, occurrences(rule)


def _occurrences(s, port_id: int, zone: str, spec: SeriesSpec) -> tuple[str, list[Occurrence]]:  # noqa: ANN001
    rule_text, starts = _check_spec(s, port_id, spec)
    out = []
    for local in starts:
        start = from_local(local, zone)
        out.append(Occurrence(local, start, blocking_period(s, port_id, start, spec.duration_minutes, zone)))
    return rule_text, out


def _resolve(s, port_id: int, zone: str, spec: SeriesSpec, occurrence: Occurrence,  # noqa: ANN001
             decisions: dict[datetime, Decision]) -> datetime | None:
    """The stored start for an occurrence (its own, or the one it was moved to); None when skipped."""
    if occurrence.blocked_by is None:
        return occurrence.start
    decision = decisions.get(occurrence.local_start)
    if decision is None:
        raise ValidationError(_("The occurrence on {when} falls in {name} ({from_}–{to}): skip it or move it.").format(
            when=occurrence.local_start.strftime("%Y-%m-%d %H:%M"), name=occurrence.blocked_by.name,
            from_=occurrence.blocked_by.starts_on.isoformat(), to=occurrence.blocked_by.ends_on.isoformat()),
            "decisions")
    if decision.skip:
        return None
    if decision.move_to is None:
        raise ValidationError(_("Say where the occurrence on {when} moves to.").format(
            when=occurrence.local_start.strftime("%Y-%m-%d %H:%M")), "decisions")
    moved = from_local(decision.move_to, zone)
    refuse_blocked(s, port_id, moved, spec.duration_minutes, "decisions")
    return moved


def _template(drill: Drill, spec: SeriesSpec) -> None:
    drill.title = spec.title.strip()
    drill.kind, drill.scope, drill.plan_id, drill.level = spec.kind, spec.scope, spec.plan_id, spec.level
    drill.duration_minutes = spec.duration_minutes
    drill.location, drill.scenario_text, drill.safety_notes = spec.location.strip(), spec.scenario_text, spec.safety_notes
    drill.owner_id = spec.owner_id


class SeriesService(ServiceBase):
    def _zone(self, s, port_id: int) -> str:  # noqa: ANN001
        port = validate.get(s, Port, port_id, _("Port"))
        return port.time_zone

    def preview(self, spec: SeriesSpec, port_id: int | None = None) -> SeriesPreview:
        """The occurrences the series would have, each with the blocked period it falls in; writes nothing."""
        port = self.require_port(port_id)
        with self.read() as s:
            rule, found = _occurrences(s, port, self._zone(s, port), spec)
            return SeriesPreview(rule, tuple(found))

    def create_series(self, spec: SeriesSpec, decisions: dict[datetime, Decision] | None = None,
                      port_id: int | None = None) -> tuple[int, tuple[int, ...]]:
        """Make the series and all its drills in one operation; (series id, drill ids in date order).
        Every occurrence in a blocked period needs a decision (keyed by its local start): refused otherwise."""
        decisions = decisions or {}
        port = self.require_port(port_id)
        with self.write("drills.create_series") as s:
            zone = self._zone(s, port)
            spec = replace(spec, owner_id=spec.owner_id if spec.owner_id is not None else self.actor.user_id)
            rule_text, found = _occurrences(s, port, zone, spec)
            series = DrillSeries(port_id=port, rrule=rule_text, dtstart_local=spec.dtstart_local.replace(tzinfo=None),
                                 duration_minutes=spec.duration_minutes, title=spec.title.strip(), kind=spec.kind,
                                 scope=spec.scope, plan_id=spec.plan_id, level=spec.level,
                                 location=spec.location.strip(), scenario_text=spec.scenario_text,
                                 safety_notes=spec.safety_notes, owner_id=spec.owner_id, skipped=[])
            s.add(series)
            s.flush()
            made, skipped = [], []
            for occurrence in found:
                start = _resolve(s, port, zone, spec, occurrence, decisions)
                if start is None:
                    skipped.append(occurrence.local_start.isoformat())
                    continue
                drill = Drill(port_id=port, series_id=series.id, occurrence_start=occurrence.start,
                              scheduled_start=start, detached=start != occurrence.start, title=spec.title.strip(),
                              kind=spec.kind)
                _template(drill, spec)
                s.add(drill)
                made.append(drill)
            if not made:
                raise ValidationError(_("Every occurrence was skipped: the series would have no drill."), "decisions")
            series.skipped = skipped
            s.flush()
            now = audit.operation_time(s)
            for drill in made:
                move_reminders(s, drill, now, HORIZON)
            return series.id, tuple(d.id for d in sorted(made, key=lambda d: d.scheduled_start))

    def update_series(self, series_id: int, expected_version: int, spec: SeriesSpec,
                      decisions: dict[datetime, Decision] | None = None) -> int:
        """Change the series: its attached occurrences still to come follow (new ones made, dropped ones
        removed); occurrences moved, cancelled or edited by hand, and those past, stay as they are.
        Returns the series' new row version."""
        decisions = decisions or {}
        with self.write("drills.update_series") as s:
            series = validate.get(s, DrillSeries, series_id, _("Drill series"))
            validate.expect_version(series, expected_version)
            zone = self._zone(s, series.port_id)
            rule_text, found = _occurrences(s, series.port_id, zone, spec)
            now = audit.operation_time(s)
            drills = list(s.scalars(select(Drill).where(Drill.series_id == series.id)))
            protected = {d.id for d in drills if d.detached or d.status not in DRILL_TO_COME or d.scheduled_start < now}
            kept = {d.occurrence_start for d in drills if d.id in protected}
            free = {d.occurrence_start: d for d in drills if d.id not in protected}
            wanted = {o.start for o in found}
            for start, drill in list(free.items()):
                if start not in wanted:
                    move_reminders(s, _cancelled_copy(drill), now, HORIZON)
                    s.delete(drill)
                    del free[start]
            skipped: list[str] = []
            for occurrence in found:
                if occurrence.start in kept:
                    continue
                reused = free.get(occurrence.start)
                if reused is not None:
                    drill = reused
                    _template(drill, spec)
                    continue
                start = _resolve(s, series.port_id, zone, spec, occurrence, decisions)
                if start is None:
                    skipped.append(occurrence.local_start.isoformat())
                    continue
                if start < now:
                    continue  # the rule now reaches into the past: nothing is made there
                drill = Drill(port_id=series.port_id, series_id=series.id, occurrence_start=occurrence.start,
                              scheduled_start=start, detached=start != occurrence.start, title=spec.title.strip(),
                              kind=spec.kind)
                _template(drill, spec)
                s.add(drill)
            series.rrule, series.dtstart_local = rule_text, spec.dtstart_local.replace(tzinfo=None)
            series.duration_minutes, series.title, series.kind, series.scope = (
                spec.duration_minutes, spec.title.strip(), spec.kind, spec.scope)
            series.plan_id, series.level, series.location = spec.plan_id, spec.level, spec.location.strip()
            series.scenario_text, series.safety_notes, series.owner_id = spec.scenario_text, spec.safety_notes, spec.owner_id
            series.skipped = sorted(set(series.skipped or []) | set(skipped))
            s.flush()
            for drill in s.scalars(select(Drill).where(Drill.series_id == series.id, Drill.detached.is_(False))):
                if drill.status in DRILL_TO_COME and drill.scheduled_start >= now:
                    move_reminders(s, drill, now, HORIZON)
            return series.row_version

    def series(self, series_id: int) -> SeriesInfo:
        with self.read() as s:
            series = validate.get(s, DrillSeries, series_id, _("Drill series"))
            rows = s.scalars(select(Drill).where(Drill.series_id == series.id).order_by(Drill.scheduled_start))
            spec = SeriesSpec(series.title, series.kind, series.rrule, series.dtstart_local, series.duration_minutes,
                              series.scope, series.plan_id, series.level, series.location, series.scenario_text,
                              series.safety_notes, series.owner_id)
            return SeriesInfo(series.id, series.row_version, series.uid, spec,
                              tuple(datetime.fromisoformat(x) for x in series.skipped or []),
                              tuple(drill_row(d) for d in rows))


def _cancelled_copy(drill: Drill) -> Drill:
    """The drill as `move_reminders` should see it when it is about to be removed: no longer to come."""
    drill.status = DrillStatus.CANCELLED
    return drill


def local_start(value: datetime, zone: str | None = None) -> datetime:
    return to_local(value, zone)

