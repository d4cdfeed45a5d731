"""Ties the reminder service to a scheduler: generate, schedule, claim, and hand over to be shown.

Works with any APScheduler 3 scheduler; the app passes a QtScheduler, tests may pass either.
`on_shown` is called with a plain ReminderRow from whatever thread the job ran on; the GUI's callback
only emits a signal. `call_soon`, when given, moves work that touches the scheduler itself (the daily
refresh and its job sync) onto the scheduler's own thread: a QtScheduler's timer lives in the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from drillapp.errors import DomainError
from drillapp.scheduling import reminder_jobs
from drillapp.services.reminders import ReminderRow, ReminderService

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    """What a start (or a resync) needs from the database, read and claimed on any thread: the reminders to
    schedule, and the ones already due, claimed by this desk, to show."""

    unfired: list[Any] = field(default_factory=list)
    due: list[ReminderRow] = field(default_factory=list)


class ReminderDesk:
    def __init__(
        self, service: ReminderService, scheduler: Any, on_shown: Callable[[ReminderRow], None],
        call_soon: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        self.service = service
        self.scheduler = scheduler
        self.on_shown = on_shown
        self.call_soon = call_soon
        self._started = False

    def prepare(self, refresh: bool = True) -> Prepared:
        """The database's part of a start or a resync (no scheduler: call it off the GUI thread): generate what
        is due (with `refresh`), read the reminders to schedule, claim the ones already due."""
        if refresh:
            try:
                self.service.refresh()  # idempotent, also against other workstations refreshing at once
            except Exception:  # the reminders already made are still scheduled and shown
                log.exception("reminder refresh failed")
        due = [row for row in (self._claim(rid) for rid in self.service.due_unfired()) if row is not None]
        return Prepared(self.service.unfired(), due)

    def start(self, refresh: bool = True, prepared: Prepared | None = None) -> None:
        """Generate what is due, rebuild the jobs from the data, show what was missed, then run. `prepared`: the
        database's part, done already (`prepare`, on a worker thread), so this touches only the scheduler."""
        if prepared is None:
            prepared = self.prepare(refresh)
        reminder_jobs.configure(self.scheduler)
        reminder_jobs.add_listeners(self._fire, self._refresh_job)
        # Paused start: jobs are synced from the reminders before any of them runs.
        self.scheduler.start(paused=True)
        self._started = True
        reminder_jobs.ensure_refresh_job(self.scheduler)
        self.apply(prepared)
        self.scheduler.resume()

    def apply(self, prepared: Prepared) -> tuple[int, int]:
        """Schedule what `prepare` read and show what it claimed (the scheduler's thread: the GUI's)."""
        counts = reminder_jobs.sync_jobs(self.scheduler, prepared.unfired)
        for row in prepared.due:
            self.on_shown(row)
        return counts

    def _refresh_job(self) -> None:
        if self.call_soon is not None:
            self.call_soon(self.refresh)
        else:
            self.refresh()

    def refresh(self) -> None:
        try:
            self.service.refresh()  # idempotent, also against other workstations refreshing at once
        except Exception:  # a job must never die silently, nor take the app down
            log.exception("reminder refresh failed")
        try:
            self.sync()
        except Exception:
            log.exception("reminder job sync failed")

    def sync(self) -> tuple[int, int]:
        return reminder_jobs.sync_jobs(self.scheduler, self.service.unfired())

    def _fire(self, reminder_id: int) -> None:
        row = self._claim(reminder_id)
        if row is not None:
            self.on_shown(row)

    def _claim(self, reminder_id: int) -> ReminderRow | None:
        """Claim one reminder for this desk (None: claimed elsewhere, or it failed, which is logged)."""
        try:
            return self.service.claim(reminder_id)
        except DomainError as exc:  # e.g. the account was deactivated meanwhile: said, not a bug
            log.warning("reminder %s not claimed: %s", reminder_id, exc.message)
        except Exception:
            log.exception("claiming reminder %s failed", reminder_id)
        return None

    @property
    def running(self) -> bool:
        return self._started

    def stop(self) -> None:
        """Stop the scheduler, waiting for a job still running (a claim, a sealing), so none of them touches
        the database after the app has closed it. The jobs only call listeners, which never wait for the
        GUI thread, so waiting here on the GUI thread cannot deadlock."""
        reminder_jobs.remove_listeners(self._fire, self._refresh_job)
        if self._started:
            self.scheduler.shutdown(wait=True)
            self._started = False
