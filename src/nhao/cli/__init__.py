"""The command line. With no command it opens the window; every command calls the
same services the window does. Exit codes: 0 done, 1 refused, 2 usage error."""

from __future__ import annotations

import argparse
import codecs
import contextlib
import errno
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from nhao import __version__
from nhao.cli import household_commands, sync_commands, user_commands
from nhao.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    Refused,
    UsageError,
    acting_user,
    check_local_place,
    location_of,
    open_database,
    read_password,
)
from nhao.config import DatabaseLocation, data_dir, resolve_database

DEMO_DB_NAME = "demo.sqlite"


# -- parsing --------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own usage errors exit 2 too
        self.print_usage(sys.stderr)
        print(f"nhao: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def add_common_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # --db and --user are accepted before or after the command.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=default,
        help="database file or URL (default: NHAO_DB, else nhao.sqlite in the data folder)",
    )
    parser.add_argument(
        "--user", metavar="NAME", default=default, help="act as this user (default: first admin)"
    )
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="read the password from standard input (else NHAO_PASSWORD, else a prompt)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nhao",
        description="nhao: hồ sơ xóa nhà tạm, nhà dột nát. Không có lệnh: mở cửa sổ chương trình.",
    )
    parser.add_argument("--version", action="version", version=f"nhao {__version__}")
    add_common_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    init = commands.add_parser("init", help="set this station up for a commune, hamlet or province")
    add_common_options(init, top=False)
    init.add_argument(
        "--unit",
        required=True,
        metavar="CODE",
        help="official commune (5 digits) or province (2 digits) code",
    )
    init.add_argument("--hamlet", metavar="NAME", help="make a hamlet laptop of that commune")
    init.add_argument(
        "--commune-key",
        type=Path,
        metavar="FILE.nhaokey",
        help="the commune office's key file: the hamlet is the one of its list named NAME",
    )
    init.add_argument(
        "--admin", required=True, metavar="NAME", help="user name of the first administrator"
    )
    init.add_argument("--admin-full-name", default="", metavar="TEXT")

    demo = commands.add_parser("demo", help="make a demo commune with realistic data and open it")
    add_common_options(demo, top=False)
    demo.add_argument(
        "--unit", default="06112", metavar="CODE", help="commune code (default 06112, Xã Bình Gia)"
    )
    demo.add_argument("--households", type=int, default=400, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument(
        "--password", default="demo", help="password of the demo users (default: demo)"
    )
    demo.add_argument("--no-gui", action="store_true", help="only build the database")
    demo.add_argument(
        "--replace", action="store_true", help="delete an existing demo database first"
    )

    hamlets = commands.add_parser("hamlets", help="list, add or rename the hamlets of the commune")
    add_common_options(hamlets, top=False)
    hamlet_commands = hamlets.add_subparsers(
        dest="hamlet_command", metavar="ACTION", parser_class=_Parser
    )
    hamlet_list = hamlet_commands.add_parser("list", help="list the hamlets")
    add_common_options(hamlet_list, top=False)
    hamlet_add = hamlet_commands.add_parser("add", help="add hamlets")
    add_common_options(hamlet_add, top=False)
    hamlet_add.add_argument("names", nargs="+", metavar="NAME")
    hamlet_rename = hamlet_commands.add_parser("rename", help="rename a hamlet")
    add_common_options(hamlet_rename, top=False)
    hamlet_rename.add_argument("old", metavar="OLD")
    hamlet_rename.add_argument("new", metavar="NEW")

    verify = commands.add_parser("verify", help="check the file and the audit trail")
    add_common_options(verify, top=False)
    restore = commands.add_parser(
        "restore", help="put a backup's data back (the data it replaces is kept as a backup)"
    )
    restore.add_argument("backup", type=Path, metavar="BACKUP.sqlite")
    add_common_options(restore, top=False)
    household_commands.add_parsers(commands, add_common_options)
    sync_commands.add_parsers(commands, add_common_options)
    user_commands.add_parsers(commands, add_common_options)
    return parser


# -- commands -------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from nhao.services import setup

    hamlet_name, hamlet_code = args.hamlet, None
    if args.commune_key is not None:
        if not args.hamlet:
            raise UsageError("--commune-key cần đi kèm --hamlet TÊN_THÔN.")
        hamlet_code, hamlet_name = setup.commune_hamlet(args.commune_key, args.unit, args.hamlet)
    location = location_of(args)
    check_local_place(location)
    made = location.path if location.path is not None and not location.path.exists() else None
    db = open_database(location, must_exist=False)
    try:
        password = read_password(args, f"Mật khẩu cho {args.admin}: ", twice=True)
        result = setup.initialize(
            db,
            unit_code=args.unit,
            hamlet_name=hamlet_name,
            hamlet_code=hamlet_code,
            admin_username=args.admin,
            admin_password=password,
            admin_full_name=args.admin_full_name,
        )
    except BaseException:
        db.dispose()
        if made is not None:  # refused (exit 1, nothing written): not a file set up for no unit
            _remove_database_file(made)
        raise
    finally:
        db.dispose()
    print(f"Đã khởi tạo máy cho {result.unit_name} ({result.unit_code}); quản trị: {result.admin}.")
    return EXIT_OK


def _remove_database_file(path: Path) -> None:
    from nhao.services.sync.epoch import note_beside

    for made in (*(Path(f"{path}{suffix}") for suffix in ("", "-journal", "-wal", "-shm")),
                 note_beside(path)):
        # Windows: still open somewhere; the refusal is said all the same.
        with contextlib.suppress(OSError):
            made.unlink(missing_ok=True)


def _demo_location(args: argparse.Namespace) -> DatabaseLocation:
    if args.db is None and not os.environ.get("NHAO_DB"):
        return resolve_database(data_dir() / DEMO_DB_NAME)
    return location_of(args)


def cmd_demo(args: argparse.Namespace) -> int:
    from nhao.services import demo, setup

    location = _demo_location(args)
    if args.households < 1:
        raise UsageError("--households phải lớn hơn 0.")
    if args.replace and location.path is None:
        raise Refused(
            f"--replace chỉ xóa được tệp dữ liệu trên máy này, không xóa cơ sở dữ liệu "
            f"máy chủ {location.shown}; hãy tạo một cơ sở dữ liệu trống khác cho dữ liệu mẫu."
        )
    check_local_place(location, anew=args.replace)
    if args.replace and location.path is not None:
        from nhao.services.sync.epoch import note_beside

        try:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{location.path}{suffix}").unlink(missing_ok=True)
            note_beside(location.path).unlink(missing_ok=True)
        except OSError as error:  # Windows: the file is open, in an nhao window say
            raise Refused(
                f"Không xóa được {error.filename or location.path} để tạo lại dữ liệu mẫu "
                f"({error.strerror or error}); hãy đóng cửa sổ nhao đang mở dữ liệu này "
                "rồi thử lại."
            ) from None
    db = open_database(location, must_exist=False)
    try:
        if setup.is_initialized(db):
            again = " (dùng --replace để tạo lại)" if location.path is not None else ""
            print(f"Đã có dữ liệu ở {location.shown}; mở dữ liệu này{again}.")
        else:
            summary = demo.build_demo(
                db,
                unit_code=args.unit,
                households=args.households,
                seed=args.seed,
                password=args.password,
            )
            print(f"Đã tạo xã mẫu ở {location.shown}: {summary.describe()}.")
            print(f"Người dùng: admin, totruong, ketoan, xem — mật khẩu: {args.password}")
    finally:
        db.dispose()
    if args.no_gui:
        return EXIT_OK
    from nhao import app

    # --user names one of the demo's people (totruong, ketoan, xem): the window is theirs.
    return app.run_window(location, username=args.user or "admin", password=args.password)


def cmd_hamlets(args: argparse.Namespace) -> int:
    from nhao.services import units

    if args.hamlet_command is None:
        raise UsageError("Hãy chọn: nhao hamlets list | add TÊN… | rename CŨ MỚI")
    db = open_database(location_of(args))
    try:
        if args.hamlet_command == "list":
            hamlets = units.list_hamlets(db)
            for hamlet in hamlets:
                print(f"{hamlet.code}\t{hamlet.name}")
            if not hamlets:
                print("Xã chưa có thôn, xóm nào.")
            return EXIT_OK
        actor = acting_user(args, db)
        if args.hamlet_command == "add":
            for hamlet in units.add_hamlets(db, actor, args.names):
                print(f"Đã thêm {hamlet.name} ({hamlet.code}).")
        else:
            hamlet = units.rename_hamlet(db, actor, args.old, args.new)
            print(f"Đã đổi tên thành {hamlet.name} ({hamlet.code}).")
    finally:
        db.dispose()
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from nhao.services.verify import verify

    db = open_database(location_of(args))
    try:
        problems = verify(db)
    finally:
        db.dispose()
    if not problems:
        print("Dữ liệu toàn vẹn: tệp, nhật ký thay đổi và mọi bản ghi đều khớp.")
        return EXIT_OK
    for problem in problems:
        print(problem.message)
    print(f"Phát hiện {len(problems)} vấn đề.", file=sys.stderr)
    return EXIT_REFUSED


def cmd_restore(args: argparse.Namespace) -> int:
    from nhao.services.backup import restore_backup

    # Not refused for damage: a damaged file is what a backup is put back over.
    db = open_database(location_of(args), check=False)
    try:
        actor = acting_user(args, db)
        restored = restore_backup(db, actor, args.backup)
    finally:
        db.dispose()
    print(
        f"Đã khôi phục dữ liệu của {restored.unit} từ {restored.backup.name}. Dữ liệu trước "
        f"đó được giữ ở {restored.kept}. Những gì đã gửi đi sau ngày sao lưu vẫn còn ở nơi "
        "nhận; nếu máy đã xuất gói sau ngày đó, lần xuất gói tới sẽ tự bắt đầu một lượt đánh "
        "số mới."
    )
    return EXIT_OK


def cmd_window(args: argparse.Namespace) -> int:
    from nhao import app

    return app.run_window(location_of(args), username=args.user)


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_window,
    "init": cmd_init,
    "demo": cmd_demo,
    "hamlets": cmd_hamlets,
    "verify": cmd_verify,
    "restore": cmd_restore,
    **household_commands.COMMANDS,
    **sync_commands.COMMANDS,
    **user_commands.COMMANDS,
}


def _log_crash(error: BaseException) -> Path | None:
    from nhao.services.crash_log import write_crash_log

    return write_crash_log(error)


def _utf8_output() -> None:
    """Print in UTF-8 wherever the output goes. Windows encodes output sent to a file or
    a pipe in the ANSI code page (cp1258 with a Vietnamese locale), which lacks most
    Vietnamese letters: the first message would fail after the work was done."""
    for stream in (sys.stdout, sys.stderr):  # None under pythonw
        encoding = getattr(stream, "encoding", None)
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding and reconfigure and codecs.lookup(encoding).name != "utf-8":
            reconfigure(encoding="utf-8", errors=stream.errors)  # type: ignore[union-attr]


def _reader_gone(error: Exception) -> bool:
    """The program reading nhao's output stopped. Linux says EPIPE; Windows says EINVAL
    (CPython issue 79935), as other faults do too: taken for that only when standard
    output cannot take what it still holds either."""
    if isinstance(error, BrokenPipeError):
        return True
    if not (isinstance(error, OSError) and error.errno == errno.EINVAL and sys.stdout):
        return False
    try:
        sys.stdout.flush()
    except OSError:
        return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    from nhao.domain.errors import DomainError
    from nhao.models.database import DatabaseError

    _utf8_output()
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(f"nhao: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (Refused, DomainError, DatabaseError) as error:
        print(f"nhao: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("nhao: đã dừng.", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as error:  # one sentence for people; the details go to a log
        if _reader_gone(error):  # `nhao … | head`: the reader stopped reading, no fault here
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # so the flush at exit does not fail again
            return EXIT_OK
        log = _log_crash(error)
        where = f" Chi tiết ghi ở {log}." if log else ""
        print(
            f"nhao: lỗi không mong đợi ({type(error).__name__}: {error}).{where}", file=sys.stderr
        )
        return EXIT_REFUSED
