"""Lists that read lazily, errors shown as dialogs, backup from the Settings page."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton
from sqlalchemy import insert, select, update

from drillapp.models import DrillRun, LogEntry
from drillapp.models.enums import LogKind
from drillapp.services import run_chain
from drillapp.services.errors import DomainError
from drillapp.ui import errors
from drillapp.ui.list_model import LazyListModel
from drillapp.ui.operations import wait_for_all
from drillapp.ui.paged_model import PAGE


def _bulk_log(world, count: int) -> None:
    with world.db.engine.begin() as conn:  # test data, written directly (services would audit each row)
        run_id, seq, head = conn.execute(select(DrillRun.id, DrillRun.chain_seq, DrillRun.chain_head)).first()
        base = datetime(2026, 1, 1)
        rows, seq, head = run_chain.bulk_log_rows(run_chain.run(run_id), seq, head, (
            {"at": base + timedelta(seconds=i), "recorded_at": base + timedelta(seconds=i), "author_name": "值班员",
             "kind": LogKind.NOTE, "text": f"entry {i} <&> 记录"}
            for i in range(count)))
        conn.execute(insert(LogEntry), [{**r, "created_at": base} for r in rows])
        conn.execute(update(DrillRun).where(DrillRun.id == run_id).values(chain_seq=seq, chain_head=head))


def test_log_list_reads_a_page_at_a_time_and_searches_in_the_database(qtbot, demo_world) -> None:
    _bulk_log(demo_world, 3 * PAGE + 17)
    model = LazyListModel(demo_world.services.lists, "log")
    model.reload()
    assert model.rowCount() == PAGE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE
    model.reload("entry 12")  # entry 12, 120..129, 1200.. none beyond 616
    texts = [model.index(r, 3).data() for r in range(model.rowCount())]
    assert texts and all("entry 12" in t for t in texts)
    assert "entry 12 <&> 记录" in texts
    assert not model.canFetchMore()


def test_later_pages_are_read_off_the_gui_thread_and_a_reload_meanwhile_wins(qtbot, demo_world, monkeypatch) -> None:
    """Issue 15: scrolling to the end of a long list reads the next page in a worker (the GUI thread only adds
    the rows); a page that arrives after the search changed is dropped."""
    import threading

    from drillapp.ui import workers

    monkeypatch.setattr(workers, "SYNCHRONOUS", False)
    _bulk_log(demo_world, 2 * PAGE + 5)
    model = LazyListModel(demo_world.services.lists, "log")
    readers: list[str] = []
    read_page = model.read_page
    monkeypatch.setattr(model, "read_page", lambda *a: readers.append(threading.current_thread().name) or read_page(*a))
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()
    assert model.rowCount() == PAGE
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.fetchMore()
        assert model.rowCount() == PAGE and not model.canFetchMore()  # on its way; not asked for twice
    assert model.rowCount() == 2 * PAGE and model.canFetchMore()
    assert threading.main_thread().name not in readers and len(readers) == 2

    model.fetchMore()  # the third page is asked for, then the search changes before it arrives
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload("entry 12")
    assert wait_for_all()  # the stale third page has arrived (and been dropped) by now
    QApplication.processEvents()
    texts = [model.index(r, 3).data() for r in range(model.rowCount())]
    assert texts and all("entry 12" in t for t in texts)


def test_domain_errors_are_plain_messages_and_bugs_are_logged(qtbot, monkeypatch, caplog) -> None:
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: seen.append((title, text)))
    errors.show_error(None, DomainError("The end date is before the start date."))
    assert seen == [("Cannot do that", "The end date is before the start date.")]

    shown: list[BaseException] = []
    monkeypatch.setattr(errors, "_bug_dialog", lambda _p, exc: shown.append(exc))
    bug = ZeroDivisionError("boom")
    errors.show_error(None, bug)
    assert shown == [bug]
    assert "unexpected error" in caplog.text


@pytest.mark.sqlite_only("SQLite file backup: PostgreSQL is backed up with pg_dump (the button is off)")
def test_backup_from_the_settings_page(window, qtbot, tmp_path, monkeypatch) -> None:
    target = tmp_path / "copy.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.show_area("settings")
    page = window.settings_page
    button = page.findChild(QPushButton, "backupButton")
    assert button is not None and button.isEnabled()
    button.click()
    assert target.is_file() and target.stat().st_size > 0
    assert "Backup written" in window.statusBar().currentMessage()


def test_a_search_runs_in_the_background_and_only_the_latest_counts(qtbot, demo_world, monkeypatch) -> None:
    from drillapp.ui import workers

    _bulk_log(demo_world, 2 * PAGE)
    monkeypatch.setattr(workers, "SYNCHRONOUS", False)
    model = LazyListModel(demo_world.services.lists, "log")
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.reload()
    assert model.rowCount() == PAGE
    model.reload("entry 3")
    assert not model.canFetchMore(), "no next page of the old list while the new one is loading"
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.reload("entry 39")  # typed on before the first search came back
    workers.wait_for_all()
    QApplication.sendPostedEvents()  # the finished searches' results, queued to this thread: delivered now
    QApplication.processEvents()
    texts = [model.index(r, 3).data() for r in range(model.rowCount())]
    assert texts and all("entry 39" in t for t in texts)
