"""The shared print-out page: Chinese embedded, text printed exactly as typed, page x of y."""

from __future__ import annotations

from pypdf import PdfReader
from reportlab.platypus import Paragraph

from drillapp.reports.fonts import cjk_font, font_status
from drillapp.reports.page import PageInfo, build_pdf, styles
from drillapp.reports.text import PLACEHOLDER, markup

TITLE = "旅检大厅暴力恐怖袭击事件联合处置预案"
TRICKY = "a < b && c > d \"quoted\" 'single' <b>not bold</b>"


def _embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                names.add(str(font["/BaseFont"]))
    return names


def test_bundled_cjk_font_is_used_and_embedded(tmp_path) -> None:
    choice = cjk_font()
    assert choice.embedded and choice.path is not None and choice.path.name == "wqy-microhei.ttc"
    assert "look the same on every PC" in font_status()
    st = styles()
    long_word = "x" * 10_000
    story = [Paragraph(markup(TITLE, choice.name), st["title"]), Paragraph(markup(TRICKY, choice.name), st["body"]),
             Paragraph(markup("警报 🚒 响起", choice.name), st["body"]), Paragraph(markup(long_word, choice.name), st["body"])]
    out = build_pdf(tmp_path / "sample.pdf", story, PageInfo(TITLE, "QH-01 v1"))
    reader = PdfReader(out)
    text = "".join(page.extract_text() for page in reader.pages)
    compact = text.replace("\n", "")
    assert TITLE in compact
    assert TRICKY in text, "markup characters print as typed"
    assert f"警报 {PLACEHOLDER} 响起" in text, "a character the font lacks becomes a visible placeholder"
    assert compact.count("x") >= 10_000, "a 10,000-character word wraps instead of being cut"
    assert f"Page 1 of {len(reader.pages)}" in text
    assert any("WenQuanYi" in name for name in _embedded_fonts(reader))
    assert not (tmp_path / "sample.pdf.part").exists()


def test_markup_escapes_and_keeps_line_breaks() -> None:
    name = cjk_font().name
    assert markup("<&>\n第二行", name) == "&lt;&amp;&gt;<br/>第二行"


def test_the_settings_font_line_names_the_font_without_parsing_it(tmp_path, monkeypatch) -> None:
    from drillapp.reports import fonts

    fonts.cjk_font.cache_clear()
    try:
        expected = fonts.expected_font()
        assert fonts.cjk_font.cache_info().currsize == 0, "saying which font did not register (parse) it"
        assert expected == fonts.cjk_font()
    finally:
        fonts.cjk_font.cache_clear()
    cff = tmp_path / "cff.otf"
    cff.write_bytes(b"OTTO" + b"\0" * 60)  # PostScript outlines: ReportLab cannot embed them
    collection = tmp_path / "c.ttc"
    collection.write_bytes(b"ttcf" + b"\0\x01\0\0" + b"\0\0\0\x01" + (16).to_bytes(4, "big") + b"true" + b"\0" * 40)
    monkeypatch.setattr(fonts, "_candidates", lambda: [tmp_path / "missing.ttf", cff, collection])
    assert fonts.expected_font() == fonts.FontChoice(fonts.CJK_FONT_NAME, collection, True)
    monkeypatch.setattr(fonts, "_candidates", lambda: [cff])
    assert not fonts.expected_font().embedded
    assert "may look different" in fonts.font_status()
