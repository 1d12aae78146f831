"""`nhao households import|export` (runs once cli.py has the command)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from nhao import cli
from nhao.models import AuditEvent
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


def test_a_list_whose_every_household_is_refused_exits_1(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [["DANH SÁCH HỘ NGHÈO"], ["Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"],
            ["Nguyễn Văn An", 2090, "Nà Pàn", "HN"], ["Lò Thị Bé", 1975, "Thôn Lạ", "HCN"],
            ["Tổng cộng", None, None, None]]
    path = make_xlsx(tmp_path / "hong.xlsx", rows)
    for dry_run in ((), ("--dry-run",)):
        code, out, _ = run(capsys, "households", "import", str(path), "--db", station, *dry_run)
        assert code == 1 and "0 dòng hợp lệ" in out and "2 lỗi" in out
    assert _households(station) == 0
    rows[3][2] = "Nà Pàn"  # one good row: the list is taken, its bad row reported
    code, _, _ = run(capsys, "households", "import", str(make_xlsx(path, rows)), "--db", station)
    assert code == 0 and _households(station) == 1


def test_output_read_by_a_reader_that_stops_early_is_no_fault(
    station: str, tmp_path: Path
) -> None:
    """`nhao households import … --json | head`: the pipe closes, nhao ends quietly."""
    import os
    import subprocess
    import sys

    rows = [["Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"]]
    rows += [[f"Người Thứ {n}", 1960 + n % 40, "Nà Pàn", "HN"] for n in range(3000)]
    path = make_xlsx(tmp_path / "dai.xlsx", rows)
    env = dict(os.environ, NHAO_HOME=str(tmp_path / "home"), NHAO_PASSWORD="demo")
    reader = subprocess.Popen(
        [sys.executable, "-m", "nhao", "households", "import", str(path), "--db", station,
         "--dry-run", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert reader.stdout is not None and reader.stderr is not None
    assert reader.stdout.read(10)
    reader.stdout.close()
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=120) == 0, err
    assert "lỗi không mong đợi" not in err and "Traceback" not in err


def test_json_output_is_read_right_in_the_code_page_of_windows_powershell(
    station: str, tmp_path: Path
) -> None:
    """PowerShell decodes what a program prints into a pipe or a `>` file in the console's
    code page (cp1258 on a Vietnamese Windows), not in UTF-8: `nhao … --json |
    ConvertFrom-Json` must still see "Nà Pàn", not "NÃ  PÃ n"."""
    import os
    import subprocess
    import sys

    rows = [["Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"],
            ["Nguyễn Văn Ấn", 1960, "Nà Pàn", "HN"], ["Lò Thị Bé", 2090, "Nà Pàn", "HCN"]]
    path = make_xlsx(tmp_path / "ds.xlsx", rows)
    env = dict(os.environ, NHAO_HOME=str(tmp_path / "home"), NHAO_PASSWORD="demo",
               PYTHONIOENCODING="cp1258")  # what Python takes for a redirected stdout there
    done = subprocess.run(
        [sys.executable, "-m", "nhao", "households", "import", str(path), "--db", station,
         "--dry-run", "--json"],
        capture_output=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    read = json.loads(done.stdout.decode("cp1258", errors="replace"))
    assert read == json.loads(done.stdout.decode("utf-8"))
    assert read["sheet"] == "Danh sách"
    assert any("Năm sinh phải" in m for r in read["rows"] for m in r["messages"])


def test_an_excel_file_to_write_is_named_as_one(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "households", "export", str(tmp_path / "so-ho.csv"), "--db", station)
    assert code == 2 and "so-ho.csv phải có đuôi .xlsx" in err
    assert not (tmp_path / "so-ho.csv").exists()


def test_a_bad_file_is_one_sentence_and_exit_1(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "anh.xlsx"
    bad.write_bytes(b"%PDF-1.4 not a sheet")
    code, out, err = run(capsys, "households", "import", str(bad), "--db", station)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "không phải là bảng tính" in err
    # A script asking for JSON reads an object for a file refused whole, too.
    code, out, err = run(capsys, "households", "import", str(bad), "--db", station, "--json")
    assert code == 1 and "không phải là bảng tính" in err
    assert json.loads(out) == {"file": str(bad), "error": err.removeprefix("nhao: ").strip()}


def _households(station: str) -> int:
    import sqlite3

    with sqlite3.connect(station) as conn:
        return int(conn.execute("SELECT count(*) FROM household").fetchone()[0])


def test_a_report_that_cannot_be_written_is_refused_before_the_import(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [["Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"],
            ["Nguyễn Văn An", 1960, "Nà Pàn", "HN"]]
    path = make_xlsx(tmp_path / "ds.xlsx", rows)
    before = path.read_bytes()
    nowhere = tmp_path / "khong-co" / "bao-cao.xlsx"
    code, out, err = run(
        capsys, "households", "import", str(path), "--db", station, "--report", str(nowhere)
    )
    assert code == 1 and out == "" and "Không có thư mục" in err and err.count("\n") == 1
    # The list itself as the report: it would be written over.
    code, out, err = run(
        capsys, "households", "import", str(path), "--db", station, "--report", str(path)
    )
    assert code == 1 and "Không ghi đè lên tệp đang đọc" in err
    assert path.read_bytes() == before and _households(station) == 0


def test_a_header_row_below_one_is_a_usage_error(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_xlsx(tmp_path / "ds.xlsx", [["Họ và tên chủ hộ", "Năm sinh"], ["A", 1960]])
    with pytest.raises(SystemExit) as exit_:
        cli.main(["households", "import", str(path), "--db", station, "--header-row", "0"])
    assert exit_.value.code == 2
    assert "cần số dòng từ 1 trở lên" in capsys.readouterr().err


def test_a_register_that_cannot_be_replaced_is_one_sentence(
    db: Database, station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows will not replace a file open in Excel: the register written beside it
    cannot take its name. One sentence naming the file; the old file stays as it was,
    and no half-written file is left beside it."""
    import os

    from nhao import files

    target = tmp_path / "so-ho.xlsx"
    target.write_bytes(b"the register of last month")

    def locked(source: object, destination: object) -> None:
        raise PermissionError(13, "The process cannot access the file", str(source), None,
                              str(destination))

    replace = os.replace
    monkeypatch.setattr(files.time, "sleep", lambda _: None)  # held for good: no waits
    monkeypatch.setattr(files.os, "replace", locked)
    code, _, err = run(capsys, "households", "export", str(target), "--db", station)
    monkeypatch.setattr(files.os, "replace", replace)
    assert code == 1 and err.count("\n") == 1
    assert "so-ho.xlsx" in err and "Excel" in err
    assert "PermissionError" not in err and "partial" not in err and "mong đợi" not in err
    assert target.read_bytes() == b"the register of last month"
    assert sorted(p.name for p in tmp_path.iterdir() if "so-ho" in p.name) == ["so-ho.xlsx"]
    # An export that did not happen is not in the audit log either; one that did is.
    with db.session() as session:
        assert session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all() == []
    again = run(capsys, "households", "export", str(target), "--db", station)
    assert again[0] == 0, again
    with db.session() as session:
        (event,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "export"))
        assert event.record_id == "so-ho.xlsx"


def test_a_report_the_drive_has_no_room_for_is_one_sentence_and_no_half_file(
    db: Database, station: str, tmp_path: Path
) -> None:
    """The report written onto a USB stick with no room left: the sentence came, then
    two Python tracebacks from the spreadsheet library's half-written zip as the
    program ended. The room is taken away as the system takes it from a process
    allowed files of 2 kB at most (POSIX only: the same write fails on a full drive)."""
    import os
    import subprocess
    import sys

    resource = pytest.importorskip("resource")
    rows = [["Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"]]
    # Few rows: the spreadsheet library's own temporary file stays under the limit.
    rows += [[f"Nguyễn Văn Số {n}", 1950 + n % 40, "Nà Pàn", "HN"] for n in range(3)]
    listing = make_xlsx(tmp_path / "ds.xlsx", rows)
    report = tmp_path / "usb" / "bao-cao.xlsx"
    report.parent.mkdir()
    db.dispose()

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    done = subprocess.run(
        [sys.executable, "-m", "nhao", "--db", station, "households", "import", str(listing),
         "--dry-run", "--report", str(report)],
        env=dict(os.environ, PYTHONIOENCODING="utf-8"), preexec_fn=small_files,
        capture_output=True, text=True, encoding="utf-8", check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("nhao: Đã kiểm tra tệp ds.xlsx nhưng không ghi được báo cáo ")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert list(report.parent.iterdir()) == []


def test_a_row_held_back_for_its_own_choice_can_be_given_it(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A household whose head died: its "Mã hộ" on a row naming the widow is held back,
    "choose “Update the existing household” for this row alone". The window has a
    chooser on each row; the command line had none, so no way forward but the window.
    `--row N=update` (or new, skip) is that row's choice."""
    header = ["Mã hộ", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"]
    path = make_xlsx(tmp_path / "ds.xlsx", [header, ["BG-07", "Nông Văn Lự", 1950, "Nà Pàn", "HN"]])
    assert run(capsys, "households", "import", str(path), "--db", station)[0] == 0
    widow = ["BG-07", "Hoàng Thị Mai", 1955, "Nà Pàn", "HN"]
    path = make_xlsx(tmp_path / "sua.xlsx", [header, widow])
    update = ("households", "import", str(path), "--db", station, "--on-duplicate", "update")
    code, out, _ = run(capsys, *update)
    assert code == 1 and out.endswith(
        "  Để chọn riêng cho một dòng như lời nhắn của dòng đó, thêm vào lệnh --row DÒNG=VIỆC: "
        "“Cập nhật hộ đã có” là update, “Nhập thành hộ mới” là new, “Bỏ qua” là skip; ví dụ "
        "--row 2=update.\n"
    )
    code, out, _ = run(capsys, *update, "--row", "2=update")
    assert code == 0 and "Họ và tên chủ hộ “Nông Văn Lự” → “Hoàng Thị Mai”" in out
    assert _households(station) == 1
    with pytest.raises(SystemExit) as exit_:
        cli.main([*update, "--row", "2=xoa"])
    assert exit_.value.code == 2
    assert "DÒNG=update, new hoặc skip" in capsys.readouterr().err


def test_the_columns_not_imported_are_named(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The house's state and the support asked for are on every programme list; nhao keeps
    neither. The clerk reading the result, on screen or in the report, is told so rather
    than left to look for them on the register."""
    rows = [["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Hiện trạng nhà ở",
             "Nhu cầu hỗ trợ", "Ghi chú"],
            [1, "Nguyễn Văn An", 1960, "Nà Pàn", "Nhà tạm", "Xây mới", ""]]
    path = make_xlsx(tmp_path / "nhu-cau.xlsx", rows)
    report = tmp_path / "ket-qua.xlsx"
    code, out, _ = run(capsys, "households", "import", str(path), "--db", station,
                       "--dry-run", "--report", str(report))
    said = "Các cột không được nhập: E “Hiện trạng nhà ở”, F “Nhu cầu hỗ trợ”."
    assert code == 0 and out.splitlines()[1] == f"  {said}"
    heading = [row[0] for row in openpyxl.load_workbook(report).active.iter_rows(
        max_row=5, max_col=1, values_only=True)]
    assert heading[2:4] == [
        "Các cột: A → STT, B → Họ và tên chủ hộ, C → Năm sinh, D → Thôn, xóm, G → Ghi chú",
        said,
    ]


def test_the_rows_new_hamlet_is_offered_as_the_option_that_creates_it(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The row says "hãy sửa lại tên thôn, hoặc chọn tạo thôn mới", words of the window:
    on the command line the clerk is told which option that is."""
    rows = [["Họ và tên chủ hộ", "Năm sinh", "Thôn"],
            ["Sầm Văn Chiến", 1979, "Khuổi Slưn"], ["Lò Văn Páo", 1960, "Nà Pàn"]]
    path = make_xlsx(tmp_path / "thon-moi.xlsx", rows)
    code, out, _ = run(capsys, "households", "import", str(path), "--db", station, "--dry-run")
    assert code == 0 and "hoặc chọn tạo thôn mới" in out
    assert out.splitlines()[-1] == (
        "  Để tạo các thôn xã chưa có (Khuổi Slưn), thêm --create-hamlets vào lệnh."
    )
    code, out, _ = run(capsys, "households", "import", str(path), "--db", station, "--dry-run",
                       "--create-hamlets")
    assert code == 0 and "--create-hamlets" not in out and "0 lỗi" in out


def test_a_list_with_no_hamlet_column_is_told_the_option_that_gives_one(
    station: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """"(hoặc chọn một thôn cho cả tệp)", the window's words: on the command line the
    clerk is told which option that is."""
    rows = [["Họ và tên chủ hộ", "Năm sinh", "Diện hộ"], ["Sầm Văn Chiến", 1979, "HN"]]
    path = make_xlsx(tmp_path / "khong-thon.xlsx", rows)
    code, _, err = run(capsys, "households", "import", str(path), "--db", station, "--dry-run")
    assert code == 1 and "hoặc chọn một thôn cho cả tệp" in err
    assert err.rstrip().endswith("Ở dòng lệnh, thôn cho cả tệp là --hamlet TÊN.")
    code, out, _ = run(capsys, "households", "import", str(path), "--db", station, "--dry-run",
                       "--hamlet", "Nà Pàn")
    assert code == 0 and "1 dòng hợp lệ" in out
