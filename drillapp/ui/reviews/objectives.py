"""The drill's objectives, each rated with HSEEP's four ratings: keys P, S, M and U rate the selected one,
Enter goes to its observations (Ctrl+Enter back to the list, keeping them)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import Rating
from drillapp.services.review_read import RatingDoc
from drillapp.ui.reviews.findings import KeptText
from drillapp.ui.windows import fit_rows, read_only_rows, refit_when_resized

RATING_KEYS = {Qt.Key.Key_P: Rating.P, Qt.Key.Key_S: Rating.S, Qt.Key.Key_M: Rating.M, Qt.Key.Key_U: Rating.U}
RATING_COLOURS = {Rating.P: "#d8f0d8", Rating.S: "#fff3c4", Rating.M: "#ffd8b0", Rating.U: "#f6c6c6"}


class RatingTable(QTableWidget):
    """The objectives; P/S/M/U rate the selected one."""

    rate = Signal(int, object)  # row, Rating
    observe = Signal(int)  # row: Enter, to write the observations

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        rating = RATING_KEYS.get(Qt.Key(event.key()))
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if rating is not None and plain and self.currentRow() >= 0:
            self.rate.emit(self.currentRow(), rating)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.observe.emit(self.currentRow())
            return
        super().keyPressEvent(event)


class ObjectivesPanel(QWidget):
    """Asks the editor to store a rating (objective id, rating, observations); shows what is stored."""

    rating_wanted = Signal(int, object, str)  # objective id, Rating, observations

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ratings: tuple[RatingDoc, ...] = ()
        self.read_only = False
        self._shown_id: int | None = None  # the objective whose observations are shown
        self.table = RatingTable(0, 4, self)
        fit, stretch = QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch
        read_only_rows(self.table, "objectivesTable",
                       [_("Objective"), _("Rating"), _("Observations"), _("Rated by")], [stretch, fit, stretch, fit])
        refit_when_resized(self.table, lambda: fit_rows(self.table, skip=(1, 3)))
        self.table.rate.connect(self._rate)
        self.table.observe.connect(self._observe)
        self.table.currentCellChanged.connect(lambda row, *_a: self._show_observations(row))
        self.hint = QLabel(_("Select an objective and press P, S, M or U to rate it; Enter writes the evaluator's "
                             "observations (Ctrl+Enter returns to the list)."), self)
        self.hint.setObjectName("ratingHint")
        self.hint.setProperty("muted", True)
        self.hint.setWordWrap(True)
        self.empty = QLabel(_("This drill has no objectives to rate. Add them to the drill's design."), self)
        self.empty.setObjectName("objectivesEmpty")
        self.empty.setWordWrap(True)
        self.observations = KeptText(self)
        self.observations.setObjectName("observationsEdit")
        self.observations.setPlaceholderText(_("The evaluator's observations on the selected objective"))
        self.observations.setTabChangesFocus(True)
        self.observations.left.connect(self._keep_observations)
        QShortcut(QKeySequence("Ctrl+Return"), self.observations, self._back_to_list)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel(_("Observations"), self))
        layout.addWidget(self.observations, 1)

    def show_ratings(self, ratings: tuple[RatingDoc, ...], read_only: bool) -> None:
        row = max(0, self.table.currentRow())
        self.ratings, self.read_only = ratings, read_only
        self.table.setRowCount(len(ratings))
        for r, doc in enumerate(ratings):
            cells = [f"{r + 1}. {doc.text}", label(doc.rating) if doc.rating else _("not rated"), doc.observations,
                     " ".join(x for x in (doc.rated_by, to_local(doc.rated_at).strftime("%Y-%m-%d %H:%M")
                                          if doc.rated_at else "") if x)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 1 and doc.rating is not None:
                    item.setBackground(QBrush(QColor(RATING_COLOURS[doc.rating])))
                    item.setForeground(QBrush(QColor("#1a1a1a")))
                self.table.setItem(r, c, item)
        self.empty.setVisible(not ratings)
        self.table.setVisible(bool(ratings))
        self.hint.setVisible(bool(ratings) and not read_only)
        if ratings:
            self.table.setCurrentCell(min(row, len(ratings) - 1), 0)
        self._show_observations(self.table.currentRow())
        fit_rows(self.table, skip=(1, 3))

    def current(self) -> RatingDoc | None:
        row = self.table.currentRow()
        return self.ratings[row] if 0 <= row < len(self.ratings) else None

    def _show_observations(self, row: int) -> None:
        doc = self.ratings[row] if 0 <= row < len(self.ratings) else None
        same = doc is not None and doc.objective_id == self._shown_id
        self._shown_id = doc.objective_id if doc is not None else None
        self.observations.show_text(doc.observations if doc else "", same)
        self.observations.setReadOnly(self.read_only or doc is None or doc.rating is None
                                      or doc.objective_id is None)

    def _rate(self, row: int, rating: Rating) -> None:
        doc = self.ratings[row] if 0 <= row < len(self.ratings) else None
        if self.read_only or doc is None or doc.objective_id is None or doc.rating is rating:
            return
        self.rating_wanted.emit(doc.objective_id, rating, doc.observations)

    def _observe(self, row: int) -> None:
        if not self.observations.isReadOnly():
            self.observations.setFocus()

    def _keep_observations(self) -> None:
        doc = self.current()
        if self.read_only or doc is None or doc.objective_id is None or doc.rating is None:
            return
        text = self.observations.toPlainText()
        if text != doc.observations:
            self.rating_wanted.emit(doc.objective_id, doc.rating, text)

    def _back_to_list(self) -> None:
        self.table.setFocus()  # the focus-out keeps the observations
