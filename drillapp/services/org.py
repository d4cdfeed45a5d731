"""Ports and their branches (the four agencies), and the app's users."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from drillapp.clock import DEFAULT_ZONE, valid_zone
from drillapp.i18n import _
from drillapp.models import Branch, Port
from drillapp.models.enums import Agency, PortKind
from drillapp.services import validate
from drillapp.services.context import ALL_PORTS, PortScope, ServiceBase
from drillapp.services.errors import NotFoundError, PermissionDeniedError, ValidationError

#: The clocks of the neighbouring countries the app knows (by the name a port gives its neighbour): Primorye is
#: UTC+10, the DPRK UTC+9, all year.
NEIGHBOUR_ZONES = {
    "朝鲜": "Asia/Pyongyang", "DPRK": "Asia/Pyongyang", "North Korea": "Asia/Pyongyang",
    "俄罗斯": "Asia/Vladivostok", "Russia": "Asia/Vladivostok",
}


def neighbour_zone(country: str) -> str:
    """The time zone of a neighbouring country by its name ("" when the app does not know it)."""
    return NEIGHBOUR_ZONES.get((country or "").strip(), "")


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
    time_zone: str = DEFAULT_ZONE

    def scope(self) -> PortScope:
        return PortScope(self.id, self.code, self.name_zh, self.time_zone)


class OrgService(ServiceBase):
    def create_port(
        self, code: str, name_zh: str, name_en: str = "", kind: PortKind = PortKind.ROAD, neighbour_country: str = "",
        neighbour_time_zone: str | None = None,
    ) -> int:
        """A new port. `neighbour_time_zone` (IANA) defaults to the neighbouring country's clock when the app
        knows it (NEIGHBOUR_ZONES)."""
        if neighbour_time_zone is None:
            neighbour_time_zone = neighbour_zone(neighbour_country)
        elif neighbour_time_zone and not valid_zone(neighbour_time_zone):
            raise ValidationError(_("Unknown time zone: {zone}.").format(zone=neighbour_time_zone),
                                  "neighbour_time_zone")
        with self.write("org.create_port") as s:
            port = Port(
                code=validate.text(code, "code", _("Port code"), max_len=32),
                name_zh=validate.text(name_zh, "name_zh", _("Chinese name"), max_len=200),
                name_en=validate.text(name_en, "name_en", _("English name"), max_len=200, required=False),
                kind=kind,
                neighbour_country=validate.text(
                    neighbour_country, "neighbour_country", _("Neighbouring country"), max_len=100, required=False
                ),
                neighbour_time_zone=neighbour_time_zone,
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
        """The ports this user may work on (one, for a user limited to a port), the default port first."""
        with self.read() as s:
            query = select(Port).order_by(Port.id)
            if self.actor.port_id is not None:
                query = query.where(Port.id == self.actor.port_id)
            return [PortRow(p.id, p.code, p.name_zh, p.name_en, p.kind, p.time_zone) for p in s.scalars(query)]

    def port_scope(self, code: str | None = None, *, remembered: int | None = None) -> PortScope:
        """The port to work on: the one with `code` (refused if unknown or not allowed to this user), else the
        `remembered` one if it still exists and is allowed, else the database's default port (the first one
        created). With no port at all yet: every port (an empty database)."""
        ports = self.ports()
        if code:
            wanted = code.strip()
            for port in ports:
                if port.code == wanted:
                    return port.scope()
            with self.read() as s:
                exists = s.scalar(select(Port.id).where(Port.code == wanted)) is not None
            if exists:
                raise PermissionDeniedError(_("You work on one port only; {code} is not yours.").format(code=wanted))
            known = ", ".join(p.code for p in ports) or "-"
            raise NotFoundError(_("There is no port with the code {code} (ports: {known}).").format(
                code=wanted, known=known))
        for port in ports:
            if port.id == remembered:
                return port.scope()
        return ports[0].scope() if ports else ALL_PORTS

    def all_ports_scope(self) -> PortScope:
        """Every port, for the lists and the dashboard (the city's coordinator); refused to a user limited to
        one port. Times shown in the default port's zone."""
        if self.actor.port_id is not None:
            raise PermissionDeniedError(_("You work on one port only."))
        ports = self.ports()
        return PortScope(None, "", "", ports[0].time_zone if ports else DEFAULT_ZONE)

    def branches(self, port_id: int | None = None) -> list[BranchRow]:
        with self.read() as s:
            q = select(Branch).order_by(Branch.port_id, Branch.id)
            if port_id is not None:
                q = q.where(Branch.port_id == port_id)
            return [BranchRow(b.id, b.port_id, b.agency, b.name_zh, b.name_en, b.duty_phone) for b in s.scalars(q)]


# Users moved to drillapp.services.users; kept importable from here for existing callers.
from drillapp.services.users import UserService  # noqa: E402,F401
