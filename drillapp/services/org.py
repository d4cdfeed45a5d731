"""Ports and their branches (the four agencies), and the app's users."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from drillapp.i18n import _
from drillapp.models import Branch, Port
from drillapp.models.enums import Agency, PortKind
from drillapp.services import validate
from drillapp.services.context import ServiceBase


@dataclass(frozen=True)
class BranchRow:
    id: int
    port_id: int
    agency: Agency
    name_zh: str
    name_en: str
    duty_phone: str


@dataclass(frozen=True)
class PortRow:
    id: int
    code: str
    name_zh: str
    name_en: str
    kind: PortKind


class OrgService(ServiceBase):
    def create_port(
        self, code: str, name_zh: str, name_en: str = "", kind: PortKind = PortKind.ROAD, neighbour_country: str = ""
    ) -> int:
        with self.write("org.create_port") as s:
            port = Port(
                code=validate.text(code, "code", _("Port code"), max_len=32),
                name_zh=validate.text(name_zh, "name_zh", _("Chinese name"), max_len=200),
                name_en=validate.text(name_en, "name_en", _("English name"), max_len=200, required=False),
                kind=kind,
                neighbour_country=validate.text(
                    neighbour_country, "neighbour_country", _("Neighbouring country"), max_len=100, required=False
                ),
            )
            s.add(port)
            s.flush()
            return port.id

    def create_branch(self, port_id: int, agency: Agency, name_zh: str, name_en: str = "", duty_phone: str = "") -> int:
        with self.write("org.create_branch") as s:
            validate.get(s, Port, port_id, _("Port"))
            branch = Branch(
                port_id=port_id,
                agency=agency,
                name_zh=validate.text(name_zh, "name_zh", _("Chinese name"), max_len=200),
                name_en=validate.text(name_en, "name_en", _("English name"), max_len=200, required=False),
                duty_phone=validate.text(duty_phone, "duty_phone", _("Duty phone"), max_len=50, required=False),
            )
            s.add(branch)
            s.flush()
            return branch.id

    def ports(self) -> list[PortRow]:
        with self.read() as s:
            return [PortRow(p.id, p.code, p.name_zh, p.name_en, p.kind) for p in s.scalars(select(Port).order_by(Port.id))]

    def branches(self, port_id: int | None = None) -> list[BranchRow]:
        with self.read() as s:
            q = select(Branch).order_by(Branch.port_id, Branch.id)
            if port_id is not None:
                q = q.where(Branch.port_id == port_id)
            return [BranchRow(b.id, b.port_id, b.agency, b.name_zh, b.name_en, b.duty_phone) for b in s.scalars(q)]


# Users moved to drillapp.services.users; kept importable from here for existing callers.
from drillapp.services.users import UserService  # noqa: E402,F401
