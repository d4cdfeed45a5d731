"""The dashboard: what matters today. Read in the background; each card says plainly when it is empty."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.models.enums import ReminderStatus
from drillapp.services.dashboard import Dashboard, DashboardService
from drillapp.services.oncall import OnCallService
from drillapp.services.reminders import ReminderService
from drillapp.ui.errors import show_error
from drillapp.ui.operations import QueryOp, Watch, WriteOp
from drillapp.ui.team.oncall_panel import OnCallPanel


class Card(QGroupBox):
    """A titled list with an empty-state line in its place when there is nothing to show."""

    def __init__(self, object_name: str, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(object_name)
        self.list = QListWidget(self)
        self.list.setObjectName("items")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.empty = QLabel(empty_text, self)
        self.empty.setObjectName("empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setProperty("muted", True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        self.footer = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(self.footer)

    def fill(self, items: list[tuple[str, Any]]) -> None:
        self.list.clear()
        for text, data in items:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, data)
            item.setToolTip(text)
            self.list.addItem(item)
        self.stack.setCurrentWidget(self.list if items else self.empty)

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


def _when(value: Any) -> str:
    return to_local(value).strftime("%m-%d %H:%M")


class DashboardPage(QWidget):
    loaded = Signal(object)
    launch_drill = Signal(int)  # the drill chosen in "Next drills" (Enter, double-click, "Launch drill")
    open_drill = Signal(int)  # the drill chosen in "Next drills", to open in its designer ("Open drill")
    show_coverage = Signal()  # the overdue coverage cells' link

    def __init__(self, dashboard: DashboardService, reminders: ReminderService, parent: QWidget | None = None,
                 oncall: OnCallService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_dashboard")
        self.dashboard_service = dashboard
        self.reminder_service = reminders
        self.data: Dashboard | None = None
        #: refreshes the dashboard when a change touches what its last read looked at (here or at another desk)
        self.watch = Watch(self, self.refresh)

        title = QLabel(_("Today at the port"), self)
        title.setObjectName("pageTitle")
        self.status = QLabel(_("Loading…"), self)
        self.status.setObjectName("status")
        self.status.setProperty("muted", True)

        self.drills = Card("card_drills", _("Next drills"), _("No drills are scheduled. Plan one under Drills."))
        self.launch_button = QPushButton(_("Launch drill"), self.drills)
        self.launch_button.setObjectName("launchDrill")
        self.open_button = QPushButton(_("Open drill (Ctrl+O)"), self.drills)
        self.open_button.setObjectName("openNextDrill")
        self.open_button.setToolTip(_("Open the chosen drill in its designer (Ctrl+O); Enter launches it"))
        QShortcut(QKeySequence("Ctrl+O"), self, self._open)
        self.open_button.clicked.connect(self._open)
        self.coverage_link = QLabel(self.drills)
        self.coverage_link.setObjectName("overdueCells")
        self.coverage_link.setTextFormat(Qt.TextFormat.RichText)
        self.coverage_link.linkActivated.connect(lambda _link: self.show_coverage.emit())
        self.drills.footer.addWidget(self.coverage_link)
        self.drills.footer.addStretch(1)
        self.drills.footer.addWidget(self.open_button)
        self.drills.footer.addWidget(self.launch_button)
        self.launch_button.clicked.connect(self._launch)
        self.drills.list.itemActivated.connect(lambda _item: self._launch())
        self.on_call: Card | OnCallPanel
        if oncall is not None:  # the published roster's current and next shift, with a print-out
            self.on_call = OnCallPanel(oncall, self)
        else:
            self.on_call = Card("card_on_call", _("On call now"),
                                _("Nobody is on call right now. Publish a roster under Team & Roster."))
        self.overdue = Card("card_overdue", _("Overdue corrective actions"),
                            _("No corrective action is overdue."))
        self.plans = Card("card_plans", _("Plans due for review"), _("No plan is due for review in the next 60 days."))
        self.reminders = Card("card_reminders", _("Reminders"), _("No reminders. You are up to date."))
        self.done_button = QPushButton(_("Mark done"), self.reminders)
        self.done_button.setObjectName("reminderDone")
        self.dismiss_button = QPushButton(_("Dismiss"), self.reminders)
        self.dismiss_button.setObjectName("reminderDismiss")
        self.reminders.footer.addStretch(1)
        self.reminders.footer.addWidget(self.done_button)
        self.reminders.footer.addWidget(self.dismiss_button)
        self.done_button.clicked.connect(lambda: self._close_reminder(ReminderStatus.DONE))
        self.dismiss_button.clicked.connect(lambda: self._close_reminder(ReminderStatus.DISMISSED))
        self.reminders.list.currentItemChanged.connect(self._update_buttons)
        self._update_buttons()

        grid = QGridLayout()
        grid.addWidget(self.drills, 0, 0)
        grid.addWidget(self.on_call, 0, 1)
        grid.addWidget(self.reminders, 0, 2)
        grid.addWidget(self.overdue, 1, 0)
        grid.addWidget(self.plans, 1, 1, 1, 2)
        for col in range(3):
            grid.setColumnStretch(col, 1)
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.status)
        layout.addLayout(header)
        layout.addLayout(grid, 1)

    def refresh(self) -> None:
        self.status.setText(_("Loading…"))
        QueryOp(self, self.dashboard_service.load, watch=self.watch).success(self._show).failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(_("Could not load the dashboard."))
        show_error(self, exc)
        self.loaded.emit(None)

    def _show(self, data: Dashboard) -> None:
        self.data = data
        if isinstance(self.on_call, OnCallPanel):
            self.on_call.refresh()  # after the rest, so the first screen is not kept waiting by two loads at once
        self.drills.fill([
            (f"{_when(d.starts_at)}  {d.title}  ·  {label(d.kind)}  ·  {level_label(d.level)}", d.id)
            for d in data.next_drills
        ])
        self.coverage_link.setText(
            f'<a href="coverage">{_("{n} coverage cell(s) overdue").format(n=data.overdue_cells)}</a>'
            if data.overdue_cells else "")
        self.coverage_link.setToolTip(_("Plan × level × branch cells overdue for a drill: show the coverage matrix"))
        if isinstance(self.on_call, Card):
            self.on_call.fill([
                (f"{p.name}  ·  {label(p.agency)}  ·  {p.squad}  ·  {p.mobile}", p.member_id) for p in data.on_call
            ])
        overdue: list[tuple[str, int | None]] = [
            (_("{due} · {agency} · {text}").format(due=a.due_on.isoformat(), agency=label(a.agency) or a.owner,
                                                    text=a.text), a.id)
            for a in data.overdue_actions
        ]
        if data.overdue_action_count > len(overdue):
            overdue.append((_("… and {n} more").format(n=data.overdue_action_count - len(overdue)), None))
        self.overdue.fill(overdue)
        self.plans.fill([
            ((_("OVERDUE {date} · {title} (version {version})") if p.overdue
              else _("{date} · {title} (version {version})")).format(
                date=p.review_due_on.isoformat(), title=p.title, version=p.version), p.plan_id)
            for p in data.plans_due
        ])
        self.reminders.fill([(f"{r.heading}\n{r.detail}" if r.detail else r.heading, r.id) for r in data.reminders])
        self._update_buttons()
        self.status.setText(_("Updated {time}").format(time=to_local(self.dashboard_service.clock()).strftime("%H:%M")))
        self.loaded.emit(data)

    def selected_drill(self) -> int | None:
        item = self.drills.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _launch(self) -> None:
        drill_id = self.selected_drill()
        if drill_id is not None:
            self.launch_drill.emit(drill_id)

    def _open(self) -> None:
        drill_id = self.selected_drill()
        if drill_id is None and self.drills.list.count():
            drill_id = self.drills.list.item(0).data(Qt.ItemDataRole.UserRole)  # the next drill
        if drill_id is not None:
            self.open_drill.emit(drill_id)

    def _update_buttons(self, *_args: Any) -> None:
        has = self.reminders.list.currentItem() is not None
        self.done_button.setEnabled(has)
        self.dismiss_button.setEnabled(has)

    def _close_reminder(self, status: ReminderStatus) -> None:
        item = self.reminders.list.currentItem()
        if item is None:
            return
        reminder_id = item.data(Qt.ItemDataRole.UserRole)
        close: Callable[[], None] = lambda: self.reminder_service.close(reminder_id, status)  # noqa: E731
        WriteOp(self, close).run(initiator=self)
