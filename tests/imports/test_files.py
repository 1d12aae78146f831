"""Every kind of file a commune may hand over, and the one sentence a bad one gets."""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nhao.imports.errors import ImportRejected
from nhao.imports.sniff import Limits
from nhao.imports.source import open_source
from nhao.models.database import Database
from nhao.services import households
from nhao.services.actor import Actor
from nhao.services.household_import import (
    ImportOptions,
    detect_layout,
    import_file,
    open_import,
    save_import_limits,
)

from .conftest import make_csv, make_xlsx, statuses
from .ods_writer import Covered, Spanned, write_ods
from .xls_writer import compound_file, workbook_stream, write_xls

LIST = [
    ["Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Diện"],
    ["Nguyễn Văn Ấn", 1960, "020060000123", "Nà Pàn", "HN"],
    ["Lò Thị Bé", 1970, 20170000456, "Cốc Lùng", "HCN"],
]


def refused(path: Path, db: Database | None = None) -> str:
    with pytest.raises(ImportRejected) as error:
        if db is None:
            open_source(path, Limits())
        else:
            open_import(db, path)
    message = str(error.value)
    assert path.name in message or str(path) in message
    assert "\n" not in message
    return message


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    pdf = tmp_path / "danh-sach.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert "không phải là bảng tính" in refused(pdf)
    png = tmp_path / "anh.xls"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "không phải là bảng tính" in refused(png)


def test_a_word_document(tmp_path: Path) -> None:
    doc = tmp_path / "danh-sach.docx"
    with zipfile.ZipFile(doc, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "văn bản Word" in refused(doc)


def test_a_web_page_saved_as_xls(tmp_path: Path) -> None:
    page = tmp_path / "xuat-tu-phan-mem.xls"
    page.write_text("<html><body><table><tr><td>Họ tên</td></tr></table></body></html>")
    assert "trang web" in refused(page)


def test_a_password_protected_workbook(tmp_path: Path) -> None:
    # Excel saves an encrypted .xlsx as an OLE container with these two streams.
    stream = "EncryptionInfo".encode("utf-16-le") + b"\0" * 64
    locked = tmp_path / "co-mat-khau.xlsx"
    locked.write_bytes(compound_file(stream + "EncryptedPackage".encode("utf-16-le"), "x"))
    assert "mật khẩu" in refused(locked)


def test_an_xls_saved_with_a_password(tmp_path: Path) -> None:
    # Excel 97 encryption, as Excel and LibreOffice write it: a FILEPASS record (RC4)
    # right after the workbook's BOF, before the sheets' list.
    stream = workbook_stream([("DS", False, LIST)])
    filepass = struct.pack("<HHHHH", 0x002F, 54, 1, 1, 1) + bytes(48)
    locked = tmp_path / "co-mat-khau.xls"
    locked.write_bytes(compound_file(stream[:20] + filepass + stream[20:]))
    assert "có đặt mật khẩu" in refused(locked)


def test_an_ods_saved_with_a_password(tmp_path: Path) -> None:
    # LibreOffice keeps the zip but encrypts the parts, which the manifest says.
    locked = tmp_path / "co-mat-khau.ods"
    with zipfile.ZipFile(locked, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", (
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"><manifest:encryption-data '
            'manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA"/>'
            "</manifest:file-entry></manifest:manifest>"
        ))
        archive.writestr("content.xml", bytes(range(256)))
    message = refused(locked)
    assert "có đặt mật khẩu" in message and "LibreOffice" in message


def test_a_damaged_file(tmp_path: Path) -> None:
    good = make_xlsx(tmp_path / "good.xlsx", LIST)
    cut = tmp_path / "bi-cat.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "bị hỏng" in refused(cut)
    broken = tmp_path / "hong.xls"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert "bị hỏng" in refused(broken)


def test_an_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "rong.csv"
    empty.write_bytes(b"")
    assert "trống" in refused(empty)


def test_missing_file(tmp_path: Path) -> None:
    assert "Không tìm thấy" in refused(tmp_path / "khong-co.xlsx")


def test_a_file_another_program_holds_or_a_drive_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows: Excel may hold a file it has open locked against reading too, and a
    # network drive can drop. Root on Linux reads any file, so the refusals are staged.
    path = make_xlsx(tmp_path / "dang-mo.xlsx", LIST)
    real_open = Path.open

    def refusing(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self == path:
            raise error
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing)
    error: OSError = PermissionError(13, "Permission denied")
    assert refused(path) == (
        "Không đọc được tệp dang-mo.xlsx: tệp đang được một chương trình khác giữ (có thể "
        "đang mở trong Excel) hoặc máy không cho phép đọc; hãy đóng tệp rồi thử lại."
    )
    error = OSError(5, "Input/output error")
    assert refused(path) == (
        "Không đọc được tệp dang-mo.xlsx (Input/output error); hãy kiểm tra ổ đĩa chứa tệp "
        "rồi thử lại."
    )


def test_too_large_by_the_limits_in_settings(db: Database, admin: Actor, tmp_path: Path) -> None:
    rows = LIST + [[f"Người {i}", 1960, "", "Nà Pàn", "HN"] for i in range(60)]
    big = make_xlsx(tmp_path / "lon.xlsx", rows)
    save_import_limits(db, admin, Limits(max_rows=50, max_megabytes=50))
    with pytest.raises(ImportRejected) as error:
        import_file(db, admin, big, ImportOptions())
    assert "quá lớn" in str(error.value) and "50 dòng và 50 MB, đổi được ở mục" in str(error.value)
    csv = make_csv(tmp_path / "lon.csv", rows)
    with pytest.raises(ImportRejected, match="quá lớn"):
        import_file(db, admin, csv, ImportOptions())


def test_megabyte_limit(tmp_path: Path) -> None:
    big = tmp_path / "to.csv"
    big.write_bytes(b"a,b\n" * 300_000)
    with pytest.raises(ImportRejected, match="quá lớn"):
        open_source(big, Limits(max_megabytes=1))


def test_no_header(db: Database, admin: Actor, tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "so-lieu.xlsx", [["a", "b"], [1, 2], [3, 4]])
    with open_import(db, path) as file, pytest.raises(ImportRejected) as error:
        detect_layout(db, file)
    assert "Không tìm thấy dòng tiêu đề" in str(error.value)


def test_required_column_missing_names_the_columns_found(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path = make_xlsx(tmp_path / "thieu.xlsx", [["Họ tên", "Năm sinh", "Ghi chú"], ["A", 1960, ""]])
    with pytest.raises(ImportRejected) as error:
        import_file(db, admin, path, ImportOptions())
    message = str(error.value)
    assert "thiếu cột bắt buộc: Thôn, xóm" in message
    assert "A “Họ tên”, B “Năm sinh”, C “Ghi chú”" in message


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: letters with a tone mark are a
    base letter (â, ơ… are precomposed) followed by a combining tone mark."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in marks:  # â ê ô ă ơ ư are letters of their own in cp1258
            joined = unicodedata.normalize("NFC", base + mark)
            if len(joined) == 1 and joined.encode("cp1258", "ignore"):
                base = joined
                marks.remove(mark)
                break
        out += (base + "".join(marks)).encode("cp1258")
    return out


def _rows_of(db: Database, admin: Actor, path: Path, **options: object) -> list[tuple[int, str]]:
    report = import_file(db, admin, path, ImportOptions(**options), dry_run=True)  # type: ignore[arg-type]
    return statuses(report)


def test_xls(db: Database, admin: Actor, tmp_path: Path) -> None:
    sheets = [("Ẩn", True, [["x"]]), ("DS", False, [["Tiêu đề"], *LIST])]
    path = write_xls(tmp_path / "cu.xls", sheets)
    with open_import(db, path) as file:
        assert [(s.name, s.hidden) for s in file.sheets] == [("Ẩn", True), ("DS", False)]
        assert file.default_sheet == "DS"
    assert _rows_of(db, admin, path) == [(3, "ok"), (4, "warning")]


def test_ods(db: Database, admin: Actor, tmp_path: Path) -> None:
    path = write_ods(tmp_path / "libre.ods", [("DS", [["Tiêu đề"], [], *LIST])])
    assert _rows_of(db, admin, path) == [(4, "ok"), (5, "warning")]


def test_ods_merged_cells(db: Database, admin: Actor, tmp_path: Path) -> None:
    # As LibreOffice saves a list: "Năm sinh" merged over "Nam" and "Nữ", and a hamlet
    # written once, merged down over its two households.
    rows = [
        [Spanned("Họ và tên chủ hộ", rows=2), Spanned("Năm sinh", columns=2), Covered(),
         Spanned("Thôn", rows=2)],
        [Covered(), "Nam", "Nữ", Covered()],
        ["Nguyễn Văn Ấn", 1960, "", Spanned("Nà Pàn", rows=2)],
        ["Lò Thị Bé", "", 1975, Covered()],
    ]  # fmt: skip
    path = write_ods(tmp_path / "gop-o.ods", [("DS", rows)])
    report = import_file(db, admin, path, ImportOptions())
    assert report.mapping == {0: "head_name", 1: "birth_year:male", 2: "birth_year:female",
                              3: "hamlet"}  # fmt: skip
    assert statuses(report) == [(3, "ok"), (4, "ok")]
    found = households.list_households(db, admin, households.HouseholdQuery())
    be = next(h for h in found if h.head_name == "Lò Thị Bé")
    assert (be.birth_year, be.hamlet_name) == (1975, "Thôn Nà Pàn")


def test_an_ods_sheet_is_walked_for_its_merges_once(
    db: Database, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The header search and the import pass both ask for the merges; walking
    # content.xml costs seconds for a province's list.
    from nhao.imports import source

    calls: list[str] = []
    walk = source.ods_merged_cells
    monkeypatch.setattr(source, "ods_merged_cells", lambda *a: calls.append(a[1]) or walk(*a))
    rows = [[Spanned("DANH SÁCH", columns=2), Covered()], ["Họ và tên chủ hộ", "Thôn"],
            ["Nguyễn Văn Ấn", "Nà Pàn"]]  # fmt: skip
    path = write_ods(tmp_path / "mot-lan.ods", [("DS", rows)])
    import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert calls == ["DS"]


def test_a_group_header_in_a_csv_names_the_columns_after_it(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # The same list as test_ods_merged_cells, saved as CSV: the merges are gone, the
    # group header stands in its first column only.
    lines = [
        "Họ và tên chủ hộ;Năm sinh;;Thôn",
        ";Nam;Nữ;",
        "Nguyễn Văn Ấn;1960;;Nà Pàn",
        "Lò Thị Bé;;1975;Nà Pàn",
        "Lò Văn Cả;;;Nà Pàn",
    ]
    path = tmp_path / "nhom.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert report.mapping == {0: "head_name", 1: "birth_year:male", 2: "birth_year:female",
                              3: "hamlet"}  # fmt: skip
    assert report.headers[2] == "Năm sinh / Nữ"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1258", ";"), ("utf-16", "\t")],
)
def test_csv_encodings(
    db: Database, admin: Actor, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    lines = [delimiter.join(str(c) for c in row) for row in LIST]
    text = "\r\n".join(lines) + "\r\n"
    path = tmp_path / f"ds-{encoding}.csv"
    path.write_bytes(cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert statuses(report) == [(2, "ok"), (3, "warning")]
    assert report.rows[0].head_name == "Nguyễn Văn Ấn"  # cp1258 decodes decomposed: NFC again


def test_excel_row_numbers_and_columns_when_the_table_starts_at_c3(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(LIST, 3):
        for c, value in enumerate(row, 3):
            sheet.cell(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "lech.xlsx"
    path.write_bytes(buffer.getvalue())
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert report.header_row == 3
    assert report.to_dict()["mapping"] == {
        "C": "head_name", "D": "birth_year", "E": "citizen_id", "F": "hamlet", "G": "categories",
    }
    assert statuses(report) == [(4, "ok"), (5, "warning")]
    assert "Cột E “Số CCCD”" in report.rows[1].messages[0]


def test_hidden_sheets_are_listed_not_chosen(db: Database, admin: Actor, tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "an.xlsx", LIST, extra_sheets=[("Cũ", "hidden")])
    with open_import(db, path) as file:
        assert [(s.name, s.hidden) for s in file.sheets] == [("Cũ", True), ("Danh sách", False)]
        assert file.default_sheet == "Danh sách"
    assert len(_rows_of(db, admin, path)) == 2
    assert len(_rows_of(db, admin, path, sheet="cu")) == 1  # by folded name, when asked
    with pytest.raises(ImportRejected, match="không có trang tính “Khác”"):
        _rows_of(db, admin, path, sheet="Khác")


def test_a_semicolon_csv_with_notes_on_several_lines(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # As Vietnamese Excel saves it: ";" between cells, a cell written on several lines
    # (Alt+Enter) quoted, commas inside it. Cut into lines, "," splits more of them.
    rows = ["Họ và tên chủ hộ;Năm sinh;Thôn;Ghi chú"] + [
        f'Lò Văn {name};1960;Nà Pàn;"Nhà tạm, dột nát\nThiếu diện tích, nền đất"'
        for name in ("An", "Bình", "Cường", "Dũng")
    ]
    path = tmp_path / "ghi-chu.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8-sig"))
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert report.to_dict()["mapping"] == {
        "A": "head_name", "B": "birth_year", "C": "hamlet", "D": "notes",
    }
    assert [o.row for o in report.rows] == [2, 3, 4, 5]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_a_csv_whose_first_line_names_its_separator(
    db: Database, admin: Actor, tmp_path: Path, delimiter: str
) -> None:
    # "sep=;" on the first line: Excel splits the file at that separator and does not
    # show the line, so the header is row 1 there. The addresses hold the other
    # separators, unquoted, as many as there are columns.
    other = "," if delimiter != "," else ";"
    rows = [
        ["Họ và tên chủ hộ", "Năm sinh", "Địa chỉ", "Thôn"],
        ["Nguyễn Văn An", "1960", f"Km 5{other} QL 1B{other} Bình Gia", "Nà Pàn"],
        ["Lò Thị Bé", "1975", f"Km 6{other} QL 1B{other} Bình Gia", "Nà Pàn"],
        ["Hoàng Văn Cường", "1980", f"Km 7{other} QL 1B{other} Bình Gia", "Cốc Lùng"],
    ]
    lines = [f"sep={delimiter}"] + [delimiter.join(row) for row in rows]
    path = tmp_path / "sep.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert report.header_row == 1
    assert report.to_dict()["mapping"] == {
        "A": "head_name", "B": "birth_year", "C": "address", "D": "hamlet",
    }
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok")]
    assert report.rows[0].head_name == "Nguyễn Văn An"
