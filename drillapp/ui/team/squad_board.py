"""The squad board: the six squads and the unassigned members side by side, as the team lead sees them.

Members move by drag and drop between the lists, or from the keyboard (in a list, Ctrl+1…6 to a squad and
Ctrl+0 back to unassigned, which there take precedence over the area shortcuts; or "Move to squad…"); Ctrl+L makes the selected member the squad's leader. Each squad's
header shows its strength against the minimum, which is edited in place, and says when it is short (text
and colour); so does the table of branches. Certificates expired or running out are marked on the member.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.services.errors import DomainError
from drillapp.services.team import TeamService
from drillapp.services.team_overview import TeamOverview
from drillapp.ui.errors import show_error
from drillapp.ui.operations import QueryOp, Watch, WriteOp
from drillapp.ui.team.board_parts import BranchTable, SquadColumn

#: Records whose change redraws the board.


class SquadBoard(QWidget):
    open_member = Signal(int)

    def __init__(self, team: TeamService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("squadBoard")
        self.team = team
        self.watch = Watch(self, self.refresh)
        self.overview: TeamOverview | None = None
        self.team_id: int | None = None

        self.filter = QLineEdit(self)
        self.filter.setObjectName("boardFilter")
        self.filter.setPlaceholderText(_("Filter by name, branch or skill…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.apply_filter)
        self.move_button = QPushButton(_("Move to squad…"), self)
        self.move_button.setObjectName("moveToSquad")
        self.move_menu = QMenu(self)
        self.move_button.setMenu(self.move_menu)
        self.leader_button = QPushButton(_("Make leader (Ctrl+L)"), self)
        self.leader_button.setObjectName("makeLeader")
        self.leader_button.clicked.connect(lambda _c=False: self.make_leader())
        self.summary = QLabel(self)
        self.summary.setObjectName("boardSummary")
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.summary)
        top.addWidget(self.move_button)
        top.addWidget(self.leader_button)

        self.columns: list[SquadColumn] = []  # [unassigned, squad 1 … squad 6]
        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.branches = BranchTable(self.grid_host)
        self.branches.minimum_changed.connect(self._set_branch_minimum)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        self.empty = QLabel(self)
        self.empty.setObjectName("boardEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(scroll)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

        self.leader_action = QAction(_("Make leader"), self)
        self.leader_action.setShortcut(QKeySequence("Ctrl+L"))
        self.leader_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.leader_action.triggered.connect(lambda _c=False: self.make_leader())
        self.addAction(self.leader_action)
        self._loaded = False

    # -- the tab protocol of AreaPage ----------------------------------------------------------------
    def activate(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        team = self.team

        def read() -> TeamOverview:
            return team.team_overview(team.team_id())

        QueryOp(self, read, watch=self.watch).success(self._show).failure(self._failed).run()

    def _show(self, overview: TeamOverview) -> None:
        self.team_id = overview.team_id
        self.overview = overview
        self.stack.setCurrentIndex(0)
        self._build(overview)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, DomainError):
            self.empty.setText(exc.message)
            self.stack.setCurrentWidget(self.empty)
        else:
            show_error(self, exc)

    # -- drawing ---------------------------------------------------------------------------------------
    def _build(self, overview: TeamOverview) -> None:
        selected = self.selected_member()
        wanted = [None, *(q.id for q in overview.squads)]
        if [c.squad_id for c in self.columns] != wanted:
            for column in self.columns:
                self.grid.removeWidget(column)
                column.deleteLater()
            self.columns = []
            for i, squad_id in enumerate(wanted):
                column = SquadColumn(squad_id, i, self.grid_host)
                column.members.dropped.connect(self.move_members)
                column.members.move_requested.connect(self.move_selected_to_column)
                column.members.itemActivated.connect(lambda item: self.open_member.emit(item.data(Qt.ItemDataRole.UserRole)))
                column.members.context_requested.connect(self._context_menu)
                column.minimum_changed.connect(self._set_squad_minimum)
                column.members.itemSelectionChanged.connect(lambda c=column: self._only_one_selection(c))
                self.columns.append(column)
                self.grid.addWidget(column, i // 4, i % 4)
            self.grid.addWidget(self.branches, 1, 3)
        self.columns[0].show_unassigned(overview.unassigned)
        for column, squad in zip(self.columns[1:], overview.squads, strict=True):
            column.show_squad(squad)
        self.branches.show_branches(overview.branches)
        short = sum(q.short for q in overview.squads) + sum(b.short for b in overview.branches)
        self.summary.setText(_("{n} gap(s) in strength").format(n=short) if short else _("All minimums met"))
        self._build_move_menu()
        self.apply_filter(self.filter.text())
        if selected is not None:
            self.select_member(selected)

    def _build_move_menu(self) -> None:
        self.move_menu.clear()
        for i, column in enumerate(self.columns):
            # The key is shown, not registered: the member lists handle Ctrl+0…6 themselves.
            action = self.move_menu.addAction(f"{column.title}\tCtrl+{i}")
            action.triggered.connect(lambda _c=False, n=i: self.move_selected_to_column(n))

    def apply_filter(self, text: str) -> None:
        for column in self.columns:
            column.filter(text.strip())

    # -- selection -------------------------------------------------------------------------------------
    def selected_member(self) -> int | None:
        ordered = sorted(self.columns, key=lambda c: not c.members.hasFocus())  # the focused list first
        for column in ordered:
            items = column.members.selectedItems()
            if items:
                return int(items[0].data(Qt.ItemDataRole.UserRole))
        return None

    def _only_one_selection(self, column: SquadColumn) -> None:
        """Selecting in one list clears the others, so the keyboard moves what the user last picked."""
        if column.members.selectedItems():
            for other in self.columns:
                if other is not column:
                    other.members.clearSelection()

    def column_of(self, member_id: int) -> SquadColumn | None:
        return next((c for c in self.columns if c.item_of(member_id) is not None), None)

    def select_member(self, member_id: int) -> None:
        for column in self.columns:
            item = column.item_of(member_id)
            column.members.clearSelection()
            if item is not None:
                column.members.setCurrentItem(item)
                item.setSelected(True)
                column.members.setFocus()

    # -- commands --------------------------------------------------------------------------------------
    def move_selected_to_column(self, index: int) -> None:
        member = self.selected_member()
        if member is not None and index < len(self.columns):
            self.move_members([member], self.columns[index].squad_id)

    def move_members(self, member_ids: list[int], squad_id: int | None) -> None:
        """Move the members (one operation, however many), then show the board again with the first selected."""
        team = self.team
        shown = self._member_versions()
        versions = {m: shown.get(m, 0) for m in member_ids}  # as the board shows them (0: not shown, refused)

        def moved(_result: object) -> None:
            self.refresh()
            if member_ids:
                self.select_member(member_ids[0])

        WriteOp(self, lambda: team.assign_squads(member_ids, squad_id, expected_version=versions)) \
            .success(moved).run(initiator=self)

    def _member_versions(self) -> dict[int, int]:
        if self.overview is None:
            return {}
        everyone = [*self.overview.unassigned, *(m for q in self.overview.squads for m in q.members)]
        return {m.id: m.row_version for m in everyone}

    def _squad_version(self, squad_id: int) -> int:
        squad = next((q for q in self.overview.squads if q.id == squad_id), None) if self.overview else None
        return squad.row_version if squad is not None else 0

    def make_leader(self, member_id: int | None = None) -> None:
        member_id = member_id if member_id is not None else self.selected_member()
        column = self.column_of(member_id) if member_id is not None else None
        if column is None or column.squad_id is None:
            show_error(self, DomainError(_("Select a member of a squad first; members without a squad cannot lead.")))
            return
        team, squad_id = self.team, column.squad_id
        version = self._squad_version(squad_id)
        WriteOp(self, lambda: team.set_squad_leader(squad_id, member_id, expected_version=version)).run(initiator=self)

    def _set_squad_minimum(self, squad_id: int, value: int) -> None:
        team, version = self.team, self._squad_version(squad_id)
        WriteOp(self, lambda: team.set_squad_min_strength(squad_id, value, expected_version=version)) \
            .failure(self._refused).run(initiator=self)

    def _set_branch_minimum(self, branch_id: int, value: int) -> None:
        if self.team_id is None:
            return
        team, team_id = self.team, self.team_id
        shown = next((b for b in self.overview.branches if b.branch_id == branch_id), None) if self.overview else None
        version = shown.row_version if shown is not None else None
        WriteOp(self, lambda: team.set_branch_minimum(team_id, branch_id, value, expected_version=version)) \
            .failure(self._refused).run(initiator=self)

    def _refused(self, exc: BaseException) -> None:
        """A refused edit: say why, and show the stored values again in place of what was typed."""
        show_error(self, exc)
        self.refresh()

    def _context_menu(self, column: SquadColumn, member_id: int, pos) -> None:  # noqa: ANN001
        menu = QMenu(self)
        menu.addAction(_("Open member…"), lambda: self.open_member.emit(member_id))
        lead = menu.addAction(_("Make leader"), lambda: self.make_leader(member_id))
        lead.setEnabled(column.squad_id is not None)
        move = menu.addMenu(_("Move to squad"))
        for i, target in enumerate(self.columns):
            if target is not column:
                move.addAction(f"{target.title}\tCtrl+{i}", partial(self.move_members, [member_id], target.squad_id))
        menu.exec(pos)
