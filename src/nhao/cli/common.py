"""What every command shares: exit codes, refusals, the database and the acting user."""

from __future__ import annotations

import argparse
import codecs
import errno
import getpass
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from nhao.config import DatabaseLocation, resolve_database, unsafe_place

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class Refused(Exception):
    """Stops a command with one sentence for the person and exit code 1."""


class UsageError(Exception):
    """A command was called the wrong way (exit code 2)."""


def check_xlsx_name(path: Path) -> None:
    """An Excel file nhao writes must be named as one, or it opens as garbage."""
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"Tệp {path.name} phải có đuôi .xlsx: nhao ghi tệp Excel.")


def check_output(path: Path, *, inputs: Sequence[Path] = ()) -> None:
    """Refuse, before any work is done, a file to write that cannot be written: a
    missing folder, a folder in its place, a folder nhao may not write in, or one of
    the files being read (a report written over the list it reports on)."""
    folder = path.parent
    if path.is_dir():
        raise Refused(f"{path} là một thư mục; hãy ghi tên tệp, ví dụ {path / 'bao-cao.xlsx'}.")
    if not folder.is_dir():
        raise Refused(f"Không có thư mục {folder} để ghi {path.name}; hãy tạo thư mục trước.")
    for given in inputs:
        if given.exists() and path.exists() and path.samefile(given):
            raise Refused(
                f"Không ghi đè lên tệp đang đọc {given}; hãy chọn tên khác cho {path.name}."
            )
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise Refused(f"Không ghi được vào thư mục {folder} ({error.strerror or error}).") from None


def _the_file_or_its_temporary(path: Path, named: Path) -> bool:
    """`path`, or the file written beside it first (thon.nhao.partial, .bao-cao.xlsx.partial,
    .giay.x1y2.pdf.tmp)."""
    name = named.name
    return named.parent == path.parent and (
        name.startswith(path.name) or name.startswith(f".{path.stem}")
    )


def not_written(path: Path, error: OSError) -> Refused:
    """A file that could not be written, in one sentence naming it (the error names the
    temporary file beside it, which the person never chose). An error of another file
    (a photo the bundle carries, the station note) names that file instead."""
    if error.filename and not _the_file_or_its_temporary(path, Path(str(error.filename))):
        return Refused(
            f"Không ghi được tệp {path}: lỗi ở tệp {error.filename} "
            f"({error.strerror or type(error).__name__})."
        )
    if isinstance(error, FileNotFoundError):
        why = "thư mục không còn nữa (USB đã rút ra?); hãy chọn nơi khác"
    elif isinstance(error, PermissionError):
        why = (
            "tệp có thể đang mở trong Excel hoặc thư mục chỉ cho đọc; "
            "hãy đóng tệp hoặc chọn nơi khác"
        )
    elif error.errno == errno.ENOSPC:
        why = "ổ đĩa đã đầy"
    else:
        why = error.strerror or type(error).__name__
    return Refused(f"Không ghi được tệp {path}: {why}.")


def check_local_place(location: DatabaseLocation, *, anew: bool = False) -> None:
    """Refuse to make a database file (`anew`: again, over the one there) where it would
    be spoilt (config.unsafe_place). One made there before is left alone."""
    if location.path is None or (location.path.exists() and not anew):
        return
    why = unsafe_place(location.path)
    if why is not None:
        raise Refused(
            f"Không tạo dữ liệu ở {location.path}: tệp nằm trong {why}, nơi tệp dữ liệu có "
            "thể bị hỏng. Hãy để dữ liệu ở thư mục mặc định trên ổ đĩa của máy (bỏ --db và "
            "NHAO_HOME); gói dữ liệu và báo cáo thì vẫn lưu được vào đó."
        )


def location_of(args: argparse.Namespace) -> DatabaseLocation:
    return resolve_database(args.db)


def open_database(  # type: ignore[no-untyped-def]
    location: DatabaseLocation, *, must_exist: bool = True, check: bool = True
):
    from nhao.models.database import Database

    if must_exist and location.path is not None and not location.path.exists():
        raise Refused(f"Không có cơ sở dữ liệu {location.path}; hãy chạy `nhao init` trước.")
    db = Database(location)
    db.open(check=check)
    return db


def matching_files(paths: Sequence[Path]) -> list[Path]:
    """Each path, or the files its name matches when it holds * or ? and is no file:
    cmd and PowerShell hand `D:\\goi\\*.nhao` to a program as typed, where a Linux shell
    gives the names. A pattern matching nothing stays, to be reported as not found."""
    found: list[Path] = []
    for path in paths:
        if ("*" in path.name or "?" in path.name) and not path.exists():
            pattern = path.name.replace("[", "[[]")  # a bracket is a letter on Windows
            found += sorted(p for p in path.parent.glob(pattern) if p.is_file()) or [path]
        else:
            found.append(path)
    return found


def stdin_line() -> str:
    """One line of standard input, in UTF-8 or the console's code page. On Windows a
    password piped from a file saved as UTF-8 (Notepad, PowerShell 7) and one sent by
    cmd's `echo` (in the ANSI code page, cp1258) arrive as different bytes; code page
    bytes of Vietnamese letters are seldom valid UTF-8, so UTF-8 is tried first."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # standard input replaced by text (tests, embedding)
        return sys.stdin.readline()
    raw = buffer.readline().removeprefix(codecs.BOM_UTF8)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(sys.stdin.encoding or "utf-8", errors="replace")


def read_password(args: argparse.Namespace, prompt: str, *, twice: bool = False) -> str:
    if args.password_stdin:
        first = stdin_line().rstrip("\r\n")
        if twice:
            second = stdin_line().rstrip("\r\n")
            if first != second:
                raise Refused("Hai lần nhập mật khẩu không khớp nhau.")
        return first
    env = os.environ.get("NHAO_PASSWORD")
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise Refused("Cần mật khẩu: đặt NHAO_PASSWORD hoặc dùng --password-stdin.")
    first = getpass.getpass(prompt)
    if twice and getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise Refused("Hai lần nhập mật khẩu không khớp nhau.")
    return first


def acting_user(args: argparse.Namespace, db):  # type: ignore[no-untyped-def]
    from nhao.services import users

    name = args.user or users.first_admin(db)
    if name is None:
        raise Refused("Cơ sở dữ liệu chưa có người dùng nào; hãy chạy `nhao init`.")
    password = read_password(args, f"Mật khẩu của {name}: ")
    actor = users.authenticate(db, name, password)
    args._password = password  # signing a bundle needs it again; stdin can be read once
    return actor
