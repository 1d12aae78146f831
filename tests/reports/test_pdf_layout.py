"""The Decree 30 page every PDF shares: page numbers, header breaks, atomic writing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdf
import pytest
from reportlab.platypus import Flowable

from nhao.reports.pdf import AdministrativeDocument, Letterhead, Signer, signature_block
from nhao.reports.pdf.fonts import SERIF, SERIF_BOLD
from nhao.reports.pdf.layout import write_pdf
from nhao.reports.pdf.styles import MARGIN_TOP, PAGE_HEIGHT, balanced_break, text

HEAD = Letterhead(
    unit="Ủy ban nhân dân xã Bình Gia", place="Bình Gia", on=date(2025, 2, 5), number="7/BC-UBND"
)


def _texts_above_body(page: pypdf.PageObject) -> list[str]:
    """What is printed in the top margin, where Decree 30 puts the page number."""
    found: list[str] = []

    def visit(txt: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if txt.strip() and y > PAGE_HEIGHT - MARGIN_TOP:
            found.append(txt.strip())

    page.extract_text(visitor_text=visit)
    return found


def test_page_numbers_from_page_two(tmp_path: Path) -> None:
    doc = AdministrativeDocument(HEAD, "Báo cáo", summary="Tiến độ xóa nhà tạm, nhà dột nát")
    for _ in range(40):
        doc.paragraph("Nội dung báo cáo của xã, viết đủ dài để sang trang sau của văn bản.")
    doc.add(signature_block([Signer("Chủ tịch", name="Nguyễn Văn An", on_behalf="TM. UBND")]))
    reader = pypdf.PdfReader(doc.save(tmp_path / "bao-cao.pdf"))

    assert len(reader.pages) >= 2
    assert _texts_above_body(reader.pages[0]) == []
    assert _texts_above_body(reader.pages[1]) == ["2"]
    assert reader.metadata.title == "Báo cáo - Tiến độ xóa nhà tạm, nhà dột nát"
    first = reader.pages[0].extract_text()
    assert "Số: 7/BC-UBND" in first
    assert "BÁO CÁO" in first and "Tiến độ xóa nhà tạm, nhà dột nát" in first
    last = reader.pages[-1].extract_text()
    assert "TM. UBND" in last and "CHỦ TỊCH" in last and "Nguyễn Văn An" in last


def test_recipients_and_no_number_line(tmp_path: Path) -> None:
    head = Letterhead(unit="Xã Bình Gia", place="Bình Gia", on=date(2025, 12, 31), number=None)
    doc = AdministrativeDocument(head, "Thông báo")
    doc.add(signature_block([Signer("Chủ tịch")], recipients=["Như trên;", "Lưu: VT."]))
    page = pypdf.PdfReader(doc.save(tmp_path / "tb.pdf")).pages[0].extract_text()
    assert "Số:" not in page
    assert "ngày 31 tháng 12 năm 2025" in page
    assert "Nơi nhận:" in page and "- Lưu: VT." in page


class _Boom(Flowable):
    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return aw, 10

    def draw(self) -> None:
        raise RuntimeError("disk full")


def test_a_failed_build_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "doc.pdf"
    out.write_bytes(b"the old one")
    with pytest.raises(RuntimeError):
        write_pdf(out, [_Boom()], title="x")
    assert out.read_bytes() == b"the old one"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ỦY BAN NHÂN DÂN XÃ BÌNH GIA", "ỦY BAN NHÂN DÂN\nXÃ BÌNH GIA"),
        ("ỦY BAN NHÂN DÂN THỊ XÃ SA PA", "ỦY BAN NHÂN DÂN\nTHỊ XÃ SA PA"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI"),
        ("XÃ BÌNH GIA", "XÃ BÌNH GIA"),  # fits: unchanged
        ("ỦY BAN NHÂN DÂN\nXÃ BÌNH GIA", "ỦY BAN NHÂN DÂN\nXÃ BÌNH GIA"),  # caller's choice
    ],
)
def test_header_lines_break_before_the_level(value: str, expected: str) -> None:
    assert balanced_break(value, SERIF_BOLD, 13, 64 * 2.8346) == expected


def test_without_a_level_word_the_lines_come_out_even() -> None:
    broken = balanced_break("BAN CHỈ ĐẠO CHƯƠNG TRÌNH XÓA NHÀ TẠM", SERIF, 13, 180)
    first, second = broken.split("\n")
    assert abs(len(first) - len(second)) < 10


def test_text_is_escaped_and_nfc() -> None:
    assert text("A & B <i>") == "A &amp; B &lt;i&gt;"
    assert text("Ho\u0300a\nBi\u0300nh") == "Hòa<br/>Bình"
