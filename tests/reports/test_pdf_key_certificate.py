"""The station key certificate, read back from the PDF as a person or a checker would."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import pypdf
import pytest

from nhao.reports.pdf.fonts import MONO_BOLD, SERIF, SERIF_BOLD, SERIF_ITALIC, missing_glyphs
from nhao.reports.pdf.key_certificate import fingerprint_lines, write_key_certificate

UNIT = "Ủy ban nhân dân xã Bình Gia"
PARENT = "Ủy ban nhân dân tỉnh Lạng Sơn"
FINGERPRINT = "QXZ4 KRTM 7WPA H2NC LD5E VJ3G"
A4 = (595.27, 841.89)


def _certificate(out: Path, **overrides: object) -> Path:
    values: dict[str, object] = {
        "unit_name": UNIT,
        "unit_code": "06970",
        "parent_unit_name": PARENT,
        "place": "Bình Gia",
        "station_id": "0195f2a4-7c1e-7b3a-9d2e-4f5a6b7c8d9e",
        "key_id": "3f9a1c0be47d2a65",
        "fingerprint": FINGERPRINT,
        "created": date(2025, 2, 3),
        "issued": date(2025, 2, 5),
    }
    values.update(overrides)
    return write_key_certificate(out, **values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> pypdf.PdfReader:
    # The unit name arrives decomposed (as some Vietnamese keyboards type it); the
    # paper must still say it, and a search must still find it, precomposed.
    out = tmp_path_factory.mktemp("cert") / "giay-chung-nhan-khoa.pdf"
    _certificate(out, unit_name=unicodedata.normalize("NFD", UNIT))
    return pypdf.PdfReader(out)


def _text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_one_a4_page(certificate: pypdf.PdfReader) -> None:
    assert len(certificate.pages) == 1
    box = certificate.pages[0].mediabox
    assert float(box.width) == pytest.approx(A4[0], abs=0.5)
    assert float(box.height) == pytest.approx(A4[1], abs=0.5)


def test_decree_30_header(certificate: pypdf.PdfReader) -> None:
    text = _text(certificate)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    # Unit names in capitals, broken before the administrative level.
    lines = [line.strip() for line in text.splitlines()]
    assert lines[:4] == ["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN", "ỦY BAN NHÂN DÂN", "XÃ BÌNH GIA"]
    assert "Số:" in text
    assert "Bình Gia, ngày 05 tháng 02 năm 2025" in text
    assert re.search(r"ngày \d\d tháng \d\d năm \d{4}", text)
    assert "GIẤY CHỨNG NHẬN KHÓA KÝ GÓI DỮ LIỆU" in text


def test_vietnamese_text_survives_as_nfc(certificate: pypdf.PdfReader) -> None:
    text = _text(certificate)
    assert unicodedata.is_normalized("NFC", text)
    assert UNIT in text
    assert unicodedata.normalize("NFD", UNIT) not in text


def test_details_fingerprint_and_signatures(certificate: pypdf.PdfReader) -> None:
    text = _text(certificate)
    for value in ("06970", "0195f2a4-7c1e-7b3a-9d2e-4f5a6b7c8d9e", "3f9a1c0be47d2a65"):
        assert value in text
    assert "03/02/2025" in text  # the key's creation date
    assert "QXZ4 KRTM 7WPA" in text and "H2NC LD5E VJ3G" in text
    for group in FINGERPRINT.split():
        assert group in text
    assert ".nhaokey" in text
    assert "NGƯỜI LẬP" in text
    assert "THỦ TRƯỞNG ĐƠN VỊ" in text
    assert "(Ký, ghi rõ họ tên, đóng dấu)" in text


def test_fonts_are_embedded_liberation(certificate: pypdf.PdfReader) -> None:
    fonts = certificate.pages[0]["/Resources"]["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        names.add(str(font["/BaseFont"]).split("+")[-1])
        # Embedded: a TrueType font carries its program in the descriptor.
        assert "/FontFile2" in font["/FontDescriptor"]
    assert names == {SERIF, SERIF_BOLD, SERIF_ITALIC, MONO_BOLD}


def test_shipped_fonts_cover_vietnamese() -> None:
    letters = "ẤẦẨẪẬ ặ ữ ỹ đ Đ ơ ư Ơ Ư ỳ ỵ ỷ ₫ “ ” –"
    for font in (SERIF, SERIF_BOLD, SERIF_ITALIC, MONO_BOLD):
        assert missing_glyphs(letters, font) == set()


def test_font_licence_ships_beside_the_fonts() -> None:
    from nhao.reports.pdf.fonts import FONT_DIR

    licence = (FONT_DIR / "LICENSE-Liberation.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Reserved Font Name Liberation" in licence


@pytest.mark.parametrize(
    ("typed", "lines"),
    [
        (FINGERPRINT, ["QXZ4 KRTM 7WPA", "H2NC LD5E VJ3G"]),
        ("qxz4krtm7wpa-h2nc ld5e vj3g", ["QXZ4 KRTM 7WPA", "H2NC LD5E VJ3G"]),
        ("ABCD EFGH", ["ABCD EFGH"]),
    ],
)
def test_fingerprint_lines(typed: str, lines: list[str]) -> None:
    assert fingerprint_lines(typed) == lines


def test_writes_atomically_over_an_old_certificate(tmp_path: Path) -> None:
    out = tmp_path / "cert.pdf"
    out.write_bytes(b"old")
    assert _certificate(out, unit_name="Xã A & B <thử>") == out
    text = _text(pypdf.PdfReader(out))
    assert "Xã A & B <thử>" in text  # escaped, not read as markup
    assert [p.name for p in tmp_path.iterdir()] == ["cert.pdf"]


def test_number_when_given(tmp_path: Path) -> None:
    out = _certificate(tmp_path / "c.pdf", number="12/GCN-UBND", parent_unit_name=None)
    text = _text(pypdf.PdfReader(out))
    assert "Số: 12/GCN-UBND" in text
    assert "TỈNH LẠNG SƠN" not in text
