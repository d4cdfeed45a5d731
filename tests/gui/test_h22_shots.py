"""Screenshots of the drill designer (not part of the suite: run by hand, then deleted)."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from drillapp.models.enums import DrillKind, DrillStatus

OUT = "/work/notes/shots"


@pytest.fixture(autouse=True)
def _language(qapp):
    import json

    from drillapp import i18n
    from drillapp.ui.fonts import install_cjk_font

    install_cjk_font(qapp)
    lang = os.environ.get("SHOT_LANG", "en")
    i18n.set_language(lang)
    if lang != "en":
        i18n._catalogue.update(json.loads(__import__("pathlib").Path("tools/pending_translations_h22.json").read_text(encoding="utf-8")))


def test_shots(window, qtbot) -> None:
    lang = os.environ.get("SHOT_LANG", "en")
    sv = window.services
    rows = [r for r in sv.drills.drills_between(sv.drills.today(), sv.drills.today() + timedelta(days=365))
            if r.status is DrillStatus.PLANNED and r.kind is DrillKind.TABLETOP]
    window.show_area("drills")
    page = window.page("drills")
    page.tabs.setCurrentWidget(window.drill_calendar)
    window.resize(1360, 860)
    window.drill_calendar.go_to(sv.drills.today(), "month")
    qtbot.wait(100)
    window.grab().save(f"{OUT}/h22_{lang}_calendar.png")
    window.drill_calendar.open_drill.emit(rows[0].id)
    d = next(iter(window.designers.designers.values()))
    d.resize(1200, 800)
    for i, name in enumerate(("drill", "objectives", "participants", "msel")):
        d.tabs.setCurrentIndex(i)
        if name == "participants":
            d.people.team.setCurrentItem(d.people.team.topLevelItem(0))
        qtbot.wait(100)
        d.grab().save(f"{OUT}/h22_{lang}_designer_{name}.png")
    d.ask_leave = lambda: True
    d.close()
