"""The Chinese catalogue covers every string the code marks, keeps placeholders, and loads at run time.

Also tests tools/i18n_extract.py itself (extraction, warnings, escaping, merging).
When a test here fails after you added strings: run `python tools/i18n_extract.py --update`, then fill
in the new empty msgstr entries of resources/translations/zh_CN.po.
"""

from __future__ import annotations

import importlib.util
import re
import string
import sys
from pathlib import Path

import pytest

from drillapp import i18n

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "resources" / "translations" / "zh_CN.po"


def _load_extractor():
    spec = importlib.util.spec_from_file_location("i18n_extract", ROOT / "tools" / "i18n_extract.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("i18n_extract", module)  # dataclasses look their module up by name
    spec.loader.exec_module(sys.modules["i18n_extract"])
    return sys.modules["i18n_extract"]


ix = _load_extractor()

#: msgid -> why its msgstr may be ASCII-only. Only for text that really stays the same in Chinese
#: (a product name, a command); a format-only string with words in it ("{rows}{more} rows") is translated.
ASCII_ALLOWED: dict[str, str] = {}

#: The port's own words: the translations the users asked for by name (see shared/DOMAIN.md).
GLOSSARY = {
    "Team & Roster": "队伍与排班",
    "Tabletop": "桌面推演",
    "Live": "实战演练",
    "Level {roman}": "{roman}级",
    "All levels": "全部级别",
    "Border inspection": "边检",
    "Customs": "海关",
    "Inspection & quarantine": "检验检疫",
    "Port office": "口岸办",
    "Duty officer": "值班员",
    "Team lead": "机动队队长",
    "Coordinator": "协调员",
    "Corrective action": "整改措施",
    "Corrective actions": "整改措施",
    "Drill": "演练",
    "Inject": "情况注入",
    "Muster": "集结",
    "&File": "文件(&F)",
    "{rows}{more} rows": "{rows}{more} 行",
}


@pytest.fixture(scope="module")
def found() -> dict[str, list[str]]:
    return ix.extract(ROOT / "drillapp")


@pytest.fixture(scope="module")
def entries() -> dict[str, ix.Entry]:
    _header, parsed = ix.parse_po(PO_PATH.read_text(encoding="utf-8"), str(PO_PATH))
    return {e.msgid: e for e in parsed if not e.obsolete}


@pytest.fixture
def chinese():
    try:
        assert i18n.set_language("zh_CN") == "zh_CN"
        yield
    finally:
        i18n.set_language("en")


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def _literal_text(text: str) -> str:
    """The text outside the {placeholders}."""
    return "".join(lit for lit, _name, _spec, _conv in string.Formatter().parse(text))


def _listing(msgids) -> str:
    return "\n".join(f"  {ix.quote(m)}" for m in msgids)


# --- the catalogue ------------------------------------------------------------------------------

def test_the_code_marks_enough_strings(found):
    assert len(found) >= 150, f"only {len(found)} msgids found under drillapp/"
    assert "Team & Roster" in found and "Level {roman}" in found


def test_every_msgid_is_translated(found, entries):
    missing = [m for m in found if m not in entries]
    untranslated = [m for m in found if m in entries and not entries[m].msgstr]
    fuzzy = [m for m in found if m in entries and entries[m].msgstr and entries[m].fuzzy]
    assert not (missing or untranslated or fuzzy), (
        "run `python tools/i18n_extract.py --update` and translate in resources/translations/zh_CN.po:\n"
        f"missing ({len(missing)}):\n{_listing(missing)}\n"
        f"untranslated ({len(untranslated)}):\n{_listing(untranslated)}\n"
        f"fuzzy ({len(fuzzy)}):\n{_listing(fuzzy)}"
    )


def test_placeholders_are_kept(entries):
    wrong = []
    for msgid, entry in entries.items():
        if not entry.msgstr:
            continue
        try:
            if _fields(msgid) != _fields(entry.msgstr):
                wrong.append(f"{msgid!r}: {sorted(_fields(msgid))} -> {entry.msgstr!r}")
        except ValueError as exc:  # an unbalanced brace would raise at .format() time in the app
            wrong.append(f"{msgid!r} -> {entry.msgstr!r}: {exc}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_the_app_reads_every_translation(entries, chinese):
    translated = {m: e.msgstr for m, e in entries.items() if e.translated}
    assert translated
    assert i18n.read_po(PO_PATH) == translated
    wrong = [m for m, s in translated.items() if i18n._(m) != s]
    assert not wrong, "read back differently:\n" + _listing(wrong)


def test_translations_are_really_chinese(entries):
    ascii_only = [
        m for m, e in entries.items()
        if e.msgstr and re.search(r"[A-Za-z]", _literal_text(m)) and e.msgstr.isascii() and m not in ASCII_ALLOWED
    ]
    assert not ascii_only, "left in English (translate, or whitelist in ASCII_ALLOWED with a reason):\n" + _listing(
        ascii_only)


def test_the_ports_own_words(entries):
    wrong = {m: entries[m].msgstr if m in entries else None for m, s in GLOSSARY.items()
             if m not in entries or entries[m].msgstr != s}
    assert not wrong, wrong


#: msgids naming a thing (a level, a resource, a period, a squad...): never 姓名, which is a person's name.
THING_NAMES = ("Level name", "Item", "Contact", "Period name", "Squad name", "Team name", "Chinese name",
               "English name", "Section title", "Title")
#: Where the msgid "Name" (姓名) may be used: only for a person (a member, a user).
PERSON_NAME_FILES = {"drillapp/ui/team/member_editor.py", "drillapp/ui/team/callout_page.py",
                     "drillapp/ui/pages/users_panel.py", "drillapp/ui/login.py", "drillapp/services/users.py",
                     "drillapp/services/lists.py", "drillapp/services/team.py", "drillapp/reports/roster_grid.py",
                     "drillapp/reports/roster_pdf.py", "drillapp/audit_labels.py", "drillapp/reports/drill_pdf.py"}
#: The roster engine's words, which a team lead does not speak (solve, penalty, bound, proven optimal).
SOLVER_JARGON = ("求解", "罚分", "下界", "未证明", "最优")
_HAN = "[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]"


def test_a_things_name_is_not_a_persons_name(found, entries):
    assert entries["Name"].msgstr == "姓名"
    wrong = {m: entries[m].msgstr for m in THING_NAMES if "姓名" in entries[m].msgstr}
    assert not wrong, wrong
    elsewhere = sorted({ref.rsplit(":", 1)[0] for ref in found["Name"]} - PERSON_NAME_FILES)
    assert not elsewhere, (f"_(\"Name\") reads 姓名 (a person's name) in Chinese but is used in {elsewhere}: "
                           "use a msgid of its own for a thing's name (\"Level name\", \"Item\"), or add the file "
                           "here if it really is a person's name")


def test_the_roster_speaks_as_a_team_lead(entries):
    jargon = {m: e.msgstr for m, e in entries.items() if e.translated and any(w in e.msgstr for w in SOLVER_JARGON)}
    assert not jargon, jargon
    assert entries["Solve (F9)"].msgstr == "自动排班 (F9)"
    assert "不合意项" in entries[" · last arranged: {objective} points off the ideal, {status}"].msgstr
    assert entries["a better one may exist (give it more time)"].msgstr.startswith("可能还有更好的排法")


def test_chinese_text_uses_chinese_punctuation(entries):
    """No ASCII comma, semicolon, colon, question or exclamation mark, or parenthesis against Chinese text
    (Qt's file filters keep their ASCII syntax: "(*.csv);;")."""
    ascii_marks = re.compile(rf"{_HAN}\s*[,;!?]|[,;!?:]\s*{_HAN}|{_HAN}:|\({_HAN}|{_HAN}\)")
    wrong = {m: e.msgstr for m, e in entries.items()
             if e.translated and "(*" not in m and ascii_marks.search(e.msgstr)}
    assert not wrong, wrong


def test_the_ports_terms_are_used_consistently(entries):
    """One word for one thing: 分队 for a squad (its leader 分队长), 支部 for a branch, 系统管理员, 工作台."""
    def bad(word, *allowed_msgids):
        return {m: e.msgstr for m, e in entries.items()
                if e.translated and word in e.msgstr and m not in allowed_msgids}

    assert not bad("小组"), "a squad is 分队"
    assert not bad("组长"), "a squad leader is 分队长"
    assert not bad("首页"), "the dashboard is 工作台"
    assert not bad("求解器")
    assert entries["Squad"].msgstr == entries["Squads"].msgstr == "分队"
    assert entries["Branch"].msgstr == "支部"


def test_mnemonics_ellipses_newlines_and_file_filters_survive(entries):
    wrong = []
    for msgid, entry in entries.items():
        if not entry.msgstr:
            continue
        text = entry.msgstr
        mnemonic = re.search(r"&(\w)", msgid.replace("&&", ""))
        if mnemonic and f"(&{mnemonic.group(1).upper()})" not in text:
            wrong.append(f"mnemonic &{mnemonic.group(1)} should end as (&{mnemonic.group(1).upper()}): {text!r}")
        if msgid.endswith("…") and not text.endswith("…"):
            wrong.append(f"ellipsis dropped: {text!r}")
        if msgid.count("\n") != text.count("\n"):
            wrong.append(f"line breaks differ: {msgid!r} -> {text!r}")
        patterns = re.findall(r"\(\*[^)]*\)", msgid)  # Qt file-dialog filters need ASCII parentheses
        if patterns != re.findall(r"\(\*[^)]*\)", text):
            wrong.append(f"file filter changed: {text!r}")
    assert not wrong, "\n".join(wrong)


def test_the_catalogue_has_a_proper_header():
    """(Line references are not checked: every edit above a string would fail the suite.)"""
    header, _entries = ix.parse_po(PO_PATH.read_text(encoding="utf-8"), str(PO_PATH))
    assert header is not None
    assert "Content-Type: text/plain; charset=UTF-8\n" in header.msgstr
    assert "Language: zh_CN\n" in header.msgstr


# --- the extractor ------------------------------------------------------------------------------

SAMPLE = '''
from drillapp.i18n import N_, _
from drillapp import i18n

A = N_("Plain")
B = _("Implicitly "
      "concatenated {n}")
C = _("Say \\"stop\\"\\tthen wait\\\\\\nnext line")
D = _(f"F-string {A}")
E = _(A)
F = _("Joined " + "with plus")
G = i18n._("Via module")
H = _("Plain")
I = _("Preformatted {x}".format(x=1))
J = gettext("Not a marker")
K = _("")
'''


@pytest.fixture
def project(tmp_path):
    package = tmp_path / "drillapp"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "mod.py").write_text(SAMPLE, encoding="utf-8")
    return tmp_path


def test_extract_literals_and_warn_about_the_rest(project):
    found, warnings = ix.scan(project)
    assert found == {
        "Plain": ["drillapp/sub/mod.py:5", "drillapp/sub/mod.py:13"],
        "Implicitly concatenated {n}": ["drillapp/sub/mod.py:6"],
        'Say "stop"\tthen wait\\\nnext line': ["drillapp/sub/mod.py:8"],
        "Joined with plus": ["drillapp/sub/mod.py:11"],
        "Via module": ["drillapp/sub/mod.py:12"],
    }
    assert ix.extract(project / "drillapp") == found  # the package folder works as well as the project
    where = {w.where: w.message for w in warnings}
    assert set(where) == {"drillapp/sub/mod.py:9", "drillapp/sub/mod.py:10", "drillapp/sub/mod.py:14",
                          "drillapp/sub/mod.py:16"}
    assert "f-string" in where["drillapp/sub/mod.py:9"]
    assert "formatted before" in where["drillapp/sub/mod.py:14"]


def test_update_writes_a_catalogue_the_app_reads(project):
    po = project / "resources" / "translations" / "zh_CN.po"
    assert ix.update(project, po) == (5, 5, 0)
    text = po.read_text(encoding="utf-8")
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in text and '"Language: zh_CN\\n"' in text
    assert "#: drillapp/sub/mod.py:5\n#: drillapp/sub/mod.py:13\nmsgid \"Plain\"" in text
    assert ix.main(["--root", str(project), "--check", "-q"]) == 1

    header, entries = ix.parse_po(text)
    tricky = 'Say "stop"\tthen wait\\\nnext line'
    for entry in entries:
        entry.msgstr = "译：" + entry.msgid
    po.write_text(ix.render_po(header, entries), encoding="utf-8")
    assert ix.main(["--root", str(project), "--check", "-q"]) == 0
    assert i18n.read_po(po)[tricky] == "译：" + tricky

    # a string goes away, another arrives: translations are kept, the old one becomes obsolete
    mod = project / "drillapp" / "sub" / "mod.py"
    mod.write_text(mod.read_text(encoding="utf-8").replace('"Via module"', '"Brand new"'), encoding="utf-8")
    assert ix.update(project, po) == (5, 1, 1)
    text = po.read_text(encoding="utf-8")
    assert '#~ msgid "Via module"\n#~ msgstr "译：Via module"' in text
    assert i18n.read_po(po)[tricky] == "译：" + tricky
    assert "Via module" not in i18n.read_po(po)
    assert ix.main(["--root", str(project), "--check", "-q"]) == 1

    # ... and comes back with its translation
    mod.write_text(mod.read_text(encoding="utf-8").replace('"Brand new"', '"Via module"'), encoding="utf-8")
    assert ix.update(project, po) == (5, 0, 0)  # "Brand new" had no translation: dropped, not kept
    assert i18n.read_po(po)["Via module"] == "译：Via module"
    assert "Brand new" not in po.read_text(encoding="utf-8")


def test_check_reports_fuzzy_and_placeholder_mistakes(project):
    po = project / "zh.po"
    ix.update(project, po)
    header, entries = ix.parse_po(po.read_text(encoding="utf-8"))
    for entry in entries:
        entry.msgstr = "好"
        if entry.msgid == "Plain":
            entry.flags.append("fuzzy")
    problems = ix.problems(ix.extract(project), entries)
    assert any("fuzzy" in p and "Plain" in p for p in problems)
    assert any("placeholders differ" in p and "{n}" in p for p in problems)
    assert len(problems) == 2


def test_a_reworded_string_inherits_its_translation_as_fuzzy(project):
    po = project / "zh.po"
    ix.update(project, po)
    header, entries = ix.parse_po(po.read_text(encoding="utf-8"))
    for entry in entries:
        entry.msgstr = "旧译文" + "".join(f"{{{name}}}" for name in sorted(ix.placeholders(entry.msgid)))
    po.write_text(ix.render_po(header, entries), encoding="utf-8")

    mod = project / "drillapp" / "sub" / "mod.py"
    mod.write_text(mod.read_text(encoding="utf-8").replace('"Via module"', '"Via modules"'), encoding="utf-8")
    assert ix.update(project, po) == (5, 1, 1)
    text = po.read_text(encoding="utf-8")
    assert '#, fuzzy\nmsgid "Via modules"\nmsgstr "旧译文"' in text
    assert "Via modules" not in i18n.read_po(po)  # the app does not use it before review
    assert ix.main(["--root", str(project), "--po", str(po), "--check", "-q"]) == 1
