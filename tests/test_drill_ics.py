"""The programme as iCalendar: the file parses back with the icalendar library, its occurrences (expanded
with dateutil: RRULE, EXDATE, RECURRENCE-ID overrides) are exactly the app's, times carry the port's zone
with a VTIMEZONE, and a second export keeps every UID."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from helpers import builders
from icalendar import Calendar

from drillapp.clock import from_local
from drillapp.models import Drill
from drillapp.models.enums import CalendarEntryKind, DrillKind, DrillStatus
from drillapp.services.drill_series import Decision, SeriesSpec


def _expand(ics: bytes) -> tuple[dict[str, list[datetime]], Calendar]:
    """UID -> the occurrences (aware UTC) a calendar client would show, expanded with dateutil."""
    cal = Calendar.from_ical(ics)
    masters, overrides, out = {}, {}, {}
    for event in cal.walk("VEVENT"):
        uid = str(event["UID"])
        if event.get("RECURRENCE-ID") is not None:
            overrides.setdefault(uid, {})[event.decoded("RECURRENCE-ID")] = event
        else:
            masters[uid] = event
    for uid, event in masters.items():
        if event.get("STATUS") == "CANCELLED":
            out[uid] = []
            continue
        start = event.decoded("DTSTART")
        if event.get("RRULE") is None:
            out[uid] = [start.astimezone(UTC)]
            continue
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
        exdates = set()
        for ex in event.get("EXDATE", []) if isinstance(event.get("EXDATE"), list) else [event.get("EXDATE")]:
            if ex is not None:
                exdates |= {d.dt for d in ex.dts}
        moved = overrides.get(uid, {})
        when = []
        for occurrence in rule:
            if occurrence in exdates:
                continue
            override = moved.get(occurrence)
            when.append((override.decoded("DTSTART") if override is not None else occurrence).astimezone(UTC))
        out[uid] = sorted(when)
    return out, cal


@pytest.fixture
def world(services, clock):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    sv = builders.on_port(services, port)
    sv.port_calendar.set_entry(CalendarEntryKind.BLOCKED, "清明", date(2026, 4, 4), date(2026, 4, 6), expected_version=None)
    series_id, drills = sv.series.create_series(SeriesSpec(
        "每周桌面推演 <例会> & 复盘", DrillKind.TABLETOP, "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260525T235959",
        datetime(2026, 3, 9, 14, 0), 90, plan_id=plan.plan_id, level=3),
        {datetime(2026, 4, 6, 14, 0): Decision(move_to=datetime(2026, 4, 7, 10, 0))})
    sv.drills.move_drill(drills[2], from_local(datetime(2026, 3, 25, 9, 0)), reason="会议室占用", expected_version=sv.drills.version_of(Drill, drills[2]))
    sv.drills.cancel_drill(drills[4], "停电", expected_version=sv.drills.version_of(Drill, drills[4]))
    single = builders.drill(sv, port, plan, starts_in=timedelta(days=20))
    gone = builders.drill(sv, port, plan, starts_in=timedelta(days=21), title="取消的演练")
    sv.drills.cancel_drill(gone, expected_version=sv.drills.version_of(Drill, gone))
    return {"sv": sv, "series": series_id, "drills": drills, "single": single, "gone": gone}


def _app_occurrences(sv) -> dict[str, list[datetime]]:
    rows = sv.drills.drills_between(date(2026, 1, 1), date(2026, 12, 31))
    out: dict[str, list[datetime]] = {}
    for r in rows:
        design = sv.drills.design(r.id)
        if r.series_id is not None:
            key = f"series-{sv.series.series(r.series_id).uid}@drillapp"
        else:
            key = f"drill-{design.uid}@drillapp"
        out.setdefault(key, [])
        if r.status is not DrillStatus.CANCELLED:
            out[key].append(r.start.replace(tzinfo=UTC))
    return {k: sorted(v) for k, v in out.items()}


def test_the_ics_parses_back_to_the_apps_occurrences(world):
    sv = world["sv"]
    ics = sv.drill_calendar.ics()

    expanded, cal = _expand(ics)

    assert expanded == _app_occurrences(sv)
    series_uid = f"series-{sv.series.series(world['series']).uid}@drillapp"
    assert len(expanded[series_uid]) == 11  # 12 Mondays (the 6 April one moved to a Tuesday), one cancelled
    [tz] = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Asia/Shanghai"
    events = [e for e in cal.walk("VEVENT") if str(e["UID"]) == series_uid and e.get("RECURRENCE-ID") is None]
    assert str(events[0]["SUMMARY"]) == "每周桌面推演 <例会> & 复盘"
    assert events[0]["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert events[0].decoded("DTSTART") == datetime(2026, 3, 9, 14, 0, tzinfo=events[0].decoded("DTSTART").tzinfo)
    assert b"RECURRENCE-ID;TZID=Asia/Shanghai" in ics and b"EXDATE;TZID=Asia/Shanghai" in ics


def test_a_second_export_keeps_the_uids(world):
    sv = world["sv"]
    first = {str(e["UID"]) for e in Calendar.from_ical(sv.drill_calendar.ics()).walk("VEVENT")}
    sv.drills.move_drill(world["single"], from_local(datetime(2026, 4, 20, 9, 0)), expected_version=sv.drills.version_of(Drill, world["single"]))
    builders.drill(sv, builders.PortIds(sv.scope.id, {}), None, starts_in=timedelta(days=40), level=None)

    second = {str(e["UID"]) for e in Calendar.from_ical(sv.drill_calendar.ics()).walk("VEVENT")}

    assert first < second and len(second - first) == 1


def test_the_file_is_written_and_a_range_keeps_to_it(world, tmp_path):
    sv = world["sv"]
    path = sv.drill_calendar.write_ics(tmp_path / "programme.ics", date(2026, 3, 20), date(2026, 3, 24))
    expanded, _cal = _expand(path.read_bytes())
    single, gone = (f"drill-{sv.drills.design(world[k]).uid}@drillapp" for k in ("single", "gone"))
    assert expanded == {single: [from_local(datetime(2026, 3, 22, 16, 0)).replace(tzinfo=UTC)],
                        gone: []}  # the cancelled drill is in the file as CANCELLED, so calendars drop it
