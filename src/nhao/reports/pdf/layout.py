"""The page template of every nhao PDF and the document helper built on it.

    doc = AdministrativeDocument(Letterhead(unit=..., place=..., on=...), "Báo cáo",
                                 summary="Tiến độ xóa nhà tạm, nhà dột nát")
    doc.paragraph("Thực hiện Kế hoạch số ...")   # plain text, escaped for you
    doc.add(some_table)                           # any reportlab flowable
    doc.add(signature_block([Signer("Chủ tịch", name="Nguyễn Văn A")]))
    doc.save(out)

A4 portrait, Decree 30 margins, page numbers centred in the top margin from page 2.
Plain text goes through styles.text() (NFC, escaped); tables take styles.table_style()
so their cells default to the embedded serif rather than reportlab's Helvetica.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from nhao.files import put_in_place

from .blocks import Letterhead, header_block, title_block
from .fonts import SERIF
from .styles import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_NUMBER_SIZE,
    PAGE_WIDTH,
    styles,
    text,
)


def _page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    # Decree 30: Arabic numerals, upright, centred in the top margin, not on page 1.
    canvas.saveState()
    canvas.setFont(SERIF, PAGE_NUMBER_SIZE)
    centre = MARGIN_LEFT + (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / 2
    canvas.drawCentredString(centre, PAGE_HEIGHT - MARGIN_TOP / 2 - 2, str(doc.page))
    canvas.restoreState()


def _first_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    """Page 1 carries no number."""


def write_pdf(
    out: Path, story: Sequence[Flowable], *, title: str, author: str = "", subject: str = ""
) -> Path:
    """Lay out `story` on Decree 30 pages and write it to `out` atomically.

    The PDF is built in a temporary file beside `out` and moved over it only when
    complete, so a failure (or a full disk) never leaves a half-written document
    that looks like the real one, and an existing file stays intact until then."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".pdf.tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author=author,
            subject=subject,
            creator="nhao",
            lang="vi-VN",
            # Otherwise the canvas starts in Helvetica and the PDF names a font it
            # neither uses nor embeds.
            initialFontName=SERIF,
        )
        # build() consumes flowables it splits; a list copy keeps the caller's intact.
        doc.build(list(story), onFirstPage=_first_page, onLaterPages=_page_number)
        put_in_place(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return out


class AdministrativeDocument:
    """A document in the Decree 30 format: the header and title are placed for you;
    add the body, then the signature block, then save."""

    def __init__(self, letterhead: Letterhead, title: str, summary: str | None = None) -> None:
        self.letterhead = letterhead
        self.title = title
        self.summary = summary
        self.story: list[Flowable] = [header_block(letterhead), *title_block(title, summary)]

    def paragraph(self, value: str, style: str = "body") -> Paragraph:
        """Add plain text (not markup) in one of the named styles of styles.styles()."""
        para = Paragraph(text(value), styles()[style])
        self.story.append(para)
        return para

    def add(self, *flowables: Flowable) -> None:
        self.story.extend(flowables)

    def save(self, out: Path) -> Path:
        name = f"{self.title} - {self.summary}" if self.summary else self.title
        return write_pdf(out, self.story, title=name, author=self.letterhead.unit)
