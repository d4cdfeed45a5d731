"""Translations: the .po reader, switching language at run time, and following the system's language."""

from __future__ import annotations

import re

import pytest

from drillapp import i18n
from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.models.enums import Agency, PlanStatus

PO = r'''# Chinese translations for drillapp.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: zh_CN\n"

#: drillapp/services/reminders.py:120
msgid "Plan due for review: {title}"
msgstr "预案待评审：{title}"

msgid ""
"The database is busy (another workstation is writing). "
"Try again in a moment."
msgstr ""
"数据库正忙（另一台工作站正在写入）。"
"请稍后再试。"

msgid "Say \"stop\"\tthen wait\\\nnext line"
msgstr "说\"停\"\t然后等待\\\n下一行"

#, fuzzy
msgid "Customs"
msgstr "海关（未审）"

#, fuzzy, python-format
msgid "Level {roman}"
msgstr "{roman}级（待定）"
msgid "Draft"
msgstr "草稿"
msgid "Not yet translated"
msgstr ""

#~ msgid "Obsolete"
#~ msgstr "过时"

msgid "Approved"
msgstr "已批准"'''

EXPECTED = {
    "Plan due for review: {title}": "预案待评审：{title}",
    "The database is busy (another workstation is writing). Try again in a moment.":
        "数据库正忙（另一台工作站正在写入）。请稍后再试。",
    'Say "stop"\tthen wait\\\nnext line': '说"停"\t然后等待\\\n下一行',
    "Draft": "草稿",
    "Approved": "已批准",
}

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def po_file(tmp_path):
    path = tmp_path / "zh_CN.po"
    path.write_text(PO, encoding="utf-8")
    return path


def test_read_po_joins_lines_unescapes_and_skips_fuzzy_untranslated_and_header(po_file):
    assert i18n.read_po(po_file) == EXPECTED


def test_switching_language_at_run_time(po_file, monkeypatch):
    monkeypatch.setattr(i18n, "catalogue_path", lambda language: po_file)

    assert i18n.set_language("zh_CN") == "zh_CN"
    assert (i18n.current_language(), _("Draft"), label(PlanStatus.APPROVED)) == ("zh_CN", "草稿", "已批准")
    assert _("Plan due for review: {title}").format(title="火灾预案") == "预案待评审：火灾预案"
    assert label(Agency.CUSTOMS) == "Customs"  # fuzzy: not used
    assert _("Nobody translated this") == "Nobody translated this"

    assert i18n.set_language("en") == "en"
    assert (i18n.current_language(), _("Draft"), label(PlanStatus.APPROVED)) == ("en", "Draft", "Approved")


def test_the_chinese_catalogue_translates_the_app():
    """resources/translations/zh_CN.po ships with the app; this fails (not skips) while it is missing."""
    path = i18n.catalogue_path("zh_CN")
    assert path.is_file(), f"the Chinese catalogue is missing: {path}"

    catalogue = i18n.read_po(path)
    assert catalogue, "the Chinese catalogue translates nothing"

    assert i18n.set_language("zh_CN") == "zh_CN"

    assert all(_(msgid) == msgstr for msgid, msgstr in catalogue.items())
    customs = label(Agency.CUSTOMS)  # the port's own vocabulary is the first thing a translation covers
    assert customs != "Customs" and CJK.search(customs), customs
    assert i18n.set_language("en") == "en"
    assert label(Agency.CUSTOMS) == "Customs"
    assert level_label(2) == "Level II"


def test_unknown_language_falls_back_to_english():
    assert i18n.set_language("fr") == "en"
    assert _("Draft") == "Draft"


def test_system_language_follows_lang(monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.system_language() == "zh_CN"

    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")  # LC_ALL wins over LANG
    assert i18n.system_language() == "en"

    monkeypatch.delenv("LC_ALL")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.system_language() == "en"


def test_system_setting_uses_the_system_language(po_file, monkeypatch):
    monkeypatch.setattr(i18n, "catalogue_path", lambda language: po_file)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")

    assert i18n.set_language("system") == "zh_CN"
    assert _("Approved") == "已批准"
    assert i18n.set_language(None) == "zh_CN"


def test_n_marks_without_translating(po_file, monkeypatch):
    monkeypatch.setattr(i18n, "catalogue_path", lambda language: po_file)
    i18n.set_language("zh_CN")

    assert i18n.N_("Draft") == "Draft"


def test_a_missing_catalogue_does_not_stop_the_app(tmp_path, monkeypatch):
    """A Chinese-speaking machine without the Chinese catalogue (not shipped yet, or lost in packaging) still
    starts: `drillapp` calls set_language("system") before anything else, outside its error handling."""
    monkeypatch.setattr(i18n, "catalogue_path", lambda language: tmp_path / "missing" / f"{language}.po")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")

    language = i18n.set_language("system")

    assert language in ("en", "zh_CN")
    assert _("Draft") == "Draft"


def test_a_catalogue_is_parsed_once_until_its_file_changes(po_file, monkeypatch):
    """A language switch rebuilds the window on the GUI thread: the catalogue read ahead (or at an earlier
    switch) is not parsed again, unless the file changed since."""
    import os

    monkeypatch.setattr(i18n, "catalogue_path", lambda language: po_file)
    monkeypatch.setattr(i18n, "_read", {})
    parsed: list[object] = []
    real = i18n.read_po
    monkeypatch.setattr(i18n, "read_po", lambda path: parsed.append(path) or real(path))

    i18n.read_ahead(["zh_CN"])  # as Settings does in a worker when it is first built
    assert i18n.set_language("zh_CN") == "zh_CN" and _("Draft") == "草稿"
    assert i18n.set_language("en") == "en"
    assert i18n.set_language("zh_CN") == "zh_CN"
    assert parsed == [po_file], "parsed once for three reads"

    po_file.write_text(PO.replace("草稿", "草案"), encoding="utf-8")
    stat = po_file.stat()
    os.utime(po_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later version of the file
    assert i18n.set_language("zh_CN") == "zh_CN" and _("Draft") == "草案"
    assert len(parsed) == 2
    i18n.set_language("en")


def test_reading_ahead_a_broken_catalogue_leaves_the_report_to_the_switch(tmp_path, monkeypatch, caplog):
    broken = tmp_path / "zh_CN.po"
    broken.write_bytes(b"msgid \"x\"\nmsgstr \"\xff\xfe not utf-8\"\n")
    monkeypatch.setattr(i18n, "catalogue_path", lambda language: broken)
    monkeypatch.setattr(i18n, "_read", {})

    i18n.read_ahead()  # nothing raised on the worker

    assert i18n.set_language("zh_CN") == "en", "the switch speaks English and logs why"
    assert "unreadable" in caplog.text
