"""The fonts every nhao PDF uses, shipped in resources/fonts (SIL OFL 1.1).

Decree 30/2020 asks for Times New Roman. It cannot be shipped, so documents use
Liberation Serif: the same metrics (a page set in it breaks where a Times New Roman
page would) and every precomposed Vietnamese letter. Liberation Mono Bold sets
fingerprints, where each character must sit in its own column and read unambiguously.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).parents[2] / "resources" / "fonts"

SERIF = "LiberationSerif"
SERIF_BOLD = "LiberationSerif-Bold"
SERIF_ITALIC = "LiberationSerif-Italic"
SERIF_BOLD_ITALIC = "LiberationSerif-BoldItalic"
MONO_BOLD = "LiberationMono-Bold"

_FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
    MONO_BOLD: "LiberationMono-Bold.ttf",
}


@cache
def register_fonts() -> str:
    """Register the fonts with reportlab once per process; returns the body font name.

    reportlab's registry is global, and parsing a TTF takes a few milliseconds, so
    every document calls this and only the first call does the work."""
    for name, file in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    # The family mapping lets <b> and <i> inside a Paragraph pick the right face.
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
    addMapping(SERIF, 0, 1, SERIF_ITALIC)
    addMapping(SERIF, 1, 1, SERIF_BOLD_ITALIC)
    return SERIF


def missing_glyphs(text: str, font: str = SERIF) -> set[str]:
    """The characters of `text` the font cannot draw (they would print as boxes)."""
    register_fonts()
    cmap = pdfmetrics.getFont(font).face.charToGlyph
    return {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}
