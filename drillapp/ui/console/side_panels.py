"""The console's side panels: the injects due (popping up without taking the keyboard), the report
countdowns, and the plan's contacts with the neighbours' own local time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import InjectStatus
from drillapp.services.run_view import ContactView, InjectView, ItemStatus, ReportView
from drillapp.ui.console.formatting import countdown
from drillapp.ui.windows import refit_when_resized

#: Injects this close to their time are listed as coming up.
NEXT_INJECTS = 3


def _title(text: str, parent: QWidget) -> QLabel:
    title = QLabel(text, parent)
    title.setObjectName("panelTitle")
    font = title.font()
    font.setBold(True)
    title.setFont(font)
    return title


class InjectPanel(QFrame):
    """The inject due now, shown in a coloured box with Delivered / Delay / Skip (never focused: the officer
    keeps working the checklist by keyboard; F6 / F7 / F8 do the same), and the next ones."""

    marked = Signal(int, object)  # inject id, InjectStatus

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("injectPanel")
        self.due_box = QFrame(self)
        self.due_box.setObjectName("injectDue")
        self.due_box.setStyleSheet("#injectDue { background: #fff3c4; border: 2px solid #e0a800; border-radius: 6px; }")
        self.due_text = QLabel("", self.due_box)
        self.due_text.setObjectName("injectDueText")
        self.due_text.setWordWrap(True)
        self.due_text.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        self.deliver = self._button(_("Delivered (F6)"), "injectDelivered", InjectStatus.DELIVERED, buttons)
        self.delay = self._button(_("Delay 5 min (F7)"), "injectDelay", InjectStatus.DELAYED, buttons)
        self.skip = self._button(_("Skip (F8)"), "injectSkip", InjectStatus.SKIPPED, buttons)
        box = QVBoxLayout(self.due_box)
        box.addWidget(self.due_text)
        box.addLayout(buttons)
        self.next_list = QListWidget(self)
        self.next_list.setObjectName("nextInjects")
        self.next_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.next_list.setWordWrap(True)
        self.next_list.setMaximumHeight(110)
        self.empty = QLabel(_("No injects in this scenario."), self)
        self.empty.setProperty("muted", True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_title(_("Injects"), self))
        layout.addWidget(self.due_box)
        layout.addWidget(self.next_list)
        layout.addWidget(self.empty)
        self.current: InjectView | None = None
        self.due_box.hide()

    def _button(self, text: str, name: str, status: InjectStatus, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text, self.due_box)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click does not take the keyboard from the checklist
        button.clicked.connect(lambda _c=False: self.mark(status))
        row.addWidget(button)
        return button

    def mark(self, status: InjectStatus) -> None:
        if self.current is not None:
            self.marked.emit(self.current.row.info.id, status)

    def set_injects(self, pending: tuple[InjectView, ...], any_injects: bool, zone: str) -> None:
        due = next((i for i in pending if i.due), None)
        self.current = due
        if due is not None:
            info = due.row.info
            late = countdown(-due.seconds_until)
            words = _("Inject {n} due now (T+{minutes}, {late} ago)").format(n=info.number, minutes=due.row.due_minutes,
                                                                             late=late)
            lines = [words, info.message]
            if info.sender or info.recipient:
                lines.append(_("From {sender} to {recipient}").format(sender=info.sender or "—",
                                                                      recipient=info.recipient or "—"))
            if info.expected_action:
                lines.append(_("Expected: {action}").format(action=info.expected_action))
            text = "\n".join(lines)
            if self.due_text.text() != text:
                self.due_text.setText(text)
        self.due_box.setVisible(due is not None)
        coming = [i for i in pending if not i.due][:NEXT_INJECTS]
        texts = [_("Inject {n} in {time}: {message}").format(n=i.row.info.number, time=countdown(i.seconds_until),
                                                             message=i.row.info.message) for i in coming]
        if [self.next_list.item(n).text() for n in range(self.next_list.count())] != texts:
            self.next_list.clear()
            self.next_list.addItems(texts)
        self.next_list.setVisible(bool(texts))
        self.empty.setVisible(not any_injects)


class ReportsPanel(QListWidget):
    """The report countdowns: the plan's due reports (the initial report at minute N)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reports")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)

    def set_reports(self, reports: tuple[ReportView, ...]) -> None:
        texts = []
        for r in reports:
            if r.remaining_seconds is not None:
                when = (_("due in {time}") if r.remaining_seconds >= 0 else _("overdue by {time}")).format(
                    time=countdown(abs(r.remaining_seconds)))
            else:
                when = _(label_status(r.status))
            texts.append(f"{label(r.kind)} · {label(r.agency)} · {when}\n{r.text}")
        if [self.item(n).text() for n in range(self.count())] != texts:
            self.clear()
            for text, r in zip(texts, reports, strict=True):
                item = QListWidgetItem(text)
                if r.status is ItemStatus.RED:
                    item.setForeground(Qt.GlobalColor.red)
                self.addItem(item)
        if not texts and self.count() == 0:
            self.addItem(_("No reports are due under this plan."))


def label_status(status: ItemStatus) -> str:
    from drillapp.ui.console.checklist import STATUS_WORDS

    return STATUS_WORDS[status]


#: The contacts' columns.
CONTACT, THEIR_TIME, PHONE = range(3)


class ContactsPanel(QTableWidget):
    """The plan's contacts, in a side panel a third of the console wide: who (their post on a second line),
    a neighbour's own local time (UTC+9, UTC+10; the column hides when no contact has one), their phones one
    under the other. The time and phones take what they need, the contact what is left and wraps, so no
    column runs off the panel's right edge (the post column once did, at 1400x900 and maximised alike)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setObjectName("contacts")
        self.setHorizontalHeaderLabels([_("Contact"), _("Their time"), _("Phone")])
        self.verticalHeader().setVisible(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(CONTACT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(THEIR_TIME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PHONE, QHeaderView.ResizeMode.ResizeToContents)
        refit_when_resized(self, self.resizeRowsToContents)  # the wrapping follows the contact column's width
        self._shown: list[tuple[str, str, str]] = []

    def set_contacts(self, contacts: tuple[ContactView, ...]) -> None:
        rows = []
        for c in contacts:
            row = c.row
            name = f"{label(row.agency)} · {row.name}" if row.agency else row.name
            who = f"{name}\n{row.post}" if row.post else name
            phone = "\n".join(p for p in (row.phone, row.mobile) if p)
            when = f"{c.local_time:%H:%M} {c.utc_offset}" if c.local_time is not None else ""
            rows.append((who, when, phone))
        if rows == self._shown:
            return
        if len(rows) != len(self._shown):
            self.setRowCount(len(rows))
        for n, values in enumerate(rows):
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.setItem(n, col, item)
        self.setColumnHidden(THEIR_TIME, not any(when for _who, when, _phone in rows))
        self.resizeRowsToContents()
        self._shown = rows
