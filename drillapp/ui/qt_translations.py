"""Qt's own words (the file, print and message dialogs, standard buttons) in the app's language.

Qt translates them from `qtbase_<language>.qm`, which the PySide6 wheel ships in its translations folder
(`QLibraryInfo.path(TranslationsPath)`). That catalogue lags behind Qt's sources: in PySide6 6.12 its
zh_CN file lacks the file dialog's "&Look in:", "Files of &type:" and its "Folder" and "Drive" (now asked
for in another context) and the print dialog's "Page &Set:" (it still has the older "Look in:" and "Files
of type:"), so those stayed English in a Chinese file dialog. `FALLBACK` lists them with the Qt context that asks for them; their Chinese is in our own
catalogue (zh_CN.po, like every string of the app), and `fallback_translator` hands them to Qt as a small
catalogue built in memory, installed after qtbase's so that Qt asks it first. A string qtbase translates
is never in it, so it never changes what qtbase already says.

(A Python subclass of QTranslator overriding `translate` cannot say "not mine" to Qt: PySide6 turns "" into
an empty translation and None into a reference-count error, so the catalogue is built as Qt's own .qm
format instead: the magic number, a hash table and the messages, see QTranslator in qtbase.)
"""

from __future__ import annotations

import logging
import struct

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator

from drillapp.i18n import N_, _

log = logging.getLogger(__name__)

#: (Qt context, Qt source text) -> our msgid (the same text, so a missing translation leaves Qt's English).
FALLBACK: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): N_("&Look in:"),
    ("QFileDialog", "Files of &type:"): N_("Files of &type:"),
    ("QPrintSettingsOutput", "Page &Set:"): N_("Page &Set:"),
    ("QAbstractFileIconProvider", "Folder"): N_("Folder"),  # asked with a disambiguation: found without it
    ("QAbstractFileIconProvider", "Drive"): N_("Drive"),
}

_MAGIC = bytes([0x3C, 0xB8, 0x64, 0x18, 0xCA, 0xEF, 0x9C, 0x95, 0xCD, 0x21, 0x1C, 0xBF, 0x60, 0xA1, 0xBD, 0xDD])
_HASHES, _MESSAGES = 0x42, 0x69  # section tags
_END, _TRANSLATION, _SOURCE, _CONTEXT = 1, 3, 6, 7  # message tags


def qtbase_translator(language: str, parent: QObject) -> QTranslator | None:
    """Qt's catalogue for `language` from the PySide6 installation, or None (said in the log) if it has none."""
    translator = QTranslator(parent)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(language), "qtbase", "_", folder):
        log.info("Qt's own translation %s loaded", translator.filePath())
        return translator
    log.warning("no qtbase_%s.qm in %s: Qt's own dialogs stay in English (Qt's own translation not found)",
                language, folder)
    return None


def fallback_translator(parent: QObject) -> QTranslator | None:
    """The strings of FALLBACK that our catalogue translates, as a translator (None when there are none)."""
    messages = [(context, source, _(msgid)) for (context, source), msgid in FALLBACK.items() if _(msgid) != msgid]
    if not messages:
        return None
    translator = QTranslator(parent)
    data = qm_catalogue(messages)
    if not translator.load(data, ""):
        log.warning("the fallback catalogue of Qt's own strings did not load")
        return None
    translator._drillapp_data = data  # type: ignore[attr-defined]  # Qt reads it in place: keep it alive
    return translator


def _elf_hash(text: bytes) -> int:
    """The hash QTranslator looks a source text up by (of its UTF-8 bytes, with the empty disambiguation)."""
    h = 0
    for byte in text:
        h = ((h << 4) + byte) & 0xFFFFFFFF
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h or 1


def _field(tag: int, data: bytes) -> bytes:
    return struct.pack(">BI", tag, len(data)) + data


def qm_catalogue(messages: list[tuple[str, str, str]]) -> bytes:
    """A .qm catalogue of (context, source text, translation) in Qt's binary format."""
    body = b""
    hashes: list[tuple[int, int]] = []
    for context, source, translation in messages:
        hashes.append((_elf_hash(source.encode("utf-8")), len(body)))
        body += (_field(_TRANSLATION, translation.encode("utf-16-be")) + _field(_SOURCE, source.encode("utf-8"))
                 + _field(_CONTEXT, context.encode("utf-8")) + bytes([_END]))
    table = b"".join(struct.pack(">II", h, offset) for h, offset in sorted(hashes))
    return _MAGIC + _field(_HASHES, table) + _field(_MESSAGES, body)
