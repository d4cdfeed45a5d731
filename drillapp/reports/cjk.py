"""Line breaking for Chinese text: a Paragraph that never starts a line with closing punctuation.

ReportLab's `wordWrap="CJK"` (checked in ReportLab 4 and 5: `reportlab.lib.textsplit.dumbSplit` and
`reportlab.platypus.paragraph.cjkFragSplit`) cuts a line at any character. When the character that
overflows is in its short `ALL_CANNOT_START` list (。、）」』】 and a few more) it *hangs* it in the right
margin, past the line's width (in a table cell: over the padding, towards the border). The full-width
comma, semicolon, colon, question and exclamation marks (，；：？！) and closing quotes and angle
brackets (”’》〉) are not in that list, so they start the next line; two closing marks in a row (。」)
leave the second one at the start of a line.

`CJKParagraph` keeps ReportLab's drawing and splitting and replaces only the choice of line breaks
(`line_breaks`), with the usual rules of Chinese typesetting (the "kinsoku" of CLREQ):

- a line never starts with closing punctuation (NO_START) and never ends with an opening bracket or
  quote (NO_END); the break moves back a character or more (the last character of the line goes
  down with the mark), so nothing hangs past the width;
- a dash or ellipsis pair (—— ……) stays together;
- Latin words and numbers (a phone number, a plate number, an English name) break at spaces, after a
  hyphen or slash, and are cut only when a single word is longer than the line;
- a space where a line breaks is dropped; explicit line breaks (<br/>) are kept.

A line without any allowed break (one long word, a row of punctuation) is cut where it is full.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import (
    ParaLines,
    _handleBulletWidth,
    cjkU,
    cleanBlockQuotedText,
    makeCJKParaLine,
)
from reportlab.rl_config import _FUZZ

from drillapp.reports.text import drawable

#: May not start a line: full stops, commas, closing brackets and quotes, and the like.
NO_START = frozenset(
    "!%),.:;?]}¢°·’”‰′″℃、。〃〉》」』】〕〗〙〛〞〟﹐﹑﹒﹔﹕﹖﹗﹚﹜﹞！％），．：；？］｝～｠｣"
    "々〻ーぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ・‥"
)
#: May not end a line: opening brackets and quotes, currency signs.
NO_END = frozenset("([{£¥‘“〈《「『【〔〖〘〚〝﹙﹛﹝（［｛｟｢$＄￥")
#: A pair of these (—— ……) stays on one line.
INSEPARABLE = frozenset("—…")
#: Inside a run of Latin letters and digits a line may break after these.
LATIN_BREAK_AFTER = frozenset("-/")
_CJK_START = 0x2E80  # below this: Latin, Cyrillic, symbols (word-like); from here on: CJK


def _latin(ch: str) -> bool:
    return len(ch) == 1 and ord(ch) < _CJK_START and not ch.isspace()


def break_allowed(before: str, after: str) -> bool:
    """May a line end after `before` and the next begin with `after`?"""
    if after in NO_START or before in NO_END or after.isspace():
        return False
    if before == after and after in INSEPARABLE:
        return False
    if _latin(before) and _latin(after) and before not in LATIN_BREAK_AFTER:
        return False
    return True


def _last_visible(chars: Sequence[str], start: int, end: int) -> str:
    """The last character before `end` (from `start`) that is not a space."""
    while end > start and chars[end - 1] == " ":
        end -= 1
    return chars[end - 1] if end > start else ""


def line_breaks(
    chars: Sequence[str], widths: Sequence[float], max_widths: Sequence[float], hard: Sequence[bool] | None = None
) -> list[tuple[int, int, float, bool]]:
    """Where the lines of `chars` end: (start, end, width used, ends in a hard break) per line.

    `widths[i]` is the width of `chars[i]`; line k is at most `max_widths[k]` wide (the last width
    repeats); `hard[i]` marks an explicit line break, which ends its line (and belongs to it).
    A line holds at least one character, so the breaking always ends.
    """
    lines: list[tuple[int, int, float, bool]] = []
    n = len(chars)
    start = i = 0
    used = 0.0
    max_width = max_widths[0]
    while i < n:
        w = widths[i]
        if hard is not None and hard[i]:
            lines.append((start, i + 1, used, True))
            start = i = i + 1
            used = 0.0
            max_width = max_widths[min(len(lines), len(max_widths) - 1)]
            continue
        if used + w <= max_width + _FUZZ or i == start:
            used += w
            i += 1
            continue
        # chars[i] does not fit: end the line at a break point at or before i
        end = i
        if chars[i].isspace() and _last_visible(chars, start, i) not in NO_END:
            nxt = i + 1  # break at the space and drop it
            while nxt < n and chars[nxt] == " " and not (hard is not None and hard[nxt]):
                nxt += 1
        else:
            for b in range(i, start, -1):
                if break_allowed(chars[b - 1], chars[b]) and _last_visible(chars, start, b) not in NO_END:
                    end = b
                    break
            nxt = end
        line_width = used - sum(widths[end:i])
        k = end
        while k > start and chars[k - 1] == " ":  # trailing spaces take no room
            k -= 1
            line_width -= widths[k]
        lines.append((start, end, line_width, False))
        start = i = nxt
        used = 0.0
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
    if start < n:
        lines.append((start, n, used, False))
    return lines


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def char_widths(text: str, font_name: str, font_size: float) -> list[float]:
    """The width of each character of `text` (cached per font and size: one lookup per character)."""
    table = _WIDTHS.get((font_name, font_size))
    if table is None:
        table = _WIDTHS[(font_name, font_size)] = {}
    try:
        return [table[ch] for ch in text]
    except KeyError:
        for ch in set(text) - table.keys():
            table[ch] = stringWidth(ch, font_name, font_size)
        return [table[ch] for ch in text]


def _unit(ch: str, frag: Any, width: float) -> cjkU:
    """ReportLab's per-character unit, without its per-character `stringWidth` call."""
    u = str.__new__(cjkU, ch)
    u._frag = frag
    u._width = width
    return u


class CJKParagraph(Paragraph):
    """A Paragraph whose CJK wrapping follows the rules above (use it with `wordWrap="CJK"` styles).

    It also remembers its last layout: ReportLab wraps a paragraph in a table cell several times at
    the same width (row heights, splitting, drawing), and the lines only depend on the width.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if getattr(self, "_wrapped_width", None) == availWidth and hasattr(self, "blPara"):
            return self.width, self.height
        result = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth
        return result

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802, N803 - ReportLab's names
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]  # noqa: N806
        style = self.style
        frags = self.frags
        if not frags or style.endDots:
            return super().breakLinesCJK(maxWidths)
        self.height = 0
        _handleBulletWidth(self.bulletText, style, maxWidths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            if len(frags) == 1 and not hasattr(frags[0], "cbDefn"):
                return frags[0].clone(kind=0, lines=self.blPara.lines)
            return self.blPara
        if len(frags) == 1 and not hasattr(frags[0], "cbDefn"):
            f = frags[0]
            text = f.text if hasattr(f, "text") else "".join(getattr(f, "words", []))
            widths = char_widths(text, f.fontName, f.fontSize)
            lines: list[tuple[float, list[str]]] = []
            for start, end, used, _hard in line_breaks(text, widths, maxWidths):
                max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]
                lines.append((max_width - used, [text[start:end].rstrip(" ")]))
            return f.clone(kind=0, lines=lines, ascent=f.fontSize, descent=-0.2 * f.fontSize)
        units: list[cjkU] = []
        hard: list[bool] = []
        for f in frags:
            text = f.text
            if isinstance(text, bytes):
                text = text.decode("utf8")
            if hasattr(f, "cbDefn"):
                units.append(_unit(text, f, getattr(f.cbDefn, "width", 0)))
                hard.append(False)
            elif text:
                units.extend(_unit(ch, f, w) for ch, w in zip(text, char_widths(text, f.fontName, f.fontSize),
                                                             strict=True))
                hard.extend([False] * len(text))
            else:
                units.append(_unit("", f, 0))
                hard.append(hasattr(f, "lineBreak"))
        autoleading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        calc_bounds = autoleading not in ("", "off")
        lines = []
        for start, end, used, is_hard in line_breaks(units, [u.width for u in units], maxWidths, hard):
            max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]
            chunk = units[start:end]
            while chunk and chunk[-1] == " " and not is_hard:
                chunk.pop()
            lines.append(makeCJKParaLine(chunk, max_width, used, max_width - used, is_hard, calc_bounds))
        return ParaLines(kind=1, lines=lines)


class PlainText(Flowable):
    """Plain text (not markup) printed exactly as typed, wrapped by the rules above, in one style.

    The print-outs' text is plain (the plan's own words, labels), so it needs none of Paragraph's
    markup: this lays it out directly (`line_breaks` on cached character widths) and draws all its
    lines in one text object, as a `CJKParagraph` of the escaped text would look: the same font,
    size, colour, leading, indents (first line too), alignment (left, centre, right) and baseline.
    Line breaks in the text are kept; runs of spaces become one, as in a Paragraph. It splits
    between lines across pages (no single line left alone at the bottom of a page), at the width it
    was last wrapped at: a table splitting a tall row hands `split` the column's width with its
    padding, not the width it wrapped the cell at, and re-wrapping there measured the rest of the row
    wrongly (a 40,000-character action then failed to lay out).
    """

    def __init__(self, text: str, style: Any, _lines: list[tuple[str, float]] | None = None,
                 _first: bool = True) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self._first = _first  # the first line gets the style's firstLineIndent
        self._fixed = _lines  # a part of a split: these lines as they are
        self._lines: list[tuple[str, float]] = _lines or []
        self._wrapped_width: float | None = None
        self._hard: list[tuple[str, list[float]]] | None = None

    def _hard_lines(self) -> list[tuple[str, list[float]]]:
        if self._hard is None:
            st = self.style
            hard = []
            for raw in self.text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
                line = cleanBlockQuotedText(drawable(raw, st.fontName))
                hard.append((line, char_widths(line, st.fontName, st.fontSize)))
            while len(hard) > 1 and not hard[-1][0]:  # like a paragraph: no empty last line
                hard.pop()
            self._hard = hard
        return self._hard

    def _room(self, width: float) -> tuple[float, float]:
        st = self.style
        later = width - st.leftIndent - st.rightIndent
        return later - (st.firstLineIndent if self._first else 0), later

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._wrapped_width != availWidth and self._fixed is None:
            first, later = self._room(availWidth)
            lines: list[tuple[str, float]] = []
            for text, widths in self._hard_lines():
                if not text:
                    lines.append(("", 0.0))
                    continue
                for start, end, used, _hard in line_breaks(text, widths, [first if not lines else later, later]):
                    lines.append((text[start:end].rstrip(" "), used))
            self._lines = lines
        self._wrapped_width = availWidth
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if self._wrapped_width is not None:
            availWidth = self._wrapped_width  # noqa: N806 - see the class docstring
        self.wrap(availWidth, availHeight)
        fit = int((availHeight + _FUZZ) // self.style.leading)
        if fit <= 1 or not self._lines:
            return []
        if fit >= len(self._lines):
            return [self]
        head = PlainText(self.text, self.style, self._lines[:fit], self._first)
        tail = PlainText(self.text, self.style, self._lines[fit:], False)
        if hasattr(self, "toc_entry"):  # a heading: its first part is where it starts
            head.toc_entry = self.toc_entry
        return [head, tail]

    def last_line_end(self) -> float:
        """Where the last line's text ends, from the left (after `wrap`)."""
        if not self._lines:
            return self.style.leftIndent
        first = self._first and len(self._lines) == 1
        return self._x(len(self._lines) - 1, first) + self._lines[-1][1]

    def _x(self, i: int, first: bool) -> float:
        st = self.style
        indent = st.leftIndent + (st.firstLineIndent if first else 0)
        free = self.width - indent - st.rightIndent - self._lines[i][1]
        if st.alignment == TA_CENTER:
            return indent + free / 2
        if st.alignment == TA_RIGHT:
            return indent + free
        return indent

    def draw(self) -> None:
        st = self.style
        text = self.canv.beginText()
        text.setFont(st.fontName, st.fontSize, st.leading)
        text.setFillColor(st.textColor)
        y = self.height - st.fontSize
        for i, (line, _width) in enumerate(self._lines):
            if line:
                text.setTextOrigin(self._x(i, self._first and i == 0), y)
                text.textOut(line)
            y -= st.leading
        self.canv.drawText(text)
