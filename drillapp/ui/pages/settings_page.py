"""Settings: language, where the data lives, fonts, and the audit trail."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import LANGUAGES, _
from drillapp.models.enums import Role
from drillapp.services.audit_view import AuditViewService
from drillapp.services.data_info import DataInfoService
from drillapp.services.org import OrgService
from drillapp.services.permissions import allowed
from drillapp.services.users import UserService
from drillapp.ui import settings
from drillapp.ui.db_settings import SharedDatabaseBox
from drillapp.ui.fonts import ui_font_status
from drillapp.ui.lazy_imports import read_catalogues_ahead
from drillapp.ui.operations import QueryOp
from drillapp.ui.pages.audit_page import AuditPage
from drillapp.ui.pages.users_panel import UsersPanel


class SettingsPage(QWidget):
    language_changed = Signal(str)
    backup_requested = Signal()
    backup_schedule_changed = Signal()
    restore_requested = Signal()

    def __init__(self, data: DataInfoService, audit: AuditViewService, users: UserService | None = None,
                 org: OrgService | None = None, parent: QWidget | None = None) -> None:
        """`data` tells where the data lives; `audit` reads the trail; `users` and `org` manage the accounts
        (administrators: the Users tab)."""
        super().__init__(parent)
        self.setObjectName("page_settings")
        heading = QLabel(_("Settings"), self)
        heading.setObjectName("pageTitle")

        general = QWidget(self)
        form = QFormLayout()
        self.language = QComboBox(general)
        self.language.setObjectName("language")
        self.language.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.language.addItem(_("Follow the system"), "system")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        current = settings.get(settings.LANGUAGE)
        self.language.setCurrentIndex(max(0, self.language.findData(current)))
        self.language.currentIndexChanged.connect(self._language_picked)
        read_catalogues_ahead()  # the switch then rebuilds the window without parsing a catalogue first
        language_row = QHBoxLayout()
        language_row.addWidget(self.language)
        language_row.addStretch(1)
        form.addRow(_("Language:"), language_row)

        data_box = QGroupBox(_("Data"), general)
        data_form = QFormLayout(data_box)
        info = data.info()
        self.db_label = QLabel(info.database, data_box)
        self.db_label.setObjectName("databaseUrl")
        self.db_label.setWordWrap(True)
        data_form.addRow(_("Database:"), self.db_label)
        data_form.addRow(_("Schema:"), QLabel(info.schema, data_box))
        data_form.addRow(_("Data folder:"), QLabel(info.data_folder, data_box))
        data_form.addRow(_("Log file:"), QLabel(info.log_file, data_box))
        buttons = QHBoxLayout()
        backup = QPushButton(_("Back up now…"), data_box)
        backup.setObjectName("backupButton")
        restore = QPushButton(_("Restore from backup…"), data_box)
        restore.setObjectName("restoreButton")
        backup.clicked.connect(self.backup_requested)
        restore.clicked.connect(self.restore_requested)
        enabled = not info.shared
        may_copy = allowed(audit.actor.role, "data.backup") and allowed(audit.actor.role, "data.restore")
        backup.setEnabled(enabled and may_copy)
        restore.setEnabled(enabled and may_copy)
        if not enabled:
            backup.setToolTip(_("A shared PostgreSQL database is backed up on the server with pg_dump."))
        elif not may_copy:
            backup.setToolTip(_("Backups and restores are made by an administrator."))
            restore.setToolTip(backup.toolTip())
        buttons.addWidget(backup)
        buttons.addWidget(restore)
        buttons.addStretch(1)
        data_form.addRow(buttons)
        auto_row = QHBoxLayout()
        self.auto_backup = QCheckBox(_("Back up automatically every day, keeping the newest"), data_box)
        self.auto_backup.setObjectName("autoBackup")
        self.auto_backup.setChecked(settings.get(settings.AUTO_BACKUP))
        self.auto_keep = QSpinBox(data_box)
        self.auto_keep.setObjectName("autoBackupKeep")
        self.auto_keep.setRange(1, 365)
        self.auto_keep.setValue(max(1, settings.get(settings.AUTO_BACKUP_KEEP)))
        auto_row.addWidget(self.auto_backup)
        auto_row.addWidget(self.auto_keep)
        auto_row.addWidget(QLabel(_("copies, in {folder}").format(folder=info.auto_backup_folder), data_box))
        auto_row.addStretch(1)
        for widget in (self.auto_backup, self.auto_keep):
            widget.setEnabled(enabled)
        data_form.addRow(auto_row)
        self.auto_backup.toggled.connect(self._backup_schedule_edited)
        self.auto_keep.valueChanged.connect(self._backup_schedule_edited)

        fonts_box = QGroupBox(_("Fonts"), general)
        fonts_form = QFormLayout(fonts_box)
        screen = QLabel(ui_font_status(), fonts_box)
        screen.setWordWrap(True)
        fonts_form.addRow(_("On screen:"), screen)
        self.print_font = QLabel(_("Checking…"), fonts_box)
        self.print_font.setObjectName("printFont")
        self.print_font.setWordWrap(True)
        fonts_form.addRow(_("Print-outs:"), self.print_font)
        # reading the 4 MB font takes a moment: off the GUI thread
        QueryOp(self, data.print_font_status).success(self.print_font.setText) \
            .failure(lambda exc: self.print_font.setText(str(exc))).run()
        sample = QLabel("边防检查站 海关 检验检疫 口岸办 · Ⅰ Ⅱ Ⅲ Ⅳ · 应急反恐机动队", fonts_box)
        sample.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
        fonts_form.addRow(_("Sample:"), sample)

        general_layout = QVBoxLayout(general)
        general_layout.addLayout(form)
        general_layout.addWidget(data_box)
        self.shared_db = SharedDatabaseBox(data.test_connection, general)
        general_layout.addWidget(self.shared_db)
        general_layout.addWidget(fonts_box)
        general_layout.addStretch(1)

        self.tabs = QTabWidget(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(general)
        self.tabs.addTab(scroll, _("General"))
        self.audit: AuditPage | None = None
        if allowed(audit.actor.role, "audit.view"):  # the trail: administrators and coordinators
            self.audit = AuditPage(audit, self)
            self.tabs.addTab(self.audit, _("Audit trail"))
        self.users_panel: UsersPanel | None = None
        if audit.actor.role is Role.ADMINISTRATOR and users is not None and org is not None:  # administrators
            self.users_panel = UsersPanel(users, org, self)
            self.tabs.addTab(self.users_panel, _("Users"))
        self.tabs.currentChanged.connect(lambda _i: self.activate())
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)

    def _backup_schedule_edited(self, *_args: object) -> None:
        settings.put(settings.AUTO_BACKUP, self.auto_backup.isChecked())
        settings.put(settings.AUTO_BACKUP_KEEP, self.auto_keep.value())
        self.backup_schedule_changed.emit()

    def _language_picked(self, _index: int) -> None:
        code = self.language.currentData()
        settings.put(settings.LANGUAGE, code)
        self.language_changed.emit(code)

    def activate(self) -> None:
        if self.audit is not None and self.tabs.currentWidget() is self.audit:
            self.audit.ensure_loaded()

    def refresh(self) -> None:
        if self.audit is not None and self.tabs.currentWidget() is self.audit:
            self.audit.reload()
