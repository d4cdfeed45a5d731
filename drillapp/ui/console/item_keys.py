"""What the checklist's keys do, shared by the drill console (ui/console/window.py) and the incident console
(ui/incidents/console.py): one run engine, two modes.

Space done, Shift+Space done earlier (asks when), N not applicable, S skipped (asks why), R reopen, Enter a note,
L a log line; the selection moves on after a tick. Each tick is a WriteOp: the row shows "Saving…" until its
commit returns; a refusal (another desk ticked it first) is shown and the console reloads.

A console mixing this in has `checklist` (ChecklistView), `model` (ChecklistModel), `runs` (RunService),
`snapshot` (with `port_zone`), `clock()`, `reload()`, `now_local()`, `log_panel.start_entry()`, `_shown_once`, and
says what follows a write (`_after_write`) and a failure (`_on_failure`); `SHIFT_KEYS` and `IGNORED` adjust the
keys for its mode.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, ClassVar

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from drillapp.i18n import _
from drillapp.models.enums import ItemState
from drillapp.ui.console.dialogs import ItemDialog
from drillapp.ui.console.formatting import back_time
from drillapp.ui.errors import show_error
from drillapp.ui.operations import WriteOp

KEYS = {
    Qt.Key.Key_Space: "done", Qt.Key.Key_N: "na", Qt.Key.Key_S: "skip", Qt.Key.Key_R: "reopen",
    Qt.Key.Key_Return: "note", Qt.Key.Key_Enter: "note", Qt.Key.Key_L: "log", Qt.Key.Key_M: "muster",
}
#: actions after which the selection moves to the next row
ADVANCE = {"done", "na", "skip", "backtime"}


class ItemKeys:
    #: Shift+key actions besides Shift+Space (done earlier)
    SHIFT_KEYS: ClassVar[dict[Qt.Key, str]] = {}
    #: plain-key actions this console does not have
    IGNORED: ClassVar[frozenset[str]] = frozenset()

    checklist: Any
    model: Any
    runs: Any
    snapshot: Any
    _shown_once: bool

    def clock(self) -> datetime:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def _after_write(self, kind: str, record_id: int) -> None:
        """After a tick ("event") or a log line ("log") is committed."""
        raise NotImplementedError

    def _on_failure(self, exc: BaseException) -> None:
        """Before the console reloads and shows a refused write (the incident console keeps its words)."""

    def key_action(self, event: QKeyEvent) -> str | None:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = Qt.Key(event.key())
        if mods == Qt.KeyboardModifier.ShiftModifier:
            return "backtime" if key == Qt.Key.Key_Space else self.SHIFT_KEYS.get(key)
        if mods:
            return None
        action = KEYS.get(key)
        return None if action in self.IGNORED else action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.checklist and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            action = self.key_action(event)
            if action is not None and not event.isAutoRepeat():
                self.act(action)  # type: ignore[attr-defined]
                return True
        return super().eventFilter(watched, event)  # type: ignore[misc]

    def act_on_item(self, row: int, action: str) -> None:
        """Done, not applicable, reopen, skipped (asks why), done earlier (asks when) or a note on the item at
        `row`; then the selection moves on (ADVANCE)."""
        item = self.model.item_at(row)
        if item is None:
            return
        r, parent = item.row, self._widget()
        if action == "done":
            self._tick(r.id, r.row_version, ItemState.DONE)
        elif action == "na":
            self._tick(r.id, r.row_version, ItemState.NOT_APPLICABLE)
        elif action == "reopen":
            if r.state is not ItemState.OPEN:
                self._tick(r.id, r.row_version, ItemState.OPEN)
        elif action == "skip":
            dialog = ItemDialog(parent, _("Skip item"), r.text, _("Why is it skipped?"))
            if not dialog.exec() or not dialog.value():
                return
            self._tick(r.id, r.row_version, ItemState.SKIPPED, reason=dialog.value())
        elif action == "backtime":
            dialog = ItemDialog(parent, _("Done earlier"), r.text, _("Note (optional)"), time_only=True,
                                now_local=self.now_local())  # type: ignore[attr-defined]
            if not dialog.exec():
                return
            self._tick(r.id, r.row_version, ItemState.DONE, note=dialog.value(), happened=dialog.happened_at())
        elif action == "note":
            dialog = ItemDialog(parent, _("Note on item"), r.text, _("Note"))
            if dialog.exec() and dialog.value():
                self._note(r.id, r.row_version, dialog.value())
            return
        if action in ADVANCE:
            self.checklist.select_row(row + 1)

    # -- writing ----------------------------------------------------------------------------------
    def _widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def _happened(self, at: time | None) -> Any:
        return back_time(at, self.clock(), self.snapshot.port_zone if self.snapshot else None) \
            if at is not None else None

    def _tick(self, item_id: int, version: int, state: ItemState, *, reason: str = "", note: str = "",
              happened: time | None = None) -> None:
        runs, when = self.runs, self._happened(happened)
        self.model.set_pending(item_id, _("Saving…"))
        WriteOp(self._widget(), lambda: runs.tick(item_id, state, reason=reason, note=note, happened_at=when,
                                                  expected_version=version)) \
            .success(lambda result: self._item_written(item_id, result.event_id)) \
            .failure(lambda exc: self._failed(exc, item_id)) \
            .run(initiator=self._widget())

    def _note(self, item_id: int, version: int, text: str) -> None:
        runs = self.runs
        WriteOp(self._widget(), lambda: runs.note_entry(item_id, text, expected_version=version)) \
            .success(lambda _r: self.reload()).failure(self._failed).run(initiator=self._widget())

    def _item_written(self, item_id: int, event_id: int) -> None:
        self.model.set_pending(item_id, None)
        self._after_write("event", event_id)

    def _failed(self, exc: BaseException, item_id: int | None = None) -> None:
        if item_id is not None:
            self.model.set_pending(item_id, None)
        self._on_failure(exc)
        self.reload()
        show_error(self._widget(), exc)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[misc]
        if not self._shown_once:  # the keyboard starts on the checklist
            self._shown_once = True
            widget = self._widget()
            widget.activateWindow()
            self.checklist.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
