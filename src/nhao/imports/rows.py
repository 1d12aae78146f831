"""Reading the rows under the header: households, and the other rows hand-made
lists have (totals, hamlet group titles, the "(1) (2) (3)" row, signatures)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from . import values as v
from .folding import fast_fold
from .headers import CATEGORY_FLAGS, Layout, column_letter, is_column_numbers
from .source import Merge


class RowKind(StrEnum):
    data = "data"
    total = "total"  # "Tổng cộng", "Cộng thôn A": skipped
    section = "section"  # "Thôn Nà Pàn" alone on a row: the hamlet of the rows below
    numbers = "numbers"  # "(1) (2) (3) …" under the header
    footer = "footer"  # after the grand total: place and date, signatures


@dataclass(slots=True)
class ParsedRow:
    row: int  # as Excel shows it
    kind: RowKind
    values: dict[str, object] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    section: str = ""


Converter = Callable[[object, list[str]], object]
CONVERTERS: dict[str, Converter] = {
    "head_name": lambda raw, _: v.text(raw),
    "citizen_id": v.citizen_id,
    "birth_year": lambda raw, _: v.year(raw),
    "sex": v.sex,
    "ethnicity": lambda raw, _: v.text(raw),
    "phone": v.phone,
    "hamlet": lambda raw, _: v.text(raw),
    "address": lambda raw, _: v.text(raw),
    "categories": v.categories,
    "poverty_list_year": lambda raw, _: v.year(raw),
    "members": lambda raw, _: v.integer(raw),
    "lawful_land_use": lambda raw, _: v.flag(raw),
    "land_certificate": lambda raw, _: v.flag(raw),
    "land_dispute": lambda raw, _: v.flag(raw),
    "hazard_zone": lambda raw, _: v.flag(raw),
    "certified_able_to_build": lambda raw, _: v.flag(raw),
    "notes": lambda raw, _: v.text(raw),
}
for _flag in CATEGORY_FLAGS:
    CONVERTERS[_flag] = lambda raw, _: v.flag(raw)
# Mark columns are definite: an empty cell says "no". Other empty cells say nothing.
DEFINITE = frozenset(
    {"lawful_land_use", "land_certificate", "land_dispute", "hazard_zone"}
    | {"certified_able_to_build"}
    | set(CATEGORY_FLAGS)
)

_TOTALS = re.compile(r"^(tong|tong so|tong cong.*|cong|cong (toan xa|thon|xom|ban|ap|to)\b.*)$")
_FOOTER = re.compile(
    r"^(nguoi lap|lap bieu|chu tich|pho chu tich|truong thon|truong ban|to truong|"
    r"xac nhan|ky ten|ky ghi ro|can bo|thu truong|tm ubnd|t m ubnd|.{0,40}ngay .{0,8}thang)"
)
_SECTION = re.compile(
    r"^(?:[ivxlc]+|[0-9]+|[a-z])?[.)]?\s*((thon|xom|ban|ap|to dan pho|khu pho|lang|to [0-9]+)\b.*)"
)


def _first_text(cells: Iterable[object]) -> str:
    for cell in cells:
        if isinstance(cell, str) and cell.strip():
            return cell
    return ""


class RowReader:
    """Turns the rows below the header into ParsedRow, fast enough for 100,000 rows."""

    def __init__(self, layout: Layout, merged: Iterable[Merge] = ()):
        self.layout = layout
        self._plan = [
            (index, name, CONVERTERS[name], self._label(index))
            for index, name in sorted(layout.mapping.items())
            if name in CONVERTERS
        ]
        # A cell merged down over several rows (a hamlet written once for its group of
        # households) counts for every row it covers.
        self._down = [
            (top, bottom, column)
            for (top, column), (bottom, _) in merged
            if bottom > top and top + 1 >= layout.first_data_row
        ]
        self._down_values: dict[int, object] = {}
        names = [i for i, name in layout.mapping.items() if name == "head_name"]
        self._name_column = names[0] if names else -1
        self._ended = False

    def _label(self, index: int) -> str:
        header = self.layout.headers.get(index, "")
        return f"Cột {column_letter(index)} “{header}”" if header else f"Cột {column_letter(index)}"

    def read(self, rows: Iterable[tuple[int, list[object]]]) -> Iterator[ParsedRow]:
        first = self.layout.first_data_row
        for number, cells in rows:
            if number < first:
                continue
            if self._down:
                self._fill_down(number - 1, cells)
            parsed = self.parse(number, cells)
            if parsed is not None:
                yield parsed

    def _fill_down(self, index: int, cells: list[object]) -> None:
        for top, bottom, column in self._down:
            if index == top and column < len(cells):
                self._down_values[column] = cells[column]
            elif top < index <= bottom and column < len(cells) and v.is_empty(cells[column]):
                cells[column] = self._down_values.get(column, "")

    def parse(self, number: int, cells: list[object]) -> ParsedRow | None:
        """One row; None for an empty row, which is not reported."""
        filled = [i for i, c in enumerate(cells) if c != "" and c is not None]
        filled = [i for i in filled if not v.is_empty(cells[i])]
        if not filled:
            return None
        if self._ended:
            return ParsedRow(number, RowKind.footer)
        first_text = _first_text(cells[i] for i in filled)
        key = fast_fold(first_text) if first_text else ""
        if key and _TOTALS.match(key):
            self._ended = key.startswith("tong")
            return ParsedRow(number, RowKind.total)
        if key and _FOOTER.match(key):
            return ParsedRow(number, RowKind.footer)
        if number == self.layout.first_data_row and is_column_numbers(cells):
            return ParsedRow(number, RowKind.numbers)
        # A group title such as "II. Thôn Nà Pàn", alone on its row and outside the name
        # column (a head of household may well be called Bàn Văn Sử).
        section = _SECTION.match(key) if len(filled) == 1 and key else None
        if section and filled[0] != self._name_column:
            title = v.text(first_text)
            return ParsedRow(number, RowKind.section, section=title[section.start(1) :])
        return self._data(number, cells)

    def _data(self, number: int, cells: list[object]) -> ParsedRow:
        row = ParsedRow(number, RowKind.data)
        values = row.values
        width = len(cells)
        for index, name, convert, label in self._plan:
            raw = cells[index] if index < width else ""
            if raw == "" and name not in DEFINITE:
                continue
            notes: list[str] = []
            try:
                value = convert(raw, notes)
            except v.BadValue as error:
                row.errors.append(f"{label}: {error.message}")
                continue
            for note in notes:
                row.warnings.append(f"{label}: {note}")
            if name in CATEGORY_FLAGS:
                value = frozenset({CATEGORY_FLAGS[name]}) if value else frozenset()
                name = "categories"
            if name == "categories":
                if value:
                    values[name] = values.get(name, frozenset()) | value  # type: ignore[operator]
                continue
            if value is not None and value != "":
                values[name] = value
        return row
