"""The demo GUI tests' copies of the session's demo (conftest `_demo_template`): the same rows as the demo laid
out in the test's own database, ids that go on after the copied ones, and nothing of one test's in the next."""

from __future__ import annotations

import pytest
from helpers import databases
from sqlalchemy import func, select

from drillapp.bootstrap import World, open_world, use_port
from drillapp.demo import DemoService
from drillapp.models import Branch, Member
from drillapp.services import Services
from drillapp.services.org import OrgService


def test_a_demo_test_gets_a_copy_equal_to_the_demo_laid_out_again(
    request, demo_world, demo_was_copied, demo_clock, tmp_path
):
    assert demo_was_copied, "the demo was loaded again instead of copied: the suite slows by minutes"
    copied = databases.row_counts(demo_world.db)
    assert copied["member"] > 50 and copied["audit_entry"] > 0

    # laid out again as `demo_world` does: the demo, then the reminder desk's refresh at start
    if databases.ON_POSTGRESQL:  # the session's one database, emptied
        url = request.getfixturevalue("_suite_postgres").fresh()
    else:
        path = tmp_path / "again.sqlite3"
        path.write_bytes(b"")
        url = databases.sqlite_url(path)
    again = open_world(url, username="zhao")
    try:
        assert DemoService(again.db, again.actor, demo_clock).load_demo()
        scope = OrgService(again.db, again.actor).port_scope()
        clocked = World(again.db, again.actor, Services(again.db, again.actor, demo_clock))
        use_port(clocked, scope).services.reminders.refresh()
        assert databases.row_counts(again.db) == copied
    finally:
        again.db.dispose()


def test_new_rows_in_a_copy_get_ids_after_the_copied_ones(demo_world):
    team = demo_world.services.team
    with demo_world.db.session() as s:
        last = s.scalar(select(func.max(Member.id)))
        branch = s.scalar(select(func.min(Branch.id)))
    assert last is not None and branch is not None
    assert team.create_member(branch, "新队员 <&>") > last


@pytest.mark.parametrize("turn", [1, 2])
def test_what_one_test_adds_to_its_copy_is_gone_in_the_next(demo_world, turn):
    team = demo_world.services.team
    with demo_world.db.session() as s:
        assert s.scalar(select(func.count()).where(Member.name == "只在一个测试里")) == 0
        branch = s.scalar(select(func.min(Branch.id)))
    team.create_member(branch, "只在一个测试里")
