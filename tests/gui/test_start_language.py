"""The language chosen in Settings (or --lang) is in force before the first dialog, for our words and Qt's own:
the log-in and first-start dialogs, the standard buttons, the file dialog's labels."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLabel

from drillapp import i18n
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.users import UserService
from drillapp.ui import app as app_module
from drillapp.ui import login, settings
from drillapp.ui.app import apply_language
from drillapp.ui.qt_translations import FALLBACK, qtbase_translator


@pytest.fixture
def qt_language():
    """Whatever a test switches Qt to, the next test starts in English again."""
    yield
    apply_language(QApplication.instance(), "en")


@pytest.fixture
def start_app(monkeypatch, qt_language):
    """Runs `drillapp` (the GUI's main) up to its first dialog; the dialog is recorded and cancelled."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main installs its own: keep pytest's
    shown: list[QDialog] = []

    def record(dialog: QDialog) -> int:
        shown.append(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(login.LoginDialog, "exec", record)
    monkeypatch.setattr(login.FirstRunDialog, "exec", record)

    def run(url: str, **kwargs) -> QDialog:
        assert app_module.main(url, **kwargs) == 0  # cancelled: the app ends quietly
        assert len(shown) == 1
        return shown[0]

    return run


def _button_texts(dialog: QDialog) -> list[str]:
    return [b.text() for b in dialog.buttons.buttons()]


def test_the_first_start_speaks_the_language_saved_in_settings(start_app, db) -> None:
    settings.put(settings.LANGUAGE, "zh_CN")
    first = start_app(db.url)  # nobody has a password yet: the first start
    assert isinstance(first, login.FirstRunDialog)
    assert first.windowTitle() == "欢迎使用 drillapp"
    assert sorted(_button_texts(first)) == sorted(["确定", "取消"]), "Qt's own buttons are Chinese too"


def test_a_later_start_logs_in_in_chinese(start_app, db) -> None:
    UserService(db, SYSTEM_ACTOR).create_first_administrator("zhao", "port-office-2026")
    settings.put(settings.LANGUAGE, "zh_CN")
    dialog = start_app(db.url)
    assert isinstance(dialog, login.LoginDialog)
    assert dialog.windowTitle() == "登录 drillapp" and dialog.intro.text() == "请输入用户名和密码登录。"
    assert dialog.form.labelForField(dialog.username).text() == "用户名："
    assert sorted(_button_texts(dialog)) == sorted(["确定", "取消"])
    assert i18n.current_language() == "zh_CN"


def test_the_command_lines_lang_overrides_settings_for_this_run(start_app, db) -> None:
    UserService(db, SYSTEM_ACTOR).create_first_administrator("zhao", "port-office-2026")
    settings.put(settings.LANGUAGE, "en")
    dialog = start_app(db.url, language="zh_CN")
    assert dialog.windowTitle() == "登录 drillapp"
    assert settings.get(settings.LANGUAGE) == "en", "--lang is for this run only"


def test_qt_file_dialog_labels_are_chinese_including_those_the_wheel_lacks(qtbot, qt_language) -> None:
    app = QApplication.instance()
    assert qtbase_translator("zh_CN", app) is not None, "the PySide6 wheel ships qtbase_zh_CN.qm"
    apply_language(app, "zh_CN")
    dialog = QFileDialog(None, "x")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert labels and not [text for text in labels if any("a" <= ch.lower() <= "z" for ch in text.replace("&", ""))
                           and not any("\u4e00" <= ch <= "\u9fff" for ch in text)], labels
    assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels
    for (context, source), _msgid in FALLBACK.items():
        assert QApplication.translate(context, source) != source, f"{context}: {source} stays English"
    assert QApplication.translate("QAbstractFileIconProvider", "Folder", "All other platforms") == "文件夹"

    apply_language(app, "en")
    again = QFileDialog(None, "x")
    again.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(again)
    assert "&Look in:" in [label.text() for label in again.findChildren(QLabel)], "back in English"
