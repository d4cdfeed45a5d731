"""The AAR/IP print-out from the review editor (Ctrl+P): the existing report, made off the GUI thread from the
review as it is stored; a draft prints marked DRAFT."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QToolBar

from drillapp.i18n import _
from drillapp.ui.operations import QueryOp

if TYPE_CHECKING:
    from drillapp.ui.reviews.editor import ReviewEditor


def _file_name(title: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_ " else "_" for c in title).strip() or "AAR"
    return f"{safe[:80]}.pdf"


class AarPrinting(QObject):
    def __init__(self, editor: ReviewEditor, bar: QToolBar) -> None:
        super().__init__(editor)
        self.editor = editor
        self.last_pdf: Path | None = None
        self.print_action = editor.add_tool(bar, "printAar", _("Print AAR…"), self.print_aar,
                                            QKeySequence(QKeySequence.StandardKey.Print))

    def print_aar(self) -> None:
        """Ask where, then write the PDF there."""
        editor = self.editor
        if editor.doc is None:
            return
        focus = editor.focusWidget()
        if focus is not None:
            focus.clearFocus()  # a text being written is stored first (its operation runs before the print)
        path, _filter = QFileDialog.getSaveFileName(
            editor, _("Print the AAR to PDF"), str(Path.home() / _file_name(editor.doc.title)), "PDF (*.pdf)")
        if path:
            self.write_pdf(Path(path))

    def write_pdf(self, path: Path) -> None:
        from drillapp.reports.aar_pdf import write_aar

        editor = self.editor
        docs, review_id = editor.docs, editor.review_id

        def done(out: Path) -> None:
            self.last_pdf = out
            editor.statusBar().showMessage(_("PDF written to {path}").format(path=out), 8000)

        QueryOp(editor, lambda: write_aar(docs.document(review_id), path),
                label=_("Writing the AAR…")).success(done).run()
