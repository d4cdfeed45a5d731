"""Which port to work on, asked once after log-in when the database holds several ports (then remembered;
the status bar switches it later)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from drillapp.i18n import _
from drillapp.services.context import PortScope
from drillapp.services.org import PortRow


class PortDialog(QDialog):
    def __init__(self, ports: list[PortRow], current: PortScope, *, all_ports: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("portDialog")
        self.setWindowTitle(_("Choose the port"))
        self.chosen: PortScope | None = None
        self.ports = QComboBox(self)
        self.ports.setObjectName("ports")
        for port in ports:
            self.ports.addItem(f"{port.code} · {port.name_zh}" + (f" ({port.name_en})" if port.name_en else ""),
                               port.scope())
            if port.id == current.id:
                self.ports.setCurrentIndex(self.ports.count() - 1)
        if all_ports and ports:
            self.ports.addItem(_("All ports (lists and dashboard only)"), PortScope(None, "", "", ports[0].time_zone))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        form = QFormLayout(self)
        intro = QLabel(_("This database holds several ports. Lists, the dashboard and new records belong to the "
                         "port you work on; switch it later in the status bar."), self)
        intro.setWordWrap(True)
        form.addRow(intro)
        form.addRow(_("Port:"), self.ports)
        form.addRow(buttons)

    def accept(self) -> None:
        self.chosen = self.ports.currentData()
        super().accept()
