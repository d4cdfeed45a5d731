"""The call-out page's live muster table in words: its columns, the keys that record (A acknowledged, R arrived,
N no-show), a member's state, and what to say when a key would record nothing new (a quiet hint under the
table, never a modal dialog in the middle of a muster)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from drillapp.i18n import _
from drillapp.services.callouts import CalloutMemberRow, minutes_text

#: The keys of the live table and what they record.
MUSTER_KEYS = {Qt.Key.Key_A: "ack", Qt.Key.Key_R: "arrive", Qt.Key.Key_N: "no_show"}
#: Columns of the live table.
NAME, BRANCH, MOBILE, PHONE, ACKNOWLEDGED, ARRIVED, STATUS, ID = range(8)


def state_text(m: CalloutMemberRow) -> str:
    return {"arrived": _("arrived"), "no_show": _("no-show"), "acknowledged": _("acknowledged"),
            "called": _("called")}[m.state]


def repeated_hint(action: str, m: CalloutMemberRow) -> str:
    """What to say when `action` would record nothing new for the member ("" when it records something)."""
    if action == "ack" and m.state in ("acknowledged", "arrived"):
        return _("{name} has already acknowledged ({time}).").format(
            name=m.name, time=minutes_text(m.minutes_to_acknowledge))
    if action == "arrive" and m.state == "arrived":
        return _("{name} has already arrived ({time}).").format(name=m.name, time=minutes_text(m.minutes_to_arrive))
    if action == "no_show" and m.state == "arrived":
        return _("{name} has arrived ({time}); not a no-show.").format(
            name=m.name, time=minutes_text(m.minutes_to_arrive))
    if action == "no_show" and m.state == "no_show":
        return _("{name} is already a no-show.").format(name=m.name)
    return ""
