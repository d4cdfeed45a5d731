"""Which operations edit a record the user read earlier, and so must be told the version the user saw.

Optimistic locking that cannot be forgotten: every operation in `PERMISSIONS` is listed here exactly once.
An operation in `EDITS` takes a required `expected_version` (no default; the screen passes the version it
showed, the command line the version it read a moment before) and refuses the change with a ConflictError
naming who changed the record and when if it moved on since. Every other operation is listed in
`NOT_EDITS` with the reason it needs no version. `tests/test_version_policy.py` reads the service code and
fails when an operation is missing from both tables, or an edit's method has no required `expected_version`
or does not check it.

`expected_version` is an int for a record that exists. For an operation that sets a value that may not
exist yet (a member's skill, a wish for a day, a rating, a calendar entry), `None` means "I saw none": the
write is refused if one was added meanwhile. It never means "do not check".
"""

from __future__ import annotations

EDITS: frozenset[str] = frozenset({
    # drills and the port calendar
    "drills.save_design", "drills.move_drill", "drills.cancel_drill", "drills.update_series",
    "drills.set_exercise_interval", "drills.set_calendar_entry", "drills.remove_calendar_entry",
    "drills.set_port_settings",
    # plans
    "plans.update_version", "plans.save_draft", "plans.discard_draft", "plans.submit_for_review",
    "plans.return_to_draft", "plans.approve_version", "plans.retire",
    # reviews
    "reviews.update_review", "reviews.rate_objective", "reviews.clear_rating", "reviews.sign_off",
    "reviews.update_finding",
    "reviews.accept_finding", "reviews.remove_finding", "reviews.set_finding_target", "reviews.revise_plan",
    "reviews.update_corrective_action", "reviews.set_action_status", "reviews.verify_action",
    # roster
    "roster.update_rules", "roster.delete_period", "roster.solve", "roster.edit_assignment", "roster.publish",
    "roster.set_preference", "roster.remove_preference", "roster.approve_swap", "roster.reject_swap",
    # drill runs
    "runs.tick_entry", "runs.note_entry",
    # real incidents: the level, a task's status, a report's words and its issue are edits of what was shown
    "incidents.set_level", "incidents.update_task", "incidents.update_report", "incidents.issue_report",
    # team
    "team.update_member", "team.save_member", "team.assign_squad", "team.set_member_skill",
    "team.remove_member_skill", "team.update_unavailability", "team.remove_unavailability",
    "team.set_squad_leader", "team.set_squad_min_strength", "team.set_branch_minimum", "team.rename_skill",
    "team.remove_skill", "team.link_user",
    # users
    "users.update_user",
})

_CREATES = "creates new records; there is no earlier version to compare with"
_APPENDS = ("appends to an append-only record (run or incident log, amendments, call-out events): nothing "
            "read earlier is overwritten, and each entry names who made it and when")
_TRANSITION = ("moves a run, incident or call-out through its states; the state itself is checked under "
               "the lock (a second desk's attempt is refused as already done), nothing the user read is "
               "overwritten")
_INTERNAL = "the app's own bookkeeping, not an edit a person makes from something they read"
_ACCOUNT = ("sets an account's password or lock outright (an administrator's override, or the owner's "
            "change that proves the old password); it does not depend on what was shown")
_READ = "a permission-checked read; it writes nothing a person edits"

NOT_EDITS: dict[str, str] = {
    "org.create_port": _CREATES, "org.create_branch": _CREATES,
    "users.create_user": _CREATES, "users.ensure_local_user": _INTERNAL,
    "users.create_first_administrator": _CREATES, "users.authenticate": _INTERNAL,
    "users.change_password": _ACCOUNT, "users.reset_password": _ACCOUNT, "users.unlock": _ACCOUNT,
    "team.create_skill": _CREATES, "team.create_team": _CREATES, "team.create_squad": _CREATES,
    "team.create_member": _CREATES, "team.add_unavailability": _CREATES,
    "team.import_members": ("adds and updates members from a sheet; rows changed in the app since the sheet was "
                            "exported are refused by the import's own conflict check (ImportConflictError)"),
    "roster.create_period": _CREATES, "roster.request_swap": _CREATES,
    "plans.create_plan": _CREATES, "plans.import_file": _CREATES,
    "plans.new_revision": _CREATES + " (refused when the plan already has a draft)",
    "plans.add_action": _CREATES + " (the draft's version is checked when the editor saves it)",
    "drills.schedule_drill": _CREATES, "drills.create_series": _CREATES,
    "drills.accept_proposal": _CREATES,
    "drills.import_msel": ("replaces a drill's scenario with a file's, all or nothing, as the user chose; "
                           "refused once the drill has run"),
    "reviews.create_review": _CREATES, "reviews.add_finding": _CREATES,
    "reviews.add_corrective_action": _CREATES, "reviews.add_hot_wash_note": _APPENDS,
    "reviews.add_amendment": _APPENDS,
    "runs.start_run": _TRANSITION, "runs.start_unplanned": _CREATES, "runs.pause": _TRANSITION,
    "runs.resume": _TRANSITION, "runs.end_run": _TRANSITION, "runs.add_log_entry": _APPENDS,
    "runs.mark_inject": _APPENDS + " (the controller's mark of an inject is a log line; a later mark is "
                                   "another line)",
    "runs.tabletop_advance": _TRANSITION, "runs.tabletop_jump": _TRANSITION,
    "runs.tabletop_mark": _APPENDS + " (each facilitator's mark is logged with who and when)",
    "incidents.open_incident": _CREATES, "incidents.stand_down": _TRANSITION,
    "incidents.add_task": _CREATES, "incidents.draft_report": _CREATES,
    "incidents.hand_over": _APPENDS + " (the hand-over is a line of the incident's log)",
    "callouts.start": _CREATES, "callouts.acknowledge": _APPENDS, "callouts.arrive": _APPENDS,
    "callouts.no_show": _APPENDS, "callouts.end": _TRANSITION,
    "reminders.create": _INTERNAL, "reminders.close": _INTERNAL, "reminders.refresh": _INTERNAL,
    "reminders.fire": _INTERNAL,
    "audit.seal": _INTERNAL, "audit.verify": _READ, "audit.view": _READ, "audit.export": _READ,
    "data.load_demo": _CREATES + " (the demo port, loaded on the administrator's request)",
    "data.restore": "replaces the whole database after the administrator confirms; no record-level edit",
    "data.backup": _READ, "data.auto_backup": _INTERNAL,
}


def needs_version(operation: str) -> bool:
    return operation in EDITS
