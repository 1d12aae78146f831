"""`nhao households import|export` (runs once cli.py has the command)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nhao import cli
from nhao.models.database import Database
from nhao.services.actor import Actor

from .conftest import make_xlsx

pytestmark = pytest.mark.skipif(
    "households" not in cli.build_parser()._subparsers._group_actions[0].choices,  # type: ignore[union-attr]
    reason="cli.py does not have `nhao households` yet",
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def station(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NHAO_PASSWORD", "demo")
    assert db.location.path is not None
    return str(db.location.path)


def test_import_json_and_report(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [["Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Diện"],
            ["Nguyễn Văn An", 1960, 20060000123, "Nà Pàn", "HN"],
            ["Lò Thị Bé", 1975, "1,23457E+11", "Nà Pàn", "HCN"]]
    path = make_xlsx(tmp_path / "ds.xlsx", rows)
    report = tmp_path / "ket-qua.xlsx"
    code, out, _ = run(capsys, "households", "import", str(path), "--db", station, "--json",
                       "--report", str(report))
    assert code == 0 and report.exists()
    data = json.loads(out)
    assert data["summary"]["imported"] == 1
    assert [(r["row"], r["status"]) for r in data["rows"]] == [(2, "warning"), (3, "error")]
    code, out, _ = run(capsys, "households", "import", str(path), "--db", station, "--dry-run")
    assert code == 0 and "Kiểm tra trước" in out
    out_file = tmp_path / "so-ho.xlsx"
    code, out, _ = run(capsys, "households", "export", str(out_file), "--db", station)
    assert code == 0 and out_file.exists() and "1 hộ" in out


def test_a_bad_file_is_one_sentence_and_exit_1(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "anh.xlsx"
    bad.write_bytes(b"%PDF-1.4 not a sheet")
    code, out, err = run(capsys, "households", "import", str(bad), "--db", station)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "không phải là bảng tính" in err
