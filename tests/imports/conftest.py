"""A commune station with three hamlets, and helpers that make messy spreadsheets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from nhao.models.database import Database
from nhao.services import setup, units, users
from nhao.services.actor import Actor

COMMUNE = "06112"  # Xã Bình Gia, Lạng Sơn
HAMLETS = ["Thôn Nà Pàn", "Xóm Cốc Lùng", "Bản Khau Bon"]


@pytest.fixture
def admin(db: Database) -> Actor:
    setup.initialize(db, unit_code=COMMUNE, admin_username="admin", admin_password="demo")
    actor = users.authenticate(db, "admin", "demo")
    units.add_hamlets(db, actor, HAMLETS)
    return actor


def make_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    sheet: str = "Danh sách",
    merges: Sequence[str] = (),
    extra_sheets: Sequence[tuple[str, str]] = (),  # (name, state: visible|hidden)
) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    first.title = sheet
    for row in rows:
        first.append(list(row))
    for cells in merges:
        first.merge_cells(cells)
    for name, state in extra_sheets:  # put before the list, as people leave them
        other = book.create_sheet(name)
        other.sheet_state = state
        other.append(["Họ và tên chủ hộ", "Năm sinh", "Thôn"])
        other.append(["Người Ở Trang Khác", 1950, "Thôn Nà Pàn"])
        book.move_sheet(other, offset=-book.index(other))
    book.save(path)
    return path


def make_csv(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """The rows as a CSV file has them, every cell text (UTF-8, comma-separated)."""
    path.write_text("\n".join(",".join(map(str, row)) for row in rows) + "\n", encoding="utf-8")
    return path


def statuses(report) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    return [(o.row, o.status.value) for o in report.rows]


def messages(report, row: int) -> str:  # type: ignore[no-untyped-def]
    return " | ".join(next(o for o in report.rows if o.row == row).messages)
