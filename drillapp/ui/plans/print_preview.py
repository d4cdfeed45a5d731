"""Print a plan on paper: the PDF we make is shown in Qt's print preview (pages rendered with pdfium), whose
Print button opens the system print dialog. The paper copy is the same PDF as the exported one."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from drillapp.i18n import _
from drillapp.ui.windows import fit_to_screen

PRINT_DPI = 200


def render_pages(pdf: Path, dpi: int = PRINT_DPI) -> list[QImage]:
    """Every page of a PDF as an image (pdfium, bundled by the pypdfium2 wheel). QImage, not QPixmap: this
    runs in a worker thread."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    images: list[QImage] = []
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # RGB(A) byte order, as QImage wants
            fmt = QImage.Format.Format_RGBA8888 if bitmap.n_channels == 4 else QImage.Format.Format_RGB888
            image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt)
            # own the pixels (the pdfium buffer goes away), in the format Qt paints without converting: paper
            # is opaque, and converting each page when the preview draws it took the GUI thread ~8 ms a page
            images.append(image.convertToFormat(QImage.Format.Format_RGB32))
            page.close()
    finally:
        document.close()
    return images


def paint_pages(printer: QPrinter, images: list[QImage]) -> int:
    """Draw the page images onto the printer, one per sheet, fitted and centred; returns pages drawn."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        for number, image in enumerate(images):
            if number:
                printer.newPage()
            area = QRectF(painter.viewport())
            scaled = image.size().scaled(area.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF((area.width() - scaled.width()) / 2, (area.height() - scaled.height()) / 2,
                            scaled.width(), scaled.height())
            painter.drawImage(target, image)
    finally:
        painter.end()
    return len(images)


class PlanPrintPreview(QPrintPreviewDialog):
    """The preview of pages already rendered (`render_pages`, off the GUI thread: a page at 200 dpi takes
    pdfium tens of milliseconds)."""

    def __init__(self, pages: list[QImage], title: str, parent: QWidget | None = None) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        super().__init__(printer, parent)
        self._printer = printer  # kept alive as long as the dialog (Qt does not own it)
        self.setObjectName("printPreview")
        self.setWindowTitle(_("Print preview · {title}").format(title=title))
        fit_to_screen(self, 900, 1000)  # an A4 page upright, on the screen it opens on
        self.images = pages
        self.paintRequested.connect(lambda printer: paint_pages(printer, self.images))


def temporary_pdf(name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="drillapp-print-"))
    return folder / name
