"""A roster period and its rules: who must be on each shift and what nobody may be asked to do.

New period: name, dates, shift pattern and rules. An existing draft: its rules only (dates and pattern are
fixed once shifts exist). Zero in an optional limit means "no limit".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, cast

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from drillapp.i18n import N_, _, current_language
from drillapp.labels import label
from drillapp.models.enums import ShiftPattern
from drillapp.services.roster import PeriodInfo, RosterService
from drillapp.services.roster_problem import DEFAULT_RULES
from drillapp.ui.form_dialog import FormDialog
from drillapp.ui.formatting import port_today
from drillapp.ui.widgets import item_at

# rule key -> (label, maximum); 0 shows as "no limit" where the rule is optional
_LIMITS = [
    ("min_per_branch", N_("At least from each branch"), 20),
    ("max_per_week", N_("At most shifts in any 7 days"), 7),
    ("rest_after_duty", N_("Days off after a 24 h duty"), 6),
    ("rest_after_night", N_("Days off after a night"), 6),
    ("max_consecutive", N_("At most working days in a row"), 31),
    ("max_weekends", N_("At most weekends per member"), 30),
    ("max_total", N_("At most shifts per member in the period"), 200),
    ("fairness_weight", N_("Weight of a fair share of duty"), 1000),
    ("weekend_fairness_weight", N_("Weight of a fair share of weekends"), 1000),
    ("fairness_days", N_("Earlier duty counted for fairness (days)"), 400),
]


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class PeriodDialog(FormDialog):
    """Create a period (period None) or change a draft period's rules."""

    def __init__(self, roster: RosterService, port_id: int, period: PeriodInfo | None = None,
                 parent: QWidget | None = None, today: date | None = None) -> None:
        title = _("New roster period") if period is None else _("Roster rules: {name}").format(name=period.name)
        super().__init__(title, _("Every shift of the period must meet these requirements; the solver "
                                  "spreads duty fairly and honours wishes where it can."), parent)
        self.setObjectName("periodDialog")
        self.setMinimumWidth(520)
        self.roster, self.port_id, self.period = roster, port_id, period
        self.period_id: int | None = period.id if period else None
        rules: dict[str, Any] = dict(period.rules) if period else dict(DEFAULT_RULES)
        start = today or port_today()
        start = start + timedelta(days=(7 - start.weekday()) % 7 or 7)  # next Monday
        self.name = QLineEdit(period.name if period else "", self)
        self.name.setObjectName("periodName")
        self.starts = QDateEdit(_qdate(period.starts_on if period else start), self)
        self.ends = QDateEdit(_qdate(period.ends_on if period else start + timedelta(days=90)), self)
        for edit in (self.starts, self.ends):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.pattern = QComboBox(self)
        self.pattern.setObjectName("periodPattern")
        for p in ShiftPattern:
            self.pattern.addItem(label(p), p)
        if period:
            self.pattern.setCurrentIndex(list(ShiftPattern).index(period.pattern))
            for w in (self.name, self.starts, self.ends, self.pattern):
                w.setEnabled(False)
        self.form.addRow(_("Period name"), self.name)
        self.form.addRow(_("From"), self.starts)
        self.form.addRow(_("To"), self.ends)
        self.form.addRow(_("Shift pattern"), self.pattern)
        self.headcount_day = QSpinBox(self)
        self.headcount_night = QSpinBox(self)
        for spin in (self.headcount_day, self.headcount_night):
            spin.setRange(0, 60)
        heads = rules.get("headcount", 4)
        heads = heads if isinstance(heads, dict) else {"duty_24h": heads, "day": heads, "night": heads}
        self.headcount_day.setValue(int(heads.get("duty_24h", heads.get("day", 4)) or 0))
        self.headcount_night.setValue(int(heads.get("night", self.headcount_day.value())))
        self.headcount_day.setObjectName("headcount")
        self.form.addRow(_("People on each shift (day or 24 h)"), self.headcount_day)
        self.form.addRow(_("People on each night shift"), self.headcount_night)
        self.pattern.currentIndexChanged.connect(self._pattern_changed)
        self.limits: dict[str, QSpinBox] = {}
        for key, text, maximum in _LIMITS:
            spin = QSpinBox(self)
            spin.setObjectName(f"rule_{key}")
            spin.setRange(0, maximum)
            optional = DEFAULT_RULES[key] is None
            if optional:
                spin.setSpecialValueText(_("no limit"))
            spin.setValue(int(rules.get(key) or 0))
            self.limits[key] = spin
            self.form.addRow(_(text), spin)
        self.leader = QCheckBox(_("A squad leader on every shift"), self)
        self.leader.setObjectName("leaderRequired")
        self.leader.setChecked(bool(rules.get("leader_required")))
        self.form.addRow("", self.leader)
        self.holidays = QLineEdit(", ".join(rules.get("holidays", [])), self)
        self.holidays.setObjectName("holidays")
        self.holidays.setPlaceholderText(_("e.g. 2027-01-01, 2027-02-10 (YYYY-MM-DD, separated by commas)"))
        self.form.addRow(_("Public holidays (count as weekends)"), self.holidays)
        self.skills = QTableWidget(0, 2, self)
        self.skills.setObjectName("skillNeeds")
        self.skills.setHorizontalHeaderLabels([_("Skill"), _("At least on each shift")])
        self.skills.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.skills.verticalHeader().hide()
        self.skills.setMinimumHeight(160)
        needed = rules.get("skills", {})
        zh = current_language() == "zh_CN"
        for row in roster.skills():
            r = self.skills.rowCount()
            self.skills.insertRow(r)
            item = QTableWidgetItem(row.name_zh if zh or not row.name_en else row.name_en)
            item.setData(Qt.ItemDataRole.UserRole, row.code)
            item.setToolTip(_("Code: {code}").format(code=row.code))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.skills.setItem(r, 0, item)
            spin = QSpinBox(self.skills)
            spin.setRange(0, 20)
            spin.setValue(int(needed.get(row.code, 0)))
            self.skills.setCellWidget(r, 1, spin)
        self.form.addRow(_("Skills on each shift"), self.skills)
        self._pattern_changed()
        self.name.setFocus()

    def _pattern_changed(self) -> None:
        self.headcount_night.setEnabled(self.pattern.currentData() is ShiftPattern.DAY_NIGHT)

    def skill_spin(self, code: str) -> QSpinBox:
        for r in range(self.skills.rowCount()):
            if item_at(self.skills, r, 0).data(Qt.ItemDataRole.UserRole) == code:
                return self.skills.cellWidget(r, 1)  # type: ignore[return-value]  # column 1 holds the row's spin box, placed by this dialog
        raise KeyError(code)

    def rules(self) -> dict[str, Any]:
        pattern: ShiftPattern = self.pattern.currentData()
        if pattern is ShiftPattern.DUTY_24H:
            headcount: Any = self.headcount_day.value()
        else:
            headcount = {"day": self.headcount_day.value(), "night": self.headcount_night.value()}
        out: dict[str, Any] = {"headcount": headcount, "leader_required": self.leader.isChecked()}
        for key, spin in self.limits.items():
            value = spin.value()
            out[key] = None if (value == 0 and DEFAULT_RULES[key] is None) else value
        skills = {}
        for r in range(self.skills.rowCount()):
            n = cast(QSpinBox, self.skills.cellWidget(r, 1)).value()  # the row's count, placed by _add_skill_row
            if n:
                skills[item_at(self.skills, r, 0).data(Qt.ItemDataRole.UserRole)] = n
        out["skills"] = skills
        out["holidays"] = [h.strip() for h in self.holidays.text().replace("，", ",").split(",") if h.strip()]
        return out

    def operation(self) -> Callable[[], object]:
        roster, rules = self.roster, self.rules()
        if self.period is None:
            port_id, name, pattern = self.port_id, self.name.text(), self.pattern.currentData()
            first, last = _pydate(self.starts.date()), _pydate(self.ends.date())
            return lambda: roster.create_period(port_id, name, first, last, pattern, rules)
        period_id, version = self.period.id, self.period.row_version
        return lambda: roster.update_rules(period_id, rules, version)

    def on_result(self, result: object) -> None:
        if self.period is None:
            self.period_id = int(result)  # type: ignore[call-overload]  # the operation returns the period id
