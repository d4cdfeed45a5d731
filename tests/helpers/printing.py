"""Print a plan as the command line does: the services read it, the print-out writes it (reports/plan_pdf)."""

from __future__ import annotations

from pathlib import Path

from drillapp.db import Database
from drillapp.models.enums import Agency
from drillapp.reports.plan_pdf import write_plan_pdf
from drillapp.services.context import Actor
from drillapp.services.plans import PlanService


def print_plan(db: Database, actor: Actor, plan_id: int, out: Path, version_number: int | None = None,
               agency: Agency | str | None = None, level: int | str | None = None) -> Path:
    return write_plan_pdf(PlanService(db, actor).print_document(plan_id, version_number), out, agency, level)
