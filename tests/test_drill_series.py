"""Recurring drills: the rule expanded by dateutil agrees with RFC 5545's own examples; a series is made in
two steps (occurrences in a blocked period are skipped or moved, each by decision); moving or cancelling
one occurrence leaves the rest alone; editing the series changes only the occurrences not touched by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from helpers import builders, databases

from drillapp.clock import from_local
from drillapp.models import Drill
from drillapp.models.enums import CalendarEntryKind, DrillKind, DrillStatus
from drillapp.scheduling.recurrence import occurrences, parse_rule
from drillapp.services.drill_series import Decision, SeriesSpec
from drillapp.services.errors import ValidationError


def _d(*days: tuple[int, int, int], hour: int = 9) -> list[datetime]:
    return [datetime(y, m, d, hour) for y, m, d in days]


# RFC 5545, section 3.8.5.3: DTSTART, the rule, and the occurrences the RFC lists for it.
RFC_EXAMPLES = [
    ("daily for 10 occurrences", datetime(1997, 9, 2, 9), "RRULE:FREQ=DAILY;COUNT=10",
     _d(*[(1997, 9, d) for d in range(2, 12)])),
    ("every 10 days, 5 occurrences", datetime(1997, 9, 2, 9), "FREQ=DAILY;INTERVAL=10;COUNT=5",
     _d((1997, 9, 2), (1997, 9, 12), (1997, 9, 22), (1997, 10, 2), (1997, 10, 12))),
    ("weekly for 10 occurrences", datetime(1997, 9, 2, 9), "FREQ=WEEKLY;COUNT=10",
     _d((1997, 9, 2), (1997, 9, 9), (1997, 9, 16), (1997, 9, 23), (1997, 9, 30), (1997, 10, 7), (1997, 10, 14),
        (1997, 10, 21), (1997, 10, 28), (1997, 11, 4))),
    ("weekly on Tuesday and Thursday for five weeks", datetime(1997, 9, 2, 9),
     "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH",
     _d((1997, 9, 2), (1997, 9, 4), (1997, 9, 9), (1997, 9, 11), (1997, 9, 16), (1997, 9, 18), (1997, 9, 23),
        (1997, 9, 25), (1997, 9, 30), (1997, 10, 2))),
    ("monthly on the first Friday for 10 occurrences", datetime(1997, 9, 5, 9), "FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
     _d((1997, 9, 5), (1997, 10, 3), (1997, 11, 7), (1997, 12, 5), (1998, 1, 2), (1998, 2, 6), (1998, 3, 6),
        (1998, 4, 3), (1998, 5, 1), (1998, 6, 5))),
    ("every other month on the first and last Sunday", datetime(1997, 9, 7, 9),
     "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
     _d((1997, 9, 7), (1997, 9, 28), (1997, 11, 2), (1997, 11, 30), (1998, 1, 4), (1998, 1, 25), (1998, 3, 1),
        (1998, 3, 29), (1998, 5, 3), (1998, 5, 31))),
    ("monthly on the second-to-last Monday for 6 months", datetime(1997, 9, 22, 9), "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
     _d((1997, 9, 22), (1997, 10, 20), (1997, 11, 17), (1997, 12, 22), (1998, 1, 19), (1998, 2, 16))),
    ("monthly on the 2nd and 15th", datetime(1997, 9, 2, 9), "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15",
     _d((1997, 9, 2), (1997, 9, 15), (1997, 10, 2), (1997, 10, 15), (1997, 11, 2), (1997, 11, 15), (1997, 12, 2),
        (1997, 12, 15), (1998, 1, 2), (1998, 1, 15))),
    ("yearly in June and July for 10 occurrences", datetime(1997, 6, 10, 9), "FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
     _d(*[(y, m, 10) for y in range(1997, 2002) for m in (6, 7)])),
    ("the third of Tuesday, Wednesday or Thursday for 3 months", datetime(1997, 9, 4, 9),
     "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", _d((1997, 9, 4), (1997, 10, 7), (1997, 11, 6))),
    ("every Friday the 13th", datetime(1997, 9, 2, 9), "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=5",
     _d((1998, 2, 13), (1998, 3, 13), (1998, 11, 13), (1999, 8, 13), (2000, 10, 13))),
    ("every 3 hours from 9 to 5 on one day", datetime(1997, 9, 2, 9), "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000",
     [datetime(1997, 9, 2, h) for h in (9, 12, 15)]),
]


@pytest.mark.parametrize("name, dtstart, rule, expected", RFC_EXAMPLES, ids=[e[0] for e in RFC_EXAMPLES])
def test_recurrence_agrees_with_the_rfc_examples(name, dtstart, rule, expected):
    _text, parsed = parse_rule(rule, dtstart)
    assert occurrences(parsed) == expected


@pytest.mark.parametrize("rule, message", [
    ("FREQ=MONTHLY", "needs an end"),
    ("FREQ=SOMETIMES;COUNT=3", "not valid"),
    ("COUNT=3", "needs FREQ"),
    ("FREQ=DAILY;COUNT=3;BYWHEN=2", "unknown part"),
    ("FREQ=DAILY;COUNT", "without a value"),
    ("FREQ=DAILY;COUNT=400", "more than 366"),
    ("", "empty"),
])
def test_a_bad_rule_is_refused_naming_the_field(rule, message):
    with pytest.raises(ValidationError, match=message) as excinfo:
        occurrences(parse_rule(rule, datetime(2027, 1, 5, 9))[1])
    assert excinfo.value.field == "rrule"


@pytest.fixture
def world(services):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    sv = builders.on_port(services, port)
    return {"port": port, "plan": plan, "sv": sv}


def _spec(world, **kw) -> SeriesSpec:
    values = dict(title="每月实战演练", kind=DrillKind.LIVE, rrule="FREQ=MONTHLY;BYDAY=2TU",
                  dtstart_local=datetime(2026, 4, 1, 9, 30), count=6, duration_minutes=60,
                  plan_id=world["plan"].plan_id, level=2, location="旅检大厅")
    values.update(kw)
    return SeriesSpec(**values)


LOCAL_TUESDAYS = [datetime(2026, m, d, 9, 30) for m, d in ((4, 14), (5, 12), (6, 9), (7, 14), (8, 11), (9, 8))]


def test_a_series_in_a_blocked_period_asks_for_a_decision_on_each_occurrence(world):
    sv = world["sv"]
    sv.port_calendar.set_entry(CalendarEntryKind.BLOCKED, "端午假期", date(2026, 6, 8), date(2026, 6, 10), expected_version=None)
    sv.port_calendar.set_entry(CalendarEntryKind.BLOCKED, "暑运高峰", date(2026, 8, 10), date(2026, 8, 12), expected_version=None)

    preview = sv.series.preview(_spec(world))
    assert [o.local_start for o in preview.occurrences] == LOCAL_TUESDAYS
    assert [(o.local_start, o.blocked_by.name) for o in preview.conflicts] == [
        (LOCAL_TUESDAYS[2], "端午假期"), (LOCAL_TUESDAYS[4], "暑运高峰")]

    before = databases.row_counts(sv.db)
    with pytest.raises(ValidationError, match="端午假期") as excinfo:
        sv.series.create_series(_spec(world), {LOCAL_TUESDAYS[4]: Decision(skip=True)})
    assert excinfo.value.field == "decisions"
    with pytest.raises(ValidationError, match="暑运高峰"):  # moved into another blocked day
        sv.series.create_series(_spec(world), {LOCAL_TUESDAYS[2]: Decision(skip=True),
                                               LOCAL_TUESDAYS[4]: Decision(move_to=datetime(2026, 8, 12, 9, 30))})
    assert databases.row_counts(sv.db) == before

    moved_to = datetime(2026, 8, 13, 14, 0)
    series_id, drill_ids = sv.series.create_series(_spec(world), {
        LOCAL_TUESDAYS[2]: Decision(skip=True), LOCAL_TUESDAYS[4]: Decision(move_to=moved_to)})

    info = sv.series.series(series_id)
    assert [d.id for d in info.occurrences] == list(drill_ids)
    expected = [from_local(t) for t in LOCAL_TUESDAYS[:2] + LOCAL_TUESDAYS[3:4]] + [from_local(moved_to),
                                                                                    from_local(LOCAL_TUESDAYS[5])]
    assert [d.start for d in info.occurrences] == expected
    assert [d.detached for d in info.occurrences] == [False, False, False, True, False]
    assert info.skipped == (LOCAL_TUESDAYS[2],)
    assert {d.status for d in info.occurrences} == {DrillStatus.PLANNED}


def test_moving_or_cancelling_one_occurrence_leaves_the_rest_and_the_series_edit_skips_it(world, clock):
    sv = world["sv"]
    series_id, drill_ids = sv.series.create_series(_spec(world))
    first, second, third = drill_ids[:3]
    sv.drills.move_drill(second, from_local(datetime(2026, 5, 13, 9, 30)), reason="与海关培训冲突", expected_version=sv.drills.version_of(Drill, second))
    sv.drills.cancel_drill(third, "端午", expected_version=sv.drills.version_of(Drill, third))
    info = sv.series.series(series_id)
    assert [d.start for d in info.occurrences if d.id not in (second, third)] == [
        from_local(t) for t in LOCAL_TUESDAYS if t.month not in (5, 6)]

    version = info.row_version
    sv.series.update_series(series_id, version, _spec(world, title="每月实战演练（新）", dtstart_local=datetime(2026, 4, 1, 9, 30),
                                                      duration_minutes=90))

    after = {d.id: d for d in sv.series.series(series_id).occurrences}
    assert after[second].title == "每月实战演练" and after[second].start == from_local(datetime(2026, 5, 13, 9, 30))
    assert after[third].status is DrillStatus.CANCELLED and after[third].title == "每月实战演练"
    untouched = [d for i, d in after.items() if i not in (second, third)]
    assert len(untouched) == 4 and all(d.title == "每月实战演练（新）" and d.duration_minutes == 90 for d in untouched)
    assert after[first].start == from_local(LOCAL_TUESDAYS[0])


def test_a_series_edit_that_drops_occurrences_removes_only_attached_ones(world):
    sv = world["sv"]
    series_id, drill_ids = sv.series.create_series(_spec(world))
    sv.drills.move_drill(drill_ids[5], from_local(datetime(2026, 9, 9, 9, 30)), expected_version=sv.drills.version_of(Drill, drill_ids[5]))
    version = sv.series.series(series_id).row_version

    sv.series.update_series(series_id, version, _spec(world, count=3))

    left = [d.id for d in sv.series.series(series_id).occurrences]
    assert left == [*drill_ids[:3], drill_ids[5]]


def test_a_series_edit_over_a_newer_one_is_refused(world):
    sv = world["sv"]
    series_id, _ids = sv.series.create_series(_spec(world))
    version = sv.series.series(series_id).row_version
    sv.series.update_series(series_id, version, _spec(world, title="一"))
    from drillapp.services.errors import ConflictError

    with pytest.raises(ConflictError):
        sv.series.update_series(series_id, version, _spec(world, title="二"))
