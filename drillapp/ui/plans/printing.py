"""Print-outs from the plan editor: the full plan and an action card in the print preview, and a PDF file.
They print the version the editor shows (any version: the one in force, a draft, an older one), as it is
saved; the PDF is made off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QToolBar

from drillapp.i18n import _
from drillapp.models.enums import Agency
from drillapp.ui.operations import QueryOp
from drillapp.ui.plans import dialogs

if TYPE_CHECKING:
    from drillapp.ui.plans.editor import PlanEditor
    from drillapp.ui.plans.print_preview import PlanPrintPreview


class PlanPrinting(QObject):
    def __init__(self, editor: PlanEditor, bar: QToolBar) -> None:
        super().__init__(editor)
        self.editor = editor
        self.last_preview: PlanPrintPreview | None = None
        self.print_action = editor.add_tool(bar, "print", _("Print…"), self.print_plan, QKeySequence.StandardKey.Print)
        self.card_action = editor.add_tool(bar, "card", _("Action card…"), self.print_card)
        self.export_action = editor.add_tool(bar, "export", _("Export PDF…"), self.print_pdf)

    def _make_pdf(self, path: Path, agency: Agency | None = None, level: int | None = None) -> Callable[[], Path]:
        editor = self.editor
        assert editor.doc is not None
        plans, plan_id, number = editor.plans, editor.doc.plan_id, editor.doc.number

        def write() -> Path:  # in a worker, ReportLab's import too (a tenth of a second)
            from drillapp.reports.plan_pdf import write_plan_pdf

            return write_plan_pdf(plans.print_document(plan_id, number), path, agency, level)

        return write

    def _preview(self, agency: Agency | None = None, level: int | None = None) -> None:
        """Make the PDF (off the GUI thread), then show it in the print preview (Print there opens the system
        print dialog)."""
        doc = self.editor.doc
        if doc is None:
            return
        from drillapp.ui.plans.print_preview import PlanPrintPreview, render_pages, temporary_pdf

        make = self._make_pdf(temporary_pdf(f"{doc.code}.pdf"), agency, level)

        def show(pages: list[QImage]) -> None:
            self.last_preview = PlanPrintPreview(pages, doc.title_zh, self.editor)
            self.last_preview.exec()

        # the PDF and its page images are made in the worker; the GUI thread only shows them
        QueryOp(self.editor, lambda: render_pages(make()), label=_("Preparing the print-out…")).success(show).run()

    def print_plan(self) -> None:
        self._preview()

    def print_card(self) -> None:
        if self.editor.doc is None:
            return
        dialog = dialogs.CardDialog(self.editor.doc, self.editor)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._preview(dialog.agency.currentData(), dialog.level.currentData())

    def print_pdf(self) -> None:
        editor, doc = self.editor, self.editor.doc
        if doc is None:
            return
        if not editor.undo_stack.isClean():
            QMessageBox.information(editor, _("Print"), _("Save your changes first: the print-out shows what is saved."))
            return
        path, _filter = QFileDialog.getSaveFileName(
            editor, _("Print to PDF"), str(Path.home() / f"{doc.code}-v{doc.number}.pdf"), "PDF (*.pdf)")
        if not path:
            return
        QueryOp(editor, self._make_pdf(Path(path)), label=_("Writing the PDF…")).success(
            lambda out: editor.statusBar().showMessage(_("PDF written to {path}").format(path=out), 8000)).run()
