"""Contingency plans and their versions: creation, actions, approval and reading a version whole, with
the rule that an approved version never changes. The version's life (review, revision, retirement,
comparison) is in plan_revisions.py, plan files in plan_import.py, print-outs in reports/plan_pdf.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from drillapp.i18n import _
from drillapp.models import ContingencyPlan, PlanAction, PlanVersion, Port, ResponseLevel
from drillapp.models.enums import Agency, PlanStatus, ReportKind, ResponsePhase, Scenario
from drillapp.services import audit, review_loop, validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError, NotFoundError, ValidationError
from drillapp.services.plan_document import PlanDoc, latest_version_id, load_document, shown_version_id
from drillapp.services.session_rules import FROZEN

LEVEL_COLOURS = {1: "#d32f2f", 2: "#f57c00", 3: "#fbc02d", 4: "#1976d2"}
LEVEL_NAMES_ZH = {1: "特别重大", 2: "重大", 3: "较大", 4: "一般"}


class PlanService(ServiceBase):
    def create_plan(
        self, port_id: int, code: str, scenario: Scenario, title_zh: str, title_en: str = "",
        owner_branch_id: int | None = None, levels: tuple[int, ...] = (1, 2, 3, 4),
    ) -> tuple[int, int]:
        """A new plan with its first draft version and the response levels it defines; (plan id, version id)."""
        with self.write("plans.create_plan") as s:
            validate.get(s, Port, port_id, _("Port"))
            plan = ContingencyPlan(
                port_id=port_id,
                code=validate.text(code, "code", _("Plan code"), max_len=64),
                scenario=scenario,
                title_zh=validate.text(title_zh, "title_zh", _("Chinese title"), max_len=300),
                title_en=validate.text(title_en, "title_en", _("English title"), max_len=300, required=False),
                owner_branch_id=owner_branch_id,
            )
            version = PlanVersion(number=1, status=PlanStatus.DRAFT)
            for lvl in levels:
                validate.level(lvl)
                version.levels.append(
                    ResponseLevel(level=lvl, name=LEVEL_NAMES_ZH[lvl], colour=LEVEL_COLOURS[lvl])
                )
            plan.versions.append(version)
            s.add(plan)
            s.flush()
            return plan.id, version.id

    def add_action(
        self, version_id: int, agency: Agency, phase: ResponsePhase, text: str, *, level: int | None = None,
        target_minutes: int | None = None, responsible_post: str = "", report_due: ReportKind | None = None,
    ) -> int:
        with self.write("plans.add_action") as s:
            version = validate.get(s, PlanVersion, version_id, _("Plan version"))
            position = s.scalar(select(func.count()).where(PlanAction.version_id == version_id)) or 0
            action = PlanAction(
                version_id=version.id,
                agency=agency,
                phase=phase,
                level=validate.level(level),
                text=validate.long_text(text, "text", _("Action"), required=True),
                target_minutes=validate.minutes(target_minutes, "target_minutes", _("Target time")),
                responsible_post=validate.text(
                    responsible_post, "responsible_post", _("Responsible post"), max_len=200, required=False
                ),
                report_due=report_due,
                position=position,
            )
            s.add(action)
            s.flush()
            return action.id

    # -- reading ---------------------------------------------------------------------------------
    def document(self, version_id: int) -> PlanDoc:
        """A whole plan version as plain data (for print-outs, files, the editor)."""
        with self.read() as s:
            return load_document(s, version_id)

    def current_document(self, plan_id: int, approved_only: bool = False) -> PlanDoc:
        """The newest version of a plan (or its approved one) as plain data."""
        with self.read() as s:
            return load_document(s, latest_version_id(s, plan_id, approved_only))

    def shown_document(self, plan_id: int) -> PlanDoc:
        """The version a plan opens at: the one in force (approved), or else its newest (a new plan's draft)."""
        with self.read() as s:
            return load_document(s, shown_version_id(s, plan_id))

    def print_document(self, plan_id: int, version_number: int | None = None) -> PlanDoc:
        """What a print-out of the plan shows: its version in force (else its newest), or its version
        `version_number`."""
        with self.read() as s:
            if version_number is None:
                return load_document(s, shown_version_id(s, plan_id))
            found = s.scalar(select(PlanVersion.id).where(PlanVersion.plan_id == plan_id,
                                                          PlanVersion.number == version_number))
            if found is None:
                raise NotFoundError(_("Plan {id} has no version {number}.").format(id=plan_id, number=version_number))
            return load_document(s, found)

    def versions(self, plan_id: int) -> list[tuple[int, int, PlanStatus]]:
        """(version id, number, status) of every version of a plan, oldest first."""
        with self.read() as s:
            rows = s.execute(select(PlanVersion.id, PlanVersion.number, PlanVersion.status)
                             .where(PlanVersion.plan_id == plan_id).order_by(PlanVersion.number))
            return [(r.id, r.number, r.status) for r in rows]

    def update_version(self, version_id: int, expected_version: int, **values: Any) -> None:
        allowed = {"change_note", "effective_on", "review_due_on"}
        with self.write("plans.update_version") as s:
            version = validate.get(s, PlanVersion, version_id, _("Plan version"))
            validate.expect_version(version, expected_version)
            for key, value in values.items():
                if key not in allowed:
                    raise ValidationError(_("Unknown plan field: {field}").format(field=key), key)
                setattr(version, key, value)

    def approve_version(self, version_id: int, effective_on: date, review_due_on: date, *,
                        expected_version: int) -> None:
        with self.write("plans.approve_version") as s:
            version = validate.get(s, PlanVersion, version_id, _("Plan version"))
            validate.expect_version(version, expected_version)
            if version.status in FROZEN:
                raise DomainError(_("This version is already approved or closed; start a new revision instead."))
            if version.status is not PlanStatus.IN_REVIEW:
                raise DomainError(_("Only a version in review can be approved: send the draft for review first."))
            validate.date_order(effective_on, review_due_on, "review_due_on")
            for other in s.scalars(
                select(PlanVersion).where(
                    PlanVersion.plan_id == version.plan_id, PlanVersion.status == PlanStatus.APPROVED
                )
            ):
                other.status = PlanStatus.SUPERSEDED
            version.status = PlanStatus.APPROVED
            version.approved_by_id = self.actor.user_id
            version.approved_at = audit.operation_time(s)
            version.effective_on = effective_on
            version.review_due_on = review_due_on
            review_loop.version_approved(s, version)  # corrective actions whose remedy this revision is
