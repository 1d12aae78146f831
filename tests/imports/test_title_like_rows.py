"""Households whose cells read like the other rows of a hand-made list (a total, a
group's title), and titles that read like households: each taken for what it is."""

from __future__ import annotations

from pathlib import Path

from nhao.models.database import Database
from nhao.services import households
from nhao.services.actor import Actor
from nhao.services.household_import import ImportOptions, import_file

from .conftest import make_xlsx, messages, statuses


def _placed(db: Database, admin: Actor) -> dict[str, str]:
    found = households.list_households(db, admin, households.HouseholdQuery())
    return {h.head_name: h.hamlet_name for h in found}


def _placed_with_categories(db: Database, admin: Actor) -> dict[str, tuple[str, list[str]]]:
    found = households.list_households(db, admin, households.HouseholdQuery())
    return {h.head_name: (h.hamlet_name, sorted(c.value for c in h.categories)) for h in found}


def test_a_hamlet_named_cong_hop_written_first_is_no_total(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "Cộng Hợp" is a place (many communes have a hamlet so called), not a total: with
    # the hamlet column first it is the row's first text, the name beside it.
    rows = [
        ["Thôn", "Họ và tên chủ hộ", "Năm sinh", "Diện"],
        ["Nà Pàn", "Lý Văn Cộng", 1960, "HN"],
        ["Cộng Hợp", "Hoàng Thị Trang", 1970, "HN"],
        ["CỘNG HỢP", "Vàng A Páo", 1975, "HCN"],
        ["Cộng", "", "", 3],
    ]
    path = make_xlsx(tmp_path / "cong-hop.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(create_hamlets=True))
    assert statuses(report) == [(2, "ok"), (3, "warning"), (4, "ok"), (5, "skipped")]
    assert "Cộng Hợp" in messages(report, 3)  # the hamlet it makes
    assert _placed(db, admin) == {
        "Lý Văn Cộng": "Thôn Nà Pàn",
        "Hoàng Thị Trang": "Cộng Hợp",
        "Vàng A Páo": "Cộng Hợp",
    }


def test_a_hamlets_title_typed_in_the_name_column_gives_the_hamlet(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # The STT column is narrow, so the clerk typed each group's title in the name column.
    # "Thôn …", "BẢN …" with their marks are no one's name; "Bàn Văn Sử" alone is.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"],
        [1, "Lò Văn Tổng", 1960, "", "HN"],
        ["", "Thôn Nà Pàn"],
        [2, "Ma Văn Lũy", 1962, "", "HN"],
        ["", "BẢN KHAU BON"],
        [3, "Vàng A Páo", 1975, "", "HCN"],
        ["", "Bàn Văn Sử"],
    ]
    path = make_xlsx(tmp_path / "tieu-de-cot-ten.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(hamlet="Xóm Cốc Lùng"))
    assert statuses(report) == [
        (2, "ok"), (3, "skipped"), (4, "ok"), (5, "skipped"), (6, "ok"), (7, "warning"),
    ]  # fmt: skip
    assert messages(report, 3) == "Tiêu đề nhóm: các dòng dưới thuộc Thôn Nà Pàn."
    assert _placed(db, admin) == {
        "Lò Văn Tổng": "Xóm Cốc Lùng",
        "Ma Văn Lũy": "Thôn Nà Pàn",
        "Vàng A Páo": "Bản Khau Bon",
        "Bàn Văn Sử": "Bản Khau Bon",
    }


def test_a_hamlets_title_beside_a_roman_numeral_without_the_word_thon(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "II" | "Khau Bon": the group's number says a title, and the hamlet is written as
    # people say it, without "Bản". Taken as "II" | "Bản Khau Bon"; a hamlet the commune
    # does not have ("Nà Cạn") is said on the rows below, as for "III" | "Bản Nà Cạn".
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Diện"],
        ["I", "Nà Pàn"],
        [1, "Lò Văn Tổng", 1960, "HN"],
        ["II.", "KHAU BON"],
        [1, "Vàng A Páo", 1975, "HN"],
        ["III", "Nà Cạn"],
        [1, "Hầu A Chuyển", 1970, "HN"],
    ]
    path = make_xlsx(tmp_path / "la-ma.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [
        (2, "skipped"), (3, "ok"), (4, "skipped"), (5, "ok"), (6, "skipped"), (7, "error"),
    ]  # fmt: skip
    # Said by the commune's name for the hamlet, not the title's "KHAU BON"; a hamlet it
    # has not got as the title writes it.
    assert messages(report, 4) == "Tiêu đề nhóm: các dòng dưới thuộc Bản Khau Bon."
    assert messages(report, 6) == "Tiêu đề nhóm: các dòng dưới thuộc Nà Cạn."
    assert "Thôn “Nà Cạn” chưa có trong xã" in messages(report, 7)
    assert _placed(db, admin) == {"Lò Văn Tổng": "Thôn Nà Pàn", "Vàng A Páo": "Bản Khau Bon"}


def test_a_groups_title_naming_no_category_ends_the_category_above(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "II" | "Hộ có hoàn cảnh khó khăn về nhà ở" is a group of its own, no category nhao
    # knows: neither a household of that name nor more poor households.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn"],
        ["I", "Hộ nghèo"],
        [1, "Lò Văn Tổng", 1960, "Nà Pàn"],
        ["II", "Hộ có hoàn cảnh khó khăn về nhà ở"],
        [1, "Nông Thị Kế", 1970, "Nà Pàn"],
    ]
    path = make_xlsx(tmp_path / "nhom-khac.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "skipped"), (3, "ok"), (4, "skipped"), (5, "ok")]
    assert "Hộ có hoàn cảnh khó khăn về nhà ở" in messages(report, 4)
    found = households.list_households(db, admin, households.HouseholdQuery())
    assert {h.head_name: sorted(c.value for c in h.categories) for h in found} == {
        "Lò Văn Tổng": ["poor"],
        "Nông Thị Kế": [],
    }


def test_a_name_saying_chu_ho_is_no_header_typed_again(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # Only the name and the hamlet filled, the name saying who is the head: "… (chủ hộ)"
    # has the words of the name column's header, and "Thôn Nà Pàn" those of the hamlet's.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"],
        [1, "Ma Văn Lũy", 1960, "Thôn Nà Pàn", "Hộ nghèo"],
        ["", "Lò Văn Tổng (chủ hộ)", "", "Thôn Nà Pàn", "Hộ nghèo"],
        ["", "Họ tên chủ hộ", "", "Thôn/xóm", "Diện hộ"],  # the header, typed again
        ["", "Hoàng Thị Trang", "", "Bản Khau Bon", "Hộ cận nghèo"],
    ]
    path = make_xlsx(tmp_path / "chu-ho.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    # The note is left out of the name, and said.
    assert [s for _, s in statuses(report)] == ["ok", "warning", "skipped", "ok"]
    assert "Bỏ ghi chú “(chủ hộ)” khỏi họ tên, giữ “Lò Văn Tổng”" in messages(report, 3)
    assert "lặp lại" in messages(report, 4)


def test_a_header_of_two_rows_typed_again_whose_top_says_chu_ho_after_other_words(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "Thông tin chủ hộ" over "Họ và tên" | "Năm sinh": the top row is the header as
    # written, words before "chủ hộ" or not.
    top = ["STT", "Thông tin chủ hộ", "", "Thôn"]
    under = ["", "Họ và tên", "Năm sinh", ""]
    rows = [top, under, [1, "Nguyễn Văn An", 1960, "Nà Pàn"], top, under]
    rows.append([2, "Lò Thị Bé", 1975, "Nà Pàn"])
    path = make_xlsx(tmp_path / "thong-tin.xlsx", rows, merges=["B1:C1", "B4:C4"])
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert statuses(report) == [(3, "ok"), (4, "skipped"), (5, "skipped"), (6, "ok")]


def test_a_hamlets_subtotal_worded_tong_cong_thon_does_not_end_the_list(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # A subtotal under each hamlet, worded in full: the list goes on below it, to the
    # grand total.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Diện"],
        ["I", "Thôn Nà Pàn"],
        [1, "Lò Văn Tổng", 1960, "HN"],
        ["", "Tổng cộng thôn Nà Pàn", "", 1],
        ["II", "Bản Khau Bon"],
        [1, "Vàng A Páo", 1975, "HN"],
        ["", "Tổng số hộ bản Khau Bon: 1"],
        ["III", "Xóm Cốc Lùng"],
        [1, "Hầu A Chuyển", 1970, "HN"],
        ["", "TỔNG CỘNG XÓM CỐC LÙNG", "", 1],
        ["", "Tổng cộng", "", 3],
        ["", "Người lập biểu"],
    ]
    path = make_xlsx(tmp_path / "tong-cong-thon.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [
        (2, "skipped"), (3, "ok"), (4, "skipped"), (5, "skipped"), (6, "ok"), (7, "skipped"),
        (8, "skipped"), (9, "ok"), (10, "skipped"), (11, "skipped"), (12, "skipped"),
    ]  # fmt: skip
    assert messages(report, 7) == "Dòng tổng cộng: bỏ qua."
    assert _placed(db, admin) == {
        "Lò Văn Tổng": "Thôn Nà Pàn",
        "Vàng A Páo": "Bản Khau Bon",
        "Hầu A Chuyển": "Xóm Cốc Lùng",
    }


def test_a_groups_subtotal_named_by_its_number_is_no_household(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "Cộng I", "Tổng II", "Cộng A+B": the sum of the groups so numbered.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Diện"],
        ["I", "Thôn Nà Pàn"],
        [1, "Lò Văn Tổng", 1960, "HN"],
        ["", "Cộng I", "", 1],
        ["II", "Bản Khau Bon"],
        [1, "Vàng A Páo", 1975, "HN"],
        ["", "TỔNG II"],
        ["III", "Xóm Cốc Lùng"],
        [1, "Hầu A Chuyển", 1970, "HN"],
        ["", "Tổng (III)"],
        ["", "Cộng I+II+III", "", 3],
    ]
    path = make_xlsx(tmp_path / "cong-nhom.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [
        (2, "skipped"), (3, "ok"), (4, "skipped"), (5, "skipped"), (6, "ok"), (7, "skipped"),
        (8, "skipped"), (9, "ok"), (10, "skipped"), (11, "skipped"),
    ]  # fmt: skip
    assert "tổng cộng" in messages(report, 7)
    assert _placed(db, admin) == {
        "Lò Văn Tổng": "Thôn Nà Pàn",
        "Vàng A Páo": "Bản Khau Bon",
        "Hầu A Chuyển": "Xóm Cốc Lùng",
    }


def test_a_household_numbered_with_a_letter_is_no_hamlets_title(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # Households added under a number's letters ("c", "X"), only the name written: still
    # households, not titles of hamlets named after them.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn"],
        [1, "Lò Văn Tổng", 1960, "Nà Pàn"],
        ["c", "Lý Văn Cộng"],
        ["X", "Hoàng Thị Trang"],
        ["II", "Vàng A Páo"],
    ]
    path = make_xlsx(tmp_path / "chu-cai.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert [s for _, s in statuses(report)] == ["ok", "warning", "warning", "warning"]


def test_a_blank_hamlet_under_another_hamlet_given_the_files_hamlet_is_said(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # The hamlet written on each group's first household only, and a hamlet chosen for
    # the rows that name none: a blank cell may be the group's hamlet, or the one chosen.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"],
        [1, "Lò Văn Tổng", 1960, "Nà Pàn", "HN"],
        [2, "Ma Văn Lũy", 1962, "", "HN"],
        [3, "Vàng A Páo", 1975, "Khau Bon", "HN"],
        [4, "Hầu A Chuyển", 1970, "", "HN"],
        [5, "Nông Thị Kế", 1971, "Cốc Lùng", "HN"],
        [6, "Triệu Tài Sang", 1972, "", "HN"],
    ]
    path = make_xlsx(tmp_path / "mot-lan.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(hamlet="Xóm Cốc Lùng"), dry_run=True)
    assert statuses(report) == [
        (2, "ok"), (3, "warning"), (4, "ok"), (5, "warning"), (6, "ok"), (7, "ok"),
    ]  # fmt: skip
    assert "Nà Pàn" in messages(report, 3) and "Xóm Cốc Lùng" in messages(report, 3)


def test_a_groups_title_carrying_the_groups_sums_is_still_a_title(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # Reports put each group's sums on its title's row: "I" | "Thôn Nà Pàn" | | 7.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số nhân khẩu", "Hộ nghèo", "Hộ cận nghèo"],
        ["I", "Thôn Nà Pàn", "", 7, 2, ""],
        [1, "Lò Văn Tổng", 1960, 4, "x", ""],
        [2, "Ma Văn Lũy", 1962, 3, "x", ""],
        ["II", "Khau Bon", "", 5, "", 1],
        [1, "Vàng A Páo", 1975, 5, "", "x"],
        [3, "Xóm Cốc Lùng", "", 2, 1, ""],
        [1, "Hầu A Chuyển", 1970, 2, "x", ""],
        ["", "Tổng cộng", "", 14, 3, 1],
    ]
    path = make_xlsx(tmp_path / "tieu-de-co-tong.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert [s for _, s in statuses(report)] == [
        "skipped", "ok", "ok", "skipped", "ok", "skipped", "ok", "skipped",
    ]  # fmt: skip
    assert _placed(db, admin) == {
        "Lò Văn Tổng": "Thôn Nà Pàn",
        "Ma Văn Lũy": "Thôn Nà Pàn",
        "Vàng A Páo": "Bản Khau Bon",
        "Hầu A Chuyển": "Xóm Cốc Lùng",
    }


def test_a_category_title_carrying_its_count_is_still_a_title(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Số nhân khẩu"],
        ["I", "Hộ nghèo", "", "", 4],
        [1, "Lò Văn Tổng", 1960, "Nà Pàn", 4],
        ["II", "Hộ cận nghèo", "", "", 3],
        [1, "Bàn Văn Sử", 1975, "Nà Pàn", 3],
    ]
    path = make_xlsx(tmp_path / "dien-co-tong.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "skipped"), (3, "ok"), (4, "skipped"), (5, "ok")]
    found = households.list_households(db, admin, households.HouseholdQuery())
    assert {h.head_name: sorted(c.value for c in h.categories) for h in found} == {
        "Lò Văn Tổng": ["poor"],
        "Bàn Văn Sử": ["near_poor"],
    }


def test_a_row_of_only_nt_under_a_blank_cell_in_a_list_without_stt(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "nt" (như trên) filled down the hamlet column past the households, the cell above
    # blank, and no STT column: the import stopped on an IndexError.
    rows = [
        ["Họ và tên chủ hộ", "Thôn", "Năm sinh"],
        ["Lò Văn Tổng", "", 1960],
        ["", "nt", ""],
    ]
    path = make_xlsx(tmp_path / "nt.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(hamlet="Nà Pàn"), dry_run=True)
    assert statuses(report) == [(2, "ok"), (3, "error")]
    assert "Hãy nhập họ tên chủ hộ" in messages(report, 3)


def test_a_category_title_naming_a_hamlet_gives_both(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "II. Hộ nghèo bản Khau Bon": the category and the hamlet of the rows below; the
    # hamlet was left out, its households kept in the hamlet of the title above.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh"],
        ["I", "Thôn Nà Pàn"],
        [1, "Lò Văn Tổng", 1960],
        ["II", "Hộ nghèo bản Khau Bon"],
        [1, "Vàng A Páo", 1975],
        ["III. HỘ CẬN NGHÈO XÓM CỐC LÙNG"],
        [1, "Nông Thị Kế", 1971],
    ]
    path = make_xlsx(tmp_path / "dien-thon.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert [s for _, s in statuses(report)] == ["skipped", "ok", "skipped", "ok", "skipped", "ok"]
    assert _placed_with_categories(db, admin) == {
        "Lò Văn Tổng": ("Thôn Nà Pàn", []),
        "Vàng A Páo": ("Bản Khau Bon", ["poor"]),
        "Nông Thị Kế": ("Xóm Cốc Lùng", ["near_poor"]),
    }


def test_a_household_named_as_a_hamlet_is_pointed_out(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "2" | "Khau Bon": a title numbered like a household, or a household? Imported as
    # written (a head may be called so), but said, for a title makes a false household.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Diện"],
        [1, "Lò Văn Tổng", 1960, "HN"],
        [2, "Khau Bon", "", "HN"],
        [3, "Vàng A Páo", 1975, "HN"],
    ]
    path = make_xlsx(tmp_path / "ten-thon.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(hamlet="Nà Pàn"), dry_run=True)
    assert statuses(report) == [(2, "ok"), (3, "warning"), (4, "ok")]
    assert "là tên một thôn" in messages(report, 3)


def test_a_hamlets_title_naming_its_category_after_it_gives_both(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "III" | "Thôn Nà Pàn - hộ cận nghèo": the hamlet first, then the category of its
    # households. The whole title was taken for a hamlet's name, no hamlet the commune
    # has, and every row below it was an error.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh"],
        ["I", "Thôn Nà Pàn - hộ nghèo"],
        [1, "Lò Văn Tổng", 1960],
        ["II", "Thôn Nà Pàn – Hộ cận nghèo"],
        [1, "Ma Văn Lũy", 1962],
        ["III", "Hộ cận nghèo bản Khau Bon"],  # the category first, as before
        [1, "Vàng A Páo", 1975],
        ["IV. XÓM CỐC LÙNG: HỘ NGHÈO"],
        [1, "Nông Thị Kế", 1971],
        ["5", "Bản Khau Bon (hộ nghèo)"],
        ["5.1", "Hầu A Chuyển", 1970],
        ["VI", "Khau Bon - diện hộ cận nghèo"],
        [1, "Triệu Tài Sang", 1972],
        ["VII", "BẢN KHAU BON HỘ NGHÈO"],
        [1, "Lục Thị Năm", 1981],
    ]
    path = make_xlsx(tmp_path / "thon-dien.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert [s for _, s in statuses(report)] == ["skipped", "ok"] * 7
    assert messages(report, 4) == (
        "Tiêu đề nhóm: các dòng dưới thuộc diện Hộ cận nghèo, ở Thôn Nà Pàn."
    )
    # The hamlet by the commune's name for it, however the title writes it.
    assert messages(report, 8) == "Tiêu đề nhóm: các dòng dưới thuộc diện Hộ nghèo, ở Xóm Cốc Lùng."
    assert messages(report, 12) == (
        "Tiêu đề nhóm: các dòng dưới thuộc diện Hộ cận nghèo, ở Bản Khau Bon."
    )
    assert _placed_with_categories(db, admin) == {
        "Lò Văn Tổng": ("Thôn Nà Pàn", ["poor"]),
        "Ma Văn Lũy": ("Thôn Nà Pàn", ["near_poor"]),
        "Vàng A Páo": ("Bản Khau Bon", ["near_poor"]),
        "Nông Thị Kế": ("Xóm Cốc Lùng", ["poor"]),
        "Hầu A Chuyển": ("Bản Khau Bon", ["poor"]),
        "Triệu Tài Sang": ("Bản Khau Bon", ["near_poor"]),
        "Lục Thị Năm": ("Bản Khau Bon", ["poor"]),
    }


def test_nt_under_a_new_groups_title_takes_the_titles_hamlet(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "nt" (như trên) on the first household under a group's title: the same as the
    # title says, not as the last household of the group above, in another hamlet.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"],
        ["I", "Thôn Nà Pàn"],
        [1, "Lò Văn Tổng", 1960, "Nà Pàn", "HN"],
        [2, "Ma Văn Lũy", 1962, "nt", "nt"],
        ["II", "Bản Khau Bon"],
        [1, "Vàng A Páo", 1975, "nt", "HN"],
        [2, "Hầu A Chuyển", 1970, "-nt-", "như trên"],
        ["III", "Hộ cận nghèo xóm Cốc Lùng"],
        [1, "Nông Thị Kế", 1971, "như trên", "nt"],
        [2, "Triệu Tài Sang", 1972, "nt", "HN"],
    ]
    path = make_xlsx(tmp_path / "nt-nhom.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [
        (2, "skipped"), (3, "ok"), (4, "ok"), (5, "skipped"), (6, "ok"), (7, "ok"),
        (8, "skipped"), (9, "ok"), (10, "ok"),
    ]  # fmt: skip
    assert _placed_with_categories(db, admin) == {
        "Lò Văn Tổng": ("Thôn Nà Pàn", ["poor"]),
        "Ma Văn Lũy": ("Thôn Nà Pàn", ["poor"]),
        "Vàng A Páo": ("Bản Khau Bon", ["poor"]),
        "Hầu A Chuyển": ("Bản Khau Bon", ["poor"]),
        "Nông Thị Kế": ("Xóm Cốc Lùng", ["near_poor"]),
        "Triệu Tài Sang": ("Xóm Cốc Lùng", ["poor"]),
    }


def test_a_hamlets_title_with_words_after_it_that_are_no_category(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "Thôn Nà Pàn (ngoài hộ nghèo)" was read as hamlet "Thôn Nà Pàn (ngoài" of poor
    # households, "Thôn Nà Pàn - nhóm 1" as a hamlet of that whole name: every row below
    # was an error. The first names households out of the category: none taken, not even
    # the one of the title above; the second a group inside the hamlet.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh"],
        ["I", "Hộ nghèo"],
        ["1", "Thôn Nà Pàn - nhóm 1"],
        ["1.1", "Lò Văn Tổng", 1960],
        ["2", "Xóm Cốc Lùng – Nhóm 2"],
        ["2.1", "Ma Văn Lũy", 1962],
        ["II", "Thôn Nà Pàn (ngoài hộ nghèo)"],
        [1, "Vàng A Páo", 1975],
        ["III", "Bản Khau Bon - hộ thoát nghèo"],
        [1, "Nông Thị Kế", 1971],
        ["IV", "Bản Khau Bon - nhóm 3 - hộ cận nghèo"],
        [1, "Hà Văn Giang", 1970],
        ["V", "Xóm Cốc Lùng (HCN)"],
        [1, "Triệu Tài Sang", 1972],
    ]
    path = make_xlsx(tmp_path / "thon-nhom.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [
        (2, "skipped"), (3, "skipped"), (4, "ok"), (5, "skipped"), (6, "ok"), (7, "skipped"),
        (8, "ok"), (9, "skipped"), (10, "ok"), (11, "skipped"), (12, "ok"),
        (13, "skipped"), (14, "ok"),
    ]  # fmt: skip
    assert messages(report, 3) == "Tiêu đề nhóm: các dòng dưới thuộc Thôn Nà Pàn (nhóm 1)."
    assert messages(report, 7) == (
        "Tiêu đề nhóm: các dòng dưới thuộc Thôn Nà Pàn, không lấy diện theo tiêu đề ở trên "
        "(“ngoài hộ nghèo”)."
    )
    assert messages(report, 9) == (
        "Tiêu đề nhóm: các dòng dưới thuộc Bản Khau Bon, không lấy diện theo tiêu đề ở trên "
        "(“hộ thoát nghèo”)."
    )
    assert messages(report, 11) == (
        "Tiêu đề nhóm: các dòng dưới thuộc diện Hộ cận nghèo, ở Bản Khau Bon (nhóm 3)."
    )
    assert _placed_with_categories(db, admin) == {
        "Hà Văn Giang": ("Bản Khau Bon", ["near_poor"]),
        "Triệu Tài Sang": ("Xóm Cốc Lùng", ["near_poor"]),
        "Lò Văn Tổng": ("Thôn Nà Pàn", ["poor"]),
        "Ma Văn Lũy": ("Xóm Cốc Lùng", ["poor"]),
        "Vàng A Páo": ("Thôn Nà Pàn", []),
        "Nông Thị Kế": ("Bản Khau Bon", []),
    }


def test_a_place_word_before_a_category_is_no_hamlet(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "Thôn Hộ Nghèo" was read as hamlet "Thôn" of poor households: a category's title
    # with a stray word before it, no hamlet.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn"],
        ["I", "Thôn Hộ Nghèo"],
        [1, "Lò Văn Tổng", 1960, "Nà Pàn"],
    ]
    path = make_xlsx(tmp_path / "thon-ho-ngheo.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "skipped"), (3, "ok")]
    assert messages(report, 2) == "Tiêu đề nhóm: các dòng dưới thuộc diện Hộ nghèo."
    assert _placed_with_categories(db, admin) == {
        "Lò Văn Tổng": ("Thôn Nà Pàn", ["poor"]),
    }


def test_a_hamlets_title_naming_its_commune_too(db: Database, admin: Actor, tmp_path: Path) -> None:
    # "Thôn Nà Pàn, xã Bình Gia" was taken whole as the hamlet's name: every row below
    # was an error for a hamlet the commune does not have.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh"],
        ["I", "Thôn Nà Pàn, xã Bình Gia"],
        [1, "Lò Văn Tổng", 1960],
        ["II", "Bản Khau Bon – huyện Bình Gia"],
        [1, "Vàng A Páo", 1975],
        ["III", "Xóm Cốc Lùng (xã Bình Gia) - hộ cận nghèo"],
        [1, "Nông Thị Kế", 1971],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "xa.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (2, "skipped"), (3, "ok"), (4, "skipped"), (5, "ok"), (6, "skipped"), (7, "ok"),
    ]  # fmt: skip
    assert _placed_with_categories(db, admin) == {
        "Lò Văn Tổng": ("Thôn Nà Pàn", []),
        "Nông Thị Kế": ("Xóm Cốc Lùng", ["near_poor"]),
        "Vàng A Páo": ("Bản Khau Bon", []),
    }
