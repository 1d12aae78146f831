"""Lists from the years the old ID cards (CMND, 9 digits) were being replaced by the new
ones (CCCD, 12 digits): a column for each, the new one filled where the card was made."""

from __future__ import annotations

from pathlib import Path

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

from .conftest import make_xlsx, messages, statuses


def test_the_cccd_column_is_taken_before_the_old_cmnd_column(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CMND", "Số CCCD", "Thôn", "Diện"],
        [1, "Nguyễn Văn An", 1960, "121234567", "020060000123", "Nà Pàn", "HN"],
        [2, "Lò Thị Bé", 1975, "121234568", "", "Nà Pàn", "HN"],  # no new card yet
        [3, "Hoàng Văn Cường", 1980, "", "020080000125", "Cốc Lùng", "HN"],
    ]
    path = make_xlsx(tmp_path / "cmnd-cccd.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert report.to_dict()["mapping"]["E"] == "citizen_id"
    assert report.notes == [
        "Cột D “Số CMND” cũng là “Số CCCD” như cột E; lấy số ở cột E, số ở cột D chỉ "
        "được nhập khi cột E để trống."
    ]
    assert statuses(report) == [(2, "ok"), (3, "warning"), (4, "ok")]
    assert messages(report, 3).startswith("Cột D “Số CMND”: Đây là số CMND cũ (9 chữ số).")
    found = households.list_households(db, admin, households.HouseholdQuery())
    assert {h.head_name: h.citizen_id for h in found} == {
        "Nguyễn Văn An": "020060000123",
        "Lò Thị Bé": "121234568",
        "Hoàng Văn Cường": "020080000125",
    }


def test_a_wrong_cccd_is_said_not_replaced_by_the_old_number(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["Họ và tên chủ hộ", "Năm sinh", "CMND", "CCCD", "Thôn", "Diện"],
        ["Nguyễn Văn An", 1960, "121234567", "1,23457E+11", "Nà Pàn", "HN"],
        ["Lò Thị Bé", 1975, "121234568", "Chưa cấp", "Nà Pàn", "HN"],
    ]
    path = make_xlsx(tmp_path / "cmnd-cccd.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert statuses(report) == [(2, "error"), (3, "warning")]
    assert messages(report, 2).startswith("Cột D “CCCD”: Excel đã làm hỏng số CCCD")
    assert messages(report, 3).startswith("Cột C “CMND”: Đây là số CMND cũ")


def test_the_window_which_always_sends_the_mapping_reads_the_old_number_alike(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["Họ và tên chủ hộ", "Năm sinh", "Số CMND", "Số CCCD", "Thôn", "Diện"],
        ["Lò Thị Bé", 1975, "121234568", "", "Nà Pàn", "HN"],
    ]
    path = make_xlsx(tmp_path / "cmnd-cccd.xlsx", rows)
    checked = import_file(db, admin, path, ImportOptions(), dry_run=True)
    # The wizard's mapping page sends the mapping it shows, as detected.
    report = import_file(db, admin, path, ImportOptions(mapping=dict(checked.mapping)))
    assert statuses(report) == [(2, "warning")] and report.notes == checked.notes
    (found,) = households.list_households(db, admin, households.HouseholdQuery())
    assert found.citizen_id == "121234568"


def test_a_remembered_mapping_keeps_reading_the_old_number(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The window shows the CMND column as not imported (the CCCD column has the field)
    and, asked to remember the mapping, saved it so: from the next list on, the old
    number of a household without its new card was dropped, nothing said."""
    rows = [
        ["Họ và tên chủ hộ", "Năm sinh", "Số CMND", "Số CCCD", "Thôn", "Diện"],
        ["Lò Thị Bé", 1975, "121234568", "", "Nà Pàn", "HN"],
    ]
    path = make_xlsx(tmp_path / "cmnd-cccd.xlsx", rows)
    with open_import(db, path) as file:
        layout = detect_layout(db, file)
    save_mapping(db, admin, layout, layout.mapping)  # "Remember this mapping", as shown
    checked = import_file(db, admin, path, ImportOptions(), dry_run=True)
    report = import_file(db, admin, path, ImportOptions(mapping=dict(checked.mapping)))
    assert statuses(report) == [(2, "warning")]
    assert messages(report, 2).startswith("Cột C “Số CMND”: Đây là số CMND cũ")
    (found,) = households.list_households(db, admin, households.HouseholdQuery())
    assert found.citizen_id == "121234568"


def test_a_duplicate_found_through_the_old_number_names_the_cmnd(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Two households without the new card, with one old card's number: the second was
    said to share the first's "số CCCD", a number the file has in its CMND column only."""
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CMND", "Số CCCD", "Thôn", "Diện"],
        [1, "Lò Thị Bé", 1975, "121234568", "", "Nà Pàn", "HN"],
        [2, "Lò Thị Bé", 1976, "121234568", "", "Nà Pàn", "HN"],
        [3, "Hoàng Văn Cường", 1980, "", "020080000125", "Cốc Lùng", "HN"],
        [4, "Hoàng Văn Cường", 1981, "", "020080000125", "Cốc Lùng", "HN"],
    ]
    path = make_xlsx(tmp_path / "trung-cmnd.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "warning"), (3, "skipped"), (4, "ok"), (5, "skipped")]
    assert messages(report, 3).startswith("Trùng số CMND với dòng 2 của tệp. | Bỏ qua")
    assert messages(report, 5).startswith("Trùng số CCCD với dòng 4 của tệp. | Bỏ qua")
    again = make_xlsx(tmp_path / "lan-hai.xlsx", rows[:2])  # the register has it now
    second = import_file(db, admin, again, ImportOptions(), dry_run=True)
    assert statuses(second) == [(2, "skipped")]
    assert messages(second, 2) == (  # as the register has it: nothing to write
        "Trùng số CMND với hộ đã có: Lò Thị Bé (Thôn Nà Pàn). | Hộ đã có sẵn các thông tin này."
    )
    found = households.list_households(db, admin, households.HouseholdQuery())
    assert {(h.head_name, h.hamlet_name, h.birth_year) for h in found} == {
        ("Lò Thị Bé", "Thôn Nà Pàn", 1975),
        ("Hoàng Văn Cường", "Xóm Cốc Lùng", 1980),
    }


def test_a_duplicate_names_the_card_its_column_is_of(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A list with the old cards' column alone ("Số CMND"), or the new card's number in a
    "Số định danh" column beside an empty "Số CCCD": the duplicate was said to share a
    "số CCCD" (or a "số CMND"), a column the clerk does not find, or not that one."""
    only_cmnd = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CMND", "Thôn", "Diện"],
        [1, "Lò Thị Bé", 1975, "121234568", "Nà Pàn", "HN"],
        [2, "Lò Thị Bé", 1976, "121234568", "Nà Pàn", "HN"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "cmnd.xlsx", only_cmnd), ImportOptions(),
                         dry_run=True)  # fmt: skip
    assert messages(report, 3).startswith("Trùng số CMND với dòng 2 của tệp."), messages(report, 3)
    by_number = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "Số định danh", "Thôn", "Diện"],
        [1, "Hoàng Văn Cường", 1980, "", "020080000125", "Cốc Lùng", "HN"],
        [2, "Hoàng Văn Cường", 1981, "", "020080000125", "Cốc Lùng", "HN"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "dinh-danh.xlsx", by_number),
                         ImportOptions(), dry_run=True)  # fmt: skip
    assert messages(report, 3).startswith("Trùng số định danh với dòng 2 của tệp."), messages(
        report, 3
    )


def test_a_namesake_with_another_number_from_the_cmnd_column_names_the_cmnd(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A household like one above but for its number, read from the "Số CMND" column
    (its "Số CCCD" cell empty), was said to differ by its "số CCCD", a number the file
    has in its CMND column only."""
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CMND", "Số CCCD", "Thôn", "Diện"],
        [1, "Lò Thị Bé", 1975, "", "020075000124", "Nà Pàn", "HN"],
        [2, "Lò Thị Bé", 1975, "121234568", "", "Nà Pàn", "HN"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "cmnd.xlsx", rows), ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "warning")]
    assert messages(report, 3) == (
        "Cột D “Số CMND”: Đây là số CMND cũ (9 chữ số). Khi hộ đã có thẻ CCCD, hãy cập "
        "nhật số 12 chữ số. | "
        "Cùng họ tên, năm sinh và thôn với dòng 2 của tệp nhưng khác số CMND: đã nhập thành "
        "hộ mới. Nếu là cùng một người, hãy ghi cho hai hộ cùng một số (số CCCD nếu đã có) "
        "rồi nhập lại."
    )


def test_an_old_id_typed_as_a_number_gets_its_leading_zero_back(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The old cards of the northern provinces begin with 0 (Lạng Sơn's 08…): typed as a
    number, the 9 digits became 8 and the row an error, where a CCCD one digit short is
    put right. A number of 8 digits is that card's, its zero put back and said."""
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CMND/CCCD", "Thôn", "Diện"],
        [1, "Nguyễn Văn An", 1960, 80123456, "Nà Pàn", "HN"],
        [2, "Lò Thị Bé", 1975, "080123457", "Nà Pàn", "HN"],
        [3, "Hoàng Văn Cường", 1980, "8012345", "Cốc Lùng", "HN"],
    ]
    path = make_xlsx(tmp_path / "cmnd-so.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "warning"), (3, "warning"), (4, "error")]
    assert messages(report, 2) == (
        "Cột D “Số CMND/CCCD”: Số CMND chỉ có 8 chữ số (Excel đã bỏ số 0 ở đầu); đã thêm lại "
        "thành 080123456, hãy đối chiếu lại. | Cột D “Số CMND/CCCD”: Đây là số CMND cũ (9 chữ "
        "số). Khi hộ đã có thẻ CCCD, hãy cập nhật số 12 chữ số."
    )
    found = households.list_households(db, admin, households.HouseholdQuery())
    assert {h.head_name: h.citizen_id for h in found} == {
        "Nguyễn Văn An": "080123456", "Lò Thị Bé": "080123457"
    }


def test_an_id_of_8_digits_that_kept_its_leading_zero_gets_no_other(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"08012345" as text kept its zero: a digit is missing, not a zero Excel dropped. It
    was made "008012345", a card no province numbers, said as a zero Excel had dropped;
    it is an ID of the wrong length, as "8012345" is."""
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CMND/CCCD", "Thôn", "Diện"],
        [1, "Nguyễn Văn An", 1960, "08012345", "Nà Pàn", "HN"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "cmnd-8.xlsx", rows), ImportOptions())
    assert statuses(report) == [(2, "error")]
    assert "008012345" not in messages(report, 2)
    assert households.list_households(db, admin, households.HouseholdQuery()) == []


def test_words_in_the_id_column_leave_the_household_without_one(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"Đang làm", "Mất", "Chưa làm": a household whose card is being made or was lost, said
    in words. "Chưa cấp" left the ID empty, these made the row an error spelling out their
    letters ("không có “đ”, “a”, “n”, …"), the household left out for an ID it may lack."""
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Diện"],
        [1, "Nguyễn Văn An", 1960, "Đang làm", "Nà Pàn", "HN"],
        [2, "Lò Thị Bé", 1975, "mất", "Nà Pàn", "HN"],
        [3, "Hoàng Văn Cường", 1980, "chưa cấp", "Cốc Lùng", "HN"],
        [4, "Vi Văn Dũng", 1981, "02008100123a", "Cốc Lùng", "HN"],
    ]
    path = make_xlsx(tmp_path / "cccd-chu.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "warning"), (3, "warning"), (4, "ok"), (5, "error")]
    assert messages(report, 2) == (
        "Cột D “Số CCCD”: Ô ghi “Đang làm”, không có số nào: để trống số CCCD, hãy ghi số khi "
        "hộ có thẻ."
    )
    found = households.list_households(db, admin, households.HouseholdQuery())
    assert {h.head_name: h.citizen_id for h in found} == {
        "Nguyễn Văn An": "", "Lò Thị Bé": "", "Hoàng Văn Cường": ""
    }
