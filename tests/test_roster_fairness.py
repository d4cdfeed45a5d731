"""A fair roster shows that it is fair (issue 14 item 9): per member the duties, nights, weekends and holidays
of the period and of the days before it, the fair share, and the spread; one function computes it
(services/roster_fairness.py), and the roster grid, the roster PDF and these tests read the same table."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import builders
from pypdf import PdfReader

from drillapp.models import Member, OnCallShift, ShiftAssignment
from drillapp.models.enums import Agency, MemberStatus, ShiftKind, ShiftPattern
from drillapp.reports import roster_pdf
from drillapp.services.context import ServiceBase
from drillapp.services.roster_fairness import Duty, cell_text, explain, fairness, spread_text
from drillapp.services.roster_problem import shift_start

MON = date(2027, 4, 5)  # a Monday; Sunday 11 April is made a public holiday below
HOLIDAY = date(2027, 4, 7)  # a Wednesday


def test_the_rule_on_a_small_team():
    """Three active members and one who left; a week with a night, a weekend and a holiday."""
    names = {1: "王强", 2: "李娜", 3: "张伟", 4: "刘洋"}
    period = [Duty(1, MON, ShiftKind.DAY), Duty(1, HOLIDAY, ShiftKind.NIGHT), Duty(1, MON + timedelta(days=5),
                                                                                     ShiftKind.DAY),
              Duty(2, MON + timedelta(days=1), ShiftKind.NIGHT), Duty(4, MON + timedelta(days=2), ShiftKind.DAY),
              Duty(3, MON + timedelta(days=30), ShiftKind.DAY)]  # outside the period: ignored
    past = [Duty(2, MON - timedelta(days=d), ShiftKind.DAY) for d in (3, 10, 17)] + [
        Duty(3, MON - timedelta(days=2), ShiftKind.NIGHT),  # a Saturday night
        Duty(1, MON - timedelta(days=91), ShiftKind.DAY)]  # before the 90 days: ignored
    table = fairness(names, {1, 2, 3}, period, past, MON, MON + timedelta(days=6), 90, {HOLIDAY})

    rows = {r.member_id: r for r in table.rows}
    assert [r.name for r in table.rows] == sorted(names.values())  # 刘洋 left but was on duty: listed
    wang, li, zhang, liu = rows[1], rows[2], rows[3], rows[4]
    assert (wang.period.duties, wang.period.nights, wang.period.weekends, wang.period.holidays) == (3, 1, 1, 1)
    assert (wang.past.duties, li.past.duties, zhang.past.duties) == (0, 3, 1)
    assert (zhang.past.nights, zhang.past.weekends) == (1, 1)
    assert not liu.counted and liu.fair_share == {} and cell_text(liu, "duties", "share") == "—"
    # shared evenly over the period and the 90 days before: (3 + 4 + 1) / 3 duties each
    assert table.average["duties"] == pytest.approx(8 / 3)
    assert wang.fair_share["duties"] == pytest.approx(8 / 3)  # nothing before: his share is the whole average
    assert li.fair_share["duties"] == 0.0  # three before, more than the average: nothing more is due
    assert zhang.fair_share["duties"] == pytest.approx(5 / 3)
    assert (table.spread_period["duties"], table.spread_total["duties"]) == (3, 3)  # 3/1/0 now; 3/4/1 together
    assert (table.spread_period["weekends"], table.spread_total["weekends"]) == (1, 1)  # 1/0/0 now; 1/0/1 together
    assert table.kinds() == ["duties", "nights", "weekends", "holidays"]
    assert cell_text(wang, "duties", "share") == "2.7" and cell_text(li, "duties", "before") == "3"

    why = explain(table, 1)
    assert why.startswith("王强: 3 duties in this period, 0 in the 90 days before (3 together).")
    assert "each member would have 2.7 over both; so the fair share in this period is 2.7" in why
    assert "Public holidays: 1 now, 0 before" in why and "Nights: 1 now, 0 before" in why
    assert "not counted" in explain(table, 4)
    assert spread_text(table) == ("Spread, most − fewest (with the 90 days before): duties 3 (3) · nights 1 (0) · "
                                  "weekends 1 (1) · holidays 1 (1)")


def test_a_24_hour_roster_without_holidays_shows_duties_and_weekends_only():
    table = fairness({1: "甲", 2: "乙"}, {1, 2}, [Duty(1, MON, ShiftKind.DUTY_24H)], [], MON, MON, 90)
    assert table.kinds() == ["duties", "weekends"]  # a 24 h duty is a duty, not a night
    assert table.columns() == [("duties", "period"), ("duties", "before"), ("duties", "share"),
                               ("weekends", "period"), ("weekends", "before"), ("weekends", "share")]
    assert table.row(1).fair_share["duties"] == 0.5 == table.row(2).fair_share["duties"]


def put_shift(services, port_id: int, day: date, kind: ShiftKind, members: list[int], *, period_id: int | None,
           published: bool) -> None:
    starts, ends = shift_start(day, kind)
    with ServiceBase(services.db, services.actor, services.clock).write("data.load_demo") as s:
        shift = OnCallShift(port_id=port_id, period_id=period_id, kind=kind, starts_at=starts, ends_at=ends,
                            published=published)
        shift.assignments = [ShiftAssignment(member_id=m) for m in members]
        s.add(shift)


@pytest.fixture
def spring(services):
    """Four members; the weeks before the period, 王强 did many duties and 刘洋 none; a draft period (day and
    night shifts, a public holiday) in which 刘洋 is on duty three times."""
    port = builders.port_with_branches(services)
    m = {name: builders.member(services, port, name, agency) for name, agency in
         [("王强", Agency.BORDER_INSPECTION), ("李娜", Agency.CUSTOMS), ("张伟", Agency.QUARANTINE),
          ("刘洋", Agency.PORT_OFFICE)]}
    for d in range(1, 60, 7):  # nine published duties before the period, some on weekends
        put_shift(services, port.port_id, MON - timedelta(days=d), ShiftKind.DAY, [m["王强"]], period_id=None,
               published=True)
    put_shift(services, port.port_id, MON - timedelta(days=120), ShiftKind.DAY, [m["刘洋"]], period_id=None,
           published=True)  # too long ago to count
    period = services.roster.create_period(port.port_id, "四月", MON, MON + timedelta(days=6), ShiftPattern.DAY_NIGHT,
                                           {"headcount": 1, "holidays": [HOLIDAY.isoformat()]})
    plan = [(0, ShiftKind.DAY, "刘洋"), (0, ShiftKind.NIGHT, "李娜"), (2, ShiftKind.DAY, "刘洋"),
            (5, ShiftKind.NIGHT, "刘洋"), (6, ShiftKind.DAY, "王强")]
    for d, kind, name in plan:
        put_shift(services, port.port_id, MON + timedelta(days=d), kind, [m[name]], period_id=period, published=False)
    return port, m, period


def test_the_grid_and_the_oncall_service_read_the_same_table(services, spring):
    port, m, period = spring
    table = services.roster.grid(period).fairness
    assert table == services.oncall.fairness(MON, MON + timedelta(days=6), port.port_id, period)
    liu, wang = table.row(m["刘洋"]), table.row(m["王强"])
    assert (liu.period.duties, liu.period.nights, liu.period.weekends, liu.period.holidays) == (3, 1, 1, 1)
    assert liu.past.duties == 0 and wang.past.duties == 9 and wang.period.duties == 1
    assert table.past_days == 90 and table.has_holidays() and table.has_nights()
    # why 刘洋 again? nobody did less before: shared evenly, 14 duties over four is 3.5 each, all of it his now
    assert table.average["duties"] == 3.5 and liu.fair_share["duties"] == 3.5 and wang.fair_share["duties"] == 0.0
    assert "3 duties in this period, 0 in the 90 days before" in explain(table, m["刘洋"])


def test_a_member_who_left_is_listed_but_not_counted(services, spring):
    _port, m, period = spring
    services.team.update_member(m["李娜"], status=MemberStatus.LEFT, expected_version=services.team.version_of(Member, m["李娜"]))
    table = services.roster.grid(period).fairness
    li = table.row(m["李娜"])
    assert li is not None and not li.counted and li.period.duties == 1
    assert table.average["duties"] == pytest.approx((3 + 10 + 0) / 3)  # 王强, 张伟, 刘洋


def _publish_as_is(services, period_id: int) -> None:
    """Publish the period's shifts as they stand (publication itself would first ask for every shift's cover)."""
    from drillapp.models import RosterPeriod
    from drillapp.models.enums import RosterStatus

    with ServiceBase(services.db, services.actor, services.clock).write("data.load_demo") as s:
        period = s.get(RosterPeriod, period_id)
        period.status = RosterStatus.PUBLISHED
        for shift in period.shifts:
            shift.published = True


def test_the_roster_pdf_has_the_same_table(services, spring, tmp_path):
    port, m, period = spring
    _publish_as_is(services, period)
    out = roster_pdf.write_roster_grid(
        services.oncall.roster_sheet(MON, MON + timedelta(days=6), port.port_id, period), tmp_path / "r.pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    table = services.roster.grid(period).fairness
    assert table == services.oncall.fairness(MON, MON + timedelta(days=6), port.port_id, period)
    assert "Duties per member and the fair share" in text and spread_text(table) in text
    for name in ("王强", "李娜", "张伟", "刘洋"):  # each member's row: every column of the table, in order
        row = table.row(m[name])
        assert " ".join(cell_text(row, k, part) for k, part in table.columns()) in text.split(name, 1)[1]
    liu = " ".join(cell_text(table.row(m["刘洋"]), k, part) for k, part in table.columns())
    assert liu == "3 0 3.5 1 0 0.5 1 0 2.8 1 0 0.2"  # weekends: 王强 did nine Sundays before
