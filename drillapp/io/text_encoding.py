"""Which encoding a CSV sheet was saved in: UTF-8, GB18030 (mainland Excel) or Big5 (Taiwan, Hong Kong).

Strict UTF-8 (with or without a BOM) is tried first: other text almost never decodes as UTF-8 by chance.
GB18030 decodes almost any bytes, so "it decodes" proves nothing; the rule is:

1. decode strictly as GB18030 and as Big5 (Microsoft's code page 950); keep those that decode;
2. score each by how plausible its text is: the share of its non-ASCII characters that are common
   Chinese (for GB18030: the 6,763 characters of GB2312; for Big5: its 5,401 "frequently used"
   characters) or CJK punctuation; text read in the wrong encoding turns into rare characters, private
   use codes, kana and box-drawing signs;
3. the best score wins if it is at least `PLAUSIBLE`; a tie between the two (short texts of very common
   characters can read well both ways) or no plausible reading is refused: storing garbled names is worse
   than asking for the sheet again as UTF-8 or Excel.
"""

from __future__ import annotations

#: The encodings tried, as they are named in messages.
TRIED = ("UTF-8", "GB18030", "Big5")
#: The least share of common characters a reading needs to count as Chinese text.
PLAUSIBLE = 0.5
_CODECS = (("GB18030", "gb18030"), ("Big5", "cp950"))
_PUNCTUATION = frozenset("“”‘’…—·")


class UndecodableText(ValueError):
    """Bytes that are not UTF-8 and read as neither GB18030 nor Big5 (`ambiguous`: as both equally well)."""

    def __init__(self, ambiguous: bool) -> None:
        super().__init__("ambiguous" if ambiguous else "garbled")
        self.ambiguous = ambiguous


def decode_sheet_text(data: bytes) -> tuple[str, str]:
    """The text of a sheet's bytes and the encoding it was read in (one of `TRIED`); UndecodableText."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    readings: dict[str, str] = {}
    for name, codec in _CODECS:
        try:
            readings[name] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    scores = {name: plausibility(text, name) for name, text in readings.items()}
    best = max(scores.values(), default=0.0)
    winners = [name for name, score in scores.items() if score == best]
    if best < PLAUSIBLE:
        raise UndecodableText(ambiguous=False)
    if len(winners) > 1:
        raise UndecodableText(ambiguous=True)
    return readings[winners[0]], winners[0]


def plausibility(text: str, encoding: str) -> float:
    """The share of `text`'s non-ASCII characters that are common in `encoding` ("GB18030" or "Big5")."""
    wide = [ch for ch in text if ord(ch) >= 0x80]
    if not wide:
        return 1.0
    return sum(1 for ch in wide if _common(ch, encoding)) / len(wide)


def _common(ch: str, encoding: str) -> bool:
    code = ord(ch)
    if 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF5E or ch in _PUNCTUATION:
        return True
    if not 0x4E00 <= code <= 0x9FFF:
        return False
    try:
        encoded = ch.encode("gb2312" if encoding == "GB18030" else "cp950")
    except UnicodeEncodeError:
        return False
    return encoding == "GB18030" or 0xA4 <= encoded[0] <= 0xC6
