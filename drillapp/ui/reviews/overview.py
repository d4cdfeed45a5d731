"""The review's first tab: the overview of the drill and its run, the summary (kept on leaving it), every timed
action against its target (computed from the run's record, not typed) and the hot-wash notes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import to_local
from drillapp.i18n import N_, _, join_list
from drillapp.labels import label, level_label
from drillapp.services.measures import late_minutes
from drillapp.services.review_read import ReviewDoc
from drillapp.ui.reviews.findings import KeptText

DRILL_TITLES = {"drill": N_("Drill"), "plan": N_("Plan and level"), "when": N_("Run"), "branches": N_("Branches"),
                "people": N_("Controllers / evaluators"), "scenario": N_("Scenario narrative")}
SUMMARY_HINT = N_("What the drill showed, in a few lines (kept when you leave the field)")
#: a real incident's overview: the same facts under the incident's words
INCIDENT_TITLES = {**DRILL_TITLES, "drill": N_("Incident"), "when": N_("Alarm to stand-down"),
                   "branches": N_("Branches that acted"), "people": N_("Opened by"), "scenario": N_("Description")}


def _when(value, zone: str) -> str:  # noqa: ANN001 - a datetime or None
    return to_local(value, zone or None).strftime("%Y-%m-%d %H:%M") if value is not None else "—"


def _minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _taken(value: float | None) -> str:
    """Measured minutes with one decimal, as the run record and the AAR print them (3.4 against 3: late)."""
    return "—" if value is None else f"{value:.1f}"


class OverviewPanel(QWidget):
    summary_wanted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: ReviewDoc | None = None
        self.facts: dict[str, QLabel] = {}
        self.titles: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, title in DRILL_TITLES.items():
            self.titles[key] = QLabel(_(title), self)
            value = QLabel(self)
            value.setObjectName(f"overview_{key}")
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(self.titles[key], value)
            self.facts[key] = value
        self.summary = KeptText(self)
        self.summary.setObjectName("reviewSummary")
        self.summary.setTabChangesFocus(True)
        self.summary.setPlaceholderText(_(SUMMARY_HINT))
        self.summary.left.connect(self._summary_left)
        self.measures = QTableWidget(0, 5, self)
        self.measures.setObjectName("measuresTable")
        self.measures.setHorizontalHeaderLabels([_("Branch"), _("Action"), _("Target (min)"), _("Taken (min)"),
                                                 _("Result")])
        self.measures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.measures.verticalHeader().setVisible(False)
        header = self.measures.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.on_target = QLabel(self)
        self.on_target.setObjectName("onTarget")
        self.hot_wash = QListWidget(self)
        self.hot_wash.setObjectName("hotWashList")
        self.hot_wash.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Summary of the review"), self))
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.on_target)
        layout.addWidget(self.measures, 2)
        layout.addWidget(QLabel(_("Hot-wash notes"), self))
        layout.addWidget(self.hot_wash, 1)
        self.amendments_title = QLabel(_("Amendments"), self)
        self.amendments = QListWidget(self)
        self.amendments.setObjectName("amendmentsList")
        self.amendments.setWordWrap(True)
        layout.addWidget(self.amendments_title)
        layout.addWidget(self.amendments, 1)

    def show_doc(self, doc: ReviewDoc) -> None:
        self.doc = doc
        o, zone = doc.overview, doc.record.snapshot.port_zone
        for key, title in (INCIDENT_TITLES if doc.real else DRILL_TITLES).items():
            self.titles[key].setText(_(title))
        self.summary.setPlaceholderText(_("What the incident showed, in a few lines (kept when you leave the field)")
                                        if doc.real else _(SUMMARY_HINT))
        if doc.real:
            self.facts["drill"].setText(f"{o.drill_title} · {_('Real incident')}")
        else:
            self.facts["drill"].setText(f"{o.drill_title} · {label(o.kind)} · {label(o.scope)}"
                                        + (f" · {_('unplanned')}" if o.unplanned else ""))
        plan = f"{o.plan_code} {o.plan_title}".strip() or "—"
        if o.plan_version is not None:
            plan += " · " + _("Version {n}").format(n=o.plan_version)
        self.facts["plan"].setText(f"{plan} · {level_label(o.level)}")
        self.facts["when"].setText(_("{start} to {end} (port time) · {location}").format(
            start=_when(o.started_at, zone), end=_when(o.ended_at, zone), location=o.location or "—"))
        self.facts["branches"].setText(join_list([label(a) for a in o.branches]) or "—")
        self.facts["people"].setText(join_list(o.controllers) or "—" if doc.real else
                                     " / ".join((join_list(o.controllers) or "—", join_list(o.evaluators) or "—")))
        self.facts["scenario"].setText(o.scenario or "—")
        self.summary.setReadOnly(not doc.draft)
        self.summary.show_text(doc.summary)
        timed = [m for m in doc.record.measures if m.timed]
        self.on_target.setText(_("On target: {n} of {total} timed actions").format(
            n=doc.record.on_target, total=doc.record.timed))
        self.measures.setRowCount(len(timed))
        for r, m in enumerate(timed):
            if m.missed:
                result = _("not done")
            elif m.late:
                result = _("late by {n} min").format(n=f"{late_minutes(m.over_by or 0.0):.1f}")
            elif m.late is False:
                result = _("on target")
            else:
                result = label(m.state)
            for c, text in enumerate((label(m.agency), m.text, _minutes(m.target_minutes), _taken(m.minutes_taken),
                                      result)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if m.late or m.missed:
                    item.setForeground(QBrush(QColor("#9b1c1c")))
                self.measures.setItem(r, c, item)
        self.hot_wash.clear()
        for n in doc.hot_wash:
            who = label(n.agency) if n.agency else _("(all branches)")
            self.hot_wash.addItem(_("{when} · {kind} · {branch}: {text}").format(
                when=_when(n.at, zone), kind=label(n.kind), branch=who, text=n.text))
        if not doc.hot_wash:
            self.hot_wash.addItem(_("No hot-wash notes were taken."))
        self.amendments.clear()
        for a in doc.amendments:
            self.amendments.addItem(_("{when} · {author}: {text}").format(when=_when(a.at, zone), author=a.author,
                                                                         text=a.text))
        self.amendments_title.setVisible(bool(doc.amendments))
        self.amendments.setVisible(bool(doc.amendments))

    def _summary_left(self) -> None:
        if self.doc is not None and self.doc.draft and self.summary.toPlainText() != self.doc.summary:
            self.summary_wanted.emit(self.summary.toPlainText())
