"""Two desks, one truth: a drill scheduled on one workstation appears on the other within a poll."""

from __future__ import annotations

from datetime import timedelta

from drillapp.clock import utcnow
from drillapp.db import Database
from drillapp.models.enums import DrillKind
from drillapp.services import Services
from drillapp.services.changes import ChangeFeed
from drillapp.ui.change_watcher import ChangeWatcher
from drillapp.ui.pages.areas import AreaPage


def test_a_drill_scheduled_elsewhere_appears_in_the_list(window, demo_world, qtbot) -> None:
    window.show_area("drills")
    page = window.page("drills")
    assert isinstance(page, AreaPage)
    drills = page.current_list()
    before = drills.model.rowCount()
    watcher = ChangeWatcher(ChangeFeed(demo_world.db, demo_world.actor), interval_ms=50)
    watcher.changed.connect(window.apply_changes)
    seen: list[frozenset[str]] = []
    watcher.changed.connect(seen.append)
    watcher.poll()  # the first poll only notes where the trail ends
    assert watcher.last_seen is not None

    port_office = Database.open(demo_world.db.url)  # the other workstation
    try:
        port_id = Services(port_office, demo_world.actor).org.ports()[0].id
        Services(port_office, demo_world.actor).drills.schedule_drill(
            port_id, "口岸办组织的新演练 <周五>", DrillKind.TABLETOP, utcnow() + timedelta(days=3))
    finally:
        port_office.dispose()

    watcher.poll()
    assert seen and "drill" in seen[-1]
    assert drills.model.rowCount() == before + 1
    titles = [drills.model.index(r, 1).data() for r in range(drills.model.rowCount())]
    assert "口岸办组织的新演练 <周五>" in titles
    assert window.dashboard.data is None or any("新演练" in t for t in window.dashboard.drills.texts())
    watcher.poll()
    assert len(seen) == 1, "nothing new: no refresh"
