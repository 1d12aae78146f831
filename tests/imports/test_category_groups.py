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
        "Lò Thị Bé": frozenset(),
    }
