"""The fixed parts of a Decree 30 document: the two-column header, the title and the
signature block. Each returns flowables a document story takes as they are."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from nhao.domain.dates import format_date_long_vi

from .fonts import SERIF, SERIF_BOLD
from .styles import (
    HEADER_SIZE,
    MOTTO_SIZE,
    TEXT_WIDTH,
    Rule,
    balanced_break,
    longest_line,
    styles,
    table_style,
    text,
)

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

# The right column holds the national name on one line at 13 pt (about 96 mm); the
# issuing unit on the left takes the rest and wraps, as it does on paper.
RIGHT_COLUMN = 101 * mm
LEFT_COLUMN = TEXT_WIDTH - RIGHT_COLUMN
_CELL = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


def upper(value: str) -> str:
    # NFC first: upper-casing a decomposed letter works, but the result would stay
    # decomposed and print differently from the rest of the line.
    return unicodedata.normalize("NFC", value).upper()


@dataclass(frozen=True)
class Letterhead:
    """Who issues the document, under which number, where and when.

    unit: the issuing unit ("Ủy ban nhân dân xã Bình Gia"), printed in capitals, bold;
    a newline in it chooses where the line breaks. parent_unit: the body above it,
    printed above it, not bold. number: "12/GCN-UBND"; "" prints "Số:" with room to
    write the number by hand once the clerk registers the document; None leaves the
    line out."""

    unit: str
    place: str
    on: date
    parent_unit: str | None = None
    number: str | None = ""

    @property
    def place_date(self) -> str:
        """ "Bình Gia, ngày 05 tháng 02 năm 2025": days and months below 10 take a 0."""
        return f"{self.place}, {format_date_long_vi(self.on)}"


def header_block(head: Letterhead) -> Table:
    """Unit name top left, national name and motto top right, number and place-date
    below them, each centred in its column."""
    st = styles()
    left: list[Flowable] = []
    if head.parent_unit:
        parent = balanced_break(upper(head.parent_unit), SERIF, HEADER_SIZE, LEFT_COLUMN)
        left.append(Paragraph(text(parent), st["parent_unit"]))
    unit = balanced_break(upper(head.unit), SERIF_BOLD, HEADER_SIZE, LEFT_COLUMN)
    left.append(Paragraph(text(unit), st["unit"]))
    # Decree 30: a solid line one third to one half as long as the unit name.
    unit_width = min(longest_line(unit, SERIF_BOLD, HEADER_SIZE), LEFT_COLUMN)
    left.append(Rule(unit_width * 0.4))

    right: list[Flowable] = [
        Paragraph(text(NATION), st["nation"]),
        Paragraph(text(MOTTO), st["motto"]),
        # The line under the motto is exactly as long as the motto.
        Rule(stringWidth(MOTTO, SERIF_BOLD, MOTTO_SIZE), thickness=0.8),
    ]
    rows = [[left, right]]
    # Non-breaking spaces keep room after "Số:" that a paragraph would trim.
    number_text = text(f"Số: {head.number}") if head.number else "Số:" + "&nbsp;" * 16
    number = Paragraph(number_text, st["number"])
    date_line = Paragraph(text(head.place_date), st["place_date"])
    rows.append([number if head.number is not None else "", date_line])
    table = Table(rows, colWidths=[LEFT_COLUMN, RIGHT_COLUMN], style=table_style(*_CELL))
    table.setStyle([("TOPPADDING", (0, 1), (-1, 1), 4)])
    return table


def title_block(title: str, summary: str | None = None) -> list[Flowable]:
    """The document type in capitals ("GIẤY CHỨNG NHẬN"), the optional one-line
    summary under it, and the short rule that closes the title."""
    st = styles()
    flow: list[Flowable] = [Paragraph(text(upper(title)), st["title"])]
    last = upper(title)
    if summary:
        flow.append(Paragraph(text(summary), st["summary"]))
        last = summary
    width = min(longest_line(last, SERIF_BOLD, 14), TEXT_WIDTH)
    flow += [Rule(width * 0.35, space=5), Spacer(1, 8)]
    return flow


@dataclass(frozen=True)
class Signer:
    """One signature column: role in capitals ("THỦ TRƯỞNG ĐƠN VỊ"), an optional line
    above it ("TM. ỦY BAN NHÂN DÂN"), the italic instruction, and the name printed
    under the space left for the signature (empty: written by hand)."""

    role: str
    note: str = "(Ký, ghi rõ họ tên)"
    name: str = ""
    on_behalf: str | None = None


def _signer_cell(signer: Signer, space: float) -> list[Flowable]:
    st = styles()
    cell: list[Flowable] = []
    if signer.on_behalf:
        cell.append(Paragraph(text(upper(signer.on_behalf)), st["sign_role"]))
    cell.append(Paragraph(text(upper(signer.role)), st["sign_role"]))
    if signer.note:
        cell.append(Paragraph(text(signer.note), st["sign_note"]))
    cell.append(Spacer(1, space))
    if signer.name:
        cell.append(Paragraph(text(signer.name), st["sign_name"]))
    return cell


def signature_block(
    signers: Sequence[Signer],
    recipients: Sequence[str] | None = None,
    *,
    space: float = 28 * mm,
) -> KeepTogether:
    """Signers side by side, the last one on the right (the head of the unit signs
    there); with recipients, "Nơi nhận:" takes the left column. Kept on one page so a
    signature never lands alone on a page of its own."""
    st = styles()
    cells: list[list[Flowable]] = []
    if recipients is not None:
        listing: list[Flowable] = [Paragraph("Nơi nhận:", st["recipients_head"])]
        listing += [Paragraph(text(f"- {r}"), st["recipients"]) for r in recipients]
        cells.append(listing)
    cells += [_signer_cell(s, space) for s in signers]
    if len(cells) == 1:
        # A lone signer still signs on the right half of the page.
        cells.insert(0, [Spacer(1, 1)])
    width = TEXT_WIDTH / len(cells)
    table = Table([cells], colWidths=[width] * len(cells), style=table_style(*_CELL))
    if recipients is not None:
        table.setStyle([("ALIGN", (0, 0), (0, 0), "LEFT")])
    return KeepTogether([Spacer(1, 10), table])
