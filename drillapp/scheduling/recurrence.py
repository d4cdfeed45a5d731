"""Recurring drills as RFC 5545 rules, expanded by python-dateutil (no date arithmetic of our own).

A series is an RRULE and a DTSTART in the port's local time (naive); its occurrences are local datetimes.
`parse_rule` checks the rule text (a bad one raises ValidationError naming the field "rrule") and insists on an
end (COUNT or UNTIL), so the app's occurrences and a calendar's expansion of the same rule are the same list.
"""

from __future__ import annotations

from datetime import datetime

from dateutil.rrule import rrule, rrulestr

from drillapp.i18n import _
from drillapp.services.errors import ValidationError

#: Occurrences one series may have (a weekly drill for seven years).
MAX_OCCURRENCES = 366
#: RRULE parts RFC 5545 defines (anything else is a typo the user should hear about).
PARTS = frozenset({"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY",
                   "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"})


def normalise(text: str) -> str:
    """The rule without an "RRULE:" prefix, spaces or a trailing semicolon, its names in capitals."""
    body = (text or "").strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    parts = [p.strip() for p in body.replace(" ", "").split(";") if p.strip()]
    out = []
    for part in parts:
        name, sep, value = part.partition("=")
        out.append(f"{name.upper()}{sep}{value.upper()}")
    return ";".join(out)


def parse_rule(text: str, dtstart: datetime, *, count: int | None = None) -> tuple[str, rrule]:
    """(normalised rule text, dateutil rule) for `text` from the local `dtstart`; `count` adds COUNT=n."""
    body = normalise(text)
    if count is not None:
        if not 1 <= count <= MAX_OCCURRENCES:
            raise ValidationError(_("The number of occurrences must be from 1 to {max}.").format(
                max=MAX_OCCURRENCES), "count")
        body = ";".join(p for p in body.split(";") if not p.startswith("COUNT=")) + f";COUNT={count}"
    if not body:
        raise ValidationError(_("The repeat rule is empty: write it as RFC 5545 says, e.g. FREQ=MONTHLY;COUNT=12."),
                              "rrule")
    names = []
    for part in body.split(";"):
        name, sep, value = part.partition("=")
        if not sep or not value:
            raise ValidationError(_("The repeat rule has a part without a value: {part}").format(part=part), "rrule")
        if name not in PARTS:
            raise ValidationError(_("The repeat rule has an unknown part: {part}").format(part=name), "rrule")
        names.append(name)
    if "FREQ" not in names:
        raise ValidationError(_("The repeat rule needs FREQ (e.g. FREQ=MONTHLY)."), "rrule")
    if "COUNT" not in names and "UNTIL" not in names:
        raise ValidationError(_("The repeat rule needs an end: COUNT=n or UNTIL=date (or give the number of "
                                "occurrences)."), "rrule")
    if len(names) != len(set(names)):
        raise ValidationError(_("The repeat rule names a part twice."), "rrule")
    try:
        rule = rrulestr(body, dtstart=dtstart.replace(tzinfo=None))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise ValidationError(_("The repeat rule is not valid ({error}): write it as RFC 5545 says, e.g. "
                                "FREQ=MONTHLY;BYDAY=2TU;COUNT=12.").format(error=str(exc) or type(exc).__name__),
                              "rrule") from None
    assert isinstance(rule, rrule)
    return body, rule


def occurrences(rule: rrule) -> list[datetime]:
    """Every occurrence of a bounded rule (local, naive); refused past MAX_OCCURRENCES."""
    out: list[datetime] = []
    for when in rule:
        out.append(when)
        if len(out) > MAX_OCCURRENCES:
            raise ValidationError(_("The repeat rule makes more than {max} drills; end it sooner.").format(
                max=MAX_OCCURRENCES), "rrule")
    if not out:
        raise ValidationError(_("The repeat rule makes no drill at all."), "rrule")
    return out
