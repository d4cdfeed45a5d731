"""The port's policy, written here from the domain (../shared/DOMAIN.md and the README's roles), not read
from the permission table: if the table drifts from who does what at the port, this test and the table
disagree, loudly, naming the operation and the role.

test_permission_matrix.py and test_permissions.py prove the table is enforced; this file says whether
the table is right. An operation the policy does not know fails here too: add it below, from what the
domain says about who does it, never by copying the table.
"""

from __future__ import annotations

import pytest

from drillapp.models.enums import Role
from drillapp.services.permissions import OWN_BRANCH, PERMISSIONS, allowed

A, C, D, T, E, V = (Role.ADMINISTRATOR, Role.COORDINATOR, Role.DUTY_OFFICER, Role.TEAM_LEAD, Role.EVALUATOR,
                    Role.VIEWER)
EVERYONE = frozenset(Role)

#: Who does what at the port, by area (the operation's prefix), from the domain:
AREAS: dict[str, frozenset[Role]] = {
    # the plan owner / coordinator (口岸办/联检党委) writes, revises and approves the joint plans
    "plans.": frozenset({C}),
    # ... and sets the annual drill programme: designs the drills, their series and scenario scripts, keeps the
    # port calendar (holidays, blocked weeks) and each plan's exercise interval, accepts the proposed programme
    "drills.": frozenset({C}),
    # the duty officer launches a drill or a real response, works the checklist, keeps the log
    "runs.": frozenset({D}),
    "incidents.": frozenset({D}),
    # the team lead keeps the rapid-response team ready: members (and which log-in is whose), skills, squads,
    # who is on call
    "team.": frozenset({T}),
    "roster.": frozenset({T}),
    # call-out (muster) tests: the team lead runs them; the duty officer calls the team out in a response
    "callouts.": frozenset({T, D}),
    # accounts, the organisation and the database itself are the administrator's
    "users.": frozenset(),
    "org.": frozenset(),
    "data.": frozenset(),
    # the audit trail: evidence for the joint committee, read by the administrator and the coordinator
    "audit.": frozenset({C}),
}

#: Operations whose people differ from their area's (each with the domain's reason).
EXCEPTIONS: dict[str, frozenset[Role]] = {
    # evaluators rate each objective and write what went well and what did not (findings); the coordinator
    # owns the after-action report and its improvement plan: a corrective action gives a branch work with a
    # due date, which is the sign-off's to decide (HSEEP: evaluators recommend, the officials assign)
    "reviews.create_review": frozenset({C, E}),
    "reviews.add_finding": frozenset({C, E}),
    "reviews.add_corrective_action": frozenset({C}),
    # closing a corrective action: the coordinator chases them all (the branches close their own: OWN_BRANCH)
    "reviews.set_action_status": frozenset({C}),
    # the hot wash is taken at the console right after the drill ends: by the duty officer who ran it, or by the
    # evaluator or coordinator leading it
    "reviews.add_hot_wash_note": frozenset({C, D, E}),
    # the review's words, ratings and findings are the evaluators' (HSEEP: evaluators rate each objective) and
    # the coordinator's, who owns the report
    "reviews.update_review": frozenset({C, E}),
    "reviews.rate_objective": frozenset({C, E}),
    "reviews.clear_rating": frozenset({C, E}),
    "reviews.update_finding": frozenset({C, E}),
    "reviews.accept_finding": frozenset({C, E}),
    "reviews.remove_finding": frozenset({C, E}),
    "reviews.set_finding_target": frozenset({C, E}),
    # revising a plan is the plan owner's (the coordinator), and so is the improvement plan: who does what by
    # when, verifying it was done, signing the report off and amending it afterwards
    "reviews.revise_plan": frozenset({C}),
    "reviews.update_corrective_action": frozenset({C}),
    "reviews.verify_action": frozenset({C}),
    "reviews.sign_off": frozenset({C}),
    "reviews.add_amendment": frozenset({C}),
    # a tabletop's marks (discussed, adequate, gap) are the evaluator's record, kept by the facilitator at the
    # console or by the evaluator
    "runs.tabletop_mark": frozenset({D, E}),
    # reminders someone sets by hand: the coordinator (reviews, corrective actions) and the team lead
    # (certificates, training); everyone closes their own; generating and showing them is the app's work
    "reminders.create": frozenset({C, T}),
    "reminders.close": EVERYONE,
    "reminders.refresh": EVERYONE,
    "reminders.fire": EVERYONE,
    # everyone changes their own password
    "users.change_password": EVERYONE,
    # the daily automatic copy beside the database is the workstation's own work, whoever is logged in
    "data.auto_backup": EVERYONE,
    # sealing the audit trail is the app's own background work on every desk, whoever is logged in
    "audit.seal": EVERYONE,
}

#: Branch-limited rights: the branches' own people close their own branch's corrective actions.
OWN_BRANCH_POLICY: dict[str, frozenset[Role]] = {
    "reviews.set_action_status": frozenset({D, T, E}),
}


def policy(operation: str) -> frozenset[Role]:
    """The roles the port's policy lets run `operation` (for some records at least); the administrator always."""
    if operation in EXCEPTIONS:
        roles = EXCEPTIONS[operation]
    else:
        areas = [prefix for prefix in AREAS if operation.startswith(prefix)]
        if not areas:
            raise LookupError(f"the port's policy does not say who may run {operation!r}: add it to this test")
        roles = AREAS[areas[0]]
    return roles | OWN_BRANCH_POLICY.get(operation, frozenset()) | {A}


@pytest.mark.parametrize("operation", sorted(PERMISSIONS))
def test_the_table_follows_the_ports_policy(operation):
    expected = policy(operation)
    granted = frozenset(r for r in Role if allowed(r, operation))
    assert granted == expected, (
        f"{operation}: the table grants {sorted(r.value for r in granted)}, the policy "
        f"{sorted(r.value for r in expected)}"
    )


@pytest.mark.parametrize("operation", sorted(set(OWN_BRANCH) | set(OWN_BRANCH_POLICY)))
def test_own_branch_limits_follow_the_policy(operation):
    assert OWN_BRANCH.get(operation, frozenset()) == OWN_BRANCH_POLICY.get(operation, frozenset()), operation


def test_a_viewer_may_change_nothing_but_their_own_password_and_reminders():
    viewer_may = {op for op in PERMISSIONS if allowed(V, op)}
    assert viewer_may == {op for op, roles in EXCEPTIONS.items() if roles == EVERYONE}


def test_the_policy_covers_every_operation_and_names_no_operation_that_is_gone():
    for operation in PERMISSIONS:
        policy(operation)  # a LookupError names an operation the policy does not know
    assert set(EXCEPTIONS) - set(PERMISSIONS) == set()
