"""Who may run which operation: one table for the whole app, checked in the core.

Every operation name passed to `ServiceBase.write` must appear here; a test walks the table and
calls each operation as each role. The administrator may do everything. Reads that expose more than a
role's work needs (the audit trail, a whole-database backup) are named operations here too, checked
with `ServiceBase.check_access`. Later issues add their operations here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillapp.audit_labels import operation_label
from drillapp.i18n import _
from drillapp.models.enums import Role
from drillapp.services.errors import PermissionDeniedError

if TYPE_CHECKING:
    from drillapp.services.context import Actor

A, C, D, T, E = Role.ADMINISTRATOR, Role.COORDINATOR, Role.DUTY_OFFICER, Role.TEAM_LEAD, Role.EVALUATOR

PERMISSIONS: dict[str, frozenset[Role]] = {
    # organisation and users
    "org.create_port": frozenset({A}),
    "org.create_branch": frozenset({A}),
    "users.create_user": frozenset({A}),
    "users.update_user": frozenset({A}),
    "users.reset_password": frozenset({A}),
    "users.unlock": frozenset({A}),
    "users.ensure_local_user": frozenset({A}),
    # the app's own work at log-in, run as the system actor before anyone is logged in
    "users.create_first_administrator": frozenset({A}),
    "users.authenticate": frozenset({A}),
    # everyone may change their own password
    "users.change_password": frozenset(Role),
    # team
    "team.create_skill": frozenset({A, T}),
    "team.create_team": frozenset({A, T}),
    "team.create_squad": frozenset({A, T}),
    "team.create_member": frozenset({A, T}),
    "team.update_member": frozenset({A, T}),
    "team.assign_squad": frozenset({A, T}),
    "team.set_member_skill": frozenset({A, T}),
    "team.add_unavailability": frozenset({A, T}),
    "team.import_members": frozenset({A, T}),
    "team.link_user": frozenset({A, T}),
    # on-call roster (the team lead's work; swaps are approved by the team lead or an administrator)
    "roster.create_period": frozenset({A, T}),
    "roster.update_rules": frozenset({A, T}),
    "roster.delete_period": frozenset({A, T}),
    "roster.set_preference": frozenset({A, T}),
    "roster.remove_preference": frozenset({A, T}),
    "roster.solve": frozenset({A, T}),
    "roster.edit_assignment": frozenset({A, T}),
    "roster.publish": frozenset({A, T}),
    "roster.request_swap": frozenset({A, T}),
    "roster.approve_swap": frozenset({A, T}),
    "roster.reject_swap": frozenset({A, T}),
    "team.save_member": frozenset({A, T}),
    "team.remove_member_skill": frozenset({A, T}),
    "team.update_unavailability": frozenset({A, T}),
    "team.remove_unavailability": frozenset({A, T}),
    "team.set_squad_leader": frozenset({A, T}),
    "team.set_squad_min_strength": frozenset({A, T}),
    "team.set_branch_minimum": frozenset({A, T}),
    "team.rename_skill": frozenset({A, T}),
    "team.remove_skill": frozenset({A, T}),
    # plans
    "plans.create_plan": frozenset({A, C}),
    "plans.add_action": frozenset({A, C}),
    "plans.update_version": frozenset({A, C}),
    "plans.approve_version": frozenset({A, C}),
    "plans.import_file": frozenset({A, C}),
    "plans.submit_for_review": frozenset({A, C}),
    "plans.return_to_draft": frozenset({A, C}),
    "plans.new_revision": frozenset({A, C}),
    "plans.discard_draft": frozenset({A, C}),
    "plans.save_draft": frozenset({A, C}),
    "plans.retire": frozenset({A, C}),
    # drills, runs and incidents
    "drills.schedule_drill": frozenset({A, C}),
    "drills.cancel_drill": frozenset({A, C}),
    # the programme is the coordinator's: designing, moving, series, the port calendar, the proposal
    "drills.save_design": frozenset({A, C}),
    "drills.move_drill": frozenset({A, C}),
    "drills.create_series": frozenset({A, C}),
    "drills.update_series": frozenset({A, C}),
    "drills.set_calendar_entry": frozenset({A, C}),
    "drills.remove_calendar_entry": frozenset({A, C}),
    "drills.set_port_settings": frozenset({A, C}),
    "drills.set_exercise_interval": frozenset({A, C}),
    "drills.import_msel": frozenset({A, C}),
    "drills.accept_proposal": frozenset({A, C}),
    "runs.start_run": frozenset({A, D}),
    "runs.start_unplanned": frozenset({A, D}),
    "runs.tick_entry": frozenset({A, D}),
    "runs.note_entry": frozenset({A, D}),
    "runs.add_log_entry": frozenset({A, D}),
    "runs.pause": frozenset({A, D}),
    "runs.resume": frozenset({A, D}),
    "runs.mark_inject": frozenset({A, D}),
    "runs.end_run": frozenset({A, D}),
    # a tabletop: the facilitator (at the console) walks the MSEL; marks are the evaluator's record too
    "runs.tabletop_advance": frozenset({A, D}),
    "runs.tabletop_jump": frozenset({A, D}),
    "runs.tabletop_mark": frozenset({A, D, E}),
    "incidents.open_incident": frozenset({A, D}),
    "incidents.set_level": frozenset({A, D}),
    "incidents.add_task": frozenset({A, D}),
    "incidents.update_task": frozenset({A, D}),
    "incidents.draft_report": frozenset({A, D}),
    "incidents.update_report": frozenset({A, D}),
    "incidents.issue_report": frozenset({A, D}),
    "incidents.hand_over": frozenset({A, D}),
    "incidents.stand_down": frozenset({A, D}),
    # call-out (muster) tests
    "callouts.start": frozenset({A, T, D}),
    "callouts.acknowledge": frozenset({A, T, D}),
    "callouts.arrive": frozenset({A, T, D}),
    "callouts.no_show": frozenset({A, T, D}),
    "callouts.end": frozenset({A, T, D}),
    # reviews: evaluators rate and write findings; the improvement plan (who fixes what by when) is the
    # coordinator's, who signs the after-action report off and chases its corrective actions
    "reviews.create_review": frozenset({A, C, E}),
    # the hot wash is taken right after the drill, at the console, by the duty officer or an evaluator
    "reviews.add_hot_wash_note": frozenset({A, C, D, E}),
    "reviews.update_review": frozenset({A, C, E}),
    "reviews.rate_objective": frozenset({A, C, E}),
    "reviews.clear_rating": frozenset({A, C, E}),
    "reviews.add_finding": frozenset({A, C, E}),
    "reviews.update_finding": frozenset({A, C, E}),
    "reviews.accept_finding": frozenset({A, C, E}),
    "reviews.remove_finding": frozenset({A, C, E}),
    "reviews.set_finding_target": frozenset({A, C, E}),
    "reviews.revise_plan": frozenset({A, C}),
    "reviews.add_corrective_action": frozenset({A, C}),
    "reviews.update_corrective_action": frozenset({A, C}),
    "reviews.set_action_status": frozenset({A, C}),
    "reviews.verify_action": frozenset({A, C}),
    "reviews.sign_off": frozenset({A, C}),
    "reviews.add_amendment": frozenset({A, C}),
    # reminders: anyone may close their own reminders; generation and firing are the app's own work
    "reminders.create": frozenset({A, C, T}),
    "reminders.close": frozenset(Role),
    "reminders.refresh": frozenset(Role),
    "reminders.fire": frozenset(Role),
    # the audit trail's hash chain: sealing is the app's own work on every desk (it writes no audit entry);
    # checking it, which reads the whole trail, is for those who may read the trail
    "audit.seal": frozenset(Role),
    "audit.verify": frozenset({A, C}),
    # data
    "data.load_demo": frozenset({A}),
    "data.restore": frozenset({A}),
    # a copy of the whole database (log-ins and password hashes included) is an administrator's
    "data.backup": frozenset({A}),
    # the daily automatic copy into the data folder, beside the database itself: the app's own work
    "data.auto_backup": frozenset(Role),
    # the audit trail (reads: not audited, or viewing would feed itself) and its export (audited)
    "audit.view": frozenset({A, C}),
    "audit.export": frozenset({A, C}),
}


#: Roles that may run an operation only on their own branch's records (checked by the operation with
#: `check_branch`, once it knows the record's branch).
OWN_BRANCH: dict[str, frozenset[Role]] = {
    "reviews.set_action_status": frozenset({D, T, E}),
}


def allowed(role: Role, operation: str) -> bool:
    """May this role run the operation at all (for some records, where OWN_BRANCH limits it)?"""
    return role is Role.ADMINISTRATOR or role in PERMISSIONS[operation] or role in OWN_BRANCH.get(operation, ())


def check_branch(actor: Actor, operation: str, branch_id: int | None) -> None:
    """For a branch-limited role, refuse a record of another branch (or of no branch)."""
    if actor.role is Role.ADMINISTRATOR or actor.role in PERMISSIONS[operation]:
        return
    if actor.branch_id is None or actor.branch_id != branch_id:
        raise PermissionDeniedError(
            _("You ({user}) may do this only for your own branch's records.").format(user=actor.username)
        )


def check_permission(actor: Actor, operation: str) -> None:
    if operation not in PERMISSIONS:
        raise KeyError(f"operation {operation!r} is missing from the permission table")
    if not allowed(actor.role, operation):
        raise PermissionDeniedError(
            _("You ({user}) are not allowed to do this ({operation}). Ask an administrator.").format(
                user=actor.username, operation=operation_label(operation)
            )
        )
