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
from nhao.cli.parsing import Parser
from nhao.config import DatabaseLocation, data_dir, resolve_database

DEMO_DB_NAME = "demo.sqlite"


# -- parsing --------------------------------------------------------------------


def add_common_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # --db and --user are accepted before or after the command.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db",
        metavar="TỆP_HOẶC_URL",
        default=default,
        help="tệp cơ sở dữ liệu hoặc địa chỉ URL (mặc định: NHAO_DB, nếu không có thì "
        "nhao.sqlite trong thư mục dữ liệu)",
    )
    parser.add_argument(
        "--user",
        metavar="TÊN",
        default=default,
        help="thực hiện với tài khoản này (mặc định: quản trị viên đầu tiên)",
    )
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="đọc mật khẩu từ đầu vào chuẩn (nếu không: NHAO_PASSWORD, rồi hỏi)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="nhao",
        description="nhao: hồ sơ xóa nhà tạm, nhà dột nát. Không có lệnh: mở cửa sổ chương trình.",
    )
    parser.add_argument(
        "--version", action="version", version=f"nhao {__version__}",
        help="in số phiên bản rồi thôi",
    )
    add_common_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=Parser)

    init = commands.add_parser("init", help="cài đặt máy trạm cho một xã, thôn hoặc tỉnh")
    add_common_options(init, top=False)
    init.add_argument(
        "--unit",
        required=True,
        metavar="MÃ",
        help="mã xã (5 chữ số) hoặc mã tỉnh (2 chữ số) chính thức",
    )
    init.add_argument("--hamlet", metavar="TÊN", help="máy của một thôn thuộc xã đó")
    init.add_argument(
        "--commune-key",
        type=Path,
        metavar="TỆP.nhaokey",
        help="tệp khóa của máy xã: thôn là thôn có tên TÊN trong danh sách của xã",
    )
    init.add_argument(
        "--admin", required=True, metavar="TÊN", help="tên đăng nhập của quản trị viên đầu tiên"
    )
    init.add_argument(
        "--admin-full-name", default="", metavar="VĂN_BẢN", help="họ tên quản trị viên"
    )

    demo = commands.add_parser("demo", help="tạo một xã mẫu có dữ liệu giống thật rồi mở")
    add_common_options(demo, top=False)
    demo.add_argument(
        "--unit", default="06112", metavar="MÃ", help="mã xã (mặc định 06112, Xã Bình Gia)"
    )
    demo.add_argument(
        "--households", type=int, default=400, metavar="N", help="số hộ (mặc định 400)"
    )
    demo.add_argument(
        "--seed", type=int, default=1, metavar="S", help="số mồi ngẫu nhiên (mặc định 1)"
    )
    demo.add_argument(
        "--password",
        default="demo",
        metavar="MẬT_KHẨU",
        help="mật khẩu của các tài khoản mẫu (mặc định: demo)",
    )
    demo.add_argument(
        "--no-gui", action="store_true", help="chỉ tạo cơ sở dữ liệu, không mở cửa sổ"
    )
    demo.add_argument(
        "--replace", action="store_true", help="xóa cơ sở dữ liệu mẫu đã có trước"
    )

    hamlets = commands.add_parser("hamlets", help="xem, thêm hoặc đổi tên các thôn của xã")
    add_common_options(hamlets, top=False)
    hamlet_commands = hamlets.add_subparsers(
        dest="hamlet_command", metavar="VIỆC", parser_class=Parser
    )
    hamlet_list = hamlet_commands.add_parser("list", help="liệt kê các thôn")
    add_common_options(hamlet_list, top=False)
    hamlet_add = hamlet_commands.add_parser("add", help="thêm thôn")
    add_common_options(hamlet_add, top=False)
    hamlet_add.add_argument("names", nargs="+", metavar="TÊN")
    hamlet_rename = hamlet_commands.add_parser("rename", help="đổi tên một thôn")
    add_common_options(hamlet_rename, top=False)
    hamlet_rename.add_argument("old", metavar="TÊN_CŨ")
    hamlet_rename.add_argument("new", metavar="TÊN_MỚI")

    verify = commands.add_parser("verify", help="kiểm tra tệp dữ liệu và nhật ký thay đổi")
    add_common_options(verify, top=False)
    restore = commands.add_parser(
        "restore",
        help="khôi phục dữ liệu từ một bản sao lưu (dữ liệu bị thay được giữ lại thành bản "
        "sao lưu)",
    )
    restore.add_argument("backup", type=Path, metavar="BẢN_SAO_LƯU.sqlite")
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
    if args.hamlet and args.commune_key is None:
        # The hamlet's code is made from its name: one spelt otherwise than the commune's
        # is another hamlet, and the commune refuses the laptop's bundles.
        print(
            f"Lưu ý: thôn “{result.unit_name}” được đặt theo tên gõ tay, không theo tệp khóa "
            "của xã: tên phải viết đúng như xã viết (cả chữ “Thôn”, “Xóm”…), nếu không xã sẽ "
            "không nhận gói của máy này; chắc chắn nhất là cài đặt với tệp khóa của xã "
            "(--commune-key TỆP.nhaokey).",
            file=sys.stderr,
        )
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
