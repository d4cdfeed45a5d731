"""Two desks, one truth: a drill scheduled on one workstation appears on the other within a poll, through the
same change sets the operation runner announces (no screen keeps a list of the tables it shows)."""

from __future__ import annotations

from datetime import timedelta

from drillapp.clock import utcnow
from drillapp.db import Database
from drillapp.models.enums import DrillKind
from drillapp.services import Services
from drillapp.services.change_feed import ListeningFeed, open_feed
from drillapp.ui.change_watcher import ChangeWatcher
from drillapp.ui.pages.areas import AreaPage


def test_a_drill_scheduled_elsewhere_appears_in_the_list(window, demo_world, qtbot) -> None:
    window.show_area("drills")
    page = window.page("drills")
    assert isinstance(page, AreaPage)
    drills = page.current_list()
    before = drills.model.rowCount()
    feed = open_feed(demo_world.db)
    if isinstance(feed, ListeningFeed):
        feed.include_own = True  # both "desks" live in this one test process
    watcher = ChangeWatcher(feed, interval_ms=50)
    seen: list = []
    watcher.changed.connect(seen.append)
    watcher.poll()  # the first poll only notes where the trail ends (or starts listening)

    port_office = Database.open(demo_world.db.url)  # the other workstation
    try:
        port_id = Services(port_office, demo_world.actor).org.ports()[0].id
        Services(port_office, demo_world.actor).drills.schedule_drill(
            port_id, "口岸办组织的新演练 <周五>", DrillKind.TABLETOP, utcnow() + timedelta(days=3))
    finally:
        port_office.dispose()

    qtbot.waitUntil(lambda: (watcher.poll(), bool(seen))[1], timeout=5000)
    assert "drill" in seen[-1].entities and seen[-1].remote
    assert drills.model.rowCount() == before + 1
    titles = [drills.model.index(r, 1).data() for r in range(drills.model.rowCount())]
    assert "口岸办组织的新演练 <周五>" in titles
    assert window.dashboard.watch.stale, "the hidden dashboard reads again when it is next shown"
    count = len(seen)
    watcher.poll()
    assert len(seen) == count, "nothing new: no refresh"
    watcher.close()
