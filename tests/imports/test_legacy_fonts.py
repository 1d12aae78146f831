"""Lists typed in the old Vietnamese font encodings (TCVN3 with .VnTime fonts, VNI with
VNI-Times) are read as the fonts show them. The legacy strings below were written
with iconv's TCVN5712-1 table (TCVN3) and by hand from VNI's rules, not with nhao."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nhao.imports.legacy_fonts import LegacyCode, convert, is_vietnamese, judge
from nhao.models.database import Database
from nhao.services import households
from nhao.services.actor import Actor
from nhao.services.household_import import ImportOptions, import_file, open_import, write_report

from .conftest import make_xlsx, statuses

# (Unicode, TCVN3 as Excel stores it, VNI as Excel stores it)
WORDS = {
    "name": ("Họ và tên chủ hộ", "Hä vµ tªn chñ hé", "Hoï vaø teân chuû hoä"),
    "year": ("Năm sinh", "N¨m sinh", "Naêm sinh"),
    "cid": ("Số CCCD", "Sè CCCD", "Soá CCCD"),
    "hamlet": ("Thôn, xóm", "Th«n, xãm", "Thoân, xoùm"),
    "poor": ("Hộ nghèo", "Hé nghÌo", "Hoä ngheøo"),
    "near": ("Hộ cận nghèo", "Hé cËn nghÌo", "Hoä caän ngheøo"),
    "notes": ("Ghi chú", "Ghi chó", "Ghi chuù"),
    "luc": ("Nguyễn Văn Lực", "NguyÔn V¨n Lùc", "Nguyeãn Vaên Löïc"),
    "be": ("Lò Thị Bé", "Lß ThÞ BÐ", "Loø Thò Beù"),
    "huong": ("Hoàng Thị Hương", "Hoµng ThÞ H\xad¬ng", "Hoaøng Thò Höông"),
    "phuoc": ("Đặng Văn Phước", "§Æng V¨n Ph\xadíc", "Ñaëng Vaên Phöôùc"),
    "na_pan": ("Thôn Nà Pàn", "Th«n Nµ Pµn", "Thoân Naø Paøn"),
    "coc_lung": ("Xóm Cốc Lùng", "Xãm Cèc Lïng", "Xoùm Coác Luøng"),
    "khau_bon": ("Bản Khau Bon", "B¶n Khau Bon", "Baûn Khau Bon"),
    "house": ("Nhà dột nát", "Nhµ dét n¸t", "Nhaø doät naùt"),
    "total": ("Cộng", "Céng", "Coäng"),
}
COLUMN = {LegacyCode.tcvn3: 1, LegacyCode.vni: 2}


def typed(code: LegacyCode) -> dict[str, str]:
    return {key: forms[COLUMN[code]] for key, forms in WORDS.items()}


def unicode_words() -> dict[str, str]:
    return {key: forms[0] for key, forms in WORDS.items()}


def a_list(w: dict[str, str], title: str) -> list[list[object]]:
    return [
        [title],
        [],
        ["STT", w["name"], w["year"], w["cid"], w["hamlet"], w["poor"], w["near"], w["notes"]],
        [1, w["luc"], 1961, "020061000123", w["na_pan"], "x", None, w["house"]],
        [2, w["be"], 1975, None, w["coc_lung"], None, "x", None],
        [3, w["huong"], 1958, None, w["khau_bon"], "x", None, None],
        [4, w["phuoc"], 1949, None, w["na_pan"], None, "x", None],
        [w["total"], None, None, None, None, 2, 2, None],
    ]


@pytest.mark.parametrize("code", list(LegacyCode))
def test_each_word_comes_back_as_the_font_shows_it(code: LegacyCode) -> None:
    for unicode, *legacy in WORDS.values():
        stored = legacy[COLUMN[code] - 1]
        assert convert(stored, code) == unicode
        if sum(not word.isascii() for word in unicode.split()) > 1:
            # (one short word may read as Vietnamese as it is: "Sè")
            assert not is_vietnamese(stored), stored


def test_capitals_of_a_heading_font_stay_capitals() -> None:
    # .VnTimeH draws TCVN3's lowercase codes as capitals: TCVN3 has no capital "Á".
    assert convert("DANH S¸CH Hé NGHÌO N¡M 2025", LegacyCode.tcvn3) == (
        "DANH SÁCH HỘ NGHÈO NĂM 2025"
    )
    assert convert("VµO", LegacyCode.tcvn3) == "VÀO"
    assert convert("§éI 3", LegacyCode.tcvn3) == "ĐỘI 3"  # "Đ" is a capital of its own
    # A name in capitals: "Hµ" and "BÐ" are capitals beside "THÞ"…
    assert convert("Hµ THÞ BÐ", LegacyCode.tcvn3) == "HÀ THỊ BÉ"
    # …but not in a cell with lowercase letters, nor with no other word of capitals.
    assert convert("Hé nghÌo, cã GCN", LegacyCode.tcvn3) == "Hộ nghèo, có GCN"
    assert convert("Hé CCCD", LegacyCode.tcvn3) == "Hộ CCCD"
    assert convert("Sè 12A/KP3", LegacyCode.tcvn3) == "Số 12A/KP3"
    assert convert("Lß A DÕ", LegacyCode.tcvn3) == "Lò A Dế"


def test_vni_typed_in_capitals_with_lowercase_codes() -> None:
    # Lowercase marks are marks either way; lowercase letters (ò is "ị", ö is "ư", ñ is
    # "đ") after capitals are capitals too.
    assert convert("NGUYEãN VAêN LöïC", LegacyCode.vni) == "NGUYỄN VĂN LỰC"
    assert convert("LOø THò BEù", LegacyCode.vni) == "LÒ THỊ BÉ"
    assert convert("ñOAØNG", LegacyCode.vni) == "ĐOÀNG"
    assert convert("Loø Thò Beù", LegacyCode.vni) == "Lò Thị Bé"
    assert judge(["HOÏ VAø TEâN", "NGUYEãN VAêN LöïC", "LOø THò BEù", "ÑAëNG VAêN PHöôùC"]) is (
        LegacyCode.vni
    )


@pytest.mark.parametrize("code", list(LegacyCode))
def test_a_legacy_list_is_imported_in_unicode(
    db: Database, admin: Actor, tmp_path: Path, code: LegacyCode
) -> None:
    w = typed(code)
    # The title typed again in Unicode, as happens when a list is reused.
    path = make_xlsx(tmp_path / f"ds-{code.value}.xlsx", a_list(w, "DANH SÁCH HỘ NGHÈO NĂM 2025"))
    with open_import(db, path) as file:
        assert file.legacy_code() is code
        header = file.sample(rows=3)[2][1]
        assert header[1:5] == [WORDS[k][0] for k in ("name", "year", "cid", "hamlet")]
        assert file.sample(rows=1)[0][1][0] == "DANH SÁCH HỘ NGHÈO NĂM 2025"  # left as it was

    report = import_file(db, admin, path, ImportOptions())
    assert report.header_row == 3
    assert statuses(report) == [(4, "ok"), (5, "ok"), (6, "ok"), (7, "ok"), (8, "skipped")]
    assert any(code.title in note and "Unicode" in note for note in report.notes)
    assert report.to_dict()["notes"] == report.notes  # for tools reading --json
    stored = {
        h.head_name: (h.hamlet_name, h.notes)
        for h in households.list_households(db, admin, households.HouseholdQuery())
    }
    u = unicode_words()
    assert stored == {
        u["luc"]: (u["na_pan"], u["house"]),
        u["be"]: (u["coc_lung"], ""),
        u["huong"]: (u["khau_bon"], ""),
        u["phuoc"]: (u["na_pan"], ""),
    }

    out = tmp_path / "ket-qua.xlsx"
    write_report(report, out)  # the note is printed above the rows
    import openpyxl

    heading = [r[0] for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)][:8]
    assert any(isinstance(line, str) and code.title in line for line in heading)


@pytest.mark.parametrize("code", list(LegacyCode))
def test_a_csv_of_a_legacy_list_read_as_windows_1258(
    db: Database, admin: Actor, tmp_path: Path, code: LegacyCode
) -> None:
    # Saved as CSV where the Windows code page is Western: the font's codes as bytes.
    # nhao reads a file that is not UTF-8 as Windows-1258, which turns some of those
    # codes into Vietnamese letters and marks of its own ("BÐ" into "BĐ").
    path = tmp_path / "ds.csv"
    with path.open("w", encoding="latin-1", newline="") as handle:
        csv.writer(handle).writerows(a_list(typed(code), "DANH SACH"))
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report)[:4] == [(4, "ok"), (5, "ok"), (6, "ok"), (7, "ok")]
    names = {h.head_name for h in households.list_households(
        db, admin, households.HouseholdQuery())}
    u = unicode_words()
    assert names == {u["luc"], u["be"], u["huong"], u["phuoc"]}


def test_a_unicode_list_is_left_alone(db: Database, admin: Actor, tmp_path: Path) -> None:
    rows = a_list(unicode_words(), "DANH SÁCH")
    # Names whose letters are all in the Western code page read either way: no vote.
    rows.insert(7, [5, "Hà Tô", 1950, None, "Thôn Nà Pàn", "x", None, "Mì"])
    path = make_xlsx(tmp_path / "ds.xlsx", rows)
    with open_import(db, path) as file:
        assert file.legacy_code() is None
    report = import_file(db, admin, path, ImportOptions())
    assert not any("Unicode" in note for note in report.notes)
    names = {h.head_name for h in households.list_households(
        db, admin, households.HouseholdQuery())}
    assert "Hà Tô" in names and WORDS["luc"][0] in names


def test_the_judgement_of_a_sheet() -> None:
    u, t, v = (list(forms) for forms in zip(*WORDS.values(), strict=True))
    assert judge(u) is None
    assert judge(t) is LegacyCode.tcvn3
    assert judge(v) is LegacyCode.vni
    # A Unicode list with one cell pasted from an old file is still Unicode…
    assert judge([*u, t[7], t[8]]) is None
    # …and an old list with its title typed again in Unicode is still old.
    assert judge([u[0], *t]) is LegacyCode.tcvn3
    # A cell or two is not enough to convert a sheet…
    assert judge(["STT", "N¨m sinh", "Th«n", "1960"]) is None
    assert judge(["STT", "N¨m sinh", "Th«n", "Hä vµ tªn", "1960"]) is LegacyCode.tcvn3
    # …nor are a few among many cells that are not Vietnamese either way.
    foreign = ["Müller", "Straße", "façade", "Zoë", "naïve", "Ångström", "Citroën"]
    assert judge(["N¨m sinh", "Th«n", "Hä vµ tªn", *foreign]) is None
    # Names of the Ê Đê and the Gia Rai are no Vietnamese syllables, either way: that
    # converting makes more of their words Vietnamese is what they say.
    header = ["STT", "Hä vµ tªn chñ hé", "N¨m sinh", "Bu«n", "DiÖn hé"]
    names = ["Y Bhiªr Niª", "H'Yªn Bkr«ng", "Y Kh«i Bkr«ng", "H'Bl¬ Th¬m", "Y Dhiªr Kbu«r",
             "H'Mlªn Niª", "Y Bl¬ Kh«i", "H'Kbl¬ Th¬m", "Y Mli¬ Byª", "H'Dr¬ Niª"]
    assert judge([*header, *names, "Bu«n Ea Km¸t", "Bu«n K« Siªr"]) is LegacyCode.tcvn3
    assert convert("Y Kh«i Bkr«ng", LegacyCode.tcvn3) == "Y Khôi Bkrông"


def test_sheets_per_hamlet_named_in_tcvn3_or_in_unicode(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A sheet's tab shows Unicode whatever the cells' font: "Nà Pàn" there is Unicode,
    "Xãm Cèc Lïng" was typed with the keyboard set to TCVN3."""
    import openpyxl

    t = typed(LegacyCode.tcvn3)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, head in (("Nà Pàn", t["luc"]), ("Xãm Cèc Lïng", t["be"])):
        sheet = book.create_sheet(name)
        sheet.append(["STT", t["name"], t["year"], t["poor"]])
        sheet.append([1, head, 1960, "x"])
        sheet.append([2, t["huong"], 1961, "x"])  # a third vote beside the header's
    path = tmp_path / "theo-thon.xlsx"
    book.save(path)
    u = unicode_words()
    for sheet, hamlet in (("Nà Pàn", u["na_pan"]), ("Xãm Cèc Lïng", u["coc_lung"])):
        report = import_file(db, admin, path, ImportOptions(sheet=sheet), dry_run=True)
        assert statuses(report) == [(2, "ok"), (3, "ok")], report.rows
        assert f"được ghi vào {hamlet} theo tên trang" in " ".join(report.notes)


def test_a_csv_of_tcvn3_whose_cells_read_as_windows_1258_look_vietnamese(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # Read as Windows-1258, TCVN3's "ó" (0xE3) is "ă" and "ý" (0xFD) is "ư": "Xãm 5" is
    # "Xăm 5", "Cã" is "Că", Vietnamese as they are; they are neither left so nor
    # counted as Unicode cells.
    from nhao.services import units

    units.add_hamlets(db, admin, ["Xóm 5"])
    rows: list[list[object]] = [["STT", "Hä vµ tªn chñ hé", "N¨m sinh", "Th«n, xãm", "Ghi chó"]]
    for number, name in enumerate(["NguyÔn V¨n Lùc", "Lß ThÞ BÐ", "Hoµng ThÞ H\xad¬ng"], 1):
        rows.append([number, name, 1960, "Xãm 5", "Cã"])
    path = tmp_path / "ds.csv"
    with path.open("w", encoding="latin-1", newline="") as handle:
        csv.writer(handle).writerows(rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok")], report.rows
    stored = {
        (h.head_name, h.hamlet_name, h.notes)
        for h in households.list_households(db, admin, households.HouseholdQuery())
    }
    u = unicode_words()
    assert stored == {(u[k], "Xóm 5", "Có") for k in ("luc", "be", "huong")}


@pytest.mark.parametrize("code", list(LegacyCode))
def test_a_column_typed_again_in_unicode_in_a_legacy_list_is_kept(
    db: Database, admin: Actor, tmp_path: Path, code: LegacyCode
) -> None:
    # Hamlets chosen from a Unicode list in a legacy sheet: "Thôn Nà Pàn" has only letters
    # a legacy font also codes, but converted it is no Vietnamese ("Thụn NỔ PỔn").
    w = typed(code)
    rows = a_list(w, "DANH SACH")
    for row in rows[3:7]:
        row[4] = "Thôn Nà Pàn"
    path = make_xlsx(tmp_path / "ds.xlsx", rows)
    with open_import(db, path) as file:
        assert file.legacy_code() is code
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report)[:4] == [(4, "ok"), (5, "ok"), (6, "ok"), (7, "ok")], report.rows
    hamlets = {
        h.hamlet_name for h in households.list_households(db, admin, households.HouseholdQuery())
    }
    assert hamlets == {"Thôn Nà Pàn"}


def _mixed_list(names: list[str], header_name: str) -> list[list[object]]:
    """Names in one encoding; the ethnicity, hamlet and category typed in Unicode."""
    ethnicities = ["Nùng", "Tày", "Mông", "Dao", "Nùng", "Tày", "Kinh", "Mông"]
    rows: list[list[object]] = [
        ["STT", header_name, "Năm sinh", "Dân tộc", "Thôn, xóm", "Diện hộ"]
    ]
    for number, (name, ethnicity) in enumerate(zip(names, ethnicities, strict=True), 1):
        hamlet = "Thôn Nà Pàn" if number % 2 else "Xóm Cốc Lùng"
        rows.append([number, name, 1950 + number, ethnicity, hamlet, "Hộ nghèo"])
    return rows


UNICODE_NAMES = [
    "Nguyễn Văn Lực", "Lò Thị Bé", "Hoàng Thị Hương", "Đặng Văn Phước", "Vi Văn Nhất",
    "Lương Thị Sáu", "Hà Văn Tư", "Nông Thị Mỷ",
]
TCVN3_NAMES = [
    "NguyÔn V¨n Lùc", "Lß ThÞ BÐ", "Hoµng ThÞ H\xad¬ng", "§Æng V¨n Ph\xadíc", "Vi V¨n NhÊt",
    "L\xad¬ng ThÞ S¸u", "Hµ V¨n T\xad", "N«ng ThÞ Mû",
]


@pytest.mark.parametrize(
    ("names", "header"),
    [(TCVN3_NAMES, "Hä vµ tªn chñ hé"), (TCVN3_NAMES, "Họ và tên chủ hộ")],
    ids=["a-legacy-list-with-columns-added-in-unicode", "a-unicode-list-with-names-pasted"],
)
def test_each_column_is_read_in_its_own_encoding(
    db: Database, admin: Actor, tmp_path: Path, names: list[str], header: str
) -> None:
    """A list begun in .VnTime gets columns typed later in Unicode, and a Unicode list
    gets the names pasted from an old file: judged as a whole, one of them was garbled
    ("Nùng" read as TCVN3 is "Nựng", "Thôn Nà Pàn" "Thụn NỔ PỔn"), or the names kept
    as "NguyÔn V¨n Lùc"."""
    path = make_xlsx(tmp_path / "ds.xlsx", _mixed_list(names, header))
    with open_import(db, path) as file:
        assert file.legacy_code() is LegacyCode.tcvn3
    report = import_file(db, admin, path, ImportOptions())
    assert [status for _, status in statuses(report)] == ["ok"] * 8, report.rows
    stored = {
        h.head_name: (h.ethnicity, h.hamlet_name)
        for h in households.list_households(db, admin, households.HouseholdQuery())
    }
    assert sorted(stored) == sorted(UNICODE_NAMES)
    assert stored["Lò Thị Bé"] == ("Tày", "Xóm Cốc Lùng")
    assert stored["Nguyễn Văn Lực"] == ("Nùng", "Thôn Nà Pàn")
    assert {ethnicity for ethnicity, _ in stored.values()} == {"Nùng", "Tày", "Mông", "Dao",
                                                               "Kinh"}
