"""Trends across drills: the measured time of the same action (time to muster, to seal the hall, to the initial
report) drill after drill, and the share of timed actions done on target.

"The same action" across plan versions is the plan action's lineage key when plan actions carry one, else its
agency and words. Times are measured by the one function that measures them everywhere (measures.py); the time
to muster is the first muster line of the run's log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from drillapp.models import ChecklistEntry, ContingencyPlan, Drill, DrillRun, LogEntry, PlanAction
from drillapp.models.enums import Agency, LogKind, RunStatus
from drillapp.services import run_clock
from drillapp.services.context import ServiceBase
from drillapp.services.measures import measure, on_target_share

MUSTER_KEY = "muster"


@dataclass(frozen=True)
class TrendPoint:
    run_id: int
    drill_id: int
    title: str
    started_at: datetime
    minutes: float | None  # None: not done in that run
    target: int | None
    late: bool | None


@dataclass(frozen=True)
class ActionTrend:
    key: str
    label: str  # the action's words (the newest)
    agency: Agency | None
    points: tuple[TrendPoint, ...]  # oldest run first


@dataclass(frozen=True)
class RunShare:
    run_id: int
    drill_id: int
    title: str
    started_at: datetime
    on_target: int
    timed: int

    @property
    def share(self) -> float | None:
        return self.on_target / self.timed if self.timed else None


@dataclass(frozen=True)
class TrendPlan:
    """A plan that has finished drills (the trends view's plan picker)."""
    plan_id: int
    code: str
    title_zh: str
    title_en: str
    runs: int


@dataclass(frozen=True)
class TrendsOverview:
    """What the trends view shows for one plan (or every plan): each action's trend and the share on target."""
    plans: tuple[TrendPlan, ...]
    trends: tuple[ActionTrend, ...]
    shares: tuple[RunShare, ...]


def action_key(lineage: str | None, agency: Agency | None, text: str) -> str:
    """Which action this is, across drills and plan versions."""
    if lineage:
        return f"lineage:{lineage}"
    words = " ".join(text.split())
    return f"text:{agency.value if agency else ''}:{words}"


class TrendService(ServiceBase):
    def _runs(self, s, plan_id: int | None) -> list[tuple[DrillRun, Drill]]:  # noqa: ANN001
        q = (select(DrillRun, Drill).join(Drill, Drill.id == DrillRun.drill_id)
             .where(DrillRun.status == RunStatus.ENDED).order_by(DrillRun.started_at, DrillRun.id))
        if self.port_id is not None:
            q = q.where(Drill.port_id == self.port_id)
        if plan_id is not None:
            q = q.where(Drill.plan_id == plan_id)
        return [(r, d) for r, d in s.execute(q)]

    def _data(self, plan_id: int | None):  # noqa: ANN202
        with self.read() as s:
            runs = self._runs(s, plan_id)
            ids = [r.id for r, _d in runs]
            entries: dict[int, list[ChecklistEntry]] = {}
            pauses: dict[int, list[tuple[datetime, bool]]] = {}
            muster: dict[int, datetime] = {}
            lineage: dict[int, str | None] = {}
            if ids:
                for e in s.scalars(select(ChecklistEntry).where(ChecklistEntry.drill_run_id.in_(ids))):
                    if e.drill_run_id is not None:  # always, by the query
                        entries.setdefault(e.drill_run_id, []).append(e)
                for run_id, at, kind in s.execute(
                    select(LogEntry.drill_run_id, LogEntry.at, LogEntry.kind)
                    .where(LogEntry.drill_run_id.in_(ids),
                           LogEntry.kind.in_((LogKind.PAUSE, LogKind.RESUME, LogKind.MUSTER)))
                    .order_by(LogEntry.drill_run_id, LogEntry.seq)
                ):
                    if run_id is None:  # never, by the query
                        continue
                    if kind is LogKind.MUSTER:
                        muster[run_id] = min(at, muster.get(run_id, at))
                    else:
                        pauses.setdefault(run_id, []).append((at, kind is LogKind.PAUSE))
                action_ids = {e.plan_action_id for rows in entries.values() for e in rows if e.plan_action_id}
                if action_ids and hasattr(PlanAction, "lineage"):
                    for action_id, key in s.execute(select(PlanAction.id, PlanAction.lineage)
                                                    .where(PlanAction.id.in_(action_ids))):
                        lineage[action_id] = key
            for r, _d in runs:
                s.expunge(r)
            return runs, entries, {k: run_clock.pauses_from(v) for k, v in pauses.items()}, muster, lineage

    def action_trends(self, plan_id: int | None = None, min_runs: int = 1) -> list[ActionTrend]:
        """Every timed action's measured time run after run (those measured in at least `min_runs` runs), and
        the time to muster; in the order the actions first appear."""
        return self._trends(self._data(plan_id), min_runs)

    @staticmethod
    def _trends(data, min_runs: int = 1) -> list[ActionTrend]:  # noqa: ANN001
        runs, entries, pauses, muster, lineage = data
        series: dict[str, dict] = {}
        muster_points = []
        for run, drill in runs:
            p = pauses.get(run.id, ())
            for e in entries.get(run.id, []):
                if e.target_minutes is None:
                    continue
                m = measure(run.started_at, p, e, run.ended_at)
                key = action_key(lineage.get(e.plan_action_id or 0), e.agency, e.text)
                entry = series.setdefault(key, {"label": e.text, "agency": e.agency, "points": []})
                entry["label"] = e.text
                entry["points"].append(TrendPoint(run.id, drill.id, drill.title, run.started_at, m.minutes_taken,
                                                  e.target_minutes, m.late))
            if run.id in muster:
                muster_points.append(TrendPoint(run.id, drill.id, drill.title, run.started_at,
                                                run_clock.elapsed_minutes(run.started_at, p, muster[run.id],
                                                                          run.ended_at), None, None))
        out = [ActionTrend(MUSTER_KEY, "", None, tuple(muster_points))] if muster_points else []
        out += [ActionTrend(k, v["label"], v["agency"], tuple(v["points"])) for k, v in series.items()
                if sum(1 for pt in v["points"] if pt.minutes is not None) >= min_runs]
        return out

    def action_trend(self, key: str, plan_id: int | None = None) -> ActionTrend | None:
        return next((t for t in self.action_trends(plan_id) if t.key == key), None)

    def on_target_shares(self, plan_id: int | None = None) -> list[RunShare]:
        """Per finished run, oldest first: how many timed actions were done on target, of how many."""
        return self._shares(self._data(plan_id))

    @staticmethod
    def _shares(data) -> list[RunShare]:  # noqa: ANN001
        runs, entries, pauses, _muster, _lineage = data
        out = []
        for run, drill in runs:
            measures = [measure(run.started_at, pauses.get(run.id, ()), e, run.ended_at) for e in entries.get(run.id, [])]
            hit, timed = on_target_share(measures)
            out.append(RunShare(run.id, drill.id, drill.title, run.started_at, hit, timed))
        return out

    def plans(self) -> list[TrendPlan]:
        """The plans of this port with finished drills, by code."""
        with self.read() as s:
            q = (select(ContingencyPlan.id, ContingencyPlan.code, ContingencyPlan.title_zh, ContingencyPlan.title_en,
                        func.count(DrillRun.id))
                 .join(Drill, Drill.plan_id == ContingencyPlan.id).join(DrillRun, DrillRun.drill_id == Drill.id)
                 .where(DrillRun.status == RunStatus.ENDED)
                 .group_by(ContingencyPlan.id, ContingencyPlan.code, ContingencyPlan.title_zh, ContingencyPlan.title_en)
                 .order_by(ContingencyPlan.code))
            if self.port_id is not None:
                q = q.where(Drill.port_id == self.port_id)
            return [TrendPlan(*row) for row in s.execute(q)]

    def overview(self, plan_id: int | None = None) -> TrendsOverview:
        """The trends view in one read: the plans to pick from, and for the chosen one (None: every plan) each
        timed action's trend and each finished drill's share on target."""
        data = self._data(plan_id)
        return TrendsOverview(tuple(self.plans()), tuple(self._trends(data)), tuple(self._shares(data)))


__all__ = ["MUSTER_KEY", "ActionTrend", "RunShare", "TrendPlan", "TrendPoint", "TrendService", "TrendsOverview",
           "action_key"]
