"""A table model that answers all the roles a delegate asks of a cell in one call into Python.

Qt 6's item delegate asks for a cell's roles together (`multiData`); the default answers each by calling
`data()`, one call from C++ into Python per role (about seven a cell). Each of those takes the GIL, and while
a worker runs Python each waits its turn (ui/gil.py). Answering them in one Python call makes painting a
large table several times fewer GIL hand-overs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
)


class MultiDataTableModel(QAbstractTableModel):
    def multiData(self, index: QModelIndex | QPersistentModelIndex,  # noqa: N802 - Qt's name
                  roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:  # noqa: N803 - Qt's name
        roles = [roleDataSpan] if isinstance(roleDataSpan, QModelRoleData) else \
            cast(Iterable[QModelRoleData], roleDataSpan)  # a span iterates over its QModelRoleData
        for role_data in roles:
            role_data.setData(self.data(index, role_data.role()))
