"""The whole app as started by `drillapp`: controller, language switch, reminders through QtScheduler."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication

from drillapp import i18n
from drillapp.clock import utcnow
from drillapp.models.enums import ReminderKind
from drillapp.ui.app import AppController, apply_language
from drillapp.ui.reminders_qt import ReminderBridge


@pytest.fixture
def controller(qtbot, demo_world):
    app = QApplication.instance()
    ctl = AppController(app, demo_world)
    yield ctl
    if ctl.window is not None:
        ctl.window.close()
    ctl.watcher.stop()
    ctl.reminders.stop()
    apply_language(app, "en")


def test_switching_language_rebuilds_the_window_in_chinese(controller, qtbot) -> None:
    window = controller.show()
    qtbot.addWidget(window)
    window.show_area("settings")
    page = window.settings_page
    assert page is not None
    combo = page.language
    combo.setCurrentIndex(combo.findData("zh_CN"))
    new = controller.window
    assert new is not None and new is not window
    qtbot.addWidget(new)
    assert i18n.current_language() == "zh_CN"
    dashboard_title = new.sidebar.item(0).text()
    assert dashboard_title == i18n._("Dashboard") != "Dashboard"
    assert new.area() == "settings", "the user stays where they switched"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in new.windowTitle())


def test_reminders_fire_once_through_the_qt_scheduler(qtbot, demo_world) -> None:
    """On a still clock ten years ahead, so no job's real time comes during the test: the scheduler holds a
    job for the reminder not yet due, the job is then run as the scheduler would run it, and "the next
    start" shows nothing twice and keeps no job for what was shown (no waiting to prove a negative)."""
    from drillapp.clock import FixedClock
    from drillapp.scheduling import reminder_jobs
    from drillapp.services.reminders import ReminderService

    clock = FixedClock((utcnow() + timedelta(days=3650)).replace(microsecond=0))
    reminders = ReminderService(demo_world.db, demo_world.actor, clock)
    past = reminders.create(ReminderKind.GENERAL, "past <due> & missed", clock() - timedelta(hours=1))
    soon = reminders.create(ReminderKind.GENERAL, "due in a moment", clock() + timedelta(minutes=1))
    shown: list[int] = []

    bridge = ReminderBridge(reminders)
    bridge.shown.connect(lambda row: shown.append(row.id))
    bridge.start()  # sweep: the missed one is shown at once
    assert past in shown and soon not in shown
    job = bridge.desk.scheduler.get_job(reminder_jobs.job_id(soon))
    assert job is not None and job.next_run_time.replace(tzinfo=None) == clock() + timedelta(minutes=1)
    clock.advance(minutes=1)
    reminder_jobs.fire_reminder(soon)  # what the job does when its time comes
    assert soon in shown
    bridge.stop()

    again = ReminderBridge(reminders)  # "the next start", on the same database
    again.shown.connect(lambda row: shown.append(row.id))
    again.start()
    assert again.desk.scheduler.get_job(reminder_jobs.job_id(soon)) is None  # nothing left to fire
    assert again.desk.scheduler.get_job(reminder_jobs.job_id(past)) is None
    again.stop()
    assert shown.count(past) == 1 and shown.count(soon) == 1, shown
    # the plan-review and certificate reminders of the demo came due too, each once
    assert len(shown) == len(set(shown)) > 2


@pytest.mark.sqlite_only("automatic backup copies the SQLite file: PostgreSQL is backed up with pg_dump")
def test_automatic_backup_is_scheduled_and_can_be_switched_off(controller, qtbot, tmp_path, monkeypatch) -> None:
    from drillapp.scheduling import backup_jobs
    from drillapp.services import backup
    from drillapp.ui import settings

    monkeypatch.setattr(backup, "auto_backup_dir", lambda: tmp_path / "auto")
    window = controller.show()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: controller.reminders.desk is not None, timeout=5000)
    scheduler = controller.reminders.desk.scheduler
    assert scheduler.get_job(backup_jobs.JOB_ID) is not None, "on by default"
    backup_jobs.run_auto_backup()  # what the job does when its time comes
    assert len(list((tmp_path / "auto").glob("auto-*.sqlite3"))) == 1
    window.show_area("settings")
    window.settings_page.auto_backup.setChecked(False)
    assert settings.get(settings.AUTO_BACKUP) is False
    assert scheduler.get_job(backup_jobs.JOB_ID) is None


def test_the_audit_trail_is_sealed_in_the_background(controller) -> None:
    """When the app's scheduler runs, the controller adds the sealing job to it (on a paused scheduler here,
    so no reminder job runs meanwhile)."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from drillapp.scheduling import reminder_jobs, seal_jobs

    scheduler = BackgroundScheduler()
    reminder_jobs.configure(scheduler)
    scheduler.start(paused=True)
    try:
        controller.reminders.started.emit(scheduler)  # what the reminder bridge announces once its desk runs

        assert scheduler.get_job(seal_jobs.JOB_ID) is not None
        seal = controller.world.services.audit_seal
        seal_jobs.run_seal()  # what the job does when its time comes (on the scheduler's worker thread)

        assert seal.head().seq > 1000, "the demo's entries"
        assert seal.seal() == 0, "nothing left to seal"
        assert seal.verify().intact
    finally:
        scheduler.shutdown(wait=False)


def test_the_reminder_desk_starts_after_the_dashboards_first_read_and_once(controller, qtbot, monkeypatch) -> None:
    """Generating the reminders due takes a few hundred ms of the interpreter on a large database: it waits
    for the dashboard's first read after the log-in (issue 15), then runs once, whatever refreshes follow."""
    from drillapp.ui import app as app_module

    events: list[str] = []
    monkeypatch.setattr(controller.reminders, "start", lambda: events.append("reminders"))
    window = controller.show()
    qtbot.addWidget(window)
    window.dashboard.loaded.connect(lambda _data: events.append("dashboard"))  # after the controller's own
    assert controller._reminders_latest.isActive() or events == ["reminders"]
    qtbot.waitUntil(lambda: "reminders" in events, timeout=5000)  # the first read done (inline or in its worker)
    assert window.dashboard.data is not None, "the dashboard had read before the desk started"
    window.dashboard.refresh()
    qtbot.waitUntil(lambda: "dashboard" in events, timeout=5000)
    controller._reminders_latest.timeout.emit()  # the latest-start timer firing afterwards changes nothing
    assert events.count("reminders") == 1, events
    assert controller._reminders_latest.interval() == app_module.REMINDERS_LATEST_MS
    assert not controller._reminders_latest.isActive()


def test_the_reminder_desk_starts_by_the_latest_timer_when_the_dashboard_never_reads(controller, qtbot,
                                                                                      monkeypatch) -> None:
    from drillapp.ui.pages.dashboard import DashboardPage

    started: list[str] = []
    monkeypatch.setattr(DashboardPage, "refresh", lambda self: None)  # a dashboard that never reads
    monkeypatch.setattr(controller.reminders, "start", lambda: started.append("reminders"))
    window = controller.show()
    qtbot.addWidget(window)
    QApplication.processEvents()  # zero timers run: the desk does not start with them
    assert started == [] and controller._reminders_latest.isActive()
    controller._reminders_latest.timeout.emit()  # what the timer does when its time comes
    assert started == ["reminders"]


def test_a_session_ended_before_the_dashboard_read_starts_no_reminder_desk(controller, qtbot, monkeypatch) -> None:
    from drillapp.ui.pages.dashboard import DashboardPage

    started: list[str] = []
    monkeypatch.setattr(DashboardPage, "refresh", lambda self: None)
    monkeypatch.setattr(controller.reminders, "start", lambda: started.append("reminders"))
    controller.show()
    controller.end_session()  # e.g. the account deactivated at once
    assert not controller._reminders_latest.isActive()
    controller._reminders_latest.timeout.emit()  # a timeout already queued changes nothing
    assert started == []
