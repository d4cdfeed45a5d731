"""Translations for the core and the UI alike: gettext catalogues (.po) in resources/translations.

English is the source language. `_()` translates now; `N_()` marks a string to translate later
(module-level tables), so a language switch at run time takes effect on the next `_(text)`.
The .po files are read directly (no compile step), so translators edit them with any PO editor.
"""

from __future__ import annotations

import ast
import locale
import os
from pathlib import Path

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
DEFAULT_LANGUAGE = "en"

_catalogue: dict[str, str] = {}
_language = DEFAULT_LANGUAGE
#: catalogues read already, by file and its modification time: a language switch back and forth, or one read ahead
#: (`read_ahead`, e.g. when Settings is opened), does not parse the file again on the GUI thread
_read: dict[Path, tuple[int, dict[str, str]]] = {}


def _(message: str) -> str:
    return _catalogue.get(message) or message


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext name
    return message


def current_language() -> str:
    return _language


def join_list(items: list[str] | tuple[str, ...]) -> str:
    """Words in running text: 、 between Chinese items, a comma in English (codes and numbers keep ", ")."""
    return ("、" if _language == "zh_CN" else ", ").join(items)


def system_language() -> str:
    """zh_CN when the system speaks Chinese, otherwise English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "zh_CN" if code.lower().startswith("zh") else "en"


def catalogue_path(language: str) -> Path:
    from drillapp.paths import resource_path

    return resource_path("translations", f"{language}.po")


def set_language(language: str | None) -> str:
    """Switch the process to `language` ("en", "zh_CN", or None/"system"); returns the one in force."""
    global _language, _catalogue
    if not language or language == "system":
        language = system_language()
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    try:
        _catalogue = {} if language == DEFAULT_LANGUAGE else catalogue(language)
    except (OSError, ValueError, SyntaxError):  # a broken install must not stop the app: speak English
        import logging

        logging.getLogger(__name__).exception("translation catalogue for %s unreadable", language)
        _catalogue, language = {}, DEFAULT_LANGUAGE
    _language = language
    return language


def catalogue(language: str) -> dict[str, str]:
    """The catalogue of `language` (not English), read once per version of its file; OSError, ValueError and
    SyntaxError as `read_po`. The dict returned is shared: do not change it."""
    path = catalogue_path(language)
    stamp = path.stat().st_mtime_ns
    cached = _read.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    entries = read_po(path)
    _read[path] = (stamp, entries)
    return entries


def read_ahead(languages: list[str] | None = None) -> None:
    """Read the catalogues of the other languages now (any thread: the GUI's switch then finds them read); a file
    that cannot be read is left for `set_language` to report."""
    for language in languages or [code for code in LANGUAGES if code not in (DEFAULT_LANGUAGE, _language)]:
        try:
            catalogue(language)
        except (OSError, ValueError, SyntaxError):
            pass


def _unquote(token: str) -> str:
    if not token.startswith('"'):
        return ""
    if "\\" not in token and token.endswith('"') and '"' not in token[1:-1]:
        return token[1:-1]  # the common case, read without the parser (a language switch reads ~5,000 of these)
    return ast.literal_eval(token)


def read_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr for every translated, non-fuzzy entry of a .po file."""
    entries: dict[str, str] = {}
    msgid: list[str] = []
    msgstr: list[str] = []
    target: list[str] | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal fuzzy
        key, value = "".join(msgid), "".join(msgstr)
        if key and value and not fuzzy:
            entries[key] = value
        msgid.clear()
        msgstr.clear()
        fuzzy = False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            if msgstr:
                flush()
            fuzzy = True
        elif line.startswith("msgid "):
            if msgstr:
                flush()
            target = msgid
            target.append(_unquote(line[6:].strip()))
        elif line.startswith("msgstr "):
            target = msgstr
            target.append(_unquote(line[7:].strip()))
        elif line.startswith('"') and target is not None:
            target.append(_unquote(line))
        elif not line:
            if msgstr:
                flush()
            target = None
    if msgstr:
        flush()
    return entries
