"""`nhao users …` in-process on a real station file: the commune adds its accountant
and team leader after `nhao init`, and passwords change without losing the signing key."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from nhao.cli import main


@pytest.fixture
def station(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "xa.sqlite"
    monkeypatch.setattr("sys.stdin", io.StringIO("bí mật\nbí mật\n"))
    assert main(["--db", str(path), "init", "--unit", "06112", "--admin", "chutich",
                 "--password-stdin"]) == 0
    monkeypatch.setenv("NHAO_PASSWORD", "bí mật")
    assert main(["--db", str(path), "hamlets", "add", "Thôn Nà Pàn", "Bản Chu"]) == 0
    return path


def _run(station: Path, *args: str, stdin: str | None = None, monkeypatch=None) -> int:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        args = (*args, "--password-stdin")
    return main(["--db", str(station), *args])


def test_add_list_and_sign_as_the_new_accounts(station, monkeypatch, capsys, tmp_path) -> None:
    monkeypatch.setenv("NHAO_NEW_PASSWORD", "mk-ketoan")
    assert _run(station, "users", "add", "ketoan", "--role", "accountant",
                "--full-name", "Lý Thị Hoa") == 0
    assert "ketoan; ký được gói dữ liệu" in capsys.readouterr().out
    # The hamlet is found as an imported list finds it: without "Thôn", marks or case.
    assert _run(station, "users", "add", "totruong", "--role", "team_leader", "--hamlet",
                "na pan", stdin="bí mật\nmk-tt\n", monkeypatch=monkeypatch) == 0
    capsys.readouterr()
    assert _run(station, "users", "list") == 0
    listed = capsys.readouterr().out.splitlines()
    assert any(line.startswith("ketoan\tKế toán") and "Lý Thị Hoa" in line for line in listed)
    assert any(line.startswith("totruong") and "Thôn Nà Pàn" in line for line in listed)
    monkeypatch.setenv("NHAO_PASSWORD", "mk-tt")
    assert _run(station, "bundle", "export", str(tmp_path / "tt.nhao"), "--user", "totruong") == 0
    assert (tmp_path / "tt.nhao").exists()


def test_team_leader_needs_a_known_hamlet(station, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NHAO_NEW_PASSWORD", "mk-tt")
    assert _run(station, "users", "add", "tt", "--role", "team_leader") == 2
    assert _run(station, "users", "add", "tt", "--role", "team_leader", "--hamlet", "Pác Làng") == 1
    err = capsys.readouterr().err
    assert "Pác Làng" in err and "Bản Chu, Thôn Nà Pàn" in err
    assert _run(station, "users", "add", "tt", "--role", "viewer", "--hamlet", "Bản Chu") == 2


def test_own_password_change_and_an_administrators_reset(
    station, monkeypatch, capsys, tmp_path
) -> None:
    monkeypatch.setenv("NHAO_NEW_PASSWORD", "mk-ketoan")
    assert _run(station, "users", "add", "ketoan", "--role", "accountant") == 0
    monkeypatch.delenv("NHAO_NEW_PASSWORD")
    # The accountant's own change: old password first, then the new one.
    assert _run(station, "users", "password", "--user", "ketoan",
                stdin="mk-ketoan\nmk-moi\n", monkeypatch=monkeypatch) == 0
    monkeypatch.setenv("NHAO_PASSWORD", "mk-moi")
    assert _run(station, "bundle", "export", str(tmp_path / "a.nhao"), "--user", "ketoan") == 0
    monkeypatch.setenv("NHAO_PASSWORD", "mk-ketoan")
    assert _run(station, "bundle", "export", str(tmp_path / "b.nhao"), "--user", "ketoan") == 1
    # Forgotten: the administrator sets a new one.
    assert _run(station, "users", "password", "ketoan",
                stdin="bí mật\nmk-reset\n", monkeypatch=monkeypatch) == 0
    assert "Đã đặt lại mật khẩu cho ketoan; ký được" in capsys.readouterr().out
    monkeypatch.setenv("NHAO_PASSWORD", "mk-reset")
    assert _run(station, "bundle", "export", str(tmp_path / "c.nhao"), "--user", "ketoan") == 0
    # A missing second line is one sentence, not a traceback, and changes nothing.
    assert _run(station, "users", "password", "ketoan", stdin="bí mật\n",
                monkeypatch=monkeypatch) == 1
    assert "dòng thứ hai" in capsys.readouterr().err


def test_disable_and_enable(station, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NHAO_NEW_PASSWORD", "mk-xem")
    assert _run(station, "users", "add", "xem", "--role", "viewer") == 0
    assert _run(station, "users", "disable", "xem") == 0
    assert _run(station, "users", "disable", "chutich") == 1
    assert "đang đăng nhập" in capsys.readouterr().err
    monkeypatch.setenv("NHAO_PASSWORD", "mk-xem")
    assert _run(station, "verify") == 0
    capsys.readouterr()
    assert _run(station, "users", "list", "--user", "xem") == 1
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in capsys.readouterr().err
    monkeypatch.setenv("NHAO_PASSWORD", "bí mật")
    assert _run(station, "users", "enable", "xem") == 0
    monkeypatch.setenv("NHAO_PASSWORD", "mk-xem")
    assert _run(station, "users", "list", "--user", "xem") == 1  # a viewer manages no one
    assert "quản lý người dùng" in capsys.readouterr().err


def test_a_team_leader_moves_hamlet_and_an_accountant_becomes_a_viewer(
    station, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("NHAO_NEW_PASSWORD", "mk-tt")
    assert _run(station, "users", "add", "tt", "--role", "team_leader", "--hamlet", "Bản Chu") == 0
    assert _run(station, "users", "role", "tt", "--role", "team_leader", "--hamlet", "Nà Pàn") == 0
    assert _run(station, "users", "role", "tt", "--role", "viewer", "--hamlet", "Nà Pàn") == 2
    capsys.readouterr()
    assert _run(station, "users", "list") == 0
    assert any(
        line.startswith("tt\t") and "Thôn Nà Pàn" in line
        for line in capsys.readouterr().out.splitlines()
    )
    assert _run(station, "users", "role", "tt", "--role", "viewer") == 0
    assert "tt nay là Người xem." in capsys.readouterr().out
    assert _run(station, "users", "role", "chutich", "--role", "viewer") == 1


def test_without_user_the_first_administrator_still_in_use_acts(
    station, monkeypatch, capsys
) -> None:
    # Found in review: with the first administrator turned off, every command without
    # --user signed in as that account and answered "wrong user name or password".
    monkeypatch.setenv("NHAO_NEW_PASSWORD", "mk-admin2")
    assert _run(station, "users", "add", "admin2", "--role", "admin") == 0
    monkeypatch.setenv("NHAO_PASSWORD", "mk-admin2")
    assert _run(station, "users", "disable", "chutich", "--user", "admin2") == 0
    capsys.readouterr()
    assert _run(station, "users", "list") == 0
    assert "chutich\tQuản trị\t-\tđã khóa" in capsys.readouterr().out
