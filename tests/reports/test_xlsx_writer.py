"""nhao's one xlsx writer (xlsx_book over xlsxwriter): files written, then read back as
the import reads them (calamine) and as a spreadsheet program sees them (openpyxl)."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from nhao.reports.bundle_report_xlsx import FileRow, write_bundle_report
from nhao.reports.import_report_xlsx import write_import_report
from nhao.reports.register_xlsx import DATE_WIDTH, Column, write_register
from nhao.reports.xlsx_book import LINE_HEIGHT, Book, Cell, Style, lines
from nhao.reports.xlsx_safety import clean, is_risky

TEXTS = [
    "=1+1", '=HYPERLINK("http://x","bấm")', "+84 912", "-5", "@SUM(A1)", "\tthụt", "\rđầu",
    "\x00=x", "a\rb", "a_x0041_b", "<r>đậm</r>", "<r><t>x</t></r>", " đầu cách", "cuối cách ",
    "a\x01b\x1fc", "dòng 1\ndòng 2", "&<>\"'", "Nguyễn Văn An",
]  # fmt: skip
COLUMNS = [
    Column("STT", "number", 4),
    Column("Ghi chú", "text", 12),
    Column("Số CCCD", "digits", 12),
    Column("Đất", "mark", 5),
    Column("Ngày", "date", 6),
]


def _register(path: Path, rows: list[list[object]]) -> Path:
    write_register(path, title="DANH SÁCH", sheet_name="Danh sách hộ", columns=COLUMNS,
                   rows=rows, exported_on=date(2025, 2, 5))  # fmt: skip
    return path


def _read(path: Path) -> list[list[object]]:
    return python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def test_text_is_always_text_and_reads_back_as_typed(tmp_path: Path) -> None:
    """Whatever people typed: no formula, the quote prefix on what would be one, and the
    import reads back exactly the text (less the control characters XML cannot hold).
    A carriage return or a literal "_x0041_" came back changed from openpyxl's files."""
    path = _register(tmp_path / "so.xlsx", [[n, text, None, None, None] for n, text in
                                            enumerate(TEXTS, 1)])  # fmt: skip
    assert [row[1] for row in _read(path)[2:]] == [clean(text) for text in TEXTS]
    sheet = openpyxl.load_workbook(path).active
    for row, text in enumerate(TEXTS, 3):
        cell = sheet.cell(row, 2)
        assert cell.data_type == "s", text
        assert bool(cell.quotePrefix) == is_risky(text), text


def test_the_register_cells_keep_their_kinds(tmp_path: Path) -> None:
    path = _register(tmp_path / "so.xlsx", [
        [1, "Lò Văn A", "001060000123", "x", date(2024, 3, 9)],
        [2, "", "0912345678", "", None],
    ])  # fmt: skip
    sheet = openpyxl.load_workbook(path).active
    ids = [sheet.cell(row, 3) for row in (3, 4)]
    assert [c.value for c in ids] == ["001060000123", "0912345678"]  # the zeros kept
    assert {(c.data_type, c.number_format) for c in ids} == {("s", "@")}
    mark = sheet.cell(3, 4)
    assert (mark.value, mark.alignment.horizontal) == ("x", "center")
    day = sheet.cell(3, 5)
    assert day.is_date and day.value == datetime(2024, 3, 9) and day.number_format == "DD/MM/YYYY"
    assert sheet.cell(3, 1).data_type == "n" and sheet.cell(4, 2).value is None
    stamp = sheet.cell(1, 5)
    assert stamp.value == datetime(2025, 2, 5) and stamp.number_format == "DD/MM/YYYY"
    assert sheet.cell(1, 4).value == "Ngày xuất:"
    title = sheet.cell(1, 1)
    assert (title.value, title.font.name, title.font.b, title.font.sz) == ("DANH SÁCH", "Calibri",
                                                                          True, 13)  # fmt: skip
    for header in sheet[2]:
        assert (header.font.name, header.font.b) == ("Calibri", True)
        assert header.alignment.wrap_text and header.alignment.horizontal == "center"
        assert header.alignment.vertical == "center"
        assert {header.border.left.style, header.border.top.style} == {"thin"}


def test_the_register_prints_as_before(tmp_path: Path) -> None:
    """Widths as the columns give them (stored as openpyxl stored them: xlsxwriter would
    add 0.71 to a width in characters), narrow margins (fitted to the page's width, wide
    ones printed every letter smaller)."""
    sheet = openpyxl.load_workbook(_register(tmp_path / "so.xlsx", [[1, "A", "", "", None]])).active
    widths = {}
    for dimension in sheet.column_dimensions.values():  # xlsxwriter joins equal neighbours
        for index in range(dimension.min, dimension.max + 1):
            widths[index] = dimension.width
    assert widths == {1: 4, 2: 12, 3: 12, 4: 5, 5: DATE_WIDTH}
    margins = sheet.page_margins
    assert (margins.left, margins.right, margins.top, margins.bottom) == (0.4, 0.4, 0.75, 0.75)
    assert (margins.header, margins.footer) == (0.3, 0.3)
    assert sheet.print_options.gridLines and sheet.print_options.horizontalCentered
    assert sheet.page_setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.freeze_panes, sheet.print_title_rows) == ("A3", "$2:$2")


def test_a_row_is_as_tall_as_its_longest_wrapped_cell(tmp_path: Path) -> None:
    long = "Số nhà 12, ngõ 34, đường Hoàng Văn Thụ, khu tái định cư Nà Pàn"
    sheet = openpyxl.load_workbook(_register(tmp_path / "so.xlsx", [
        [1, long, "", "", None],
        [2, "một\nhai\nba", "", "", None],
        [3, "ngắn", "", "", None],
    ])).active  # fmt: skip
    assert sheet.cell(3, 2).alignment.wrap_text and not sheet.cell(5, 2).alignment.wrap_text
    assert sheet.row_dimensions[3].height == lines(long, 12) * LINE_HEIGHT > LINE_HEIGHT
    assert sheet.row_dimensions[4].height == 3 * LINE_HEIGHT
    assert sheet.row_dimensions[5].height is None  # one line: the default height
    assert sheet.row_dimensions[2].height is None  # the short headers, one line each


def test_tall_rows_are_not_kept_in_memory(tmp_path: Path) -> None:
    """xlsxwriter keeps each row's height for the life of the sheet; the book lets go of
    those already written, or 100,000 tall rows would keep as many."""
    with Book() as book:
        sheet = book.sheet("Dài", [10])
        for n in range(2000):
            sheet.append([Cell(f"dòng {n}\nthứ hai", Style(wrap=True))])
        assert len(sheet.sheet.set_rows) <= 2 and len(sheet.sheet.row_sizes) <= 2
        book.save(tmp_path / "dai.xlsx")
    heights = openpyxl.load_workbook(tmp_path / "dai.xlsx").active.row_dimensions
    assert {heights[n].height for n in range(1, 2001)} == {2 * LINE_HEIGHT}


def test_a_failed_write_leaves_no_file_and_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tam"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))

    def rows():  # type: ignore[no-untyped-def]
        yield [1, "Lò Văn A", "", "", None]
        raise KeyboardInterrupt  # cancelled, say, half-way

    target = tmp_path / "so.xlsx"
    with pytest.raises(KeyboardInterrupt):
        _register(target, rows())  # type: ignore[arg-type]
    assert not target.exists() and list(tmp_path.glob(".*partial")) == []
    assert list(temporary.iterdir()) == []
    _register(target, [[1, "Lò Văn A", "", "", None]])
    assert target.is_file() and list(temporary.iterdir()) == []


def test_a_cell_of_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    with Book() as book, pytest.raises(TypeError):
        book.sheet("S", [5]).append([object()])


def test_the_import_report_colours_statuses_and_wraps_messages(tmp_path: Path) -> None:
    path = tmp_path / "ket-qua.xlsx"
    write_import_report(path, heading=["KẾT QUẢ"], rows=[
        (3, "ok", "Hợp lệ", "Lò Văn A", []),
        (4, "error", "Lỗi", "=Lò Văn B", ["Thiếu năm sinh", "Số CCCD sai"]),
    ])  # fmt: skip
    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$3:$3"
    assert [c.value for c in sheet[3]] == ["Dòng", "Trạng thái", "Họ và tên chủ hộ", "Nội dung"]
    assert all(c.font.b for c in sheet[3]) and sheet.cell(1, 1).font.b
    ok, error = sheet[4], sheet[5]
    assert ok[1].fill.patternType is None
    assert error[1].fill.patternType == "solid" and error[1].fill.fgColor.rgb.endswith("FFC7CE")
    assert error[2].value == "=Lò Văn B" and error[2].quotePrefix
    assert error[3].value == "Thiếu năm sinh\nSố CCCD sai" and error[3].alignment.wrap_text
    assert error[3].alignment.vertical == "top"
    assert sheet.row_dimensions[5].height == 2 * LINE_HEIGHT
    assert [c.width for c in sheet.column_dimensions.values()] == [8, 14, 28, 100]


def test_the_bundle_report_has_a_filter_and_a_sheet_per_list(tmp_path: Path) -> None:
    path = tmp_path / "goi.xlsx"
    refused = FileRow("a.nhao", "refused", "Từ chối", "", "Chữ ký sai", 0, [])
    applied = FileRow("b.nhao", "applied", "Đã nhập", "Thôn A", "", 1,
                      [("Hộ gia đình", (1, 2, 3, 0, 0)), ("Thôn", (0, 0, 1, 0, 0))])  # fmt: skip
    write_bundle_report(path, heading=["KẾT QUẢ NHẬP GÓI"], files=[refused, applied],
                        lists=[("Thay đổi bị từ chối", [])])  # fmt: skip
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Nhập gói", "Thay đổi bị từ chối"]
    sheet = book["Nhập gói"]
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("B4", "A3:K3")
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert rows[0][:2] == ["a.nhao", "Từ chối"] and rows[0][10] == "Chữ ký sai"
    assert rows[1][4:10] == [1, 2, 3, 0, 0, 1] and rows[2][9] is None  # counted once
    status = sheet.cell(4, 2)
    assert status.fill.fgColor.rgb.endswith("FFC7CE") and status.alignment.vertical == "top"
    assert sheet.cell(4, 3).alignment.vertical == "top"  # a blank cell keeps its style
    listed = book["Thay đổi bị từ chối"]
    assert [c.value for c in listed[4]] == [None, "Không có."]


def test_the_bundle_reports_long_heading_line_is_one_wrapped_row(tmp_path: Path) -> None:
    """A heading line longer than the printed width (the files taken, named one by one)
    is one row wrapped within the table's columns, as the import report's: cut into
    rows by its letters, it broke where a count of letters said."""
    path = tmp_path / "goi-dai.xlsx"
    files = "Các gói: " + ", ".join(f"thon-{n:02d}-2025-11-30.nhao" for n in range(12))
    write_bundle_report(path, heading=["KẾT QUẢ NHẬP GÓI", files], files=[], lists=[])
    sheet = openpyxl.load_workbook(path)["Nhập gói"]
    assert [sheet.cell(n, 1).value for n in (1, 2)] == ["KẾT QUẢ NHẬP GÓI", files]
    assert sheet.cell(2, 1).alignment.wrap_text
    assert "A2:K2" in {str(cells) for cells in sheet.merged_cells.ranges}
    assert sheet.auto_filter.ref == "A4:K4"


def test_the_import_reports_heading_lines_wrap_within_the_printed_width(tmp_path: Path) -> None:
    """The heading's lines (the file, the columns of an 18-column list, the notes) were
    cut into rows of 130 letters: bold, they ran past column D, off the printed page,
    and a line broke anywhere. Each is now one row, its text wrapped within columns A
    to D, as tall as its lines; a row's number, status and name stand at its top, level
    with the first line of what was found."""
    mapping = "Các cột: " + ", ".join(f"{chr(65 + n)} → Cột số {n}" for n in range(18))
    heading = ["KẾT QUẢ NHẬP DANH SÁCH HỘ", mapping, "=Ghi chú bắt đầu bằng dấu bằng"]
    path = tmp_path / "ket-qua.xlsx"
    write_import_report(path, heading=heading, rows=[
        (3, "duplicate", "Trùng", "Lò Văn A", ["Trùng số CCCD với hộ đã có.", "Bỏ qua."]),
    ])  # fmt: skip
    sheet = openpyxl.load_workbook(path).active
    assert [sheet.cell(n, 1).value for n in (1, 2, 3)] == heading
    assert sheet.cell(3, 1).data_type == "s" and sheet.cell(3, 1).quotePrefix
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:D1", "A2:D2", "A3:D3"}
    assert sheet.cell(2, 1).alignment.wrap_text and sheet.cell(2, 1).font.b
    width = sum(sheet.column_dimensions[c].width for c in "ABCD")
    assert sheet.row_dimensions[2].height == lines(mapping, int(width), bold=True) * LINE_HEIGHT
    assert sheet.row_dimensions[2].height > LINE_HEIGHT and sheet.row_dimensions[1].height is None
    assert [c.value for c in sheet[5]] == ["Dòng", "Trạng thái", "Họ và tên chủ hộ", "Nội dung"]
    assert sheet.print_title_rows == "$5:$5" and sheet.freeze_panes == "A6"
    assert {c.alignment.vertical for c in sheet[6]} == {"top"}
