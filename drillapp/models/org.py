"""Ports, their four agencies (branches), and the app's users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillapp.models.base import Base, CreatedAt, Versioned, enum_column
from drillapp.models.enums import Agency, PortKind, Role

DEFAULT_TIME_ZONE = "Asia/Shanghai"


class Port(Versioned, Base):
    __tablename__ = "port"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[PortKind] = enum_column(PortKind, default=PortKind.ROAD)
    neighbour_country: Mapped[str] = mapped_column(String(100), default="")
    #: The port's clock (IANA name): what it schedules, shows and prints is in this zone; the database keeps UTC.
    time_zone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIME_ZONE, server_default=DEFAULT_TIME_ZONE)
    #: the neighbouring country's clock (IANA name, "" when unknown): the drill console shows the neighbours'
    #: contacts with their own local time (Primorye UTC+10, the DPRK UTC+9)
    neighbour_time_zone: Mapped[str] = mapped_column(String(64), default="", server_default="")

    branches: Mapped[list[Branch]] = relationship(back_populates="port", order_by="Branch.id")


class Branch(Versioned, Base):
    """One agency's office at one port (支部)."""

    __tablename__ = "branch"
    __table_args__ = (UniqueConstraint("port_id", "agency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("port.id", ondelete="CASCADE"), index=True)
    agency: Mapped[Agency] = enum_column(Agency)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    duty_phone: Mapped[str] = mapped_column(String(50), default="")

    port: Mapped[Port] = relationship(back_populates="branches")


class User(Versioned, CreatedAt, Base):
    """A person who logs in to the app. Log-in and passwords come with the users issue."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = enum_column(Role, default=Role.VIEWER)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: A user limited to one port sees and changes only that port; None: may work on every port.
    port_id: Mapped[int | None] = mapped_column(ForeignKey("port.id", ondelete="SET NULL"))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
