"""`nhao users …`: the accounts of this station and their passwords."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable

from nhao.cli.common import (
    EXIT_OK,
    Refused,
    UsageError,
    acting_user,
    location_of,
    open_database,
    stdin_line,
)
from nhao.domain.enums import Role

NEW_PASSWORD_VARIABLE = "NHAO_NEW_PASSWORD"


def add_parsers(commands, add_common_options: Callable) -> None:  # type: ignore[no-untyped-def]
    accounts = commands.add_parser(
        "users", help="xem, thêm hoặc tắt tài khoản; đổi hoặc đặt lại mật khẩu"
    )
    add_common_options(accounts, top=False)
    actions = accounts.add_subparsers(
        dest="users_command", metavar="VIỆC", parser_class=type(accounts)
    )
    listing = actions.add_parser("list", help="các tài khoản, vai trò và ai được ký gói")
    add_common_options(listing, top=False)
    add = actions.add_parser("add", help="thêm tài khoản (hỏi mật khẩu hai lần)")
    add_common_options(add, top=False)
    _role_options(add)
    add.add_argument("--full-name", default="", metavar="VĂN_BẢN", help="họ tên")
    password = actions.add_parser(
        "password", help="đổi mật khẩu của mình, hoặc (quản trị viên) đặt lại mật khẩu của TÊN"
    )
    add_common_options(password, top=False)
    password.add_argument("username", metavar="TÊN", nargs="?")
    role = actions.add_parser("role", help="đổi vai trò (hoặc thôn) của một tài khoản")
    add_common_options(role, top=False)
    _role_options(role)
    for name, what in (("disable", "tắt một tài khoản"), ("enable", "bật lại tài khoản")):
        switch = actions.add_parser(name, help=what)
        add_common_options(switch, top=False)
        switch.add_argument("username", metavar="TÊN")


def _role_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username", metavar="TÊN")
    parser.add_argument(
        "--role", required=True, choices=[role.value for role in Role], help="vai trò"
    )
    parser.add_argument(
        "--hamlet", metavar="THÔN", help="thôn của trưởng thôn (tên hoặc mã)"
    )


def read_new_password(args: argparse.Namespace, name: str) -> str:
    """The new password of `name`: the next line of standard input after the acting
    user's, else NHAO_NEW_PASSWORD, else asked twice."""
    if args.password_stdin:
        line = stdin_line()
        if not line:
            raise Refused(
                f"Cần mật khẩu mới của {name} ở dòng thứ hai của đầu vào chuẩn "
                "(dòng đầu là mật khẩu của người thực hiện)."
            )
        return line.rstrip("\r\n")
    env = os.environ.get(NEW_PASSWORD_VARIABLE)
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise Refused(
            f"Cần mật khẩu mới của {name}: đặt {NEW_PASSWORD_VARIABLE} hoặc dùng --password-stdin."
        )
    first = getpass.getpass(f"Mật khẩu mới của {name}: ")
    if getpass.getpass("Nhập lại mật khẩu mới: ") != first:
        raise Refused("Hai lần nhập mật khẩu không khớp nhau.")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    from nhao.services import accounts, units

    if args.users_command is None:
        raise UsageError(
            "Hãy chọn: nhao users list | add TÊN --role VAI_TRÒ | role TÊN --role VAI_TRÒ | "
            "password [TÊN] | disable TÊN | enable TÊN"
        )
    db = open_database(location_of(args))
    try:
        actor = acting_user(args, db)
        password = args._password
        if args.users_command == "list":
            _print_accounts(accounts.list_accounts(db, actor), units.hamlet_names(db))
            return EXIT_OK
        if args.users_command in ("add", "role"):
            role = Role(args.role)
            hamlet_code = _hamlet_code(args, db, role)
        if args.users_command == "add":
            change = accounts.add_account(
                db,
                actor,
                password,
                username=args.username,
                password=read_new_password(args, args.username),
                role=role,
                full_name=args.full_name,
                hamlet_code=hamlet_code,
            )
            done = f"Đã tạo tài khoản {change.account.user.username}"
        elif args.users_command == "role":
            change = accounts.change_role(db, actor, args.username, role, hamlet_code)
            done = f"{change.account.user.username} nay là {role.label_vi}"
        elif args.users_command == "password":
            if args.username is None or args.username == actor.username:
                change = accounts.change_own_password(
                    db, actor, password, read_new_password(args, actor.username)
                )
                done = f"Đã đổi mật khẩu của {actor.username}"
            else:
                new = read_new_password(args, args.username)
                change = accounts.reset_password(db, actor, password, args.username, new)
                done = f"Đã đặt lại mật khẩu cho {change.account.user.username}"
        else:
            active = args.users_command == "enable"
            change = accounts.set_active(db, actor, args.username, active)
            done = f"Đã {'mở lại' if active else 'khóa'} tài khoản {change.account.user.username}"
    finally:
        db.dispose()
    signs = "; ký được gói dữ liệu" if change.account.may_sign else ""
    print(f"{done}{signs}.")
    if change.note:
        print(change.note)
    return EXIT_OK


def _hamlet_code(args: argparse.Namespace, db, role: Role) -> str | None:  # type: ignore[no-untyped-def]
    from nhao.services import units

    if role is Role.team_leader:
        if not args.hamlet:
            raise UsageError("Tổ trưởng cần --hamlet TÊN_THÔN.")
        return units.hamlet_named(db, args.hamlet).code
    if args.hamlet:
        raise UsageError("--hamlet chỉ dùng cho tổ trưởng (--role team_leader).")
    return None


def _print_accounts(rows, hamlets: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for row in rows:
        user = row.user
        state = "đang dùng" if user.active else "đã khóa"
        signs = "ký được" if row.may_sign else "-"
        hamlet = hamlets.get(user.hamlet_code or "", user.hamlet_code or "-")
        print(
            f"{user.username}\t{user.role.label_vi}\t{hamlet}\t{state}\t{signs}\t{user.full_name}"
        )


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"users": cmd_users}
