"""The plan's text as a tree of sections: pick one on the left, edit its kind, title and body on the right."""

from __future__ import annotations

from dataclasses import replace
from itertools import count
from typing import Any, cast

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import SectionKind
from drillapp.services.plan_document import SectionDoc

_temporary_ids = count(-1, -1)  # new sections get negative ids until saved


class SectionsEditor(QWidget):
    edited = Signal(object, str)  # new tuple of SectionDoc, description

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sections: tuple[SectionDoc, ...] = ()
        self.read_only = False
        self.current_id: int | None = None
        self._filling = False
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("sectionTree")
        self.tree.setHeaderHidden(True)
        self.kind = QComboBox(self)
        self.kind.setObjectName("sectionKind")
        for kind in SectionKind:
            self.kind.addItem(label(kind), kind)
        self.title = QLineEdit(self)
        self.title.setObjectName("sectionTitle")
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("sectionBody")
        self.add_button = QPushButton(_("Add section"), self)
        self.add_button.setObjectName("addSection")
        self.sub_button = QPushButton(_("Add subsection"), self)
        self.sub_button.setObjectName("addSubsection")
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.setObjectName("removeSection")
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.sub_button, self.remove_button):
            buttons.addWidget(b)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.tree, 1)
        right = QWidget(self)
        form = QFormLayout(right)
        form.addRow(_("Kind:"), self.kind)
        form.addRow(_("Title:"), self.title)
        form.addRow(_("Text:"), self.body)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._body_timer = QTimer(self)
        self._body_timer.setSingleShot(True)
        self._body_timer.setInterval(600)
        self._body_timer.timeout.connect(self._commit_body)
        self.tree.currentItemChanged.connect(self._picked)
        self.title.editingFinished.connect(lambda: self._set("title", self.title.text().strip()))
        self.kind.currentIndexChanged.connect(lambda _i: self._set("kind", self.kind.currentData()))
        self.body.textChanged.connect(lambda: None if self._filling else self._body_timer.start())
        self.add_button.clicked.connect(lambda: self.add(child=False))
        self.sub_button.clicked.connect(lambda: self.add(child=True))
        self.remove_button.clicked.connect(self.remove)

    def show_sections(self, sections: tuple[SectionDoc, ...], read_only: bool) -> None:
        self._body_timer.stop()  # what is shown now is the truth (e.g. after undo): drop a pending body edit
        self.sections, self.read_only = tuple(sections), read_only
        self._filling = True
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for sec in sorted(sections, key=lambda x: x.position):
            item = QTreeWidgetItem([sec.title or _("(untitled)")])
            item.setData(0, Qt.ItemDataRole.UserRole, sec.id)
            parent = items.get(sec.parent_id) if sec.parent_id is not None else None
            (parent.addChild(item) if parent is not None else self.tree.addTopLevelItem(item))
            items[sec.id] = item
        self.tree.expandAll()
        self._filling = False
        target = items.get(self.current_id) if self.current_id is not None else None
        if target is None and self.tree.topLevelItemCount():
            target = self.tree.topLevelItem(0)
        if target is not None:
            self.tree.setCurrentItem(target)
        else:
            self._show(None)
        for w in (self.add_button, self.sub_button, self.remove_button):
            w.setEnabled(not read_only)
        self.kind.setEnabled(not read_only)
        self.title.setReadOnly(read_only)
        self.body.setReadOnly(read_only)

    def _find(self, section_id: int | None) -> SectionDoc | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def _picked(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None = None) -> None:
        if self._filling or (item is not None and not isValid(item)):  # an item of the tree just rebuilt
            return
        picked = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        self._commit_body()  # may rebuild the tree (and delete `item`): its id was read first
        self.current_id = picked
        self._show(self._find(picked))
        self._select(picked)

    def _select(self, section_id: int | None) -> None:
        """Make the tree's current item the section shown (after a rebuild)."""
        current = self.tree.currentItem()
        if current is not None and current.data(0, Qt.ItemDataRole.UserRole) == section_id:
            return
        iterator = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while iterator:
            node = iterator.pop()
            if node is None:
                continue
            if node.data(0, Qt.ItemDataRole.UserRole) == section_id:
                self._filling = True
                self.tree.setCurrentItem(node)
                self._filling = False
                return
            iterator.extend(node.child(i) for i in range(node.childCount()))

    def _show(self, sec: SectionDoc | None) -> None:
        self._filling = True
        self.kind.setCurrentIndex(max(0, self.kind.findData(sec.kind)) if sec else 0)
        self.title.setText(sec.title if sec else "")
        self.body.setPlainText(sec.body if sec else "")
        self._filling = False

    def _commit_body(self) -> None:
        self._body_timer.stop()
        sec = self._find(self.current_id)
        if sec is not None and not self._filling and self.body.toPlainText() != sec.body:
            self._set("body", self.body.toPlainText())

    def _set(self, key: str, value: object) -> None:
        sec = self._find(self.current_id)
        if self._filling or self.read_only or sec is None or getattr(sec, key) == value:
            return
        if key == "title" and not value:
            self.title.setText(sec.title)  # a section keeps a title
            return
        new = tuple(replace(s, **cast(dict[str, Any], {key: value})) if s.id == sec.id else s for s in self.sections)
        self.edited.emit(new, _("Edit section"))

    def add(self, child: bool) -> None:
        current = self._find(self.current_id)
        new = SectionDoc(next(_temporary_ids), current.kind if current else SectionKind.GENERAL, _("New section"), "",
                         len(self.sections), current.id if (child and current) else
                         (current.parent_id if current else None))
        self.current_id = new.id
        self.edited.emit((*self.sections, new), _("Add section"))

    def remove(self) -> None:
        sec = self._find(self.current_id)
        if sec is None:
            return
        doomed = {sec.id}
        changed = True
        while changed:  # its subsections go with it
            changed = False
            for s in self.sections:
                if s.parent_id in doomed and s.id not in doomed:
                    doomed.add(s.id)
                    changed = True
        self.current_id = None
        self.edited.emit(tuple(s for s in self.sections if s.id not in doomed), _("Remove section"))
