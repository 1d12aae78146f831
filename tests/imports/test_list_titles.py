"""Lists kept one per hamlet and per category, with no column for either: what the rows
are is said in the title above the header ("DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN") or in the
sheet's name ("HCN")."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from nhao.domain.enums import Category
from nhao.imports.errors import ImportRejected
from nhao.models.database import Database
from nhao.services import households, units
from nhao.services.actor import Actor
from nhao.services.household_import import ImportOptions, import_file

from .conftest import make_csv, make_xlsx, messages, statuses

HEADER = ["STT", "Họ và tên chủ hộ", "Năm sinh"]
NO_CATEGORY = (
    "Tệp không có cột diện hộ (nghèo, cận nghèo, có công, ...): các hộ mới được nhập chưa "
    "thuộc diện nào; hãy bổ sung diện hộ sau khi nhập."
)


def _stored(db: Database, admin: Actor) -> dict[str, tuple[str, frozenset[Category]]]:
    found = households.list_households(db, admin, households.HouseholdQuery())
    return {h.head_name: (h.hamlet_name, frozenset(h.categories)) for h in found}


# The hamlet's tests list the category in a column: only the hamlet is left to the title.
SORTED = [*HEADER, "Diện hộ"]
SORTED_ROWS = [[1, "Nguyễn Văn An", 1960, "HN"], [2, "Lò Thị Bé", 1975, "HCN"]]


@pytest.mark.parametrize(
    "title",
    [
        "DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN",
        "Thôn Nà Pàn, xã Bình Gia",
        "DANH SACH HO NGHEO THON NA PAN",  # typed without marks
        "Thôn: Nà Pàn",  # a form's line, filled in: before, no place was read after ":"
        "THÔN : NÀ PÀN - XÃ BÌNH GIA",
    ],
)
def test_a_title_naming_one_hamlet_gives_the_hamlet(
    db: Database, admin: Actor, tmp_path: Path, title: str
) -> None:
    rows = [["UBND XÃ BÌNH GIA"], [title], SORTED, *SORTED_ROWS]
    report = import_file(db, admin, make_xlsx(tmp_path / "thon.xlsx", rows, sheet="Sheet1"),
                         ImportOptions())  # fmt: skip
    assert statuses(report) == [(4, "ok"), (5, "ok")]
    assert report.notes == [
        f"Tệp không có cột thôn, xóm: các hộ được ghi vào Thôn Nà Pàn theo tiêu đề “{title}”."
    ]
    assert _stored(db, admin) == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", {Category.poor}),
        "Lò Thị Bé": ("Thôn Nà Pàn", {Category.near_poor}),
    }


def test_a_title_naming_a_hamlet_in_a_csv_file(db: Database, admin: Actor, tmp_path: Path) -> None:
    title = "Danh sách hộ xóm Cốc Lùng"
    path = make_csv(tmp_path / "thon.csv", [[title], SORTED, *SORTED_ROWS])
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert statuses(report) == [(3, "ok"), (4, "ok")]
    assert report.notes == [
        f"Tệp không có cột thôn, xóm: các hộ được ghi vào Xóm Cốc Lùng theo tiêu đề “{title}”."
    ]


@pytest.mark.parametrize(
    ("title", "hamlet"),
    [
        ("DANH SÁCH HỘ NGHÈO THÔN II", "Thôn 2"),
        ("Danh sách hộ nghèo thôn 02 năm 2025", "Thôn 2"),
        ("DANH SÁCH HỘ NGHÈO XÓM IV - XÃ BÌNH GIA", "Xóm 4"),
    ],
)
def test_a_title_naming_a_numbered_hamlet_as_lists_write_it_gives_the_hamlet(
    db: Database, admin: Actor, tmp_path: Path, title: str, hamlet: str
) -> None:
    """"THÔN II", "thôn 02": the commune's "Thôn 2". The file was refused, as if it had
    no hamlet's name ("thiếu cột bắt buộc: Thôn, xóm")."""
    units.add_hamlets(db, admin, ["Thôn 1", "Thôn 2", "Xóm 4"])
    path = make_xlsx(tmp_path / "thon.xlsx", [[title], SORTED, *SORTED_ROWS], sheet="Sheet1")
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert statuses(report) == [(3, "ok"), (4, "ok")]
    assert report.notes == [
        f"Tệp không có cột thôn, xóm: các hộ được ghi vào {hamlet} theo tiêu đề “{title}”."
    ]


@pytest.mark.parametrize(
    "title",
    [
        "DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN VÀ XÓM CỐC LÙNG",  # two hamlets
        "DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN, CỐC LÙNG",  # the second without its "Xóm"
        "DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN 2",  # another hamlet, which the commune has not
        "DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN TRÊN",
        "DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN NAM",  # "Nam" is no year ("NĂM 2025")
        "Danh sách hộ nghèo thôn Nà Pàn Nam",
        "DANH SÁCH HỘ NGHÈO CÁC THÔN",
        "DANH SÁCH HỘ NGHÈO XÃ BÌNH GIA",  # the commune, not its hamlet Thôn Bình Gia
        "DANH SÁCH CHỦ HỘ BẢN CHU",  # Lạng Sơn has a Bản Chu; this commune has not
    ],
)
def test_a_title_naming_no_one_known_hamlet_gives_none(
    db: Database, admin: Actor, tmp_path: Path, title: str
) -> None:
    units.add_hamlets(db, admin, ["Thôn Bình Gia"])
    path = make_xlsx(tmp_path / "thon.xlsx", [[title], SORTED, *SORTED_ROWS], sheet="Sheet1")
    with pytest.raises(ImportRejected, match="thiếu cột bắt buộc: Thôn, xóm"):
        import_file(db, admin, path, ImportOptions(), dry_run=True)


@pytest.mark.parametrize(
    "line", ["TỔ TRƯỞNG: LÒ VĂN AN", "TO TRUONG: LO VAN AN", "TỔ TK&VV: LÒ VĂN AN", "Tổ trưởng"]
)
def test_a_title_line_naming_a_team_leader_names_no_place(
    db: Database, admin: Actor, tmp_path: Path, line: str
) -> None:
    """"TỔ TRƯỞNG" in capitals read as the place "Tổ Trưởng": with the title's Thôn Nà
    Pàn, two places, and the file was refused for its hamlet. A place the commune has
    not is still refused."""
    rows = [["DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN"], [line], SORTED, *SORTED_ROWS]
    path = make_xlsx(tmp_path / "thon.xlsx", rows, sheet="Sheet1")
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert statuses(report) == [(4, "ok"), (5, "ok")]
    assert report.notes == [
        "Tệp không có cột thôn, xóm: các hộ được ghi vào Thôn Nà Pàn theo tiêu đề “DANH SÁCH "
        "HỘ NGHÈO THÔN NÀ PÀN”."
    ]
    rows[1] = ["TỔ HỒNG HÀ"]
    path = make_xlsx(tmp_path / "to.xlsx", rows, sheet="Sheet1")
    with pytest.raises(ImportRejected, match="thiếu cột bắt buộc: Thôn, xóm"):
        import_file(db, admin, path, ImportOptions(), dry_run=True)


def test_the_longest_hamlet_name_a_title_names_is_the_hamlet(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    units.add_hamlets(db, admin, ["Thôn Nà Pàn 2", "Thôn Bình Gia"])
    rows = [["UBND XÃ BÌNH GIA, HUYỆN BÌNH GIA"], ["DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN 2 NĂM 2025"]]
    path = make_xlsx(tmp_path / "thon.xlsx", [*rows, SORTED, *SORTED_ROWS], sheet="Sheet1")
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(4, "ok"), (5, "ok")]
    assert {hamlet for hamlet, _ in _stored(db, admin).values()} == {"Thôn Nà Pàn 2"}


def test_a_hamlet_whose_name_holds_a_place_word(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "Làng" is a place word too: "THÔN PÁC LÀNG NĂM 2025" names one hamlet, not two.
    units.add_hamlets(db, admin, ["Thôn Pác Làng"])
    title = "DANH SÁCH HỘ NGHÈO THÔN PÁC LÀNG NĂM 2025"
    path = make_xlsx(tmp_path / "thon.xlsx", [[title], SORTED, *SORTED_ROWS], sheet="Sheet1")
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert statuses(report) == [(3, "ok"), (4, "ok")]
    assert report.notes == [
        f"Tệp không có cột thôn, xóm: các hộ được ghi vào Thôn Pác Làng theo tiêu đề “{title}”."
    ]


@pytest.mark.parametrize("sheet", ["HN thôn Nà Pàn", "Thôn Nà Pàn - HN", "Hộ nghèo thôn Nà Pàn"])
def test_a_sheet_named_after_its_hamlet_and_more(
    db: Database, admin: Actor, tmp_path: Path, sheet: str
) -> None:
    rows = [["DANH SÁCH HỘ NGHÈO"], SORTED, *SORTED_ROWS]
    path = make_xlsx(tmp_path / "thon.xlsx", rows, sheet=sheet)
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert statuses(report) == [(3, "ok"), (4, "ok")]
    assert report.notes == [
        f"Tệp không có cột thôn, xóm: các hộ được ghi vào Thôn Nà Pàn theo tên trang tính "
        f"“{sheet}”."
    ]


def test_what_else_gives_the_hamlet_wins_over_the_title(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    title = [["DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN"]]
    rows = [*title, [*SORTED, "Thôn"], [1, "Nguyễn Văn An", 1960, "HN", "Khau Bon"]]
    column = make_xlsx(tmp_path / "cot.xlsx", rows)
    report = import_file(db, admin, column, ImportOptions(), dry_run=True)
    assert (statuses(report), report.notes) == ([(3, "ok")], [])
    chosen = make_xlsx(tmp_path / "chon.xlsx", [*title, SORTED, *SORTED_ROWS])
    report = import_file(db, admin, chosen, ImportOptions(hamlet="Cốc Lùng"))
    assert (statuses(report), report.notes) == ([(3, "ok"), (4, "ok")], [])
    rows = [*title, SORTED, ["I", "Xóm Cốc Lùng"], [1, "Lý Văn Em", 1990, "HN"]]
    grouped = make_xlsx(tmp_path / "nhom.xlsx", rows)
    report = import_file(db, admin, grouped, ImportOptions())
    assert (statuses(report), report.notes) == ([(3, "skipped"), (4, "ok")], [])
    assert {name: hamlet for name, (hamlet, _) in _stored(db, admin).items()} == {
        "Nguyễn Văn An": "Xóm Cốc Lùng",
        "Lò Thị Bé": "Xóm Cốc Lùng",
        "Lý Văn Em": "Xóm Cốc Lùng",
    }


def test_blank_hamlet_cells_of_a_hamlets_list_take_the_titles_hamlet(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A hamlet's list with a hamlet column filled on some rows only: the clerk leaves the
    cell blank where the title says it. Before, the first blank row was an error ("Hãy
    chọn thôn, xóm.") and the others took the hamlet of the row above, even another
    hamlet's. Now a blank cell is the title's hamlet, and a cell naming another still
    wins; a blank below another hamlet's row is said."""
    title = "DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN"
    rows = [
        [title],
        [*SORTED, "Thôn"],
        [1, "Nguyễn Văn An", 1960, "HN", ""],
        [2, "Lò Thị Bé", 1975, "HN", "Thôn Nà Pàn"],
        [3, "Hoàng Văn Cường", 1980, "HCN", ""],
        [4, "Vi Văn Dũng", 1981, "HN", "Xóm Cốc Lùng"],
        [5, "Lý Văn Em", 1990, "HN", ""],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "thon.xlsx", rows), ImportOptions())
    assert statuses(report) == [(3, "ok"), (4, "ok"), (5, "ok"), (6, "ok"), (7, "warning")]
    assert messages(report, 7) == (
        f"Cột E “Thôn”: Ô để trống: xếp vào Thôn Nà Pàn theo tiêu đề “{title}”, dù dòng trên "
        "ghi thôn “Xóm Cốc Lùng”. Hãy kiểm tra lại."
    )
    assert report.notes == [
        f"3 hộ để trống ô thôn, xóm được ghi vào Thôn Nà Pàn theo tiêu đề “{title}”."
    ]
    assert _stored(db, admin) == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", {Category.poor}),
        "Lò Thị Bé": ("Thôn Nà Pàn", {Category.poor}),
        "Hoàng Văn Cường": ("Thôn Nà Pàn", {Category.near_poor}),
        "Vi Văn Dũng": ("Xóm Cốc Lùng", {Category.poor}),
        "Lý Văn Em": ("Thôn Nà Pàn", {Category.poor}),
    }


def test_blank_hamlet_cells_of_a_list_pasted_below_take_its_titles_hamlet(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    header = [*SORTED, "Thôn"]
    rows = [
        ["DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN"], header, [1, "Nguyễn Văn An", 1960, "HN", ""], [],
        ["DANH SÁCH HỘ NGHÈO XÓM CỐC LÙNG"], header,
        [1, "Hoàng Văn Cường", 1960, "HN", ""], [2, "Lý Thị Dung", 1990, "HCN", "Bản Khau Bon"],
    ]  # fmt: skip
    report = import_file(db, admin, make_xlsx(tmp_path / "hai.xlsx", rows), ImportOptions())
    assert statuses(report) == [(3, "ok"), (5, "skipped"), (6, "skipped"), (7, "ok"), (8, "ok")]
    assert report.notes == [
        "2 hộ để trống ô thôn, xóm được ghi vào Thôn Nà Pàn theo tiêu đề “DANH SÁCH HỘ NGHÈO "
        "THÔN NÀ PÀN”; các hộ dưới tiêu đề ở dòng 5 vào Xóm Cốc Lùng."
    ]
    assert {name: hamlet for name, (hamlet, _) in _stored(db, admin).items()} == {
        "Nguyễn Văn An": "Thôn Nà Pàn",
        "Hoàng Văn Cường": "Xóm Cốc Lùng",
        "Lý Thị Dung": "Bản Khau Bon",
    }


def test_blank_hamlet_cells_under_a_group_title_take_the_groups_hamlet(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["DANH SÁCH HỘ NGHÈO"],
        [*SORTED, "Thôn"],
        ["I", "Thôn Nà Pàn"],
        [1, "Nguyễn Văn An", 1960, "HN", ""],
        [2, "Vi Văn Dũng", 1981, "HN", "Xóm Cốc Lùng"],
        [3, "Hoàng Văn Cường", 1980, "HN", ""],
        ["II", "Bản Khau Bon"],
        [4, "Lý Văn Em", 1990, "HN", ""],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "nhom.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (3, "skipped"), (4, "ok"), (5, "ok"), (6, "ok"), (7, "skipped"), (8, "ok"),
    ]  # fmt: skip
    assert {name: hamlet for name, (hamlet, _) in _stored(db, admin).items()} == {
        "Nguyễn Văn An": "Thôn Nà Pàn",
        "Vi Văn Dũng": "Xóm Cốc Lùng",
        "Hoàng Văn Cường": "Thôn Nà Pàn",
        "Lý Văn Em": "Bản Khau Bon",
    }


@pytest.mark.parametrize(
    ("title", "sheet", "where", "category"),
    [
        ("DANH SÁCH HỘ CẬN NGHÈO NĂM 2025", "Sheet1", "tiêu đề “DANH SÁCH HỘ CẬN NGHÈO NĂM 2025”",
         Category.near_poor),
        ("UBND XÃ BÌNH GIA", "HCN", "tên trang tính “HCN”", Category.near_poor),
        ("UBND XÃ BÌNH GIA", "Hộ cận nghèo", "tên trang tính “Hộ cận nghèo”", Category.near_poor),
        ("DANH SÁCH HỘ NGHÈO", "HN", "tiêu đề “DANH SÁCH HỘ NGHÈO”", Category.poor),
        ("Danh sách hộ gia đình có công thôn Nà Pàn", "Sheet1",
         "tiêu đề “Danh sách hộ gia đình có công thôn Nà Pàn”", Category.revolutionary_merit),
    ],
)  # fmt: skip
def test_a_title_or_sheet_naming_one_category_gives_it_to_the_rows(  # noqa: PLR0913
    db: Database, admin: Actor, tmp_path: Path, title: str, sheet: str, where: str,
    category: Category,
) -> None:  # fmt: skip
    rows = [[title], [*HEADER, "Thôn"], [1, "Nguyễn Văn An", 1960, "Nà Pàn"],
            [2, "Lò Thị Bé", 1975, "Cốc Lùng"]]  # fmt: skip
    report = import_file(db, admin, make_xlsx(tmp_path / "dien.xlsx", rows, sheet=sheet),
                         ImportOptions())  # fmt: skip
    assert statuses(report) == [(3, "ok"), (4, "ok")]
    assert report.notes == [
        f"Diện hộ lấy từ {where}: các hộ không ghi diện được xếp vào diện {category.label_vi}."
    ]
    assert _stored(db, admin) == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", {category}),
        "Lò Thị Bé": ("Xóm Cốc Lùng", {category}),
    }


@pytest.mark.parametrize(
    ("title", "sheet"),
    [
        ("DANH SÁCH HỘ THOÁT NGHÈO NĂM 2025", "Sheet1"),
        ("DANH SÁCH HỘ MỚI THOÁT NGHÈO", "Sheet1"),
        ("Danh sách hộ thoát cận nghèo", "Sheet1"),
        ("DANH SÁCH HỘ NGHÈO VÀ HỘ CẬN NGHÈO", "Sheet1"),
        ("Danh sách hộ nghèo, cận nghèo thôn Nà Pàn", "Sheet1"),
        ("DANH SÁCH HỘ NGOÀI HỘ NGHÈO", "Sheet1"),
        ("Danh sách hộ không nghèo", "Sheet1"),
        ("KẾT QUẢ RÀ SOÁT HỘ NGHÈO NĂM 2025", "Sheet1"),
        ("DANH SÁCH HỘ NGHÈO RÀ SOÁT NĂM 2025", "Sheet1"),
        ("DANH SÁCH HỘ NGHÈO GIẢM NĂM 2025", "Sheet1"),  # those who left it
        ("Danh sách hộ nghèo không còn nghèo", "Sheet1"),
        ("DANH SÁCH HỘ CẬN NGHÈO CHUYỂN THÀNH HỘ NGHÈO", "Sheet1"),
        ("DANH SÁCH HỘ NGHÈO", "HCN"),  # the title and the sheet say two
        ("(Kèm theo Quyết định công nhận hộ nghèo)", "Sheet1"),
        ("UBND XÃ BÌNH GIA", "Thoát nghèo"),
    ],
)
def test_a_title_naming_no_one_category_gives_none(
    db: Database, admin: Actor, tmp_path: Path, title: str, sheet: str
) -> None:
    rows = [[title], [*HEADER, "Thôn"], [1, "Nguyễn Văn An", 1960, "Nà Pàn"]]
    report = import_file(db, admin, make_xlsx(tmp_path / "dien.xlsx", rows, sheet=sheet),
                         ImportOptions())  # fmt: skip
    assert (statuses(report), report.notes) == ([(3, "ok")], [NO_CATEGORY])
    assert _stored(db, admin) == {"Nguyễn Văn An": ("Thôn Nà Pàn", frozenset())}


@pytest.mark.parametrize(
    ("title", "sheet", "where"),
    [
        ("DANH SÁCH HỘ NGHÈO HẾT HẠN", "Sheet1", "tiêu đề “DANH SÁCH HỘ NGHÈO HẾT HẠN”"),
        ("Hộ nghèo đã chết", "Sheet1", "tiêu đề “Hộ nghèo đã chết”"),
        ("DANH SÁCH HỘ NGHÈO ĐÃ CHẾT", "Sheet1", "tiêu đề “DANH SÁCH HỘ NGHÈO ĐÃ CHẾT”"),
        ("DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN ĐÃ CHUYỂN ĐI", "Sheet1",
         "tiêu đề “DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN ĐÃ CHUYỂN ĐI”"),
        ("UBND XÃ BÌNH GIA", "hộ nghèo đã tách hộ", "tên trang tính “hộ nghèo đã tách hộ”"),
        ("DANH SÁCH HỘ NGHÈO ĐỀ NGHỊ ĐƯA RA KHỎI DANH SÁCH", "Sheet1",
         "tiêu đề “DANH SÁCH HỘ NGHÈO ĐỀ NGHỊ ĐƯA RA KHỎI DANH SÁCH”"),
        # The title names the category, the sheet's name says those households left it.
        ("DANH SÁCH HỘ NGHÈO", "Hộ nghèo đã chết", "tên trang tính “Hộ nghèo đã chết”"),
    ],
)  # fmt: skip
def test_a_title_naming_households_no_longer_on_the_list_gives_no_category(
    db: Database, admin: Actor, tmp_path: Path, title: str, sheet: str, where: str
) -> None:
    """Their households went in as poor, the category the words name."""
    rows = [[title], [*HEADER, "Thôn"], [1, "Nguyễn Văn An", 1960, "Nà Pàn"]]
    report = import_file(db, admin, make_xlsx(tmp_path / "het.xlsx", rows, sheet=sheet),
                         ImportOptions())  # fmt: skip
    assert statuses(report) == [(3, "ok")]
    assert report.notes == [
        f"Không lấy diện hộ theo {where}: đó là các hộ không còn trong danh sách (chết, chuyển "
        "đi, tách hộ, hết hạn, ...).",
        NO_CATEGORY,
    ]
    assert _stored(db, admin) == {"Nguyễn Văn An": ("Thôn Nà Pàn", frozenset())}


@pytest.mark.parametrize(
    "title",
    [
        "DANH SÁCH HỘ NGHÈO NĂM 2025 (ĐÃ LOẠI HỘ CHẾT, CHUYỂN ĐI)",
        "DANH SÁCH HỘ NGHÈO (sau khi loại bỏ các hộ đã chết, chuyển đi, tách hộ)",
        "DANH SÁCH HỘ NGHÈO (không bao gồm hộ đã chuyển đi)",
        "Danh sách hộ nghèo, trừ hộ đã chết",
    ],
)
def test_a_title_leaving_out_the_households_gone_still_gives_its_category(
    db: Database, admin: Actor, tmp_path: Path, title: str
) -> None:
    """A list that says the households who died or moved away were taken out of it is
    of the households still on it. Before, the words "chết", "chuyển đi" read as the
    title of the households gone: the whole list went in without a category."""
    rows = [[title], [*HEADER, "Thôn"], [1, "Nguyễn Văn An", 1960, "Nà Pàn"]]
    report = import_file(db, admin, make_xlsx(tmp_path / "loai.xlsx", rows), ImportOptions())
    assert statuses(report) == [(3, "ok")]
    assert report.notes == [
        f"Diện hộ lấy từ tiêu đề “{title}”: các hộ không ghi diện được xếp vào diện Hộ nghèo."
    ]
    assert _stored(db, admin) == {"Nguyễn Văn An": ("Thôn Nà Pàn", {Category.poor})}


def test_group_titles_inside_the_list_win_for_their_rows(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["DANH SÁCH HỘ CẬN NGHÈO NĂM 2025"],
        [*HEADER, "Thôn"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn"],
        [2, "Lò Thị Bé", 1975, "nt"],
        ["I", "Hộ nghèo"],
        [1, "Hoàng Văn Cường", 1980, "Cốc Lùng"],
        ["II", "Thôn Nà Pàn"],  # a hamlet's title alone keeps the category above
        [1, "Lý Văn Em", 1990, ""],
        ["III", "Hộ khác"],  # a group of no category nhao knows: not the title's
        [1, "Hà Văn Giang", 1970, "Khau Bon"],
        ["IV", "Xóm Cốc Lùng - hộ cận nghèo"],
        [1, "Vàng A Páo", 1985, ""],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "nhom.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (3, "ok"), (4, "ok"), (5, "skipped"), (6, "ok"), (7, "skipped"), (8, "ok"),
        (9, "skipped"), (10, "ok"), (11, "skipped"), (12, "ok"),
    ]  # fmt: skip
    assert messages(report, 9) == (
        "Tiêu đề nhóm “Hộ khác”: không rõ là diện nào; các dòng dưới không lấy diện "
        "theo tiêu đề nhóm ở trên."
    )
    assert report.notes == [
        "Diện hộ lấy từ tiêu đề “DANH SÁCH HỘ CẬN NGHÈO NĂM 2025”: các hộ không ghi diện được "
        "xếp vào diện Hộ cận nghèo.",
        NO_CATEGORY,
    ]
    assert _stored(db, admin) == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", {Category.near_poor}),
        "Lò Thị Bé": ("Thôn Nà Pàn", {Category.near_poor}),
        "Hoàng Văn Cường": ("Xóm Cốc Lùng", {Category.poor}),
        "Lý Văn Em": ("Thôn Nà Pàn", {Category.poor}),
        "Hà Văn Giang": ("Bản Khau Bon", frozenset()),
        "Vàng A Páo": ("Xóm Cốc Lùng", {Category.near_poor}),
    }


def test_a_category_column_keeps_its_empty_cells_empty(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["DANH SÁCH HỘ NGHÈO"],
        [*HEADER, "Thôn", "Diện hộ"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", "Cận nghèo"],
        [2, "Lò Thị Bé", 1975, "Nà Pàn", ""],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "cot.xlsx", rows), ImportOptions())
    assert report.notes == []
    assert _stored(db, admin) == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", {Category.near_poor}),
        "Lò Thị Bé": ("Thôn Nà Pàn", frozenset()),
    }


def test_a_sheet_and_a_title_naming_two_hamlets_give_neither(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A copied sheet whose name was left: which hamlet is meant, a person says."""
    rows = [["DANH SÁCH HỘ NGHÈO XÓM CỐC LÙNG"], SORTED, *SORTED_ROWS]
    path = make_xlsx(tmp_path / "hai-thon.xlsx", rows, sheet="Nà Pàn")
    with pytest.raises(ImportRejected) as refused:
        import_file(db, admin, path, ImportOptions())
    assert str(refused.value).endswith(
        "Không tự chọn thôn: Thôn Nà Pàn theo tên trang tính “Nà Pàn” nhưng Xóm Cốc Lùng "
        "theo tiêu đề “DANH SÁCH HỘ NGHÈO XÓM CỐC LÙNG”; hãy chọn thôn cho cả tệp."
    )
    report = import_file(db, admin, path, ImportOptions(hamlet="Xóm Cốc Lùng"))
    assert statuses(report) == [(3, "ok"), (4, "ok")]
    assert {hamlet for hamlet, _ in _stored(db, admin).values()} == {"Xóm Cốc Lùng"}


def test_a_list_pasted_below_under_a_title_naming_another_hamlet_is_of_that_hamlet(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Two hamlets' lists one below the other, each under its title: the first title's
    hamlet was the file's, and the second list's households went quietly to it."""
    rows = [
        ["DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN"], SORTED, *SORTED_ROWS, [],
        ["DANH SÁCH HỘ NGHÈO XÓM CỐC LÙNG"], SORTED,
        [1, "Hoàng Văn Cường", 1960, "HN"], [2, "Lý Thị Dung", 1990, "HCN"],
    ]  # fmt: skip
    report = import_file(db, admin, make_xlsx(tmp_path / "hai.xlsx", rows, sheet="Sheet1"),
                         ImportOptions())  # fmt: skip
    assert statuses(report) == [(3, "ok"), (4, "ok"), (6, "skipped"), (7, "skipped"),
                                (8, "ok"), (9, "ok")]  # fmt: skip
    assert messages(report, 6).endswith("Các hộ bên dưới thuộc Xóm Cốc Lùng theo tiêu đề này.")
    assert report.notes == [
        "Tệp không có cột thôn, xóm: các hộ được ghi vào Thôn Nà Pàn theo tiêu đề “DANH SÁCH "
        "HỘ NGHÈO THÔN NÀ PÀN”; các hộ dưới tiêu đề ở dòng 6 vào Xóm Cốc Lùng."
    ]
    assert {name: hamlet for name, (hamlet, _) in _stored(db, admin).items()} == {
        "Nguyễn Văn An": "Thôn Nà Pàn",
        "Lò Thị Bé": "Thôn Nà Pàn",
        "Hoàng Văn Cường": "Xóm Cốc Lùng",
        "Lý Thị Dung": "Xóm Cốc Lùng",
    }


def test_a_list_pasted_below_under_a_title_naming_a_place_the_commune_has_not(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Its households are not put in the first title's hamlet: each asks for its own."""
    rows = [
        ["DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN"], SORTED, *SORTED_ROWS, [],
        ["DANH SÁCH HỘ NGHÈO THÔN NÀ LÈNG"], SORTED, [1, "Hoàng Văn Cường", 1960, "HN"],
    ]  # fmt: skip
    report = import_file(db, admin, make_xlsx(tmp_path / "hai.xlsx", rows, sheet="Sheet1"),
                         ImportOptions())  # fmt: skip
    assert statuses(report) == [(3, "ok"), (4, "ok"), (6, "skipped"), (7, "skipped"),
                                (8, "error")]  # fmt: skip
    assert messages(report, 6).endswith(
        "Tiêu đề này không ghi một thôn của xã: các hộ bên dưới không được xếp vào Thôn Nà Pàn."
    )
    assert report.notes[-1].endswith("; các hộ dưới tiêu đề ở dòng 6 không vào thôn nào.")
    assert {name: hamlet for name, (hamlet, _) in _stored(db, admin).items()} == {
        "Nguyễn Văn An": "Thôn Nà Pàn",
        "Lò Thị Bé": "Thôn Nà Pàn",
    }


def test_a_list_pasted_below_under_a_title_naming_a_category_is_of_that_category(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Each list's title gives its rows its category, as the first list's does, with the
    same refusals: the lists below the first took none, and their households went in
    with no category."""
    rows = [
        ["DANH SÁCH HỘ NGHÈO NĂM 2025"], [*HEADER, "Thôn"], [1, "Nguyễn Văn An", 1960, "Nà Pàn"],
        [],
        ["DANH SÁCH HỘ CẬN NGHÈO"], ["(Kèm theo Quyết định số 12/QĐ-UBND)"], [*HEADER, "Thôn"],
        [1, "Lò Thị Bé", 1975, "Nà Pàn"], [2, "Hoàng Văn Cường", 1980, "Cốc Lùng"],
        [],
        ["DANH SÁCH HỘ NGHÈO ĐÃ CHẾT"], [*HEADER, "Thôn"], [1, "Lý Văn Em", 1990, "Khau Bon"],
        [],
        ["DANH SÁCH HỘ NGHÈO VÀ HỘ CẬN NGHÈO"], [*HEADER, "Thôn"],
        [1, "Vàng A Páo", 1985, "Khau Bon"],
    ]  # fmt: skip
    report = import_file(db, admin, make_xlsx(tmp_path / "bon.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (3, "ok"), (5, "skipped"), (6, "skipped"), (7, "skipped"), (8, "ok"), (9, "ok"),
        (11, "skipped"), (12, "skipped"), (13, "ok"), (15, "skipped"), (16, "skipped"),
        (17, "ok"),
    ]  # fmt: skip
    title = "Dòng chỉ có “{}” ở Cột A “STT”, không ghi hộ nào (tiêu đề giữa danh sách?): bỏ qua."
    assert messages(report, 5) == (
        title.format("DANH SÁCH HỘ CẬN NGHÈO")
        + " Các hộ bên dưới không ghi diện thuộc diện Hộ cận nghèo theo tiêu đề này."
    )
    assert messages(report, 11) == (
        title.format("DANH SÁCH HỘ NGHÈO ĐÃ CHẾT")
        + " Không lấy diện theo tiêu đề này: đó là các hộ không còn trong danh sách (chết, "
        "chuyển đi, tách hộ, hết hạn, ...)."
    )
    assert messages(report, 15) == title.format("DANH SÁCH HỘ NGHÈO VÀ HỘ CẬN NGHÈO")
    assert report.notes == [
        "Diện hộ lấy từ tiêu đề “DANH SÁCH HỘ NGHÈO NĂM 2025”: các hộ không ghi diện được xếp "
        "vào diện Hộ nghèo.",
        "Diện hộ lấy từ tiêu đề “DANH SÁCH HỘ CẬN NGHÈO” ở dòng 5: các hộ không ghi diện được "
        "xếp vào diện Hộ cận nghèo.",
        NO_CATEGORY,
    ]
    assert {name: categories for name, (_, categories) in _stored(db, admin).items()} == {
        "Nguyễn Văn An": {Category.poor},
        "Lò Thị Bé": {Category.near_poor},
        "Hoàng Văn Cường": {Category.near_poor},
        "Lý Văn Em": frozenset(),
        "Vàng A Páo": frozenset(),
    }


@pytest.mark.parametrize(
    ("column", "label"), [(1, "Cột B “Họ và tên chủ hộ”"), (2, "Cột C “Năm sinh”")]
)
def test_the_title_of_a_list_pasted_below_typed_beyond_the_first_column(
    db: Database, admin: Actor, tmp_path: Path, column: int, label: str
) -> None:
    """Typed in the name column, not merged from column A, the title went in as a
    household named "DANH SÁCH HỘ CẬN NGHÈO XÓM CỐC LÙNG" (in the name column) or as an
    error row (beyond it), and the list's households went quietly to Thôn Nà Pàn, poor."""
    title = "DANH SÁCH HỘ CẬN NGHÈO XÓM CỐC LÙNG"
    rows = [
        ["DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN"], HEADER, [1, "Nguyễn Văn An", 1960], [],
        ["" for _ in range(column)] + [title], HEADER, [1, "Lò Thị Bé", 1975],
    ]  # fmt: skip
    report = import_file(db, admin, make_xlsx(tmp_path / "hai.xlsx", rows), ImportOptions())
    assert statuses(report) == [(3, "ok"), (5, "skipped"), (6, "skipped"), (7, "ok")]
    assert messages(report, 5) == (
        f"Dòng chỉ có “{title}” ở {label}, không ghi hộ nào (tiêu đề giữa danh sách?): bỏ qua. "
        "Các hộ bên dưới thuộc Xóm Cốc Lùng theo tiêu đề này. Các hộ bên dưới không ghi diện "
        "thuộc diện Hộ cận nghèo theo tiêu đề này."
    )
    assert _stored(db, admin) == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", {Category.poor}),
        "Lò Thị Bé": ("Xóm Cốc Lùng", {Category.near_poor}),
    }


def test_a_sheet_named_as_the_commune_gives_no_hamlet_of_that_name(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "Bình Gia", the commune's own name, put every row in its hamlet Thôn Bình Gia.
    units.add_hamlets(db, admin, ["Thôn Bình Gia"])
    rows = [["STT", "Họ và tên chủ hộ", "Năm sinh"], [1, "Lò Văn An", 1960]]
    path = make_xlsx(tmp_path / "xa.xlsx", rows, sheet="Bình Gia")
    with pytest.raises(ImportRejected) as refused:
        import_file(db, admin, path, ImportOptions())
    assert str(refused.value).endswith(
        "Không chọn thôn theo tên trang tính “Bình Gia”, vì đó là tên của xã; hãy chọn thôn "
        "cho cả tệp."
    )
    written = make_xlsx(tmp_path / "thon.xlsx", rows, sheet="Thôn Bình Gia")
    report = import_file(db, admin, written, ImportOptions())
    assert statuses(report) == [(2, "ok")]
    assert _stored(db, admin)["Lò Văn An"][0] == "Thôn Bình Gia"


def test_a_hamlets_list_grouped_by_category_takes_its_hamlet_from_the_title(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Group titles naming categories only ("A. HỘ NGHÈO") say nothing of the hamlet:
    the title's hamlet holds for every group. Before, each row was an error "Hãy chọn
    thôn, xóm.", as if the groups had named hamlets."""
    title = "DANH SÁCH HỘ NGHÈO, CẬN NGHÈO THÔN NÀ PÀN"
    rows = [
        [title], ["TT", "Họ và tên chủ hộ", "Năm sinh"],
        ["A", "HỘ NGHÈO"], [1, "Nguyễn Văn An", 1960],
        ["B", "HỘ CẬN NGHÈO"], [2, "Lò Thị Bé", 1970],
    ]  # fmt: skip
    report = import_file(db, admin, make_xlsx(tmp_path / "thon.xlsx", rows), ImportOptions())
    assert statuses(report) == [(3, "skipped"), (4, "ok"), (5, "skipped"), (6, "ok")]
    assert report.notes == [
        f"Tệp không có cột thôn, xóm: các hộ được ghi vào Thôn Nà Pàn theo tiêu đề “{title}”."
    ]
    assert _stored(db, admin) == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", {Category.poor}),
        "Lò Thị Bé": ("Thôn Nà Pàn", {Category.near_poor}),
    }


def test_a_list_grouped_by_category_with_no_hamlet_anywhere_is_refused_whole(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """As a list with no groups: one sentence asking for the hamlet column or the file's
    hamlet, not an error on every row that says only "Hãy chọn thôn, xóm."."""
    rows = [
        ["TT", "Họ và tên chủ hộ", "Năm sinh"],
        ["A", "HỘ NGHÈO"], [1, "Nguyễn Văn An", 1960],
        ["B", "HỘ CẬN NGHÈO"], [2, "Lò Thị Bé", 1970],
    ]  # fmt: skip
    path = make_xlsx(tmp_path / "xa.xlsx", rows)
    with pytest.raises(ImportRejected) as refusal:
        import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert str(refusal.value) == (
        "Tệp xa.xlsx thiếu cột bắt buộc: Thôn, xóm (hoặc chọn một thôn cho cả tệp). Các cột "
        "tìm thấy ở dòng 1: A “TT”, B “Họ và tên chủ hộ”, C “Năm sinh”."
    )
    report = import_file(db, admin, path, ImportOptions(hamlet="Cốc Lùng"))
    assert statuses(report) == [(2, "skipped"), (3, "ok"), (4, "skipped"), (5, "ok")]
    assert _stored(db, admin) == {
        "Nguyễn Văn An": ("Xóm Cốc Lùng", {Category.poor}),
        "Lò Thị Bé": ("Xóm Cốc Lùng", {Category.near_poor}),
    }


def test_a_workbook_with_a_sheet_per_hamlet_says_the_other_sheets_hold_lists(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The import reads one sheet. Before, nothing said that the next sheets held the
    other hamlets' lists, and the first hamlet's households passed for the commune's.
    A hidden sheet, or one holding no list, is not named."""
    book = openpyxl.Workbook()
    lists = {"Nà Pàn": ["Nguyễn Văn An", "Lò Thị Bé"], "Cốc Lùng": ["Vi Văn Cường"],
             "Khau Bon": ["Hoàng Văn Dũng"], "Cũ": ["Lý Văn Em"]}  # fmt: skip
    for number, (sheet, names) in enumerate(lists.items()):
        page = book.active if number == 0 else book.create_sheet(sheet)
        page.title = sheet
        page.append([f"DANH SÁCH HỘ NGHÈO {sheet.upper()}"])
        page.append(["STT", "Họ và tên chủ hộ", "Năm sinh"])
        for row, name in enumerate(names, start=1):
            page.append([row, name, 1960 + row])
    book["Cũ"].sheet_state = "hidden"
    book.create_sheet("Tổng hợp").append(["Thôn", "Số hộ"])
    book.save(path := tmp_path / "ca-xa.xlsx")
    report = import_file(db, admin, path, ImportOptions())
    assert (report.sheet, statuses(report)) == ("Nà Pàn", [(3, "ok"), (4, "ok")])
    assert report.notes[-1] == (
        "Các trang tính “Cốc Lùng”, “Khau Bon” của tệp cũng có danh sách hộ; lần nhập này chỉ "
        "đọc trang “Nà Pàn”, hãy nhập tiếp từng trang đó."
    )
    report = import_file(db, admin, path, ImportOptions(sheet="Khau Bon"))
    assert report.notes[-1].startswith("Các trang tính “Nà Pàn”, “Cốc Lùng” của tệp")
    assert {n: h for n, (h, _) in _stored(db, admin).items()} == {
        "Nguyễn Văn An": "Thôn Nà Pàn",
        "Lò Thị Bé": "Thôn Nà Pàn",
        "Hoàng Văn Dũng": "Bản Khau Bon",
    }


def test_an_address_column_gives_each_row_its_hamlet(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Many lists keep no hamlet column, only "Địa chỉ". Before, such a file was refused
    for its missing hamlet column. Now each row takes the hamlet its address names, the
    address kept as written; an address naming none is that row's error, said."""
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Diện hộ", "Địa chỉ"],
        [1, "Nguyễn Văn An", 1960, "HN", "Thôn Nà Pàn, xã Bình Gia"],
        [2, "Lò Thị Bé", 1970, "HN", "Cốc Lùng - Bình Gia - Lạng Sơn"],
        [3, "Vi Văn Cường", 1980, "HCN", "Số 12, bản Khau Bon"],
        [4, "Hoàng Văn Dũng", 1955, "HN", "Xã Bình Gia"],
        [5, "Lý Văn Em", 1990, "HN", None],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "dia-chi.xlsx", rows), ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok"), (5, "error"), (6, "error")]
    unplaced = (
        "Cột E “Địa chỉ”: Địa chỉ không ghi thôn nào của xã (các thôn hiện có: Bản Khau Bon, "
        "Thôn Nà Pàn, Xóm Cốc Lùng). Hãy ghi tên thôn vào địa chỉ, thêm cột thôn, xóm, hoặc "
        "chọn một thôn cho các hộ có địa chỉ không ghi thôn."
    )
    assert (messages(report, 5), messages(report, 6)) == (unplaced, unplaced)
    assert report.notes == [
        "Tệp không có cột thôn, xóm: thôn của mỗi hộ lấy theo địa chỉ ở cột E “Địa chỉ”."
    ]
    found = households.list_households(db, admin, households.HouseholdQuery())
    assert {h.head_name: (h.hamlet_name, h.address) for h in found} == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", "Thôn Nà Pàn, xã Bình Gia"),
        "Lò Thị Bé": ("Xóm Cốc Lùng", "Cốc Lùng - Bình Gia - Lạng Sơn"),
        "Vi Văn Cường": ("Bản Khau Bon", "Số 12, bản Khau Bon"),
    }


def test_an_address_naming_no_hamlet_takes_the_titles(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    title = "DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN"
    rows = [
        [title], ["STT", "Họ và tên chủ hộ", "Năm sinh", "Địa chỉ"],
        [1, "Nguyễn Văn An", 1960, "Bình Gia"], [2, "Lò Thị Bé", 1970, "Xóm Cốc Lùng"],
    ]  # fmt: skip
    report = import_file(db, admin, make_xlsx(tmp_path / "thon.xlsx", rows), ImportOptions())
    assert statuses(report) == [(3, "ok"), (4, "ok")]
    assert report.notes[-1:] == [
        "Tệp không có cột thôn, xóm: thôn của mỗi hộ lấy theo địa chỉ ở cột D “Địa chỉ”; hộ "
        f"có địa chỉ không ghi thôn vào Thôn Nà Pàn theo tiêu đề “{title}”."
    ]
    assert {n: h for n, (h, _) in _stored(db, admin).items()} == {
        "Nguyễn Văn An": "Thôn Nà Pàn",
        "Lò Thị Bé": "Xóm Cốc Lùng",
    }


def test_addresses_naming_the_commune_but_one_say_a_hamlet_may_be_chosen_for_the_file(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """An address column that is the commune's on every row but one: that one row names
    a hamlet, so the file is read by its addresses and every other row is an error. The
    error said to write the hamlet into each address or add a hamlet column, not the
    one step that places them all: a hamlet chosen for the file (--hamlet, or the
    wizard's), which the rows naming none take, the one naming its hamlet keeping it."""
    rows = [["STT", "Họ và tên chủ hộ", "Năm sinh", "Địa chỉ"]] + [
        [n, name, 1950 + n, address]
        for n, (name, address) in enumerate([
            ("Nguyễn Văn An", "Xã Bình Gia, huyện Bình Gia"),
            ("Lò Thị Bé", "Thôn Nà Pàn, xã Bình Gia"),
            ("Vi Văn Cường", "Xã Bình Gia, huyện Bình Gia"),
        ], 1)
    ]  # fmt: skip
    path = make_xlsx(tmp_path / "xa.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert statuses(report) == [(2, "error"), (3, "ok"), (4, "error")]
    assert messages(report, 2) == messages(report, 4) == (
        "Cột D “Địa chỉ”: Địa chỉ không ghi thôn nào của xã (các thôn hiện có: Bản Khau Bon, "
        "Thôn Nà Pàn, Xóm Cốc Lùng). Hãy ghi tên thôn vào địa chỉ, thêm cột thôn, xóm, hoặc "
        "chọn một thôn cho các hộ có địa chỉ không ghi thôn."
    )
    report = import_file(db, admin, path, ImportOptions(hamlet="Xóm Cốc Lùng"))
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok")]
    # Said, as for the hamlet a title gives: before, the note named the addresses alone.
    assert report.notes == [
        NO_CATEGORY,
        "Tệp không có cột thôn, xóm: thôn của mỗi hộ lấy theo địa chỉ ở cột D “Địa chỉ”; hộ "
        "có địa chỉ không ghi thôn vào Xóm Cốc Lùng (thôn chọn cho cả tệp).",
    ]
    assert {n: h for n, (h, _) in _stored(db, admin).items()} == {
        "Nguyễn Văn An": "Xóm Cốc Lùng", "Lò Thị Bé": "Thôn Nà Pàn",
        "Vi Văn Cường": "Xóm Cốc Lùng",
    }  # fmt: skip


def test_an_address_naming_the_commune_is_not_the_hamlet_of_its_name(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A commune with a hamlet of its own name (Thôn Bình Gia in Xã Bình Gia): "Bình
    Gia, Lạng Sơn" is the commune's address, and before, the row went into Thôn Bình Gia,
    status OK, nothing said. Now the commune's name alone names no hamlet; written with
    its place's word, "Thôn Bình Gia", it does."""
    units.add_hamlets(db, admin, ["Thôn Bình Gia"])
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Địa chỉ"],
        [1, "Nguyễn Văn An", 1960, "Bình Gia, Lạng Sơn"],
        [2, "Lò Thị Bé", 1970, "Thôn Bình Gia, xã Bình Gia"],
        [3, "Vi Văn Cường", 1980, "Nà Pàn - Bình Gia"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "xa.xlsx", rows), ImportOptions())
    assert statuses(report) == [(2, "error"), (3, "ok"), (4, "ok")]
    assert messages(report, 2).startswith("Cột D “Địa chỉ”: Địa chỉ không ghi thôn nào của xã")
    assert {n: h for n, (h, _) in _stored(db, admin).items()} == {
        "Lò Thị Bé": "Thôn Bình Gia", "Vi Văn Cường": "Thôn Nà Pàn",
    }  # fmt: skip


def test_an_address_naming_another_hamlet_than_its_group_is_said(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A list grouped under hamlet titles, with an address column: before, a row whose
    address named another hamlet than its group's went into the group's, status OK,
    nothing said; one of the two is wrong. It still goes with its group (the list's own
    order), and says so, naming both."""
    rows = [
        ["DANH SÁCH HỘ NGHÈO"], [*HEADER, "Địa chỉ"],
        ["I", "Thôn Nà Pàn"],
        [1, "Nguyễn Văn An", 1960, "Số 3 - Thôn Nà Pàn"],
        [2, "Lò Thị Bé", 1970, "Xóm Cốc Lùng, xã Bình Gia"],
        [3, "Vi Văn Cường", 1980, "Xã Bình Gia"],
        ["II", "Xóm Cốc Lùng"],
        [1, "Hoàng Văn Dũng", 1955, "Cốc Lùng"],
    ]  # fmt: skip
    report = import_file(db, admin, make_xlsx(tmp_path / "nhom.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (3, "skipped"), (4, "ok"), (5, "warning"), (6, "ok"), (7, "skipped"), (8, "ok")
    ]
    assert messages(report, 5) == (
        "Cột D “Địa chỉ”: Địa chỉ ghi Xóm Cốc Lùng nhưng dòng này ở nhóm “Thôn Nà Pàn”: xếp "
        "vào Thôn Nà Pàn theo tiêu đề nhóm. Nếu hộ ở Xóm Cốc Lùng, hãy chuyển dòng sang nhóm "
        "đó (hoặc sửa địa chỉ) rồi nhập lại."
    )
    assert {n: h for n, (h, _) in _stored(db, admin).items()} == {
        "Nguyễn Văn An": "Thôn Nà Pàn", "Lò Thị Bé": "Thôn Nà Pàn",
        "Vi Văn Cường": "Thôn Nà Pàn", "Hoàng Văn Dũng": "Xóm Cốc Lùng",
    }  # fmt: skip


def test_addresses_naming_no_hamlet_leave_the_file_refused(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Only the commune in every address: refused in one sentence, as with no address."""
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Địa chỉ"],
        [1, "Nguyễn Văn An", 1960, "Xã Bình Gia"], [2, "Lò Thị Bé", 1970, "Bình Gia"],
    ]  # fmt: skip
    with pytest.raises(ImportRejected, match="thiếu cột bắt buộc: Thôn, xóm"):
        import_file(db, admin, make_xlsx(tmp_path / "xa.xlsx", rows), ImportOptions())
    rows = [["Họ và tên chủ hộ", "Thôn", "Địa chỉ"], ["Nguyễn Văn An", "Nà Pàn", "Khau Bon"]]
    report = import_file(db, admin, make_xlsx(tmp_path / "cot.xlsx", rows), ImportOptions())
    assert statuses(report) == [(2, "ok")]  # the hamlet column says it, not the address
    assert _stored(db, admin)["Nguyễn Văn An"][0] == "Thôn Nà Pàn"
