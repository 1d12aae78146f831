"""The xlsx report of an import names the households it lists as possible duplicates."""

from __future__ import annotations

import json

import openpyxl
import pytest

from nhao.cli import main
from nhao.services import sync

from .conftest import PASSWORD, Tree


def test_the_report_names_each_pair_of_possible_duplicates(
    tree: Tree, backend: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    # The report's "Hộ nghi trùng" column said 1 and no sheet named the households:
    # nor who, nor where, nor why they look alike.
    tree.a.add_household("Hoàng Văn Páo", birth_year=1975, citizen_id="020075001234")
    tree.b.add_household("Hoàng Văn Pao", birth_year=1980, citizen_id="020075001234")
    tree.a.add_household("Lý Thị Mai", birth_year=1990)
    tree.b.add_household("Lý Thị Mai", birth_year=1990)
    tree.a.add_household("Nông Văn Sáu", birth_year=1970)  # alike in nothing
    first, second = tree.a.export(name="thon-a.nhao"), tree.b.export(name="thon-b.nhao")
    report = tree.commune.folder / "bao-cao.xlsx"
    if backend == "sqlite":  # as a person runs it, and the JSON stays as other tools read it
        monkeypatch.setenv("NHAO_PASSWORD", PASSWORD)
        capsys.readouterr()
        assert main(["--db", str(tree.commune.db.location.path), "bundle", "import",
                     str(first), str(second), "--json", "--report", str(report)]) == 0  # fmt: skip
        printed = json.loads(capsys.readouterr().out)
        assert [r["possible_duplicates"] for r in printed] == [0, 2]
        assert {key for r in printed for key in r} <= {
            "file", "status", "producer", "entities", "possible_duplicates", "sha256",
        }  # fmt: skip
    else:
        reports = tree.commune.take(first, second)
        sync.write_import_report(reports, report, sync.report_names(tree.commune.db))
    book = openpyxl.load_workbook(report)
    sheet = book["Hộ nghi trùng"]
    header = next(n for n in range(1, 10) if sheet.cell(n, 1).value == "Tệp")
    rows = [
        [cell.value for cell in row]
        for row in sheet.iter_rows(min_row=header + 1)
        if any(cell.value is not None for cell in row)
    ]
    hamlet_a = f"Thôn Nà Pàn ({tree.a.unit})"
    hamlet_b = f"Thôn Khuổi Hẩu ({tree.b.unit})"
    # Shared citizen IDs first; in a pair, the households by hamlet (Khuổi Hẩu, Nà Pàn).
    assert rows == [
        ["thon-b.nhao", "Trùng số CCCD",
         "Hoàng Văn Pao", 1980, "********1234", hamlet_b,
         "Hoàng Văn Páo", 1975, "********1234", hamlet_a],
        ["thon-b.nhao", "Trùng họ tên và năm sinh",
         "Lý Thị Mai", 1990, None, hamlet_b,
         "Lý Thị Mai", 1990, None, hamlet_a],
    ]  # fmt: skip
    # Where a person decides, above the header; the header stays on screen.
    above = " ".join(str(sheet.cell(n, 1).value or "") for n in range(1, header))
    assert "Đồng bộ › Có thể trùng" in above and "không hộ nào bị gộp" in above.lower()
    assert sheet.freeze_panes == f"B{header + 1}"
    assert all(sheet.column_dimensions[c].width >= 10 for c in "ABCDEFGHIJ")


def test_a_check_of_several_files_says_their_households_meet_only_when_imported(
    tree: Tree,
) -> None:
    # Each file is checked alone, in a transaction undone: hamlet B's "Lý Thị Mai" was
    # not compared with hamlet A's checked with it, and the sheet said "Không có." of
    # a pair the import then listed.
    tree.a.add_household("Lý Thị Mai", birth_year=1990)
    tree.b.add_household("Lý Thị Mai", birth_year=1990)
    first, second = tree.a.export(name="thon-a.nhao"), tree.b.export(name="thon-b.nhao")
    checked = tree.commune.take(first, second, dry_run=True)
    assert [r["possible_duplicates"] for r in checked] == [0, 0]
    report = tree.commune.folder / "kiem-tra.xlsx"
    sync.write_import_report(checked, report, sync.report_names(tree.commune.db))
    sheet = openpyxl.load_workbook(report)["Hộ nghi trùng"]
    header = next(n for n in range(1, 10) if sheet.cell(n, 1).value == "Tệp")
    above = " ".join(str(sheet.cell(n, 1).value or "") for n in range(1, header))
    assert "Mỗi tệp được kiểm tra riêng" in above, above
    assert "hai tệp" in above and "khi nhập" in above, above
    assert [r["possible_duplicates"] for r in tree.commune.take(first, second)] == [0, 1]
