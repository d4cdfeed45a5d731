"""How the audit trail reads to a person: operations, record types and fields in words, values as on screen.

The trail stores what the code knows (`plans.approve_version`, `plan_version`, `approved_by_id`, enum values,
naive-UTC times) so that it stays the same whatever the language of the desk that wrote it. This module
turns those into the port's words in the current language. tests/test_audit_labels.py checks that every
operation of the permission table and every column of every audited table has a label here.

Core module: no Qt (the audit page, the CLI and any print-out can share it).
"""

from __future__ import annotations

import enum
import functools
import re
from datetime import date, datetime
from typing import Any

from drillapp.i18n import N_, _

#: Columns never shown among an entry's changes: bookkeeping, not content (the optimistic-locking counter).
HIDDEN_FIELDS = frozenset({"row_version"})

#: The account the app acts as for its own work (first start, the command line's account, log-in checks).
SYSTEM_USERNAME = "system"

OPERATIONS: dict[str, str] = {
    "org.create_port": N_("Create a port"),
    "org.create_branch": N_("Create a branch"),
    "users.create_user": N_("Add user"),
    "users.update_user": N_("Edit user"),
    "users.reset_password": N_("Reset password"),
    "users.unlock": N_("Unlock an account"),
    "users.ensure_local_user": N_("Set up the command line's account"),
    "users.create_first_administrator": N_("Create the first administrator"),
    "users.authenticate": N_("Log in"),
    "users.change_password": N_("Change password"),
    "team.create_skill": N_("Add a skill"),
    "team.create_team": N_("Set up the response team"),
    "team.create_squad": N_("Create a squad"),
    "team.create_member": N_("Add a team member"),
    "team.update_member": N_("Edit a team member"),
    "team.assign_squad": N_("Move a member to a squad"),
    "team.set_member_skill": N_("Record a member's skill"),
    "team.add_unavailability": N_("Record leave or unavailability"),
    "team.import_members": N_("Import members"),
    "team.save_member": N_("Save a team member"),
    "team.remove_member_skill": N_("Remove a member's skill"),
    "team.update_unavailability": N_("Change leave or unavailability"),
    "team.remove_unavailability": N_("Remove leave or unavailability"),
    "team.set_squad_leader": N_("Appoint a squad leader"),
    "team.set_squad_min_strength": N_("Set a squad's minimum strength"),
    "team.set_branch_minimum": N_("Set a branch's minimum strength"),
    "team.rename_skill": N_("Edit a skill"),
    "team.remove_skill": N_("Remove a skill"),
    "roster.create_period": N_("Create a roster period"),
    "roster.update_rules": N_("Change the roster rules"),
    "roster.delete_period": N_("Delete a roster period"),
    "roster.set_preference": N_("Mark a member's wish"),
    "roster.remove_preference": N_("Clear a member's wish"),
    "roster.solve": N_("Arrange the roster"),
    "roster.edit_assignment": N_("Change the roster by hand"),
    "roster.publish": N_("Publish a roster"),
    "roster.request_swap": N_("Request a swap"),
    "roster.approve_swap": N_("Approve a swap"),
    "roster.reject_swap": N_("Reject the swap"),
    "plans.create_plan": N_("Create a plan"),
    "plans.add_action": N_("Add a plan action"),
    "plans.update_version": N_("Edit a plan version"),
    "plans.approve_version": N_("Approve a plan version"),
    "plans.import_file": N_("Import a plan file"),
    "plans.submit_for_review": N_("Send a plan for review"),
    "plans.return_to_draft": N_("Return a plan to draft"),
    "plans.new_revision": N_("Start a plan revision"),
    "plans.discard_draft": N_("Discard a draft plan revision"),
    "plans.save_draft": N_("Save a plan draft"),
    "plans.retire": N_("Retire plan"),
    "drills.schedule_drill": N_("Schedule a drill"),
    "drills.cancel_drill": N_("Cancel a drill"),
    "runs.start_unplanned": N_("Start an unplanned drill"),
    "runs.note_entry": N_("Note on a checklist item"),
    "runs.pause": N_("Pause a drill"),
    "runs.resume": N_("Resume a drill"),
    "runs.mark_inject": N_("Mark an inject delivered, delayed or skipped"),
    "runs.tabletop_advance": N_("Next inject of a tabletop"),
    "runs.tabletop_jump": N_("Move a tabletop's scenario time on"),
    "runs.tabletop_mark": N_("Mark an agency's action in a tabletop"),
    "reviews.accept_finding": N_("Accept a draft finding"),
    "reviews.add_amendment": N_("Amend a signed-off review"),
    "reviews.add_hot_wash_note": N_("Hot-wash note"),
    "reviews.rate_objective": N_("Rate a drill objective"),
    "reviews.clear_rating": N_("Take back an objective's rating"),
    "reviews.remove_finding": N_("Remove a finding"),
    "reviews.revise_plan": N_("Revise the plan for a finding"),
    "reviews.set_finding_target": N_("Point a finding at part of a plan"),
    "reviews.sign_off": N_("Sign off a review"),
    "reviews.update_corrective_action": N_("Change a corrective action"),
    "reviews.update_finding": N_("Change a finding"),
    "reviews.update_review": N_("Change a review"),
    "reviews.verify_action": N_("Verify a corrective action"),
    "drills.save_design": N_("Save a drill's design"),
    "drills.move_drill": N_("Move or postpone a drill"),
    "drills.create_series": N_("Create a drill series"),
    "drills.update_series": N_("Change a drill series"),
    "drills.set_calendar_entry": N_("Set a holiday or blocked period"),
    "drills.remove_calendar_entry": N_("Remove a holiday or blocked period"),
    "drills.set_exercise_interval": N_("Set how often a plan is exercised"),
    "drills.set_port_settings": N_("Change the port's drill reminders"),
    "drills.import_msel": N_("Import a scenario script"),
    "drills.accept_proposal": N_("Accept the proposed drill programme"),
    "team.link_user": N_("Link a member to a user account"),
    "runs.start_run": N_("Start a drill run"),
    "runs.tick_entry": N_("Tick a checklist item"),
    "runs.add_log_entry": N_("Write in the log"),
    "runs.end_run": N_("End a drill run"),
    "incidents.open_incident": N_("Open an incident"),
    "incidents.stand_down": N_("Stand an incident down"),
    "incidents.set_level": N_("Escalate or de-escalate an incident"),
    "incidents.add_task": N_("Give an incident task"),
    "incidents.update_task": N_("Change an incident task's status"),
    "incidents.draft_report": N_("Draft an incident report"),
    "incidents.update_report": N_("Edit an incident report"),
    "incidents.issue_report": N_("Issue an incident report"),
    "incidents.hand_over": N_("Hand an incident over"),
    "callouts.start": N_("Start a call-out test"),
    "callouts.acknowledge": N_("Record an acknowledgement"),
    "callouts.arrive": N_("Record an arrival"),
    "callouts.no_show": N_("Record a no-show"),
    "callouts.end": N_("End a call-out test"),
    "reviews.create_review": N_("Start an after-action review"),
    "reviews.add_finding": N_("Add a finding"),
    "reviews.add_corrective_action": N_("Add a corrective action"),
    "reviews.set_action_status": N_("Update a corrective action"),
    "reminders.create": N_("Create a reminder"),
    "reminders.close": N_("Close a reminder"),
    "reminders.refresh": N_("Generate reminders"),
    "reminders.fire": N_("Show a reminder"),
    "audit.seal": N_("Seal the audit trail"),
    "audit.verify": N_("Verify the audit trail"),
    "audit.view": N_("View the audit trail"),
    "audit.export": N_("Export audit trail"),
    "data.load_demo": N_("Load the demo port"),
    "data.restore": N_("Restore from backup"),
    "data.backup": N_("Back up database"),
    "data.auto_backup": N_("Automatic backup"),
}

#: Record types by table name (tables that are not rows of the app's data appear too: the database itself
#: for backups and restores, the audit trail for its exports and seals).
RECORDS: dict[str, str] = {
    "checklist_event": N_("Checklist event"),
    "review_amendment": N_("Review amendment"),
    "run_inject": N_("Inject delivery"),
    "tabletop_mark": N_("Tabletop mark"),
    "hot_wash_note": N_("Hot-wash note"),
    "port_calendar_entry": N_("Holiday or blocked period"),
    "port_setting": N_("Port setting"),
    "drill_series": N_("Drill series"),
    "drill_schedule_change": N_("Drill date change"),
    "drill_objective_action": N_("Objective's plan action"),
    "after_action_review": N_("After-action review"),
    "app_user": N_("User account"),
    "audit_entry": N_("Audit trail"),
    "audit_seal": N_("Audit trail seal"),
    "branch": N_("Agency branch"),
    "callout_response": N_("Call-out response"),
    "callout_test": N_("Call-out test"),
    "checklist_entry": N_("Checklist entry"),
    "contingency_plan": N_("Contingency plan"),
    "corrective_action": N_("Corrective action"),
    "database": N_("Database"),
    "drill": N_("Drill"),
    "drill_objective": N_("Drill objective"),
    "drill_participant": N_("Drill participant"),
    "drill_run": N_("Drill run"),
    "finding": N_("Finding"),
    "incident": N_("Incident"),
    "incident_task": N_("Incident task"),
    "incident_report": N_("Incident report"),
    "inject": N_("Inject"),
    "log_entry": N_("Log entry"),
    "member": N_("Team member"),
    "member_skill": N_("Member skill"),
    "objective_rating": N_("Objective rating"),
    "on_call_shift": N_("On-call shift"),
    "plan_action": N_("Plan action"),
    "plan_contact": N_("Plan contact"),
    "plan_resource": N_("Plan resource"),
    "plan_section": N_("Plan section"),
    "plan_version": N_("Plan version"),
    "port": N_("Port"),
    "reminder": N_("Reminder"),
    "response_level": N_("Response level"),
    "response_team": N_("Response team"),
    "responsibility_entry": N_("Responsibility entry"),
    "roster_period": N_("Roster period"),
    "roster_preference": N_("Wish"),
    "shift_assignment": N_("Shift assignment"),
    "shift_swap": N_("Swap"),
    "skill": N_("Skill"),
    "squad": N_("Squad"),
    "team_branch_minimum": N_("Branch minimum strength"),
    "unavailability": N_("Unavailability"),
}

#: Field labels that mean the same in every table.
FIELDS: dict[str, str] = {
    "lineage": N_("Lineage key"),
    "recorded_at": N_("Recorded at"),
    "happened_at": N_("Happened at"),
    "chain_seq": N_("Records in the chain"),
    "chain_head": N_("Chain head"),
    "seq": N_("Place in the chain"),
    "chain_hash": N_("Chain hash"),
    "author_id": N_("Author"),
    "author_name": N_("Author"),
    "marked_at": N_("Marked at"),
    "marked_by_id": N_("Marked by"),
    "inject_id": N_("Inject"),
    "objective_id": N_("Objective"),
    "entry_id": N_("Checklist item"),
    "id": N_("Record number"),
    "port_id": N_("Port"),
    "branch_id": N_("Branch"),
    "agency": N_("Agency"),
    "code": N_("Code"),
    "name_zh": N_("Chinese name"),
    "name_en": N_("English name"),
    "title": N_("Title"),
    "title_zh": N_("Chinese title"),
    "title_en": N_("English title"),
    "status": N_("Status"),
    "level": N_("Response level"),
    "position": N_("Order"),
    "text": N_("Text"),
    "note": N_("Note"),
    "notes": N_("Notes"),
    "post": N_("Post"),
    "phone": N_("Phone"),
    "mobile": N_("Mobile"),
    "location": N_("Location"),
    "created_at": N_("Created"),
    "plan_id": N_("Plan"),
    "version_id": N_("Plan version"),
    "plan_version_id": N_("Plan version"),
    "drill_id": N_("Drill"),
    "drill_run_id": N_("Drill run"),
    "incident_id": N_("Incident"),
    "member_id": N_("Team member"),
    "team_id": N_("Team"),
    "period_id": N_("Roster period"),
    "review_id": N_("Review"),
    "min_strength": N_("Minimum strength"),
    "target_minutes": N_("Target (min)"),
    "report_due": N_("Report due"),
    "scenario": N_("Scenario"),
    "summary": N_("Summary"),
    "starts_on": N_("First day"),
    "ends_on": N_("Last day"),
    "started_at": N_("Started"),
    "ended_at": N_("Ended"),
    "started_by_id": N_("Started by"),
    "closed_at": N_("Closed at"),
    "owner_branch_id": N_("Owner branch"),
}

#: Labels of one table's columns where the meaning is the table's own (a person's name, not a thing's).
TABLE_FIELDS: dict[str, dict[str, str]] = {
    "hot_wash_note": {"kind": N_("Kind of note"), "at": N_("Time"), "finding_id": N_("Finding")},
    "port_calendar_entry": {"kind": N_("Kind of entry"), "name": N_("Entry name")},
    "port_setting": {"drill_reminder_minutes": N_("Drill reminders (minutes before)")},
    "drill_series": {"uid": N_("Calendar id"), "rrule": N_("Recurrence rule"), "dtstart_local": N_("First start"),
                     "duration_minutes": N_("Duration (minutes)"), "kind": N_("Kind of drill"), "scope": N_("Scope"),
                     "scenario_text": N_("Scenario"), "safety_notes": N_("Safety notes"), "owner_id": N_("Owner"),
                     "skipped": N_("Skipped occurrences")},
    "drill_schedule_change": {"kind": N_("Kind of change"), "old_start": N_("Old start"),
                              "new_start": N_("New start"), "reason": N_("Reason"),
                              "changed_by_id": N_("Changed by"), "changed_by": N_("Changed by"),
                              "changed_at": N_("Changed at")},
    "drill_objective_action": {"objective_id": N_("Objective"), "plan_action_id": N_("Plan action")},
    "port": {"neighbour_time_zone": N_("Neighbour's time zone"), "code": N_("Port code"), "kind": N_("Kind of port"), "neighbour_country": N_("Neighbouring country"),
             "time_zone": N_("Time zone")},
    "skill": {"code": N_("Skill code"), "certificate_required": N_("Certificate required")},
    "branch": {"duty_phone": N_("Duty phone")},
    "response_team": {"name": N_("Team name")},
    "app_user": {"username": N_("User name"), "display_name": N_("Name"), "role": N_("Role"),
                 "active": N_("Enabled"), "password_hash": N_("Password"), "port_id": N_("Works on"),
                 "failed_logins": N_("Failed log-ins"), "locked_until": N_("Locked until")},
    "contingency_plan": {"code": N_("Plan code"), "exercise_interval_months": N_("Exercised every (months)")},
    "squad": {"kind": N_("Kind of squad"), "name": N_("Squad name"), "leader_id": N_("Squad leader")},
    "drill": {"kind": N_("Kind of drill"), "scope": N_("Scope"), "scheduled_start": N_("Starts"),
              "duration_minutes": N_("Duration (min)"), "scenario_text": N_("Scenario description"),
              "safety_notes": N_("Safety notes"), "uid": N_("Calendar id"), "owner_id": N_("Owner"),
              "series_id": N_("Drill series"), "occurrence_start": N_("Start in the series"),
              "detached": N_("Changed by hand")},
    "member": {"name": N_("Name"), "squad_id": N_("Squad"), "rank": N_("Rank"), "email": N_("E-mail"),
               "volunteer_date": N_("Volunteer date"), "fitness_date": N_("Fitness test date"),
               "training_date": N_("Training date"), "user_id": N_("User account")},
    "plan_version": {"number": N_("Version"), "approved_by_id": N_("Approved by"),
                     "approved_at": N_("Approved at"), "effective_on": N_("Effective from"),
                     "review_due_on": N_("Review due"), "change_note": N_("Change note")},
    "reminder": {"kind": N_("Kind of reminder"), "body": N_("Text"), "due_at": N_("Due"),
                 "user_id": N_("For user"), "role": N_("For role"), "entity": N_("Record type"),
                 "entity_id": N_("Record number"), "dedupe_key": N_("Reminder key"), "fired_at": N_("Shown at")},
    "roster_period": {"name": N_("Period name"), "pattern": N_("Shift pattern"), "rules": N_("Rules"),
                      "objective": N_("Points off the ideal"), "bound": N_("Fewest points possible"),
                      "solver_status": N_("How the roster was arranged"), "solved_at": N_("Arranged at"),
                      "published_at": N_("Published at"), "published_by_id": N_("Published by")},
    "drill_participant": {"role": N_("Role in the drill")},
    "drill_run": {},
    "incident": {"opened_at": N_("Opened"), "opened_by_id": N_("Opened by"), "closed_at": N_("Stood down at"),
                 "number": N_("Incident number"), "year": N_("Year"), "serial": N_("Number in the year"),
                 "alarm_at": N_("Alarm at"), "description": N_("Description"), "closed_by_id": N_("Stood down by")},
    "incident_task": {"assignee": N_("Person"), "due_at": N_("Due"), "done_at": N_("Done at"),
                      "created_by_id": N_("Given by"), "agency": N_("Agency")},
    "incident_report": {"kind": N_("Kind of report"), "number": N_("Report no."), "occurred": N_("Time"),
                        "place": N_("Place"), "nature": N_("Nature"), "casualties": N_("Casualties"),
                        "measures": N_("Measures taken"), "resources": N_("Resources"),
                        "next_steps": N_("Next steps"), "reporter": N_("Reporter"), "issued_at": N_("Issued at"),
                        "issued_by_id": N_("Issued by"), "content_hash": N_("Content hash")},
    "inject": {"offset_minutes": N_("Minutes after the start"), "sender": N_("Sender"),
               "recipient": N_("Recipient"), "message": N_("Message"), "expected_action": N_("Expected action"),
               "number": N_("Inject no."), "scenario_time": N_("Scenario time"), "delivery": N_("Delivered by"),
               "objective_id": N_("Objective")},
    "member_skill": {"skill_id": N_("Skill"), "certificate_no": N_("Certificate no."), "issued_on": N_("Issued on"),
                     "expires_on": N_("Expires")},
    "on_call_shift": {"kind": N_("Shift"), "starts_at": N_("Starts"), "ends_at": N_("Ends"),
                      "published": N_("Published")},
    "plan_action": {"phase": N_("Phase"), "text": N_("Action"), "responsible_post": N_("Responsible post")},
    "plan_contact": {"name": N_("Contact")},
    "plan_resource": {"name": N_("Item"), "kind": N_("Kind"), "quantity": N_("Quantity"),
                      "custodian": N_("Custodian")},
    "plan_section": {"parent_id": N_("Parent section"), "kind": N_("Kind of section"), "title": N_("Section title"),
                     "body": N_("Text")},
    "response_level": {"name": N_("Level name"), "colour": N_("Colour"), "trigger": N_("Trigger")},
    "responsibility_entry": {"task": N_("Task"), "role": N_("Lead or support")},
    "roster_preference": {"day": N_("Day"), "shift": N_("Shift"), "wants_on": N_("Wishes to be on duty"),
                          "weight": N_("Weight")},
    "unavailability": {"kind": N_("Kind")},
    "after_action_review": {"signed_off_by_id": N_("Signed off by"), "signed_off_at": N_("Signed off at")},
    "callout_test": {"announced": N_("Announced in advance"), "required_strength": N_("Required strength")},
    "checklist_entry": {"plan_action_id": N_("Plan action"), "done_at": N_("Done at"), "done_by_id": N_("Done by"),
                        "counted_from": N_("Target counted from")},
    "log_entry": {"at": N_("Time"), "author_id": N_("Author"), "author_name": N_("Author's name"),
                  "kind": N_("Kind")},
    "shift_assignment": {"shift_id": N_("Shift"), "duty": N_("Duty"), "manual": N_("Put on by hand")},
    "shift_swap": {"shift_a_id": N_("Shift handed over"), "member_a_id": N_("Handed over by"),
                   "shift_b_id": N_("Shift taken in return"), "member_b_id": N_("Taken by"),
                   "requested_by_id": N_("Requested by"), "requested_at": N_("Requested at"),
                   "decided_by_id": N_("Decided by"), "decided_at": N_("Decided at"), "reason": N_("Reason")},
    "callout_response": {"test_id": N_("Call-out test"), "acknowledged_at": N_("Acknowledged"),
                         "arrived_at": N_("Arrived"), "no_show": N_("No-show")},
    "finding": {"kind": N_("Kind of finding")},
    "objective_rating": {"objective_id": N_("Objective"), "rating": N_("Rating")},
    "corrective_action": {"finding_id": N_("Finding"), "owner_name": N_("Owner"), "due_on": N_("Due")},
    "team_branch_minimum": {},
}

#: The drill console's and the review's columns (issue 10), added to the tables above.
_RUN_AND_REVIEW_FIELDS: dict[str, dict[str, str]] = {
    "drill_run": {"unplanned": N_("Unplanned"), "tabletop_step": N_("Current inject"),
                  "scenario_jump_minutes": N_("Scenario time moved on (minutes)")},
    "checklist_entry": {"phase": N_("Phase"), "action_level": N_("Level"), "state": N_("State"),
                        "reason": N_("Reason")},
    "log_entry": {"corrects_id": N_("Corrects entry")},
    "checklist_event": {"action": N_("What was done")},
    "finding": {"draft": N_("Draft"), "source": N_("Source"), "root_cause": N_("Root cause"),
                "plan_section_id": N_("Plan section"), "plan_action_id": N_("Plan action"),
                "plan_contact_id": N_("Plan contact"), "plan_resource_id": N_("Plan resource"),
                "revision_version_id": N_("Answered by revision")},
    "objective_rating": {"objective_text": N_("Objective"), "rated_by_id": N_("Rated by"), "rated_at": N_("Rated at")},
    "review_amendment": {"at": N_("Time")},
    "run_inject": {"due_minutes": N_("Due at minute"), "message": N_("Message")},
    "tabletop_mark": {"step": N_("Inject step"), "item_key": N_("Expected action")},
    "corrective_action": {"capability": N_("Capability element"), "start_on": N_("Start"),
                          "evidence": N_("Evidence of completion"), "verified_by_id": N_("Verified by"),
                          "verified_at": N_("Verified at"), "closes_with_revision": N_("Closes with the plan revision")},
}
for _table, _fields in _RUN_AND_REVIEW_FIELDS.items():
    TABLE_FIELDS.setdefault(_table, {}).update(_fields)


#: The notes the app writes in English, worded in the current language when shown (a note not listed
#: here shows as written). The pattern's groups fill the label's {placeholders}.
NOTES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"logged in"), N_("logged in")),
    (re.compile(r"log-in failed: wrong password \(failed attempt (?P<n>\d+) of (?P<max>\d+)\)"),
     N_("log-in failed: wrong password (failed attempt {n} of {max})")),
    (re.compile(r"log-in failed: wrong password; locked for (?P<minutes>\d+) minutes after (?P<max>\d+) failed "
                r"attempts"),
     N_("log-in failed: wrong password; the account is locked for {minutes} minutes after {max} failed attempts")),
    (re.compile(r"log-in refused: more than (?P<max>\d+) attempts at once"),
     N_("log-in refused: more than {max} attempts at once")),
    (re.compile(r"log-in refused: the account is deactivated"), N_("log-in refused: the account is deactivated")),
    (re.compile(r"log-in refused after the password check: deactivated"),
     N_("log-in refused: the account is deactivated")),
    (re.compile(r"log-in refused: the account is locked until (?P<until>\d{4}-\d\d-\d\d \d\d:\d\d) UTC"),
     N_("log-in refused: the account is locked until {until}")),
    (re.compile(r"log-in refused: no account (?P<name>.*?)(?: \(or it has no password\))?", re.DOTALL),
     N_("log-in refused: there is no account {name}")),
    (re.compile(r"log-in refused: the command line's account has no password"),
     N_("log-in refused: the command line's account has no password")),
    (re.compile(r"lock-out lifted by an administrator"), N_("lock-out lifted by an administrator")),
    (re.compile(r"shown"), N_("reminder shown")),
)


def operation_label(operation: str) -> str:
    """An operation in words ("Approve a plan version"); an unknown one (an older version's) as stored."""
    return _(OPERATIONS[operation]) if operation in OPERATIONS else operation


def record_label(entity: str) -> str:
    return _(RECORDS[entity]) if entity in RECORDS else entity


def field_label(entity: str, field: str) -> str:
    """A column of a table in words; an unknown one (a column since dropped) as stored."""
    text = TABLE_FIELDS.get(entity, {}).get(field) or FIELDS.get(field)
    return _(text) if text else field


def note_text(text: str) -> str:
    """A note of the app's in the current language (a UTC time in it in the port's time); others as written."""
    for pattern, label in NOTES:
        found = pattern.fullmatch(text)
        if found:
            values = found.groupdict()
            if "until" in values:
                from drillapp.clock import to_local

                values["until"] = to_local(datetime.strptime(values["until"], "%Y-%m-%d %H:%M")).strftime(
                    "%Y-%m-%d %H:%M")
            return _(label).format(**values)
    return text


def user_label(username: str, user_id: int | None) -> str:
    """Who acted: the user name, or "System" for the app's own work (no account behind it)."""
    if user_id is None and username == SYSTEM_USERNAME:
        return _("System")
    return username


@functools.cache
def user_columns(entity: str) -> frozenset[str]:
    """The columns of a table that point at a user account (approved_by_id ...): shown as the user's name."""
    from drillapp.models import Base

    table = Base.metadata.tables.get(entity)
    if table is None:
        return frozenset()
    return frozenset(c.name for c in table.columns if any(fk.column.table.name == "app_user" for fk in c.foreign_keys))


def _column(entity: str, field: str) -> Any:
    from drillapp.models import Base

    table = Base.metadata.tables.get(entity)
    return None if table is None else table.columns.get(field)


def field_value(entity: str, field: str, value: Any, people: dict[int, str] | None = None) -> str:
    """A stored value as the screens show it: enum values as their labels, times in the port's time, yes/no,
    a user account by its user name (from `people`, id -> user name, when the reader looked it up)."""
    from drillapp.clock import to_local
    from drillapp.labels import label, level_label

    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if people and isinstance(value, int) and value in people and field in user_columns(entity):
        return people[value]
    column = _column(entity, field)
    kind = getattr(column, "type", None)
    enum_class = getattr(kind, "enum_class", None)
    if isinstance(enum_class, type) and issubclass(enum_class, enum.Enum):
        try:
            return label(enum_class(value))
        except ValueError:
            return str(value)
    python_type = _python_type(kind)
    if python_type is datetime and isinstance(value, str):
        try:
            return to_local(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return value
    if python_type is date and isinstance(value, str):
        return value
    if field == "level" and isinstance(value, int):
        return level_label(value)
    return str(value)


def _python_type(kind: Any) -> type | None:
    try:
        return kind.python_type if kind is not None else None
    except NotImplementedError:
        return None
