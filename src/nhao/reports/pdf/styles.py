"""Page geometry, paragraph styles and small drawing pieces of the Decree 30 format.

Sizes follow Appendix I of Decree 30/2020/NĐ-CP: header lines 13 pt, the motto one
size larger, place and date in italics, body 14 pt with a 1 cm first-line indent,
recipients 12/11 pt. Where the decree gives a range, the value picked is the one
most commune templates use.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, TableStyle

from .fonts import SERIF, SERIF_BOLD, SERIF_BOLD_ITALIC, SERIF_ITALIC, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
# Decree 30: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm. The smallest
# values leave the most room; the left one is the binding edge.
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

HEADER_SIZE = 13
MOTTO_SIZE = 14
BODY_SIZE = 14
PAGE_NUMBER_SIZE = 13


def text(value: str) -> str:
    """Plain text made safe for a Paragraph: NFC, so a name typed with combining marks
    prints (and is searched) like one typed precomposed, and &, <, > escaped so a
    unit called "A & B" is not read as markup. Line breaks are kept."""
    return escape(unicodedata.normalize("NFC", value)).replace("\n", "<br/>")


def _style(
    name: str, font: str, size: float, align: int = TA_CENTER, **kw: float
) -> ParagraphStyle:
    kw.setdefault("leading", round(size * 1.2, 1))
    return ParagraphStyle(name, fontName=font, fontSize=size, alignment=align, **kw)


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The named styles documents use; `body` is the default."""
    register_fonts()
    return {
        s.name: s
        for s in (
            # Header lines share one leading so the two columns line up row by row.
            _style("parent_unit", SERIF, HEADER_SIZE, leading=17),
            _style("unit", SERIF_BOLD, HEADER_SIZE, leading=17),
            _style("nation", SERIF_BOLD, HEADER_SIZE, leading=17),
            _style("motto", SERIF_BOLD, MOTTO_SIZE, leading=17),
            _style("number", SERIF, HEADER_SIZE),
            _style("place_date", SERIF_ITALIC, MOTTO_SIZE),
            _style("title", SERIF_BOLD, 14, spaceBefore=18),
            _style("summary", SERIF_BOLD, 14),
            _style(
                "body",
                SERIF,
                BODY_SIZE,
                TA_JUSTIFY,
                leading=18,
                firstLineIndent=10 * mm,
                spaceAfter=6,
            ),
            _style("body_left", SERIF, BODY_SIZE, TA_LEFT, leading=18, spaceAfter=3),
            _style("note", SERIF_ITALIC, 12, TA_JUSTIFY, leading=15, spaceAfter=6),
            _style("sign_role", SERIF_BOLD, 14, leading=17),
            _style("sign_note", SERIF_ITALIC, 13),
            _style("sign_name", SERIF_BOLD, 14),
            _style("recipients_head", SERIF_BOLD_ITALIC, 12, TA_LEFT),
            _style("recipients", SERIF, 11, TA_LEFT, leading=13),
        )
    }


def table_style(*commands: tuple, font: str = SERIF, size: float = BODY_SIZE) -> TableStyle:
    """A TableStyle whose cells default to the document font. reportlab's default is
    Helvetica: even when every cell holds a Paragraph, the PDF would then name a font
    it does not embed, which archival (PDF/A) checkers and some printers reject."""
    register_fonts()
    return TableStyle([("FONT", (0, 0), (-1, -1), font, size), *commands])


class Rule(Flowable):
    """A solid horizontal line `length` points long, centred where it is placed: the
    short rule under the unit name and the title, the line under the motto."""

    def __init__(self, length: float, *, thickness: float = 0.6, space: float = 3) -> None:
        super().__init__()
        self.length = length
        self.thickness = thickness
        self.space = space  # above and below, so the line does not touch descenders
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # A frame (hAlign) and a centred table cell both centre a flowable by the
        # width it reports, so the rule reports its own length.
        self.width = min(self.length, avail_width)
        self.height = 2 * self.space + self.thickness
        return self.width, self.height

    def draw(self) -> None:
        y = self.space + self.thickness / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, y, self.width, y)


def longest_line(value: str, font: str, size: float) -> float:
    """Width of the longest line of `value` (lines split on newlines)."""
    return max(stringWidth(line, font, size) for line in value.split("\n"))


# Words that start the name of an administrative level: a unit name breaks best just
# before them ("ỦY BAN NHÂN DÂN / XÃ BÌNH GIA"), the way header lines are typed.
_LEVELS = {"TỈNH", "THÀNH", "XÃ", "PHƯỜNG", "ĐẶC", "HUYỆN", "QUẬN", "THỊ"}


def balanced_break(value: str, font: str, size: float, width: float) -> str:
    """Break a header line that does not fit into two centred lines.

    A paragraph fills its first line greedily and leaves a word or two alone on
    the second ("ỦY BAN NHÂN DÂN XÃ BÌNH / GIA"). This breaks before the
    administrative level when both halves then fit, else where the two lines come
    out most even. Text that fits, or already has line breaks, is kept as it is;
    text that needs three lines is left to the paragraph."""
    if "\n" in value or stringWidth(value, font, size) <= width:
        return value
    words = value.split()

    def widest(i: int) -> float:
        return max(stringWidth(" ".join(part), font, size) for part in (words[:i], words[i:]))

    splits = range(1, len(words))
    fitting = [i for i in splits if widest(i) <= width]
    levels = [i for i in fitting if words[i] in _LEVELS and words[i - 1] != "THỊ"]
    if not fitting:
        return value
    best = min(levels or fitting, key=widest)
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])
