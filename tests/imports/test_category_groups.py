"""Lists grouped under the category of their households ("I. Hộ nghèo", "II. Hộ cận
nghèo") instead of a column for it."""

from __future__ import annotations

from pathlib import Path

from nhao.domain.enums import Category
from nhao.models.database import Database
from nhao.services import households
from nhao.services.actor import Actor
from nhao.services.household_import import ImportOptions, import_file

from .conftest import make_xlsx, messages, statuses


def _categories(db: Database, admin: Actor) -> dict[str, frozenset[Category]]:
    found = households.list_households(db, admin, households.HouseholdQuery())
    return {h.head_name: frozenset(h.categories) for h in found}


def test_a_category_title_gives_the_category_of_the_rows_below(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["DANH SÁCH HỘ NGHÈO, CẬN NGHÈO CẦN HỖ TRỢ NHÀ Ở"],
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Ghi chú"],
        ["I", "Hộ nghèo"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", ""],
        [2, "Lò Thị Bé", 1975, "Nà Pàn", ""],
        ["II", "HỘ CẬN NGHÈO NĂM 2024"],
        [1, "Hoàng Văn Cường", 1980, "Cốc Lùng", ""],
        ["B. Hộ nghèo:"],
        [1, "Lý Văn Em", 1990, "Khau Bon", ""],
        # A household whose name holds the word: no title (its hamlet the one above).
        ["", "Lò Văn Nghèo"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "nhom.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (3, "skipped"), (4, "ok"), (5, "ok"), (6, "skipped"), (7, "ok"), (8, "skipped"),
        (9, "ok"), (10, "warning"),
    ]  # fmt: skip
    assert messages(report, 3) == "Tiêu đề nhóm: các dòng dưới thuộc diện Hộ nghèo."
    assert messages(report, 6) == "Tiêu đề nhóm: các dòng dưới thuộc diện Hộ cận nghèo."
    assert not any("chưa thuộc diện nào" in note for note in report.notes)
    assert _categories(db, admin) == {
        "Nguyễn Văn An": {Category.poor},
        "Lò Thị Bé": {Category.poor},
        "Hoàng Văn Cường": {Category.near_poor},
        "Lý Văn Em": {Category.poor},
        "Lò Văn Nghèo": {Category.poor},
    }


def test_the_sum_under_each_group_is_no_household(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A list grouped under "I. Hộ nghèo", "II. Hộ cận nghèo" sums each group on a
    "Cộng I", "Cộng II" row: each went in as a household named "Cộng I" (status warning,
    its hamlet taken from the row above), or was an error row, in every such list."""
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Số NK"],
        ["I", "Hộ nghèo"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", 4],
        ["", "Tổng I", "", "", 4],  # a group's, not the list's end
        ["II", "Hộ cận nghèo"],
        [1, "Hoàng Văn Cường", 1980, "Cốc Lùng", 5],
        ["Cộng II:", "", "", "", 5],
        ["B", "Hộ nghèo"],
        [1, "Lý Văn Em", 1990, "Khau Bon", 3],
        ["", "Cộng nhóm B (1 hộ)", "", "", 3],
        ["", "Cộng A Páo", 1970, "Khau Bon", 2],  # a name, whatever it begins with
        ["", "Cộng I+II+B", "", "", 14],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "nhom.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (2, "skipped"), (3, "ok"), (4, "skipped"), (5, "skipped"), (6, "ok"), (7, "skipped"),
        (8, "skipped"), (9, "ok"), (10, "skipped"), (11, "ok"), (12, "skipped"),
    ]  # fmt: skip
    assert messages(report, 4) == messages(report, 7) == "Dòng tổng cộng: bỏ qua."
    assert set(_categories(db, admin)) == {
        "Nguyễn Văn An", "Hoàng Văn Cường", "Lý Văn Em", "Cộng A Páo"
    }


def test_a_list_pasted_below_does_not_take_the_last_group_of_the_list_above(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A list grouped under "I. Hộ nghèo" with a second list pasted below it, under its
    own title ("DANH SÁCH HỘ CẬN NGHÈO NĂM 2024") and header: the second list's
    households went in as poor, status OK, the category of the first list's last group,
    and the first of them with a blank hamlet took the first list's last hamlet (or its
    last hamlet title's, nothing said)."""
    header = ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn"]
    rows = [
        header,
        ["I", "Hộ nghèo"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn"],
        [],
        ["DANH SÁCH HỘ CẬN NGHÈO NĂM 2024"],
        header,
        [1, "Hoàng Văn Cường", 1980, ""],
        [2, "Lò Thị Bé", 1982, "Cốc Lùng"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "hai-ds.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (2, "skipped"), (3, "ok"), (5, "skipped"), (6, "skipped"), (7, "error"), (8, "ok"),
    ]  # fmt: skip
    assert "Hãy chọn thôn, xóm" in messages(report, 7)
    rows[1] = ["1", "Thôn Nà Pàn"]  # the first list grouped by hamlet instead
    rows[2] = [1, "Nguyễn Văn An", 1960, ""]
    path = make_xlsx(tmp_path / "hai-ds-thon.xlsx", rows)
    again = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert [s for s in statuses(again) if s[0] == 7] == [(7, "error")]
    assert _categories(db, admin) == {
        "Nguyễn Văn An": {Category.poor},
        "Lò Thị Bé": {Category.near_poor},  # its own list's title's
    }


GONE = "hộ không còn trong danh sách (chết, chuyển đi, tách hộ, hết hạn, ...)"


def test_a_group_of_households_no_longer_on_the_list_gives_no_category(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"II. Hộ nghèo đã chết" groups the households whose head died: they went in as
    poor, as the title said "Hộ nghèo"."""
    rows = [
        ["DANH SÁCH HỘ NGHÈO"],
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn"],
        ["II", "Hộ nghèo đã chết"],
        [1, "Lò Thị Bé", 1975, "Nà Pàn"],
        ["III", "Hộ cận nghèo"],
        [1, "Hoàng Văn Cường", 1980, "Cốc Lùng"],
        ["IV", "hộ nghèo đã tách hộ"],
        [1, "Lý Văn Em", 1990, "Khau Bon"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "nhom.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (3, "ok"), (4, "skipped"), (5, "ok"), (6, "skipped"), (7, "ok"), (8, "skipped"),
        (9, "ok"),
    ]  # fmt: skip
    for row, title in ((4, "Hộ nghèo đã chết"), (8, "hộ nghèo đã tách hộ")):
        assert messages(report, row) == (
            f"Tiêu đề nhóm “{title}”: đó là các {GONE}; các dòng dưới không lấy diện theo "
            "tiêu đề nào ở trên."
        )
    assert _categories(db, admin) == {
        "Nguyễn Văn An": {Category.poor},
        "Lò Thị Bé": frozenset(),
        "Hoàng Văn Cường": {Category.near_poor},
        "Lý Văn Em": frozenset(),
    }


def test_a_category_cell_saying_the_household_left_the_list_gives_no_category(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", "Hộ nghèo đã chết"],
        [2, "Lò Thị Bé", 1975, "Nà Pàn", "HN - đã chuyển đi"],
        [3, "Hoàng Văn Cường", 1980, "Cốc Lùng", "hộ nghèo đã tách hộ"],
        [4, "Lý Văn Em", 1990, "Khau Bon", "Hộ cận nghèo hết hạn"],
        [5, "Vàng A Páo", 1985, "Khau Bon", "HCN"],
        [6, "Hà Văn Giang", 1970, "Khau Bon", "Hộ nghèo"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "dien.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (2, "warning"), (3, "warning"), (4, "warning"), (5, "warning"), (6, "ok"), (7, "ok"),
    ]  # fmt: skip
    cells = ["Hộ nghèo đã chết", "HN - đã chuyển đi", "hộ nghèo đã tách hộ", "Hộ cận nghèo hết hạn"]
    for row, cell in enumerate(cells, start=2):
        assert messages(report, row) == (
            f"Cột E “Diện hộ”: Diện “{cell}” là {GONE}: không xếp vào diện nào. | "
            "Cột E “Diện hộ”: Hộ chưa thuộc diện nào (nghèo, cận nghèo, có công, ...)."
        )
    assert _categories(db, admin) == {
        "Nguyễn Văn An": frozenset(),
        "Lò Thị Bé": frozenset(),
        "Hoàng Văn Cường": frozenset(),
        "Lý Văn Em": frozenset(),
        "Vàng A Páo": {Category.near_poor},
        "Hà Văn Giang": {Category.poor},
    }


def test_a_category_cell_saying_the_head_changed_keeps_the_category(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"Hộ nghèo (chủ hộ đã chết, vợ làm chủ hộ)": the old head died, the household is
    still poor under its new head. Before, "đã chết" read as a household no longer on
    the list: no category. Now the category stays, and the row asks for the head's name
    to be checked; a cell saying only that the head died, or that the household's time
    ran out, still gives none."""
    cells = [
        "Hộ nghèo (chủ hộ đã chết, vợ làm chủ hộ)",
        "HN - chủ hộ chết, con trai làm chủ hộ",
        "Hộ cận nghèo (đổi chủ hộ)",
        "Hộ nghèo (chủ hộ đã chết)",
        "Hộ cận nghèo hết hạn, đổi chủ hộ",
    ]
    names = ["Nguyễn Thị Hoa", "Lò Văn Bình", "Hoàng Văn Cường", "Lý Văn Em", "Vàng A Páo"]
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
        *(
            [n, name, 1970, "Nà Pàn", cell]
            for n, (name, cell) in enumerate(zip(names, cells, strict=True), 1)
        ),
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "dien.xlsx", rows), ImportOptions())
    assert statuses(report) == [(r, "warning") for r in range(2, 7)]
    for row, (cell, named) in enumerate(
        zip(cells[:3], ["Hộ nghèo", "Hộ nghèo", "Hộ cận nghèo"], strict=True), start=2
    ):
        assert messages(report, row) == (
            f"Cột E “Diện hộ”: Diện “{cell}” ghi hộ đổi chủ hộ: hộ vẫn thuộc diện {named}; hãy "
            "kiểm tra họ tên chủ hộ ở dòng này là của chủ hộ mới."
        )
    for row, cell in ((5, cells[3]), (6, cells[4])):
        assert messages(report, row) == (
            f"Cột E “Diện hộ”: Diện “{cell}” là {GONE}: không xếp vào diện nào. | "
            "Cột E “Diện hộ”: Hộ chưa thuộc diện nào (nghèo, cận nghèo, có công, ...)."
        )
    assert _categories(db, admin) == {
        "Nguyễn Thị Hoa": {Category.poor},
        "Lò Văn Bình": {Category.poor},
        "Hoàng Văn Cường": {Category.near_poor},
        "Lý Văn Em": frozenset(),
        "Vàng A Páo": frozenset(),
    }
