"""A head of household's name over two columns, as official lists sort by the given
name: "Họ và tên đệm" | "Tên", or "Họ và tên" merged over the two."""

from __future__ import annotations

from pathlib import Path

import pytest

from nhao.models.database import Database
from nhao.services import households
from nhao.services.actor import Actor
from nhao.services.household_import import (
    ImportOptions,
    detect_layout,
    import_file,
    open_import,
    save_mapping,
)

from .conftest import make_csv, make_xlsx, messages, statuses

NAMES = [("Nguyễn Văn", "An"), ("Lò Thị", "Bé")]


def _names(db: Database, admin: Actor) -> list[str]:
    found = households.list_households(db, admin, households.HouseholdQuery())
    return sorted(h.head_name for h in found)


@pytest.mark.parametrize(
    ("header", "merges", "first"),
    [
        # Two header rows: the name's group over its two parts.
        (
            [["STT", "Họ và tên chủ hộ", "", "Năm sinh", "Thôn", "Diện"],
             ["", "Họ và tên đệm", "Tên", "", "", ""]],
            ["B1:C1", "A1:A2", "D1:D2", "E1:E2", "F1:F2"],
            3,
        ),
        # One header row, the name's header merged over both columns.
        ([["STT", "Họ và tên chủ hộ", "", "Năm sinh", "Thôn", "Diện"]], ["B1:C1"], 2),
        # Side by side.
        ([["STT", "Họ", "Tên", "Năm sinh", "Thôn", "Diện"]], [], 2),
        ([["STT", "Họ đệm", "Tên", "Năm sinh", "Thôn", "Diện"]], [], 2),
    ],
)  # fmt: skip
def test_the_given_name_in_a_column_of_its_own_is_part_of_the_name(
    db: Database,
    admin: Actor,
    tmp_path: Path,
    header: list[list[str]],
    merges: list[str],
    first: int,
) -> None:
    rows = header + [
        [n, family, given, 1960 + n, "Nà Pàn", "HN"] for n, (family, given) in enumerate(NAMES, 1)
    ]
    path = make_xlsx(tmp_path / "ten-rieng.xlsx", rows, merges=merges)
    report = import_file(db, admin, path, ImportOptions())
    assert report.to_dict()["mapping"]["B"] == "head_name"
    assert report.to_dict()["mapping"]["C"] == "given_name"
    assert statuses(report) == [(first, "ok"), (first + 1, "ok")]
    assert _names(db, admin) == ["Lò Thị Bé", "Nguyễn Văn An"]


@pytest.mark.parametrize(
    ("parts", "merged"),
    [
        (("Họ và chữ đệm", "Tên"), True), (("Họ, chữ đệm", "Tên"), True),
        (("Họ đệm", "Tên chủ hộ"), True), (("Họ đệm", "Tên"), True),
        (("Họ và chữ đệm", "Tên"), False), (("Họ đệm", "Tên chủ hộ"), False),
        # The head's words after each part: before, "Lò Văn" went in, "Tên chủ hộ" unread.
        (("Họ và chữ đệm chủ hộ", "Tên chủ hộ"), False), (("Họ đệm của chủ hộ", "Tên"), False),
    ],
)  # fmt: skip
def test_the_name_parts_as_the_civil_status_forms_write_them(
    db: Database, admin: Actor, tmp_path: Path, parts: tuple[str, str], merged: bool
) -> None:
    """"Họ và chữ đệm" | "Tên", and "Họ đệm" | "Tên chủ hộ": under "Họ và tên chủ hộ"
    merged over both, the parts' row went in as a household named "Họ và chữ đệm Tên",
    status OK; side by side, each household went in by its given name alone ("An")."""
    header = [["STT", "Họ và tên chủ hộ", "", "Năm sinh"], ["", *parts, ""]] if merged else [
        ["STT", *parts, "Năm sinh"]
    ]
    rows = [*header, *([n, family, given, 1960 + n] for n, (family, given) in enumerate(NAMES, 1))]
    merges = ["B1:C1", "A1:A2", "D1:D2"] if merged else []
    path = make_xlsx(tmp_path / "chu-dem.xlsx", rows, merges=merges)
    report = import_file(db, admin, path, ImportOptions(hamlet="Thôn Nà Pàn"))
    assert report.to_dict()["mapping"]["B"] == "head_name"
    assert report.to_dict()["mapping"]["C"] == "given_name"
    first = len(header) + 1
    assert statuses(report) == [(first, "ok"), (first + 1, "ok")]
    assert _names(db, admin) == ["Lò Thị Bé", "Nguyễn Văn An"]


@pytest.mark.parametrize(
    "parts",
    [("Họ", "Đệm", "Tên"), ("Họ", "Tên đệm", "Tên"), ("HỌ", "CHỮ ĐỆM", "TÊN"),
     ("Họ chủ hộ", "Tên lót", "Tên chủ hộ")],
)  # fmt: skip
def test_a_name_over_three_columns_is_read_whole(
    db: Database, admin: Actor, tmp_path: Path, parts: tuple[str, str, str]
) -> None:
    """"Họ" | "Đệm" | "Tên": before, each household went in by its given name alone
    ("An"), status OK, the family and middle names unread."""
    rows = [
        ["STT", *parts, "Năm sinh"],
        [1, "Nguyễn", "Văn", "An", 1961],
        [2, "Lò", "Thị", "Bé", 1962],
        [3, "Vàng", None, "Páo", 1963],  # no middle name
    ]
    path = make_xlsx(tmp_path / "ba-cot.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(hamlet="Thôn Nà Pàn"))
    assert [report.to_dict()["mapping"][c] for c in "BCD"] == [
        "head_name", "middle_name", "given_name"
    ]
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok")]
    assert _names(db, admin) == ["Lò Thị Bé", "Nguyễn Văn An", "Vàng Páo"]


def test_a_name_column_with_the_given_name_again_for_sorting_is_not_doubled(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["STT", "Họ và tên chủ hộ", "Tên", "Năm sinh", "Thôn", "Diện"],
        [1, "Nguyễn Văn An", "An", 1961, "Nà Pàn", "HN"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "xep.xlsx", rows), ImportOptions())
    assert "given_name" not in report.to_dict()["mapping"].values()
    assert _names(db, admin) == ["Nguyễn Văn An"]


@pytest.mark.parametrize(
    ("header", "merges"),
    [
        ([["STT", "Họ và tên chủ hộ", "", "Năm sinh", "Thôn", "Diện"]], ["B1:C1"]),
        ([["STT", "Họ và tên đệm", "Tên", "Năm sinh", "Thôn", "Diện"]], []),
    ],
)  # fmt: skip
def test_a_name_over_two_columns_remembered_leaves_the_next_lists_their_names(
    db: Database, admin: Actor, tmp_path: Path, header: list[list[str]], merges: list[str]
) -> None:
    """The window's "Remember this mapping" kept the second column's header as the given
    name: "Họ và tên chủ hộ" (merged over both, so both columns bear it) was saved as
    "given_name", and from then on every list headed so, this one too, was refused as
    having no header row; a "Tên" kept to sort by was joined to the name ("… An An")."""
    rows = header + [[1, "Nguyễn Văn", "An", 1961, "Nà Pàn", "HN"]]
    path = make_xlsx(tmp_path / "ten-rieng.xlsx", rows, merges=merges)
    with open_import(db, path) as file:
        layout = detect_layout(db, file)
    save_mapping(db, admin, layout, layout.mapping)  # as the window does when asked to

    again = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert again.to_dict()["mapping"]["B"] == "head_name"
    assert again.to_dict()["mapping"]["C"] == "given_name"
    one_column = [["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện", "Tên"],
                  [1, "Lò Thị Bé", 1970, "Nà Pàn", "HN", "Bé"]]  # fmt: skip
    path = make_xlsx(tmp_path / "mot-cot.xlsx", one_column)
    report = import_file(db, admin, path, ImportOptions())
    assert report.to_dict()["mapping"]["B"] == "head_name"
    assert statuses(report) == [(2, "ok")]
    assert _names(db, admin) == ["Lò Thị Bé"]


def test_a_full_name_with_its_given_name_beside_it_under_one_header_is_not_doubled(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """ "Họ và tên chủ hộ" merged over the full name and the given name kept beside it to
    sort by: every household went in as "Nguyễn Văn An An", status OK, nothing said. A
    name of three words and more that ends with the given name already holds it; a name
    in two parts is still joined, the given name written twice or not ("Lò Văn" | "Văn")."""
    rows = [["STT", "Họ và tên chủ hộ", "", "Năm sinh", "Thôn", "Diện"],
            [1, "Nguyễn Văn An", "An", 1961, "Nà Pàn", "HN"],
            [2, "Giàng A Dình", "Dình", 1975, "Nà Pàn", "HN"],
            [3, "Lò Văn", "Văn", 1980, "Nà Pàn", "HN"]]  # fmt: skip
    path = make_xlsx(tmp_path / "ten-de-xep.xlsx", rows, merges=["B1:C1"])
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok")]
    assert _names(db, admin) == ["Giàng A Dình", "Lò Văn Văn", "Nguyễn Văn An"]


def test_a_given_name_like_the_middle_name_is_kept_when_the_file_splits_its_names(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """ "Nguyễn Thị Thu" | "Thu" is Nguyễn Thị Thu Thu in a list whose first column holds
    the family and middle names only: the other rows show it. It went in as "Nguyễn Thị
    Thu", taken for a full name with its given name repeated to sort by."""
    rows = [["STT", "Họ và tên đệm", "Tên", "Năm sinh", "Thôn", "Diện"],
            [1, "Nguyễn Văn", "An", 1961, "Nà Pàn", "HN"],
            [2, "Nguyễn Thị Thu", "Thu", 1975, "Nà Pàn", "HN"],
            [3, "Hoàng Thị", "Mai", 1980, "Nà Pàn", "HN"],
            [4, "Lò Văn", "Văn", 1982, "Nà Pàn", "HN"]]  # fmt: skip
    path = make_xlsx(tmp_path / "ho-dem.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok"), (5, "ok")]
    assert _names(db, admin) == [
        "Hoàng Thị Mai", "Lò Văn Văn", "Nguyễn Thị Thu Thu", "Nguyễn Văn An"
    ]  # fmt: skip


def test_a_full_name_with_its_given_name_beside_it_is_not_doubled_on_most_rows(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A list whose first column holds the full name on most rows, the given name beside
    it to sort by: "Nguyễn Thị Thu" | "Thu" there is Nguyễn Thị Thu."""
    rows = [["STT", "Họ và tên đệm", "Tên", "Năm sinh", "Thôn", "Diện"],
            [1, "Nguyễn Văn An", "An", 1961, "Nà Pàn", "HN"],
            [2, "Nguyễn Thị Thu", "Thu", 1975, "Nà Pàn", "HN"],
            [3, "Hoàng Thị Mai", "Mai", 1980, "Nà Pàn", "HN"]]  # fmt: skip
    path = make_xlsx(tmp_path / "ho-ten.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok")]
    assert _names(db, admin) == ["Hoàng Thị Mai", "Nguyễn Thị Thu", "Nguyễn Văn An"]


def test_a_given_name_under_the_name_header_of_a_csv_is_part_of_the_name(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """ "Họ và tên" merged over two columns in the sheet, saved to CSV: the given names'
    column has no header of its own, and was dropped ("Nguyễn Văn", "Lò Thị"). Its
    values are given names, so it is read as such, and the report says so."""
    rows: list[list[object]] = [["STT", "Họ và tên", "", "Năm sinh", "Thôn", "Diện"]]
    rows += [[n, family, given, 1960 + n, "Nà Pàn", "HN"] for n, (family, given) in
             enumerate([*NAMES, ("Hoàng Thị Thu", "Thu")], 1)]  # fmt: skip
    report = import_file(db, admin, make_csv(tmp_path / "gop.csv", rows), ImportOptions())
    said = report.to_dict()
    assert said["mapping"]["B"] == "head_name"
    assert said["mapping"]["C"] == "given_name"
    assert any("Cột C" in note and "các tên như An, Bé, Thu:" in note for note in said["notes"])
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok")]
    assert _names(db, admin) == ["Hoàng Thị Thu Thu", "Lò Thị Bé", "Nguyễn Văn An"]


@pytest.mark.parametrize(
    "second",
    [["Nam", "Nữ", "Nam"], ["1", "2", "3"], ["Bị bệnh nặng", "", "Già yếu neo đơn"],
     ["Tày", "Nùng", "Dao"]],  # fmt: skip
)
def test_a_headerless_column_after_the_name_that_holds_no_given_names_is_not_read(
    db: Database, admin: Actor, tmp_path: Path, second: list[str]
) -> None:
    rows: list[list[object]] = [["STT", "Họ và tên", "", "Năm sinh", "Thôn", "Diện"]]
    full = ["Nguyễn Văn An", "Lò Thị Bé", "Hoàng Văn Cường"]
    rows += [[n, name, said, 1960 + n, "Nà Pàn", "HN"]
             for n, (name, said) in enumerate(zip(full, second, strict=True), 1)]  # fmt: skip
    report = import_file(db, admin, make_csv(tmp_path / "khac.csv", rows), ImportOptions())
    assert "C" not in report.to_dict()["mapping"]
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok")]
    assert _names(db, admin) == ["Hoàng Văn Cường", "Lò Thị Bé", "Nguyễn Văn An"]


def test_leaving_out_a_headerless_given_name_remembered_keeps_the_name_header(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The report says to choose "không nhập" for a column with no header after the
    name's, if it holds no given names; that column is known by the name's header (as a
    merged header is), and remembered so the name's own header meant "not imported":
    every later list headed "Họ và tên" lost its names."""
    from nhao.services.household_import import detect_layout, open_import, save_mapping

    rows: list[list[object]] = [["STT", "Họ và tên", "", "Năm sinh", "Thôn", "Diện"]]
    rows += [[n, family, given, 1960 + n, "Nà Pàn", "HN"] for n, (family, given) in
             enumerate(NAMES, 1)]  # fmt: skip
    path = make_csv(tmp_path / "gop.csv", rows)
    with open_import(db, path) as file:
        layout = detect_layout(db, file)
    assert layout.mapping[2] == "given_name"
    # "Không nhập" for column C, as the note says: the window leaves it out of the mapping.
    save_mapping(db, admin, layout, {c: f for c, f in layout.mapping.items() if c != 2})
    later = make_xlsx(tmp_path / "sau.xlsx", [["STT", "Họ và tên", "Năm sinh", "Thôn", "Diện"],
                                              [1, "Lò Văn Tư", 1970, "Nà Pàn", "HN"]])  # fmt: skip
    with open_import(db, later) as file:
        assert detect_layout(db, file).mapping[1] == "head_name"


@pytest.mark.parametrize(
    "second",
    [
        ["Chết", "", "", "", "", ""],  # a note on a row or two, its header left off
        ["", "Đi", "", "Chết", "", ""],
        ["Tư", "", "", "", "", ""],  # a nickname
        ["Nà Pàn", "nt", "nt", "nt", "nt", "nt"],  # "như trên"
        ["Có", "Không", "Không", "Không", "Có", "Không"],
        ["Vợ", "Con", "Con", "Con", "Con", "Con"],
    ],
)
def test_a_headerless_column_of_notes_marks_or_dittos_is_no_given_name(
    db: Database, admin: Actor, tmp_path: Path, second: list[str]
) -> None:
    """A column with no header after the name's whose few cells, or whose every cell, is
    one short word was read as the given name: "Nguyễn Văn An Chết", "Lò Thị Bé nt",
    "Hoàng Văn Cường Không". A given names' column is filled on the households' rows,
    and with names, not notes, marks, dittos or a relation."""
    rows: list[list[object]] = [["STT", "Họ và tên chủ hộ", "", "Năm sinh", "Thôn", "Diện"]]
    full = ["Nguyễn Văn An", "Lò Thị Bé", "Hoàng Văn Cường", "Vi Văn Dũng", "Nông Thị Hoa",
            "Lý Văn Sáu"]  # fmt: skip
    rows += [[n, name, said, 1960 + n, "Nà Pàn", "HN"]
             for n, (name, said) in enumerate(zip(full, second, strict=True), 1)]  # fmt: skip
    report = import_file(db, admin, make_csv(tmp_path / "ghi-chu.csv", rows), ImportOptions())
    assert "C" not in report.to_dict()["mapping"]
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok"), (5, "ok"), (6, "ok"), (7, "ok")]
    assert _names(db, admin) == sorted(full)


def test_a_given_names_column_under_many_titles_and_totals_is_still_read(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # A hamlet's title and its total in the name column, more rows than its households:
    # the given names' column is empty there, and is read all the same.
    rows: list[list[object]] = [["STT", "Họ và tên", "", "Năm sinh", "Thôn", "Diện"]]
    for hamlet, (family, given) in zip(["Thôn Nà Pàn", "Xóm Cốc Lùng"], NAMES, strict=True):
        rows += [
            ["I", hamlet, "", "", "", ""],
            [1, family, given, 1960, hamlet, "HN"],
            ["", f"Cộng {hamlet.lower()}", "", "", "", 1],
        ]
    report = import_file(db, admin, make_csv(tmp_path / "nhom.csv", rows), ImportOptions())
    assert report.to_dict()["mapping"]["C"] == "given_name"
    assert [s for _, s in statuses(report)] == ["skipped", "ok", "skipped"] * 2
    assert _names(db, admin) == ["Lò Thị Bé", "Nguyễn Văn An"]


def test_a_given_name_under_the_name_header_of_a_second_list_in_a_csv_is_part_of_the_name(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The list pasted below has "Họ và tên" merged over two columns, saved to CSV: its
    given names' column has no header of its own. The first list's such column is read;
    the second list's was not, and its households went in as "Hoàng Văn", "Lò Thị",
    every row OK."""
    rows: list[list[object]] = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", "HN"],
        [],
        ["DANH SÁCH HỘ CẬN NGHÈO"],
        ["STT", "Thôn", "Họ và tên", "", "Năm sinh", "Diện"],
        [1, "Khau Bon", "Hoàng Văn", "Cường", 1980, "HCN"],
        [2, "Cốc Lùng", "Lò Thị", "Bé", 1975, "HCN"],
    ]
    report = import_file(db, admin, make_csv(tmp_path / "gop-2.csv", rows), ImportOptions())
    assert statuses(report) == [(2, "ok"), (4, "skipped"), (5, "skipped"), (6, "ok"), (7, "ok")]
    assert (
        "C “Họ và tên” → Họ và tên chủ hộ, D “Họ và tên” → Tên chủ hộ (tách riêng)"
        in messages(report, 5)
    )
    assert (
        "Danh sách có tiêu đề cột ở dòng 5: Cột D không có tiêu đề riêng, nằm ngay sau cột C "
        "“Họ và tên” (tiêu đề gộp hai cột?) và ghi các tên như Cường, Bé: nhập là tên chủ hộ, "
        "ghép sau họ và tên đệm ở cột C. Nếu không đúng, hãy ghi tiêu đề cho cột D trong tệp rồi "
        "nhập lại."
    ) in report.notes
    assert _names(db, admin) == ["Hoàng Văn Cường", "Lò Thị Bé", "Nguyễn Văn An"]


def test_each_list_of_a_file_says_what_its_first_name_column_holds(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Whether the first of a name's two columns holds the full name was weighed once for
    the file, on the first list's columns over every row: a list pasted below whose
    first column holds the family and middle names ("Nguyễn Thị Thu" | "Thu", Nguyễn Thị
    Thu Thu) was read by the first list's habit, or the first list by a mix of both."""
    rows: list[list[object]] = [
        ["STT", "Họ và tên đệm", "Tên", "Năm sinh", "Thôn"],  # full names, to sort by "Tên"
        [1, "Nguyễn Văn An", "An", 1961, "Nà Pàn"],
        [2, "Hoàng Thị Mai", "Mai", 1980, "Nà Pàn"],
        [3, "Lò Văn Páo", "Páo", 1982, "Nà Pàn"],
        [],
        ["STT", "Thôn", "Họ và tên đệm", "Tên", "Năm sinh"],  # the name over two columns
        [1, "Cốc Lùng", "Nguyễn Thị Thu", "Thu", 1975],
        [2, "Cốc Lùng", "Lý Văn", "Em", 1990],
        [3, "Khau Bon", "Hà Thị", "Xuân", 1970],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "hai-thoi-quen.xlsx", rows),
                         ImportOptions())  # fmt: skip
    assert statuses(report) == [
        (2, "ok"), (3, "ok"), (4, "ok"), (6, "skipped"), (7, "ok"), (8, "ok"), (9, "ok"),
    ]  # fmt: skip
    assert _names(db, admin) == [
        "Hoàng Thị Mai", "Hà Thị Xuân", "Lò Văn Páo", "Lý Văn Em", "Nguyễn Thị Thu Thu",
        "Nguyễn Văn An",
    ]  # fmt: skip
