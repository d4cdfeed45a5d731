"""Reminder desks on real APScheduler background schedulers, and a bounded wait for what they do."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

from drillapp.db import Database
from drillapp.scheduling.reminder_desk import ReminderDesk
from drillapp.services.context import Actor
from drillapp.services.reminders import ReminderRow, ReminderService


class ShownLog:
    """The desk's on_shown callback: records which reminders were shown (from any thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.rows: list[ReminderRow] = []

    def __call__(self, row: ReminderRow) -> None:
        with self._lock:
            self.rows.append(row)

    @property
    def counts(self) -> Counter[int]:
        with self._lock:
            return Counter(r.id for r in self.rows)


class DeskFactory:
    """Starts desks and stops every one of them at the end of the test, whatever happened."""

    def __init__(self) -> None:
        self.desks: list[ReminderDesk] = []

    def start(self, db: Database, actor: Actor, shown: Callable[[ReminderRow], None]) -> ReminderDesk:
        """Each desk is its own workstation (its own scheduler, with its jobs in its memory), as on separate PCs."""
        desk = ReminderDesk(ReminderService(db, actor), BackgroundScheduler(), shown)
        self.desks.append(desk)
        desk.start()
        return desk

    def job_ids(self) -> set[str]:
        """The jobs of every running desk's scheduler."""
        return {job.id for desk in self.desks if desk.scheduler.running for job in desk.scheduler.get_jobs()}

    def stop_all(self) -> None:
        for desk in self.desks:
            desk.stop()
        self.desks.clear()


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, interval: float = 0.05) -> bool:
    """Poll `predicate` until it holds or `timeout` seconds pass; returns whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
