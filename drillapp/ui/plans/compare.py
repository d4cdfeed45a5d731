"""Side by side: what changed between two versions of a plan."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import N_, _
from drillapp.labels import label
from drillapp.services.plan_document import PlanDoc
from drillapp.services.plan_revisions import PlanRevisionService
from drillapp.services.plans import PlanService
from drillapp.ui.operations import QueryOp
from drillapp.ui.windows import fit_rows, fit_to_screen, refit_when_resized

AREA_TITLES = {
    "sections": N_("Sections"), "levels": N_("Response levels"), "actions": N_("Actions"),
    "matrix": N_("Responsibility matrix"), "contacts": N_("Contacts"), "resources": N_("Resources"),
    "version": N_("Version"),
}


class CompareDialog(QDialog):
    def __init__(self, plans: PlanService, revisions: PlanRevisionService, doc: PlanDoc,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle(_("Compare versions · {title}").format(title=doc.title_zh))
        fit_to_screen(self, 1000, 600)
        self.revisions = revisions
        self.doc = doc
        self.versions = plans.versions(doc.plan_id)
        self.other = QComboBox(self)
        self.other.setObjectName("otherVersion")
        for vid, number, status in self.versions:
            if vid != doc.version_id:
                self.other.addItem(_("Version {n}").format(n=number) + f" · {label(status)}", vid)
        earlier = [v for v in self.versions if v[1] < doc.number]
        if earlier:
            self.other.setCurrentIndex(max(0, self.other.findData(earlier[-1][0])))
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("differences")
        self.table.setHorizontalHeaderLabels([_("Part"), _("Item"), _("Before"), _("After")])
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        refit_when_resized(self.table, self._fit_rows)
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Version {n} compared with:").format(n=doc.number), self))
        row.addWidget(self.other)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.other.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        other = self.other.currentData()
        if other is None:
            self.summary.setText(_("This plan has only one version."))
            self.table.setRowCount(0)
            return
        older, newer = (other, self.doc.version_id) if other < self.doc.version_id else (self.doc.version_id, other)
        revisions = self.revisions
        QueryOp(self, lambda: revisions.compare(older, newer)).success(self._show).run()

    def _show(self, differences: list[Any]) -> None:
        self.summary.setText(_("{n} differences").format(n=len(differences)) if differences else _("No differences."))
        self.table.setRowCount(len(differences))
        for r, d in enumerate(differences):
            for c, text in enumerate((_(AREA_TITLES.get(d.area, d.area)), d.item, d.before or "—", d.after or "—")):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self._fit_rows()

    def _fit_rows(self) -> None:
        """One line of text, one line's height: measured at the widths the columns have now (Qt's own
        resizeRowsToContents measured them before the dialog was laid out, at a few pixels wide)."""
        fit_rows(self.table, max_height=240)
