"""Reviews → Trends: how the same action went drill after drill. Pick a plan (or every plan) and an action
(type to search: the time to muster, or any timed action of the plan); the upper chart plots the measured minutes
per finished drill against the target, the lower one the share of timed actions done on target in each drill.
The drills run along the bottom, oldest first, dated in the port's time zone. Numbers come from TrendService
(services/trends.py), which measures with the one function every report uses."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QLabel, QStackedLayout, QVBoxLayout, QWidget

import pyqtgraph as pg  # isort: skip - after PySide6 (ui/charts.py)
from drillapp.i18n import _, current_language
from drillapp.labels import label
from drillapp.services.trends import MUSTER_KEY, ActionTrend, RunShare, TrendService, TrendsOverview
from drillapp.ui import charts
from drillapp.ui.operations import QueryOp, Watch

ALL_PLANS = None


def action_caption(trend: ActionTrend) -> str:
    if trend.key == MUSTER_KEY:
        return _("Time to muster (first muster in the log)")
    return f"{label(trend.agency)} · {trend.label}" if trend.agency else trend.label


class TrendsView(QWidget):
    def __init__(self, trends: TrendService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewTrends")
        self.trends = trends
        self.overview: TrendsOverview | None = None
        self._loaded = False
        self.watch = Watch(self, self.refresh)
        self.plan = QComboBox(self)
        self.plan.setObjectName("trendsPlan")
        self.plan.addItem(_("All plans"), ALL_PLANS)
        self.action = QComboBox(self)
        self.action.setObjectName("trendsAction")
        self.action.setEditable(True)  # type to search; the completer matches anywhere in the words
        self.action.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.action.setMinimumContentsLength(40)
        search = self.action.lineEdit()
        assert search is not None  # editable
        search.setPlaceholderText(_("Type to search the actions…"))
        completer = QCompleter(self.action.model(), self.action)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.action.setCompleter(completer)
        self.plan.currentIndexChanged.connect(lambda _i: self.refresh())
        self.action.currentIndexChanged.connect(lambda _i: self.show_action())
        self.summary = QLabel(self)
        self.summary.setObjectName("trendsSummary")
        self.summary.setWordWrap(True)

        self.minutes = charts.plot_widget(self, _("Minutes"), _("Drill (date started)"))
        self.minutes.setObjectName("trendsMinutes")
        self.minutes.setTitle(_("Measured time per drill"), color=self.palette().color(
            self.palette().ColorRole.WindowText).name())
        self.minutes.getPlotItem().titleLabel.item.setFont(self.font())
        charts.legend(self.minutes, self.font())
        self.measured = self.minutes.plot([], [], name=_("Measured"), pen=pg.mkPen(charts.BLUE, width=2),
                                          symbol="o", symbolSize=9, symbolBrush=charts.BLUE, symbolPen=charts.BLUE)
        # a bar at each drill's target besides the dashed line: an action measured in one drill has a target too
        self.target = self.minutes.plot([], [], name=_("Target"),
                                        pen=pg.mkPen(charts.RED, width=2, style=Qt.PenStyle.DashLine),
                                        symbol="_", symbolSize=28, symbolPen=pg.mkPen(charts.RED, width=1),
                                        symbolBrush=charts.RED)
        self.late = pg.ScatterPlotItem([], [], symbol="o", size=13, pen=pg.mkPen(charts.RED, width=2), brush=None)
        self.minutes.addItem(self.late)
        self.minutes.getPlotItem().legend.addItem(self.late, _("Late"))

        self.shares = charts.plot_widget(self, _("% on target"), _("Drill (date started)"))
        self.shares.setObjectName("trendsShares")
        self.shares.setTitle(_("Share of timed actions done on target"), color=self.palette().color(
            self.palette().ColorRole.WindowText).name())
        self.shares.getPlotItem().titleLabel.item.setFont(self.font())
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush=charts.GREEN, pen=pg.mkPen(charts.GREEN))
        self.shares.addItem(self.bars)
        self.shares.setYRange(0, 105, padding=0)
        self.share_values: list[float | None] = []

        self.empty = QLabel(_("No drill has been finished yet: the trends start with the first ended drill."), self)
        self.empty.setObjectName("trendsEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        charts_box = QWidget(self)
        box = QVBoxLayout(charts_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.minutes, 3)
        box.addWidget(self.shares, 2)
        self.stack = QStackedLayout()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(charts_box)
        self.charts_box = charts_box

        bar = QHBoxLayout()
        plan_label = QLabel(_("&Plan"), self)
        plan_label.setBuddy(self.plan)
        action_label = QLabel(_("&Action"), self)
        action_label.setBuddy(self.action)
        bar.addWidget(plan_label)
        bar.addWidget(self.plan)
        bar.addWidget(action_label)
        bar.addWidget(self.action, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addLayout(self.stack, 1)

    # -- reading --------------------------------------------------------------------------------------
    def activate(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        trends, plan_id = self.trends, self.plan.currentData()
        QueryOp(self, lambda: trends.overview(plan_id), watch=self.watch).success(self.show_overview).run()

    def show_overview(self, overview: TrendsOverview) -> None:
        self.overview = overview
        self._fill_plans(overview)
        chosen = self.action.currentData()
        self.action.blockSignals(True)
        self.action.clear()
        for trend in overview.trends:
            self.action.addItem(action_caption(trend), trend.key)
        index = self.action.findData(chosen)
        self.action.setCurrentIndex(index if index >= 0 else (0 if overview.trends else -1))
        self.action.blockSignals(False)
        self.stack.setCurrentWidget(self.charts_box if overview.shares else self.empty)
        self._show_shares(overview.shares)
        self.show_action()

    def _fill_plans(self, overview: TrendsOverview) -> None:
        chosen = self.plan.currentData()
        zh = current_language().startswith("zh")
        self.plan.blockSignals(True)
        self.plan.clear()
        self.plan.addItem(_("All plans"), ALL_PLANS)
        for p in overview.plans:
            title = p.title_zh if zh or not p.title_en else p.title_en
            self.plan.addItem(_("{code} {title} ({n} drills)").format(code=p.code, title=title, n=p.runs), p.plan_id)
        self.plan.setCurrentIndex(max(0, self.plan.findData(chosen)))
        self.plan.blockSignals(False)

    def current_trend(self) -> ActionTrend | None:
        key = self.action.currentData()
        if self.overview is None or key is None:
            return None
        return next((t for t in self.overview.trends if t.key == key), None)

    def select_action(self, key: str) -> bool:
        index = self.action.findData(key)
        if index >= 0:
            self.action.setCurrentIndex(index)
        return index >= 0

    # -- drawing --------------------------------------------------------------------------------------
    def _drills(self) -> list:
        """The finished drills along the x axis (those of the share chart, oldest first)."""
        return list(self.overview.shares) if self.overview else []

    def show_action(self) -> None:
        trend = self.current_trend()
        drills = self._drills()
        at = {s.run_id: i for i, s in enumerate(drills)}
        minutes: list[float | None] = [None] * len(drills)
        targets: list[float | None] = [None] * len(drills)
        late: list[tuple[float, float]] = []
        for p in trend.points if trend else ():
            i = at.get(p.run_id)
            if i is None:
                continue
            minutes[i] = p.minutes
            targets[i] = float(p.target) if p.target is not None else None
            if p.late and p.minutes is not None:
                late.append((float(i), p.minutes))
        self._legend_lists_target(any(t is not None for t in targets))
        charts.set_series(self.measured, minutes)
        charts.set_series(self.target, targets)
        self.late.setData([x for x, _y in late], [y for _x, y in late])
        charts.set_categories(self.minutes, [s.started_at for s in drills])
        self.minutes.setYRange(0, charts.nice_top(minutes + targets) * 1.05, padding=0)
        self.summary.setText(self._summary(trend, minutes, len(late)))

    def _legend_lists_target(self, shown: bool) -> None:
        """The legend names the target and late marks only when the chart can have them (the time to muster
        has no target)."""
        legend = self.minutes.getPlotItem().legend
        listed = legend.getLabel(self.target) is not None
        if shown and not listed:
            legend.addItem(self.target, _("Target"))
            legend.addItem(self.late, _("Late"))
        elif listed and not shown:
            legend.removeItem(self.target)
            legend.removeItem(self.late)

    def legend_names(self) -> list[str]:
        return [lab.text for _sample, lab in self.minutes.getPlotItem().legend.items]

    def _summary(self, trend: ActionTrend | None, minutes: list[float | None], late: int) -> str:
        if not self._drills():
            return ""
        if trend is None:
            return _("No timed action was measured in these drills.")
        measured = [m for m in minutes if m is not None]
        if not measured:
            return _("{action}: not done in any of the {n} drills.").format(action=action_caption(trend),
                                                                            n=len(minutes))
        if all(p.target is None for p in trend.points):  # the time to muster has no target
            return _("{action}: measured in {m} of {n} drills; last {last:.1f} min, best {best:.1f} min.").format(
                action=action_caption(trend), m=len(measured), n=len(minutes), last=measured[-1], best=min(measured))
        return _("{action}: measured in {m} of {n} drills, late in {late}; last {last:.1f} min, best {best:.1f} "
                 "min.").format(action=action_caption(trend), m=len(measured), n=len(minutes), late=late,
                                last=measured[-1], best=min(measured))

    def _show_shares(self, shares: tuple[RunShare, ...]) -> None:
        self.share_values = [None if s.share is None else round(100 * s.share, 1) for s in shares]
        xs = [float(i) for i, v in enumerate(self.share_values) if v is not None]
        heights = [v for v in self.share_values if v is not None]
        self.bars.setOpts(x=xs, height=heights, width=0.6)
        charts.set_categories(self.shares, [s.started_at for s in shares])
        self.shares.setYRange(0, 105, padding=0)

    # -- what the charts hold (tests, and checking a chart against the numbers) -----------------------------
    def plotted_minutes(self) -> list[tuple[float, float]]:
        return charts.curve_points(self.measured)

    def plotted_targets(self) -> list[tuple[float, float]]:
        return charts.curve_points(self.target)

    def plotted_late(self) -> list[tuple[float, float]]:
        xs, ys = self.late.getData()
        return [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]

    def plotted_shares(self) -> list[tuple[float, float]]:
        xs, heights = self.bars.opts["x"], self.bars.opts["height"]
        return [(float(x), float(h)) for x, h in zip(xs, heights, strict=True)]

    def x_labels(self) -> list[str]:
        ticks = self.minutes.getPlotItem().getAxis("bottom")._tickLevels  # what set_categories gave it
        return [text for _x, text in ticks[0]] if ticks else []
