"""Which row holds the column headers, and which household field each column is.

Headers come in many spellings: with or without diacritics, abbreviated ("HN",
"CCCD/CMND", "Số NK", "SĐT"), over two rows (a merged "Chủ hộ" above "Họ tên" and
"Năm sinh"). A header is folded (lower case, no diacritics, punctuation as spaces)
and matched against the rules below in order; a mapping saved by the station for a
header spelling wins over the rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from nhao.domain.enums import Category, Sex
from nhao.domain.ethnicities import ETHNICITIES
from nhao.domain.text import fold

from .values import text

# The register's own headers: export writes them, import reads them back.
FIELD_LABELS: dict[str, str] = {
    "row_no": "STT",
    "household_code": "Mã hộ",
    "head_name": "Họ và tên chủ hộ",
    # The given name in a column of its own after "Họ và tên đệm", as lists sorted by it
    # have it: put after the head_name column's words.
    "given_name": "Tên chủ hộ (tách riêng)",
    # The middle name in a column of its own between "Họ" and "Tên" (_name_parts).
    "middle_name": "Tên đệm chủ hộ (tách riêng)",
    "birth_year": "Năm sinh",
    # "Năm sinh" over two columns, "Nam" and "Nữ": the year in the column of the head's sex.
    "birth_year:male": "Năm sinh (nam)",
    "birth_year:female": "Năm sinh (nữ)",
    "sex": "Giới tính",
    "ethnicity": "Dân tộc",
    "citizen_id": "Số CCCD",
    "phone": "Số điện thoại",
    "hamlet": "Thôn, xóm",
    "address": "Địa chỉ",
    "categories": "Diện hộ",
    "poverty_list_year": "Năm danh sách hộ nghèo",
    "members": "Số nhân khẩu",
    "lawful_land_use": "Sử dụng đất hợp pháp",
    "land_certificate": "Có GCN QSDĐ",
    "land_dispute": "Đất có tranh chấp",
    "hazard_zone": "Vùng nguy cơ sạt lở",
    "certified_able_to_build": "UBND xã xác nhận đủ điều kiện",
    "notes": "Ghi chú",
    # A list with a row per family member: only the head's row is a household.
    "relation": "Quan hệ với chủ hộ",
    # One mark column per category ("x" in the "Hộ nghèo" column).
    "cat:poor": "Hộ nghèo",
    "cat:near_poor": "Hộ cận nghèo",
    "cat:revolutionary_merit": "Người có công",
    "cat:policy_family": "Gia đình chính sách",
    "cat:disaster_hit": "Ảnh hưởng thiên tai",
    "cat:other_hardship": "Hoàn cảnh khó khăn khác",
}
CATEGORY_FLAGS: dict[str, Category] = {f"cat:{c.value}": c for c in Category}
SEXED_YEARS: dict[str, Sex] = {"birth_year:male": Sex.male, "birth_year:female": Sex.female}
IGNORED = ""  # a recognised header whose column nhao does not keep
# What to do when no column of a header is known for the name (Layout.no_name_said).
NAME_HEADER_FIX = "Hãy sửa tiêu đề cột họ tên thành “Họ và tên chủ hộ” rồi nhập lại."
REQUIRED = ("head_name",)

_ROW_NUMBER = r"^(stt|tt|so tt|so thu tu|thu tu)$"
# (field, pattern on the folded header); the first match wins, so order matters:
# "Năm sinh chủ hộ" is a birth year before it is a name, "Ngày cấp CCCD" is nothing.
_RULES: tuple[tuple[str, str], ...] = (
    # "Mã hộ", "Mã số hộ", "Mã HGĐ", "Mã hộ gia đình": the list's own code of the household.
    ("household_code", r"^ma (so )?(ho|hgd)\b"),
    (IGNORED, r"\b(ngay|noi|nam) cap\b|\bma ho\b|\bky nhan\b|\bdien tich\b"),
    # "Năm thoát nghèo", "Hộ mới thoát nghèo": out of it, not in it. Only as the header's
    # subject: "Diện hộ (nghèo, cận nghèo, thoát nghèo)" is the categories all the same.
    (IGNORED, r"^((nam|ngay|thang|ho|moi|da) )*thoat\b"),
    ("row_no", _ROW_NUMBER),
    # Before the name: "Quan hệ với chủ hộ" says "chủ hộ" but holds "Vợ", "Con".
    ("relation", r"^(moi )?(quan he|qh)\b"),
    ("citizen_id", r"\b(cccd|cmnd|cmt|can cuoc|chung minh|dinh danh)\b"),
    ("phone", r"\b(sdt|dt|dien thoai|di dong)\b"),
    ("sex", r"\b(gioi tinh|nam nu|nam hay nu)\b"),
    # Not "Ngày sinh (ngày/tháng/năm)": there "năm" is the year, not the men's column.
    ("birth_year:male", r"\b(nam sinh|ngay sinh|sinh nam|ns)\b.*(?<!thang)(?<!mm) nam$"),
    ("birth_year:female", r"\b(nam sinh|ngay sinh|sinh nam|ns)\b.* nu$"),
    ("birth_year", r"\b(nam sinh|ngay sinh|sinh nam|ns)\b"),
    ("poverty_list_year", r"\bnam\b.*\b(danh sach|ds|ngheo|cong nhan)\b"),
    ("members", r"\b(nhan khau|so khau|nk|so nguoi|thanh vien)\b"),
    ("ethnicity", r"\bdan toc\b"),
    ("address", r"\b(so nha|dia chi cu the|noi o|cho o|cu tru)\b"),
    ("hamlet", r"\b(thon|xom|ban|ap|to dan pho|tdp|khu pho|lang)\b"),
    ("address", r"\bdia chi\b"),
    ("categories", r"^(thuoc )?(dien|doi tuong|loai ho|phan loai)\b"),
    # "Hộ nghèo/cận nghèo", "HN, HCN": one column saying which of the two, in words.
    ("categories", r"^(thuoc )?(ho )?(ngheo|hn)( ho)? (can ngheo|hcn|cn)$"),
    # "Hộ nghèo", "Thuộc hộ nghèo", "Hộ nghèo (x)", "Hộ nghèo (đánh dấu x)"
    ("cat:near_poor", r"^(thuoc )?(ho )?(can ngheo|hcn|cn)( danh dau)?( x)?$"),
    ("cat:poor", r"^(thuoc )?(ho )?(ngheo|hn)( danh dau)?( x)?$"),
    ("cat:revolutionary_merit", r"\b(co cong|ncc)\b"),
    ("cat:policy_family", r"\b(chinh sach|gdcs)\b"),
    ("cat:disaster_hit", r"\b(thien tai|bien doi khi hau)\b"),
    ("cat:other_hardship", r"\bkho khan\b"),
    ("lawful_land_use", r"\bhop phap\b"),
    ("land_certificate", r"\b(gcn|giay chung nhan|so do|so hong|qsdd)\b"),
    ("land_dispute", r"\btranh chap\b"),
    ("hazard_zone", r"\b(sat lo|nguy co|vung nguy hiem)\b"),
    ("certified_able_to_build", r"\b(xac nhan|du dieu kien)\b"),
    ("notes", r"\b(ghi chu|chu thich|luu y)\b"),
    # A wife's, a father's name: another person of the household, not its head.
    (IGNORED, r"^(?!.*\bchu ho\b).*\b(ho ten|ho va ten|ten)\b.*\b(vo|chong|cha|bo|me|con)\b"),
    ("middle_name", r"\bdem\b.*\btach rieng\b"),  # FIELD_LABELS' own, as given_name's
    ("given_name", r"\btach rieng\b"),  # FIELD_LABELS' own; else by its place (_name_parts)
    ("head_name", r"\b(ho ten|ho va ten|chu ho|ten)\b"),
)
# A name written over two columns: the family and middle names, then the given name.
# Folded headers; "Họ và tên" alone is a whole name (a "Tên" after it repeats the given
# name to sort by), not its first part.
# "Họ và chữ đệm", "Họ, chữ đệm" as the civil status forms write it.
_FAMILY_PART = re.compile(r"^ho( va)?( (ten )?(dem|lot)| chu (dem|lot))?$")
_OF_THE_HEAD = re.compile(r"(?<=[a-z]) (cua )?chu ho$")
# A name over three columns: "Họ" | "Đệm" ("Tên đệm", "Chữ đệm", "Tên lót") | "Tên".
_FAMILY_ALONE = re.compile(r"^ho$")
_MIDDLE_PART = re.compile(r"^((ten|chu) )?(dem|lot)$")
_GIVEN_PART = re.compile(r"^ten$")  # "Tên chủ hộ" is a whole name as often as not,
_GIVEN_AFTER_MIDDLE = re.compile(r"^ten( chu ho)?$")  # but not after "Họ đệm"
_NEW_CARD = re.compile(r"\b(cccd|can cuoc|dinh danh)\b")
_CITIZEN_CARD = re.compile(r"\b(cccd|can cuoc)\b")
_OLD_CARD = re.compile(r"\b(cmnd|cmt|chung minh)\b")
_COMPILED = tuple((name, re.compile(pattern)) for name, pattern in _RULES)
# The row number's header ("STT", "Số TT"), on a header_key: no household's row says it.
ROW_NUMBER_HEADER = re.compile(_ROW_NUMBER)
_NON_WORD = re.compile(r"[^0-9a-z]+")
HEADER_SCAN_ROWS = 30


def card_named(header: str) -> str:
    """The card an ID column's header names, as a duplicate's message says it ("Trùng số
    CMND"): the clerk looks for the number under that header. "Số CCCD/CMND" is the new
    card's."""
    key = header_key(header)
    if _CITIZEN_CARD.search(key):
        return "CCCD"
    if _OLD_CARD.search(key):
        return "CMND"
    return "định danh" if _NEW_CARD.search(key) else "CCCD"


def header_key(raw: object) -> str:
    """"Số CCCD/CMND" → "so cccd cmnd": how headers are compared and saved."""
    return _NON_WORD.sub(" ", fold(text(raw))).strip()


def match_header(raw: object, saved: Mapping[str, str] | None = None) -> str | None:
    """The field a header names, IGNORED for a known column nhao does not keep, else None."""
    key = header_key(raw)
    if not key:
        return None
    if saved and key in saved:
        return saved[key]
    for name, pattern in _COMPILED:
        if pattern.search(key):
            return name
    return None


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: columns as Excel names them."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Layout:
    """Where the table is: header row(s) as Excel numbers them, and what each column is."""

    header_row: int  # Excel row number of the (first) header row
    header_rows: int  # 1, or 2 or 3 for group headers above the column headers
    headers: dict[int, str]  # column index → header text as written
    mapping: dict[int, str]  # column index → field (IGNORED columns left out)
    # Columns whose header names a field another column was taken for: not imported.
    shadowed: dict[int, str] = field(default_factory=dict)
    # A column with no header after the name's, read as the given name by its values
    # (_headerless_given_name): said, as no header says it.
    headerless_given: int | None = None
    given_examples: tuple[str, ...] = ()  # a few of its names, as the note shows them
    # The header of a list pasted below known by its other columns, its name's in words no
    # rule knows for one ("Người đại diện"): the columns the name may be in (those headers
    # no rule knows), and, when the rows below showed the one (rows.RowReader._sample_below),
    # a few of its names.
    name_unknown: tuple[int, ...] = ()
    name_examples: tuple[str, ...] = ()

    @property
    def first_data_row(self) -> int:
        return self.header_row + self.header_rows

    def missing(self, required: Sequence[str] = REQUIRED) -> list[str]:
        return [f for f in required if f not in self.mapping.values()]

    def no_name_said(self) -> str:
        """Why no column is the name, in a header known by its other columns."""
        columns = ", ".join(
            f"{column_letter(c)} “{self.headers.get(c, '')}”" for c in self.name_unknown
        )
        return (
            f"không rõ cột nào là họ tên chủ hộ (cột {columns} không phải tiêu đề họ tên nhao "
            "biết)"
        )

    def describe_headers(self) -> str:
        return ", ".join(f"{column_letter(c)} “{h}”" for c, h in sorted(self.headers.items()))

    @property
    def id_fallback(self) -> int | None:
        """A second column of ID numbers ("Số CMND" beside "Số CCCD"), read on the rows
        whose citizen_id column is empty: a household without its new card yet keeps
        the old card's number."""
        if "citizen_id" not in self.mapping.values():
            return None
        return next((c for c, f in sorted(self.shadowed.items()) if f == "citizen_id"), None)

    def shadowed_notes(self, choosable: bool = True) -> list[str]:
        """One sentence per column left out because another holds its field. ``choosable``:
        the person may choose these columns in the window (the first header's); a list
        pasted below is read by its header as the file has it."""
        taken = {f: c for c, f in self.mapping.items()}
        fallback = self.id_fallback
        notes = [
            f"Cột {column_letter(c)} “{self.headers.get(c, '')}” cũng là "
            f"“{FIELD_LABELS.get(f, f)}” như cột {column_letter(taken[f])}; "
            + (
                f"lấy số ở cột {column_letter(taken[f])}, số ở cột {column_letter(c)} chỉ "
                f"được nhập khi cột {column_letter(taken[f])} để trống."
                if c == fallback
                else f"chỉ lấy cột {column_letter(taken[f])}, cột {column_letter(c)} không "
                "được nhập."
            )
            for c, f in sorted(self.shadowed.items())
            if f in taken
        ]
        given = self.headerless_given
        if given is not None and self.mapping.get(given) == "given_name":
            name = column_letter(given - 1)
            examples = ", ".join(self.given_examples)
            notes.append(
                f"Cột {column_letter(given)} không có tiêu đề riêng, nằm ngay sau cột {name} "
                f"“{self.headers.get(given - 1, '')}” (tiêu đề gộp hai cột?) và ghi các tên "
                f"như {examples}: nhập là tên chủ hộ, ghép sau họ và tên đệm ở cột {name}. "
                + (
                    f"Nếu không đúng, hãy chọn “không nhập” cho cột {column_letter(given)}."
                    if choosable
                    else f"Nếu không đúng, hãy ghi tiêu đề cho cột {column_letter(given)} trong "
                    "tệp rồi nhập lại."
                )
            )
        if self.name_examples:
            name = taken["head_name"]
            notes.append(
                f"Cột {column_letter(name)} “{self.headers.get(name, '')}” không phải tiêu đề họ "
                f"tên chủ hộ nhao biết, nhưng ghi tên người ({', '.join(self.name_examples)}): "
                f"nhập là họ và tên chủ hộ. Nếu không đúng, hãy sửa tiêu đề cột "
                f"{column_letter(name)} trong tệp rồi nhập lại."
            )
        if sexed := sexed_year_columns(self.mapping):
            letters = ", ".join(column_letter(c) for c in sexed)
            notes += [
                f"Cột {column_letter(c)} “{self.headers.get(c, '')}” cũng là năm sinh; năm "
                f"sinh lấy ở cột {letters} (theo nam, nữ), cột {column_letter(c)} không "
                "được nhập."
                for c, f in sorted(self.shadowed.items())
                if f == "birth_year" and f not in taken
            ]
        return notes


def sexed_year_columns(mapping: Mapping[int, str]) -> list[int]:
    return sorted(c for c, f in mapping.items() if f in SEXED_YEARS)


def year_mapped_twice(mapping: Mapping[int, str]) -> bool:
    """A plain birth-year column beside the "Nam" | "Nữ" pair: two places for one year."""
    return "birth_year" in mapping.values() and bool(sexed_year_columns(mapping))


def _claim(
    mapping: dict[int, str], shadowed: dict[int, str], headers: dict[int, str], index: int,
    field: str,
) -> None:
    """Give ``field`` to column ``index`` unless another column has it. Of two name
    columns, the one that says "chủ hộ" is the head's; any other second column of a
    field is left out, and the person told (Layout.shadowed)."""
    sexed = [c for c, f in mapping.items() if f in SEXED_YEARS]
    if field == "birth_year" and sexed:  # the "Nam" | "Nữ" pair says the sex as well
        shadowed[index] = field
        return
    plain = next((c for c, f in mapping.items() if f == "birth_year"), None)
    if field in SEXED_YEARS and plain is not None:
        del mapping[plain]
        shadowed[plain] = "birth_year"
    holder = next((c for c, f in mapping.items() if f == field), None)
    if holder is None:
        mapping[index] = field
        return
    if (
        field == "head_name"
        and "chu ho" in header_key(headers[index])
        and "chu ho" not in header_key(headers[holder])
    ) or (
        # "Số CMND" | "Số CCCD": the new card's number before the old one's, which is
        # read only where the new one is not written (rows.RowReader, ID_FALLBACK).
        field == "citizen_id"
        and _NEW_CARD.search(header_key(headers[index]))
        and not _NEW_CARD.search(header_key(headers[holder]))
    ):
        del mapping[holder]
        shadowed[holder] = field
        mapping[index] = field
        return
    shadowed[index] = field


def _map_row(
    cells: Sequence[object], saved: Mapping[str, str] | None
) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    headers: dict[int, str] = {}
    mapping: dict[int, str] = {}
    shadowed: dict[int, str] = {}
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and cell.strip():
            headers[index] = text(cell)
            field = match_header(cell, saved)
            if field:
                _claim(mapping, shadowed, headers, index, field)
    _name_parts(headers, mapping, shadowed, saved=saved)
    return headers, mapping, shadowed


def _spread(
    cells: Sequence[object], merged: Sequence[tuple[int, int]], below: Sequence[object]
) -> list[str]:
    """A group header merged over several columns names each of them. A file that keeps
    no merges (CSV) has the group header in its first column only: it then names the
    empty cells after it that have a header of their own below, as it did the first
    one ("Năm sinh" over "Nam" and "Nữ"); the women's years were not read otherwise."""
    spread = [text(c) for c in cells]
    for first, last in merged:
        for index in range(first + 1, min(last + 1, len(spread))):
            if not spread[index]:
                spread[index] = spread[first]
    if not merged:
        under = [text(c) for c in below] + [""] * max(len(spread) - len(below), 0)
        group = ""
        for index, cell in enumerate(spread):
            if cell:
                group = cell if under[index] else ""
            elif group and under[index]:
                spread[index] = group
            else:
                group = ""
    return spread


def _stacked(
    levels: Sequence[Sequence[object]],
    merged: Sequence[Sequence[tuple[int, int]]],
    saved: Mapping[str, str] | None,
) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    """A header over two or three rows: each column named by its cells from the top down,
    a group header merged over several columns naming each of them ("Thông tin chủ hộ"
    over "Ngày tháng năm sinh" over "Nam" | "Nữ")."""
    spread = [
        _spread(cells, merges, levels[level + 1])
        for level, (cells, merges) in enumerate(zip(levels[:-1], merged, strict=False))
    ]
    spread.append([text(c) for c in levels[-1]])
    width = max(len(cells) for cells in levels)
    headers: dict[int, str] = {}
    mapping: dict[int, str] = {}
    shadowed: dict[int, str] = {}
    for index in range(width):
        parts: list[str] = []
        for cells in spread:  # a vertical merge leaves the rows below it empty
            part = cells[index] if index < len(cells) else ""
            if part and part not in parts:
                parts.append(part)
        if not parts:
            continue
        headers[index] = " / ".join(parts)
        field = None
        remembered = header_key(headers[index])  # as save_mapping keeps a correction
        if saved and remembered in saved:
            # Before the child, which the rules may know ("Cận nghèo"), and "not
            # imported" (IGNORED) too: the person said so for this very header.
            field = saved[remembered]
        else:
            # The lowest cell first, then with the ones above it: "Nam" says nothing
            # alone, "Ngày tháng năm sinh Nam" is the men's birth year.
            candidates = []
            for level in reversed(range(len(parts))):
                candidates += [" ".join(parts[level:]), parts[level]]
            for candidate in dict.fromkeys(candidates):
                field = match_header(candidate, saved) if candidate.strip() else None
                if field:
                    break
        if field:
            _claim(mapping, shadowed, headers, index, field)
    _name_parts(headers, mapping, shadowed, saved=saved)
    return headers, mapping, shadowed


def _name_parts(
    headers: dict[int, str],
    mapping: dict[int, str],
    shadowed: dict[int, str],
    merges: Sequence[tuple[int, int]] = (),
    saved: Mapping[str, str] | None = None,
) -> None:
    """A name over two columns: "Họ và tên đệm" | "Tên" side by side (the lowest header
    row saying it), or the name's header merged over two columns, the second with no
    header of its own. The second column is then "given_name"."""
    for index in sorted(headers):
        # "Họ và chữ đệm (của) chủ hộ": whose name it is, said after the part.
        family = _OF_THE_HEAD.sub("", header_key(headers[index].split(" / ")[-1]))
        given = header_key(headers.get(index + 1, "").split(" / ")[-1])
        if saved and (family in saved or given in saved):
            continue  # the person said what these columns are
        after = header_key(headers.get(index + 2, "").split(" / ")[-1])
        if (
            _FAMILY_ALONE.match(family)
            and _MIDDLE_PART.match(given)
            and _GIVEN_AFTER_MIDDLE.match(after)
            and not (saved and after in saved)
        ):
            _take_name_columns(mapping, shadowed, [index, index + 1, index + 2])
            return
        given_part = _GIVEN_AFTER_MIDDLE if family.endswith(("dem", "lot")) else _GIVEN_PART
        if _FAMILY_PART.match(family) and given_part.match(given):
            _take_name_columns(mapping, shadowed, [index, index + 1])
            return
    for first, last in merges:
        if mapping.get(first) == "head_name" and last == first + 1 and last not in headers:
            headers[last] = headers[first]  # as a group header names the columns under it
            mapping[last] = "given_name"
            return


def _take_name_columns(
    mapping: dict[int, str], shadowed: dict[int, str], columns: list[int]
) -> None:
    """The name's parts in these columns: the family's first, the given name's last, the
    middle name's between (of three); no other column is the name."""
    for column, taken in list(mapping.items()):
        if taken == "head_name" and column not in columns:
            del mapping[column]
            shadowed[column] = taken
    for column in columns:
        shadowed.pop(column, None)
    parts = ("head_name", "middle_name", "given_name")
    mapping.update(zip(columns, parts if len(columns) == 3 else parts[::2], strict=True))


def _score(mapping: Mapping[int, str]) -> int:
    fields = set(mapping.values()) - {IGNORED, "row_no"}
    return len(fields) + (5 if "head_name" in fields else 0)


def detect_layout(
    rows: Sequence[tuple[int, Sequence[object]]],
    *,
    merged: Mapping[int, Sequence[tuple[int, int]]] | None = None,
    saved: Mapping[str, str] | None = None,
    header_row: int | None = None,
) -> Layout | None:
    """Find the header among the first rows (Excel row number, cells), or read the
    one the person chose. ``merged`` maps a row number to its horizontal merges."""
    merged = merged or {}
    best: tuple[int, Layout] | None = None
    for position, (number, cells) in enumerate(rows):
        if header_row is not None and number != header_row:
            continue
        headers, mapping, shadowed = _map_row(cells, saved)
        layout = Layout(number, 1, headers, mapping, shadowed)
        score = _score(mapping)
        if headers and position + 1 < len(rows) and rows[position + 1][0] == number + 1:
            below = rows[position + 1][1]
            two_headers, two_mapping, two_shadowed = _stacked(
                (cells, below), (merged.get(number, ()),), saved
            )
            alone = _score(_map_row(below, saved)[1])
            # Or the row below names the parts of a group header merged over them and no
            # more ("Hiện trạng nhà ở" over "Nhà tạm" | "Nhà dột nát"), columns nhao does
            # not keep: a header row all the same, not a household's with no name.
            groups = merged.get(number) or _unmerged_groups(cells, below)
            parts_only = score >= alone and _under_groups(below, groups)
            if (
                (_score(two_mapping) > max(score, alone) or parts_only)
                and _score(two_mapping) >= score
                and sum(1 for c in below if text(c)) >= 2  # not a lone group title
                and not _looks_like_data(below)
            ):
                layout = Layout(number, 2, two_headers, two_mapping, two_shadowed)
                score = _score(two_mapping)
                if position + 2 < len(rows) and rows[position + 2][0] == number + 2:
                    layout, score = _third_row(
                        layout, score, cells, below, rows[position + 2][1], merged, saved
                    )
        if best is None or score > best[0]:
            best = (score, layout)
    if best is None or (header_row is None and best[0] < 7):
        return None  # no row names the head of household plus another column
    layout = best[1]
    if layout.header_rows == 1 and (merges := merged.get(layout.header_row)):
        # Only now: counted in the score, the merge would beat the header row under it
        # that names the two parts ("Họ và tên đệm" | "Tên").
        _name_parts(layout.headers, layout.mapping, layout.shadowed, merges, saved)
    return with_headerless_given(layout, rows)


def with_headerless_given(layout: Layout, rows: Sequence[tuple[int, Sequence[object]]]) -> Layout:
    """``layout`` with the column with no header after the name's read as the given name,
    when ``rows`` (those under the header) show it holds given names
    (_headerless_given_name)."""
    if layout.header_rows != 1 or "given_name" in layout.mapping.values():
        return layout
    found = _headerless_given_name(layout, rows)
    if found is None:
        return layout
    given, examples = found
    layout.headers[given] = layout.headers[given - 1]  # as a merged header does
    layout.mapping[given] = "given_name"
    return replace(layout, headerless_given=given, given_examples=examples)


# A given name: one word of letters ("An", "Thu", "Dình"), not the sex ("Nam", "Nữ") nor
# a mark ("x"). Folded.
_GIVEN_NAME = re.compile(r"[a-z]{2,7}")
_SEX_WORDS = frozenset({"nam", "nu", "trai", "gai"})
# One short word that is no given name, in a column a note or a mark has: "Có", "Không",
# "Chết", "Đi", "Vợ", "Con", "nt". Folded.
_NOT_GIVEN = _SEX_WORDS | {"co", "khong", "ko", "chua", "chet", "di", "vo", "chong", "con", "nt"}
# Peoples named in one word (those of two written as one): a column of them is the
# ethnicity, though "Thái", "Hoa" and "Công" are given names too. Folded.
_ETHNIC_WORDS = frozenset(
    part.replace(" ", "") for people in ETHNICITIES for part in fold(people).split(" - ")
) | {"hmong"}  # Mông, also written H'Mông


# What a name column says on a row of no household: a group's title ("Thôn Nà Pàn"), a
# total ("Cộng thôn"). Folded. (A head called Bàn, Tống or Hồ is not counted either: the
# count is of the rows a given name is looked for on, and a few less do not matter.)
_NOT_A_HEAD = re.compile(r"(thon|xom|ban|ap|to|khu|lang|tong|cong|ho)\b")


def _headerless_given_name(
    layout: Layout, rows: Sequence[tuple[int, Sequence[object]]]
) -> tuple[int, tuple[str, ...]] | None:
    """The column with no header right after the name's, when its cells are given names:
    a name's header merged over two columns ("Họ và tên" over "Nguyễn Văn" | "An") in a
    file that keeps no merges, a CSV saved from the sheet. Its index and its first few
    names, else None."""
    name = next((c for c, f in layout.mapping.items() if f == "head_name"), None)
    if name is None or name + 1 in layout.headers:
        return None
    given = filled = peoples = named = 0
    examples: list[str] = []
    for number, cells in rows:
        if number < layout.first_data_row or name >= len(cells):
            continue
        beside = cells[name]
        if not (isinstance(beside, str) and beside.strip()):
            continue
        named += not _NOT_A_HEAD.match(fold(beside))
        cell = cells[name + 1] if name + 1 < len(cells) else ""
        if not text(cell):
            continue
        filled += 1
        word = fold(text(cell)) if isinstance(cell, str) else ""
        is_given = bool(_GIVEN_NAME.fullmatch(word)) and word not in _NOT_GIVEN
        given += is_given
        if is_given and len(examples) < 3 and text(cell) not in examples:
            examples.append(text(cell))
        peoples += word in _ETHNIC_WORDS
    # Most of them: a title's or a total's cell may stand there on a row or two. And on
    # most rows with a name: every household has a given name, a note a few ("Chết").
    if not given or 5 * given < 4 * filled or 2 * peoples > filled or 2 * filled <= named:
        return None
    return name + 1, tuple(examples)


def _third_row(
    layout: Layout,
    score: int,
    top: Sequence[object],
    middle: Sequence[object],
    bottom: Sequence[object],
    merged: Mapping[int, Sequence[tuple[int, int]]],
    saved: Mapping[str, str] | None,
) -> tuple[Layout, int]:
    """The two-row header ``layout`` with the row below it as a third header row, when
    that row names more: "Nam" | "Nữ" under "Ngày tháng năm sinh" under "Thông tin chủ hộ".
    A row holding a number is data (its STT), never a header."""
    if sum(1 for c in bottom if text(c)) < 2 or any(
        isinstance(c, int | float) and not isinstance(c, bool) for c in bottom
    ):
        return layout, score
    number = layout.header_row
    headers, mapping, shadowed = _stacked(
        (top, middle, bottom), (merged.get(number, ()), merged.get(number + 1, ())), saved
    )
    if _score(mapping) <= max(score, _score(_map_row(bottom, saved)[1])):
        return layout, score
    return Layout(number, 3, headers, mapping, shadowed), _score(mapping)


def _under_groups(cells: Sequence[object], merges: Sequence[tuple[int, int]]) -> bool:
    """Every cell written in ``cells`` stands under a header merged over several columns."""
    written = [index for index, cell in enumerate(cells) if text(cell)]
    return bool(written) and all(
        any(first <= index <= last for first, last in merges if last > first)
        for index in written
    )


def _unmerged_groups(
    cells: Sequence[object], below: Sequence[object]
) -> list[tuple[int, int]]:
    """The groups of a header in a file that keeps no merges (CSV), as _spread reads them:
    a header cell and the empty ones after it with a header of their own below."""
    width = max(len(cells), len(below))
    above = [text(c) for c in cells] + [""] * (width - len(cells))
    under = [text(c) for c in below] + [""] * (width - len(below))
    groups = []
    for first, cell in enumerate(above):
        last = first
        while cell and last + 1 < width and not above[last + 1] and under[last + 1]:
            last += 1
        if last > first:
            groups.append((first, last))
    return groups


def _looks_like_data(cells: Sequence[object]) -> bool:
    """A row with a long number or a date in it is data, not a second header row."""
    return any(isinstance(c, int | float) and not isinstance(c, bool) and c > 1000 for c in cells)


def is_column_numbers(cells: Sequence[object]) -> bool:
    """The "(1) (2) (3) …" row official tables put under their headers."""
    values = [text(c).strip("()") for c in cells if text(c)]
    if len(values) < 3 or not all(v.isdigit() for v in values):
        return False
    numbers = [int(v) for v in values]
    return numbers == sorted(numbers) and numbers[0] <= 2 and numbers[-1] <= 60
