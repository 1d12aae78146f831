"""`nhao households import FILE` and `nhao households export OUT.xlsx`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from nhao.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    Refused,
    UsageError,
    acting_user,
    check_output,
    check_xlsx_name,
    location_of,
    not_written,
    open_database,
)
from nhao.domain.enums import Role


def _row_number(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"cần số dòng từ 1 trở lên, không phải {value}")
    return number


def _row_action(value: str) -> tuple[int, str]:
    """"7=update": the choice for a duplicate of row 7 alone."""
    row, _, action = value.partition("=")
    if action.strip() not in ("skip", "update", "new") or not row.strip().isdigit():
        raise argparse.ArgumentTypeError(
            f"cần DÒNG=update, new hoặc skip (ví dụ 7=update), không phải {value}"
        )
    return _row_number(row.strip()), action.strip()


def add_parsers(commands, add_common_options: Callable) -> None:  # type: ignore[no-untyped-def]
    households = commands.add_parser(
        "households", help="nhập danh sách hộ từ Excel hoặc CSV, xuất sổ theo dõi hộ"
    )
    add_common_options(households, top=False)
    actions = households.add_subparsers(
        dest="household_command", metavar="VIỆC", parser_class=type(households)
    )
    into = actions.add_parser("import", help="nhập hộ từ tệp .xlsx .xlsm .xls .ods .csv")
    into.add_argument("file", type=Path, metavar="TỆP")
    into.add_argument(
        "--sheet", metavar="TÊN", help="trang tính cần đọc (mặc định: trang đầu tiên đang hiện)"
    )
    into.add_argument(
        "--header-row", type=_row_number, metavar="N",
        help="dòng tiêu đề cột, đánh số như Excel (mặc định: tự tìm)",
    )
    into.add_argument("--hamlet", metavar="TÊN", help="thôn của các dòng không ghi thôn")
    into.add_argument(
        "--create-hamlets", action="store_true", help="tạo các thôn mà xã chưa có"
    )
    into.add_argument(
        "--on-duplicate",
        choices=("skip", "update", "new"),
        default="skip",
        help="dòng trùng với một hộ: skip = bỏ qua, update = cập nhật hộ đó, "
        "new = nhập thành hộ mới",
    )
    into.add_argument(
        "--row", type=_row_action, action="append", default=[], metavar="DÒNG=VIỆC",
        help="cách làm riêng với dòng trùng DÒNG (update, new, skip như --on-duplicate); "
        "lặp lại cho mỗi dòng, ví dụ --row 7=update --row 9=new",
    )
    into.add_argument("--dry-run", action="store_true", help="kiểm tra và báo cáo, không ghi gì")
    into.add_argument("--report", type=Path, metavar="TỆP.xlsx", help="ghi báo cáo vào tệp này")
    into.add_argument("--json", action="store_true", help="in báo cáo thành một đối tượng JSON")
    out = actions.add_parser("export", help="ghi sổ theo dõi hộ (xlsx)")
    out.add_argument("out", type=Path, metavar="TỆP.xlsx")
    out.add_argument(
        "--mask-ids", action="store_true", help="chỉ hiện 4 chữ số cuối của số CCCD"
    )
    for sub in (into, out):
        add_common_options(sub, top=False)


def cmd_households(args: argparse.Namespace) -> int:
    from nhao.services import household_export, household_import

    if args.household_command is None:
        raise UsageError("Hãy chọn: nhao households import TỆP | export TỆP.xlsx")
    if args.household_command == "export":
        check_xlsx_name(args.out)
        check_output(args.out)
    elif args.report:
        check_xlsx_name(args.report)
        check_output(args.report, inputs=[args.file])
    db = open_database(location_of(args))
    try:
        actor = acting_user(args, db)
        if args.household_command == "export":
            try:
                result = household_export.export_register(
                    db, actor, args.out, mask_ids=args.mask_ids
                )
            except OSError as error:  # a file open in Excel (Windows), a USB stick pulled out
                raise not_written(args.out, error) from None
            print(f"Đã xuất {result.households} hộ vào {result.path}.")
            return EXIT_OK
        options = household_import.ImportOptions(
            sheet=args.sheet,
            header_row=args.header_row,
            hamlet=args.hamlet,
            create_hamlets=args.create_hamlets,
            on_duplicate=household_import.DuplicateAction(args.on_duplicate),
            row_actions={
                row: household_import.DuplicateAction(action) for row, action in args.row
            },
        )
        try:
            report = household_import.import_file(
                db, actor, args.file, options, dry_run=args.dry_run
            )
        except household_import.ImportRejected as error:
            if error.wants_hamlet:  # the window's words: here it is an option
                error = household_import.ImportRejected(
                    f"{error.message} Ở dòng lệnh, thôn cho cả tệp là --hamlet TÊN."
                )
            if args.json:  # a script reading stdout gets an object for a file refused too
                print(json.dumps({"file": str(args.file), "error": error.message}))
            raise error from None
    finally:
        db.dispose()
    if args.report:
        try:
            household_import.write_report(report, args.report)
        except OSError as error:  # checked before the import; the disk may fill since
            done = "Đã kiểm tra" if args.dry_run else "Đã nhập xong"
            raise Refused(
                f"{done} tệp {args.file.name} nhưng không ghi được báo cáo {args.report} "
                f"({error.strerror or error})."
            ) from None
    # Every household row refused: the input was refused and nothing written (a script
    # must not take "0 households imported" for success). Title, total and group rows
    # aside; a row skipped as a household already here was not refused.
    households = [o for o in report.rows if o.status.value != "skipped" or o.duplicate]
    refused = bool(households) and all(o.status.value == "error" for o in households)
    code = EXIT_REFUSED if refused else EXIT_OK
    if args.json:
        # ASCII (\u escapes): Windows PowerShell decodes a program's output in the console's
        # code page, so UTF-8 names would reach `ConvertFrom-Json` or `> kq.json` garbled.
        print(json.dumps(report.to_dict()))
        return code
    print(report.describe())
    if left_out := report.not_imported():
        print(f"  {left_out}")
    for note in report.notes:
        print(f"  {note}")
    for outcome in report.rows:
        # A duplicate skipped is said too (what it would change, when it matched a household
        # on the register); a household the commune has just as the row says is not news.
        said = outcome.duplicate and not outcome.unchanged
        if said or outcome.status.value in ("error", "warning"):
            print(f"  Dòng {outcome.row}: {' '.join(outcome.messages)}")
    # Rows held back until a choice is made for each alone (a code on another head's row):
    # the window has a chooser on each row, the command line this option.
    if held := [o.row for o in report.rows if o.duplicate and o.status.value == "error"]:
        print(
            "  Để chọn riêng cho một dòng như lời nhắn của dòng đó, thêm vào lệnh --row "
            "DÒNG=VIỆC: “Cập nhật hộ đã có” là update, “Nhập thành hộ mới” là new, “Bỏ qua” là "
            f"skip; ví dụ --row {held[0]}=update."
        )
    # The rows say "chọn tạo thôn mới", as the window offers it; here it is an option.
    if report.unknown_hamlets and actor.role is not Role.team_leader:
        names = ", ".join(report.unknown_hamlets)
        print(f"  Để tạo các thôn xã chưa có ({names}), thêm --create-hamlets vào lệnh.")
    if args.report:
        print(f"Báo cáo chi tiết: {args.report}")
    return code


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"households": cmd_households}
