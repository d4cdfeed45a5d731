"""How a checklist event reads in a timeline (the console, the run record, the AAR): in the reader's language."""

from __future__ import annotations

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import EventAction


def event_text(action: EventAction, item: str, text: str = "") -> str:
    """"Done: seal the hall", "Skipped: ... (why)", "Note on ...: ..."."""
    if action is EventAction.NOTE:
        return _("Note on “{item}”: {text}").format(item=item, text=text)
    line = f"{label(action)}: {item}"
    if text:
        line += f" — {text}"
    return line
