"""The command line, in-process on real database files, plus the installed entry point."""

from __future__ import annotations

import argparse
import errno
import io
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from nhao import __version__
from nhao.cli import build_parser, main
from nhao.config import data_dir


@pytest.fixture
def station(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "xa.sqlite"
    monkeypatch.setattr("sys.stdin", io.StringIO("bí mật\nbí mật\n"))
    assert main(["--db", str(path), "init", "--unit", "06112", "--admin", "chutich",
                 "--password-stdin"]) == 0
    monkeypatch.setenv("NHAO_PASSWORD", "bí mật")
    return path


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("init", "demo", "hamlets", "verify"):
        assert command in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["init", "--unit"])
    assert stop.value.code == 2
    with pytest.raises(SystemExit) as stop:
        main(["frobnicate"])
    assert stop.value.code == 2


def _every_parser(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _every_parser(sub)
    return found


def test_every_help_page_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    parsers = _every_parser(build_parser())
    assert len(parsers) > 25  # every command and its actions
    for parser in parsers:
        page = parser.format_help()
        assert page.startswith(f"Cách dùng: {parser.prog}"), page
        for english in ("usage:", "options:", "positional arguments", "show this help"):
            assert english not in page, (parser.prog, english)
        for action in parser._actions:
            if action.help is argparse.SUPPRESS or not action.option_strings:
                continue
            # Every option says what it does, in Vietnamese (a word with a Vietnamese letter).
            assert action.help and re.search("[à-ỹđ]", action.help), (parser.prog, action.dest)


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["bundle", "export"], "nhao: thiếu TỆP.nhao"),
        (["bundle", "exprt"], "nhao: VIỆC: không có lựa chọn 'exprt'; hãy chọn một trong:"),
        (["demo", "--households", "x"], "nhao: --households: giá trị không hợp lệ: 'x'"),
        (["init", "--unit"], "nhao: --unit cần một giá trị theo sau"),
        (["verify", "--frobnicate"], "nhao: không hiểu: --frobnicate"),
        (["households", "import", "a.xlsx", "--header-row", "0"],
         "nhao: --header-row: cần số dòng từ 1 trở lên, không phải 0"),
    ],
)
def test_usage_errors_are_said_in_vietnamese(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Cách dùng: nhao "), err
    assert said in err, err


def test_init_then_hamlets_with_db_after_the_command(station: Path, capsys) -> None:
    assert main(["hamlets", "add", "Thôn Nà Pàn", "Bản Khuổi Hẩu", "--db", str(station)]) == 0
    assert main(["hamlets", "rename", "thon na pan", "Thôn Nà Pàn Mới", "--db", str(station)]) == 0
    capsys.readouterr()
    assert main(["--db", str(station), "hamlets", "list"]) == 0
    listed = capsys.readouterr().out
    assert "Bản Khuổi Hẩu" in listed and "Thôn Nà Pàn Mới" in listed


def test_nhao_db_environment_variable_selects_the_database(station, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NHAO_DB", str(station))
    assert main(["hamlets", "add", "Pác Làng"]) == 0
    assert main(["verify"]) == 0


def test_refusals_are_one_sentence_and_exit_1(station, monkeypatch, capsys) -> None:
    capsys.readouterr()
    monkeypatch.setenv("NHAO_PASSWORD", "sai")
    assert main(["--db", str(station), "hamlets", "add", "X"]) == 1
    err = capsys.readouterr().err
    assert "không đúng" in err and "Traceback" not in err and err.count("\n") == 1
    monkeypatch.setenv("NHAO_PASSWORD", "bí mật")
    assert main(["--db", str(station), "init", "--unit", "06112", "--admin", "b"]) == 1
    assert "đã được khởi tạo" in capsys.readouterr().err
    assert main(["--db", str(station.parent / "none.sqlite"), "verify"]) == 1
    assert "nhao init" in capsys.readouterr().err


def test_a_refused_init_leaves_no_database_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit code 1 writes nothing: a mistyped unit code or two passwords that differ left
    a database file of every table, set up for no unit."""
    path = tmp_path / "xa.sqlite"
    monkeypatch.setenv("NHAO_PASSWORD", "bí mật")
    assert main(["--db", str(path), "init", "--unit", "122", "--admin", "chutich"]) == 1
    assert "mã xã 5 chữ số" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr("sys.stdin", io.StringIO("một\nhai\n"))
    assert main(["--db", str(path), "init", "--unit", "06112", "--admin", "chutich",
                 "--password-stdin"]) == 1
    assert "không khớp" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    assert main(["--db", str(path), "init", "--unit", "06112", "--admin", "chutich"]) == 0


def test_output_sent_to_a_file_on_windows_keeps_its_vietnamese(station, monkeypatch) -> None:
    # Windows encodes what goes to a file or a pipe (`nhao hamlets list > thon.txt`, a
    # scheduled task) in the ANSI code page: cp1258 with a Vietnamese locale, which has
    # no "ã" or "ạ". The hamlets were added, then printing that said so failed.
    out = io.TextIOWrapper(io.BytesIO(), encoding="cp1258")
    err = io.TextIOWrapper(io.BytesIO(), encoding="cp1258", errors="backslashreplace")
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    assert main(["--db", str(station), "hamlets", "add", "Thôn Nà Pàn", "Bản Khuổi Hẩu"]) == 0
    assert main(["--db", str(station), "hamlets", "list"]) == 0
    out.flush()
    printed = out.buffer.getvalue().decode("utf-8")
    assert "Đã thêm Thôn Nà Pàn" in printed and "\tBản Khuổi Hẩu" in printed
    err.flush()
    assert err.buffer.getvalue() == b""


def test_no_database_is_made_in_a_folder_onedrive_keeps_in_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Windows names the folder OneDrive keeps in sync (OneDrive, OneDriveCommercial);
    a database set up there is copied while SQLite writes it (DESIGN.md §9)."""
    synced = tmp_path / "OneDrive - UBND xã Bình Gia"
    (synced / "nhao").mkdir(parents=True)
    monkeypatch.setenv("OneDriveCommercial", str(synced))
    monkeypatch.setenv("NHAO_PASSWORD", "bí mật")
    there = synced / "nhao" / "nhao.sqlite"
    assert main(["--db", str(there), "init", "--unit", "06112", "--admin", "chutich"]) == 1
    assert main(["--db", str(there), "demo", "--no-gui", "--households", "3"]) == 1
    said = capsys.readouterr().err
    assert "thư mục OneDrive" in said and "bỏ --db và NHAO_HOME" in said
    assert list((synced / "nhao").iterdir()) == []
    monkeypatch.setenv("NHAO_HOME", str(synced / "nhao"))
    assert main(["demo", "--no-gui", "--households", "3"]) == 1
    here = tmp_path / "may" / "nhao.sqlite"  # the laptop's own disk
    assert main(["--db", str(here), "init", "--unit", "06112", "--admin", "chutich"]) == 0


def test_a_network_share_is_no_place_for_a_database() -> None:
    from pathlib import PureWindowsPath

    from nhao.config import unsafe_place

    share = PureWindowsPath(r"\\may-van-phong\du-lieu\nhao\nhao.sqlite")
    assert unsafe_place(share) == r"thư mục mạng \\may-van-phong\du-lieu"
    assert unsafe_place(PureWindowsPath(r"C:\Users\An\AppData\Local\nhao\nhao.sqlite")) is None


class _ReaderGoneOnWindows(io.RawIOBase):
    """Standard output into a pipe whose reader stopped (`nhao … | more`, q pressed) as
    Windows reports it: OSError EINVAL, not EPIPE (CPython issue 79935). Linux cannot
    make a pipe say so; once its descriptor is the null device, writes go through."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def write(self, data) -> int:  # type: ignore[no-untyped-def, override]
        if os.path.samestat(os.fstat(self.fd), os.stat(os.devnull)):
            return len(data)
        raise OSError(errno.EINVAL, "Invalid argument")


def test_output_into_a_pipe_closed_early_on_windows_is_no_fault(
    station: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = [f"Thôn Số {n}" for n in range(1, 400)]  # more than one buffer of output
    fd = os.open(tmp_path / "pipe", os.O_WRONLY | os.O_CREAT)
    try:
        out = io.TextIOWrapper(io.BufferedWriter(_ReaderGoneOnWindows(fd)), encoding="utf-8")
        with monkeypatch.context() as patch:
            patch.setattr("sys.stdout", out)
            assert main(["--db", str(station), "hamlets", "add", *names]) == 0
            out.flush()  # what Python does at exit: the null device takes it
    finally:
        os.close(fd)
    assert "lỗi không mong đợi" not in capsys.readouterr().err
    assert not (data_dir() / "logs").exists()


def test_init_asks_twice_and_refuses_a_mismatch(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("mot\nhai\n"))
    code = main(["--db", str(tmp_path / "x.sqlite"), "init", "--unit", "20", "--admin", "a",
                 "--password-stdin"])
    assert code == 1
    assert "không khớp" in capsys.readouterr().err


def test_verify_names_a_record_edited_behind_nhaos_back(station, capsys) -> None:
    assert main(["--db", str(station), "hamlets", "add", "Bản Chu"]) == 0
    assert main(["--db", str(station), "verify"]) == 0
    conn = sqlite3.connect(station)
    conn.execute("UPDATE unit SET name = 'Bản Giả' WHERE name = 'Bản Chu'")
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert main(["--db", str(station), "verify"]) == 1
    out = capsys.readouterr().out
    assert "unit" in out and "Bản Giả" in out


def test_restore_puts_a_backup_back_and_names_where_the_data_before_is(
    station, capsys
) -> None:
    assert main(["--db", str(station), "hamlets", "add", "Bản Chu"]) == 0
    backup = sorted((station.parent / f"{station.stem}-backups").glob("*.sqlite"))
    assert backup == []  # none made yet: make one, then change the data
    conn = sqlite3.connect(station)
    conn.execute("VACUUM INTO ?", (str(station.parent / "ban-sao.sqlite"),))
    conn.close()
    assert main(["--db", str(station), "hamlets", "add", "Bản Mới"]) == 0
    capsys.readouterr()
    assert main(["--db", str(station), "restore", str(station.parent / "ban-sao.sqlite")]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Đã khôi phục dữ liệu của ") and "truoc-khoi-phuc" in said
    assert main(["--db", str(station), "hamlets", "list"]) == 0
    assert "Bản Mới" not in capsys.readouterr().out
    assert main(["--db", str(station), "restore", str(station)]) == 1  # not a backup of it?
    assert "nhao: " in capsys.readouterr().err


def test_entry_point_runs_as_a_program(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nhao", "--db", str(tmp_path / "n.sqlite"), "hamlets", "list"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "nhao init" in result.stderr and "Traceback" not in result.stderr


def test_demo_then_verify_then_tampering_is_named(tmp_path, capsys) -> None:
    db = tmp_path / "demo.sqlite"
    assert main(["--db", str(db), "demo", "--no-gui", "--households", "60", "--seed", "7"]) == 0
    assert "admin, totruong, ketoan, xem" in capsys.readouterr().out
    assert main(["--db", str(db), "verify"]) == 0
    assert main(["--db", str(db), "demo", "--no-gui"]) == 0  # already there: kept as is
    assert "--replace" in capsys.readouterr().out
    conn = sqlite3.connect(db)
    name = conn.execute("SELECT head_name FROM household ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("UPDATE household SET phone = '0900000000' WHERE head_name = ?", (name,))
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert main(["--db", str(db), "verify"]) == 1
    assert name in capsys.readouterr().out


def test_a_replaced_demo_is_not_taken_for_a_restored_one(tmp_path) -> None:
    from nhao.config import resolve_database
    from nhao.models.database import Database
    from nhao.services import sync
    from nhao.services.sync.epoch import note_beside

    path = tmp_path / "demo.sqlite"
    for _ in range(2):
        assert main(["--db", str(path), "demo", "--no-gui", "--households", "20",
                     "--replace"]) == 0  # fmt: skip
        db = Database(resolve_database(path))
        db.open()
        try:  # what the window does at start: the note left by the last file is gone
            assert sync.check_station_instance(db) is None
        finally:
            db.dispose()
        assert note_beside(path).exists()


def test_replacing_a_demo_open_in_a_window_is_refused_in_one_sentence(
    tmp_path, monkeypatch, capsys
) -> None:
    # Windows will not delete a database file that a running nhao window holds open.
    path = tmp_path / "demo.sqlite"
    assert main(["--db", str(path), "demo", "--no-gui", "--households", "5"]) == 0
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self == path:
            raise PermissionError(13, "The process cannot access the file", str(self))
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    capsys.readouterr()
    code = main(["--db", str(path), "demo", "--no-gui", "--households", "5", "--replace"])
    err = capsys.readouterr().err
    assert code == 1
    assert "demo.sqlite" in err and "lỗi không mong đợi" not in err and err.count("\n") == 1
    assert path.exists()


def test_a_file_not_written_because_of_another_file_names_that_file(tmp_path: Path) -> None:
    """Exporting a bundle also reads the photos it carries and writes the station note:
    their errors name them, not the bundle the person chose."""
    from nhao.cli.common import not_written

    out = tmp_path / "thon.nhao"
    photo = tmp_path / "anh" / "nha.jpg"
    held = not_written(out, PermissionError(13, "Permission denied", f"{out}.partial"))
    assert str(out) in str(held) and "đang mở" in str(held)
    pdf = tmp_path / "giay.pdf"
    for temporary in (tmp_path / ".giay.k2j4.pdf.tmp", tmp_path / "giay.pdf.partial"):
        said = str(not_written(pdf, PermissionError(13, "Permission denied", str(temporary))))
        assert str(pdf) in said and "đang mở" in said and str(temporary) not in said
    other = not_written(out, PermissionError(13, "Permission denied", str(photo)))
    assert str(photo) in str(other) and "đang mở" not in str(other)


@pytest.mark.parametrize(
    "sent",
    [
        "Mật khẩu\r\n".encode(),  # a file saved as UTF-8 (Notepad, PowerShell 7)
        b"\xef\xbb\xbf" + "Mật khẩu\n".encode(),  # ... with Notepad's byte order mark
        # cmd's echo, in the ANSI code page: cp1258 writes tone marks as marks of their own
        "Ma\u0302\u0323t kha\u0302\u0309u\r\n".replace("a\u0302", "â").encode("cp1258"),
    ],
)
def test_a_password_piped_in_is_read_in_the_encoding_it_came_in(
    sent: bytes, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    import io
    import unicodedata

    from nhao.cli.common import stdin_line

    # Windows decodes a redirected standard input in the ANSI code page.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(sent), encoding="cp1258"))
    line = stdin_line().rstrip("\r\n")
    assert unicodedata.normalize("NFC", line) == "Mật khẩu"


def test_a_server_database_is_named_without_its_password(capsys, qapp, empty_server_url) -> None:  # type: ignore[no-untyped-def]
    """An office's server URL carries the database password: what nhao prints about the
    database (on the screen, in a terminal's scroll-back) leaves it out."""
    from sqlalchemy import make_url
    from tests.message_boxes import answer_the_box

    from nhao import app
    from nhao.config import resolve_database

    url = make_url(empty_server_url).set(password="S3cret-pw")
    name = url.database
    shown = url.render_as_string(hide_password=False)
    seen: list[tuple[str, str]] = []
    answer_the_box(seen)  # the window says it in a box as well
    assert app.run_window(resolve_database(shown)) == 1  # not set up yet
    [(_title, text)] = seen
    assert "chưa được khởi tạo" in text and "S3cret-pw" not in text
    assert main(["--db", shown, "demo", "--no-gui", "--households", "5"]) == 0
    assert main(["--db", shown, "demo", "--no-gui"]) == 0
    said = capsys.readouterr()
    # --replace removes files on this computer; a server database is refused whole.
    assert main(["--db", shown, "demo", "--no-gui", "--replace"]) == 1
    replaced = capsys.readouterr()
    assert "--replace" in replaced.err and "S3cret-pw" not in replaced.err
    assert main(["--db", shown, "demo", "--no-gui"]) == 0  # its data still there
    assert "--replace" not in capsys.readouterr().out
    assert "S3cret-pw" not in said.out + said.err
    assert said.err.count(f"@{url.host}:{url.port}/{name}") == 1
    assert said.out.count(f"@{url.host}:{url.port}/{name}") == 2


def test_a_server_database_out_of_reach_is_one_sentence_not_a_crash(
    capsys, _isolated_home: Path
) -> None:
    """A province office's server that is down, or a database name mistyped in --db, is
    said in one sentence naming the database (its password hidden): no crash report."""
    import os
    import socket

    from sqlalchemy import make_url

    base = os.environ.get("NHAO_TEST_PG_URL")
    if not base:
        pytest.skip("PostgreSQL: NHAO_TEST_PG_URL is not set (run .ci/start-postgres)")
    with socket.socket() as probe:  # a port where no server listens
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    server = make_url(base).set(password="S3cret-pw")
    for url, why in (
        (server.set(database="khong_co_csdl_nay"), '"khong_co_csdl_nay" does not exist'),
        (server.set(host="127.0.0.1", port=free), "Connection refused"),
    ):
        assert main(["--db", url.render_as_string(hide_password=False), "verify"]) == 1
        said = capsys.readouterr().err
        assert said.startswith("nhao: Không kết nối được cơ sở dữ liệu postgresql+psycopg://")
        assert why in said and "S3cret-pw" not in said
        assert said.count("\n") == 1
    assert not (_isolated_home / "logs").exists()


def test_restore_puts_a_backup_over_a_damaged_file(station, capsys) -> None:
    # A damaged file is why most restores are done, and what nhao's own message about it
    # says to do ("hãy khôi phục từ bản sao lưu"): the restore must not refuse to open it.
    assert main(["--db", str(station), "hamlets", "add", "Bản Chu"]) == 0
    conn = sqlite3.connect(station)
    conn.execute("VACUUM INTO ?", (str(station.parent / "ban-sao.sqlite"),))
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'household'").fetchone()[0]
    conn.close()
    with station.open("r+b") as raw:  # the household table's first page spoiled
        raw.seek((root - 1) * page_size)
        raw.write(b"\x00" * 16)
    assert main(["--db", str(station), "hamlets", "list"]) == 1
    told = capsys.readouterr().err
    assert "hãy khôi phục từ bản sao lưu" in told and "nhao restore" in told  # and how
    assert f"{station.stem}-backups" in told
    assert main(["--db", str(station), "restore", str(station.parent / "ban-sao.sqlite")]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Đã khôi phục dữ liệu của ") and "truoc-khoi-phuc" in said
    folder = station.parent / f"{station.stem}-backups"
    kept = next(folder.glob("*truoc-khoi-phuc*.sqlite"))
    assert kept.stat().st_size > 0  # the damaged data as it was, for what can be saved
    assert not any(folder.glob("*.partial"))
    assert main(["--db", str(station), "hamlets", "list"]) == 0
    assert "Bản Chu" in capsys.readouterr().out


def test_a_command_kept_waiting_by_another_window_says_so_without_a_crash_log(
    station: Path, monkeypatch, capsys
) -> None:
    from nhao.models import sqlite_profile

    monkeypatch.setattr(sqlite_profile, "BUSY_TIMEOUT_MS", 100)
    other = sqlite3.connect(station, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a window importing a long list, say
    try:
        assert main(["--db", str(station), "hamlets", "add", "Bản Mới"]) == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    said = capsys.readouterr().err
    assert "đang được một cửa sổ hoặc lệnh nhao khác ghi" in said
    assert "không mong đợi" not in said
    logs = Path(os.environ["NHAO_HOME"]) / "logs"
    assert not logs.exists() or list(logs.iterdir()) == []
    assert main(["--db", str(station), "hamlets", "add", "Bản Mới"]) == 0


def test_demo_opens_the_window_as_the_user_asked_for(tmp_path, monkeypatch) -> None:
    """`nhao demo --user totruong` opened the window as the administrator all the same."""
    from nhao import app

    opened: list[str | None] = []
    monkeypatch.setattr(app, "run_window", lambda _where, *, username, password: (
        opened.append(username) or 0
    ))
    db = str(tmp_path / "demo.sqlite")
    assert main(["--db", db, "demo", "--households", "5", "--user", "totruong"]) == 0
    assert main(["--db", db, "demo"]) == 0
    assert opened == ["totruong", "admin"]
