"""`nhao keys …` and `nhao bundle …`: station keys and the signed bundle files."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from nhao.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    Refused,
    UsageError,
    acting_user,
    check_output,
    check_xlsx_name,
    location_of,
    matching_files,
    not_written,
    open_database,
    read_password,
)
from nhao.domain.dates import VIETNAM_TIME
from nhao.domain.errors import ValidationError

if TYPE_CHECKING:
    from nhao.services.sync.keys import KeyInfo


def add_parsers(commands, add_common_options: Callable) -> None:  # type: ignore[no-untyped-def]
    keys = commands.add_parser("keys", help="khóa ký của máy này và các máy trạm được tin cậy")
    add_common_options(keys, top=False)
    key_commands = keys.add_subparsers(
        dest="keys_command", metavar="VIỆC", parser_class=type(keys)
    )
    show = key_commands.add_parser("show", help="mã khóa và mã nhận dạng khóa của máy này")
    export = key_commands.add_parser("export", help="ghi tệp khóa công khai (.nhaokey)")
    export.add_argument("out", metavar="TỆP.nhaokey", type=Path)
    export.add_argument(
        "--minisign", action="store_true", help="ghi khóa công khai dạng minisign"
    )
    trust = key_commands.add_parser("trust", help="đăng ký tin cậy khóa của một máy trạm khác")
    trust.add_argument("file", metavar="TỆP.nhaokey", type=Path)
    trust.add_argument(
        "--fingerprint",
        required=True,
        metavar="MÃ_NHẬN_DẠNG",
        help="như in trên giấy chứng nhận khóa của máy đó",
    )
    trust.add_argument(
        "--role",
        choices=["child", "parent"],
        help="parent: đơn vị cấp trên, child: đơn vị cấp dưới (mặc định: theo đơn vị của khóa)",
    )
    certificate = key_commands.add_parser(
        "certificate", help="in giấy chứng nhận khóa một trang để ký, đóng dấu (PDF)"
    )
    certificate.add_argument("out", metavar="TỆP.pdf", type=Path)
    listing = key_commands.add_parser("list", help="khóa của các máy trạm khác được tin cậy ở đây")
    rotate = key_commands.add_parser("rotate", help="khóa mới, được khóa cũ ký")
    revoke = key_commands.add_parser(
        "revoke", help="từ chối gói dữ liệu ký bằng một khóa từ một ngày trở đi"
    )
    revoke.add_argument(
        "key_id", metavar="MÃ_KHÓA", help="mã khóa, hoặc mã nhận dạng trên giấy chứng nhận khóa"
    )
    revoke.add_argument(
        "--from",
        dest="from_date",
        metavar="NGÀY",
        help="dd/mm/yyyy hoặc YYYY-MM-DD (hoặc YYYY-MM-DDTHH:MM), giờ Việt Nam; mặc định: bây giờ",
    )
    revoke.add_argument("--reason", default="", metavar="VĂN_BẢN", help="lý do thu hồi")
    replace = key_commands.add_parser(
        "replace", help="tạo khóa mới khi không còn ai mở được khóa của máy này"
    )
    for sub in (show, listing, export, certificate, trust, rotate, revoke, replace):
        add_common_options(sub, top=False)

    bundle = commands.add_parser("bundle", help="xuất và nhập các gói dữ liệu đã ký")
    add_common_options(bundle, top=False)
    bundle_commands = bundle.add_subparsers(
        dest="bundle_command", metavar="VIỆC", parser_class=type(bundle)
    )
    out = bundle_commands.add_parser(
        "export", help="ghi gói dữ liệu gửi đơn vị cấp trên (hoặc --to)"
    )
    out.add_argument("out", metavar="TỆP.nhao", type=Path)
    out.add_argument(
        "--to", metavar="ĐƠN_VỊ", help="mã hoặc tên đơn vị nhận (mặc định: cấp trên)"
    )
    out.add_argument("--full", action="store_true", help="gửi toàn bộ dữ liệu thay vì chỉ phần mới")
    out.add_argument(
        "--new-epoch",
        action="store_true",
        help="dữ liệu của máy này vừa được khôi phục từ một bản sao: đánh số lại các thay đổi mới",
    )
    out.add_argument(
        "--restamp",
        action="store_true",
        help="đồng hồ máy từng chạy nhanh và nay đã đúng: đóng dấu thời gian lại các thay đổi "
        "đó từ bây giờ",
    )
    into = bundle_commands.add_parser("import", help="kiểm tra và gộp các gói dữ liệu")
    into.add_argument("files", nargs="+", metavar="TỆP", type=Path)
    into.add_argument("--dry-run", action="store_true", help="kiểm tra và báo cáo, không ghi gì")
    into.add_argument(
        "--report", metavar="TỆP.xlsx", type=Path, help="ghi báo cáo vào tệp này"
    )
    into.add_argument("--json", action="store_true", help="in báo cáo dạng JSON")
    ack = bundle_commands.add_parser("ack", help="ghi giấy báo nhận có chữ ký cho một gói đã nhập")
    ack.add_argument("bundle", metavar="GÓI", type=Path)
    ack.add_argument("out", metavar="TỆP_RA", type=Path)
    ack_import = bundle_commands.add_parser("ack-import", help="đọc giấy báo nhận từ nơi nhận gói")
    ack_import.add_argument("file", metavar="TỆP", type=Path)
    for sub in (out, into, ack, ack_import):
        add_common_options(sub, top=False)


def _password(args: argparse.Namespace, actor) -> str:  # type: ignore[no-untyped-def]
    # acting_user has read it already when it came from stdin; keep it for signing.
    return getattr(args, "_password", None) or read_password(
        args, f"Mật khẩu của {actor.username}: "
    )


def _key_text(info: KeyInfo, key_label: str = "Mã khóa") -> str:
    """The fingerprint last, with the unit and station it covers before it (as the
    certificate prints them)."""
    return (
        f"{key_label}: {info.key_id}\nĐơn vị: {info.unit_code}\nMáy trạm: {info.station_id}\n"
        f"Mã nhận dạng: {info.fingerprint}"
    )


def cmd_keys(args: argparse.Namespace) -> int:
    from nhao.services.sync import keys, revoked_since

    if args.keys_command is None:
        raise UsageError(
            "Hãy chọn: nhao keys show | list | export | certificate | trust | rotate | revoke "
            "| replace"
        )
    # Not over the key file taken for the certificate's input, nor a bundle received (as
    # bundle export): each is named as what it holds.
    if args.keys_command == "certificate" and args.out.suffix.lower() != ".pdf":
        raise UsageError(
            f"Tệp {args.out.name} phải có đuôi .pdf: nhao ghi giấy chứng nhận khóa dạng PDF."
        )
    if args.keys_command == "export" and not args.minisign and (
        args.out.suffix.lower() != ".nhaokey"
    ):
        raise UsageError(f"Tệp {args.out.name} phải có đuôi .nhaokey: nhao ghi tệp khóa.")
    db = open_database(location_of(args))
    try:
        if args.keys_command == "show":
            if keys.has_key(db):
                info = keys.show_key(db)
            else:  # a station made before keys existed gets one now
                actor = acting_user(args, db)
                info = keys.ensure_station_key(db, actor, _password(args, actor))
            print(_key_text(info))
            return EXIT_OK
        if args.keys_command == "list":
            _list_trusted(db, keys.list_trusted(db))
            return EXIT_OK
        if args.keys_command == "certificate":
            from nhao.services.sync.certificate import certifier, write_certificate
            from nhao.services.units import station_info

            try:
                path = write_certificate(db, args.out)
            except OSError as error:  # open in a PDF reader (Windows), a USB stick pulled out
                raise not_written(args.out, error) from None
            # A thôn has no seal: its commune certifies the team leader's laptop.
            signing = (
                "in ra, ký tên, rồi đề nghị UBND xã xác nhận, ký và đóng dấu"
                if certifier(station_info(db))
                else "in ra, ký và đóng dấu"
            )
            print(f"Đã ghi giấy chứng nhận khóa vào {path}; {signing}.")
            return EXIT_OK
        if args.keys_command == "export":
            try:
                path = keys.export_public_key(db, args.out, minisign_format=args.minisign)
            except OSError as error:
                raise not_written(args.out, error) from None
            print(f"Đã ghi khóa công khai vào {path}.")
            return EXIT_OK
        actor = acting_user(args, db)
        if args.keys_command == "trust":
            # Unsaid, the role the units give it (as the window chooses): a hamlet trusting
            # its commune was refused for the "child" taken when nothing was said.
            role = args.role or keys.role_of_key_file(db, args.file)
            try:
                view = keys.trust_key(db, actor, args.file, args.fingerprint, role)
            except ValidationError as error:
                if error.field != "role":
                    raise
                other = "parent" if role == "child" else "child"
                raise Refused(
                    f"{error.message} Nếu đúng là vậy, hãy dùng --role {other}."
                ) from None
            if view.already_trusted:
                since = view.enrolled_at.replace(tzinfo=UTC).astimezone(VIETNAM_TIME)
                print(f"Khóa {view.key_id} của {_unit(db, view.unit_code)} đã được tin cậy từ "
                      f"trước (từ {since:%d/%m/%Y %H:%M}); không có gì thay đổi.")  # fmt: skip
            else:
                print(f"Đã tin cậy khóa {view.key_id} của {_unit(db, view.unit_code)}, là "
                      f"{keys.ROLE_WORDS[role]} của máy này.")  # fmt: skip
        elif args.keys_command == "rotate":
            info = keys.rotate_key(db, actor, _password(args, actor))
            print(_key_text(info, "Khóa mới"))
            print(
                "Các đơn vị tin cậy máy này nhận khóa mới cùng gói tiếp theo máy gửi cho họ; "
                "đơn vị đã thu hồi khóa của máy này chỉ tin cậy khóa mới từ tệp khóa (nhao keys "
                "export) và giấy chứng nhận mới (nhao keys certificate)."
            )
        elif args.keys_command == "replace":
            info = keys.replace_lost_key(db, actor, _password(args, actor))
            print(_key_text(info, "Khóa mới"))
            print(
                "Khóa cũ không ký thay cho khóa mới được: gửi tệp khóa mới (nhao keys export) "
                "và giấy chứng nhận mới (nhao keys certificate) cho từng đơn vị đã tin cậy "
                "máy này để họ tin cậy lại; những người khác xuất, nhập gói ở máy này cần "
                "được đặt lại mật khẩu."
            )
        else:
            since = keys.revocation_time(args.from_date) if args.from_date else None
            asked = since or datetime.now(UTC).replace(tzinfo=None)
            view = keys.revoke_key(db, actor, args.key_id, from_time=since, reason=args.reason)
            assert view.revoked_from is not None
            local = view.revoked_from.replace(tzinfo=UTC).astimezone(VIETNAM_TIME)
            if view.revoked_from < asked - timedelta(seconds=5):
                print(f"Khóa {view.key_id} đã bị thu hồi từ {local:%d/%m/%Y %H:%M} trước đây; "
                      "giữ ngày đó.")  # fmt: skip
            else:
                print(f"Đã thu hồi khóa {view.key_id} từ {local:%d/%m/%Y %H:%M}.")
            if taken := revoked_since.taken_since_revocation(db, view.key_id):
                since = taken.since.replace(tzinfo=UTC).astimezone(VIETNAM_TIME)
                names = ", ".join(taken.names)
                more = ", …" if taken.households > len(taken.names) else ""
                households = f", ở {taken.households} hộ ({names}{more})" if names else ""
                print(f"Lưu ý: máy này đã nhận {taken.changes} thay đổi do máy đó làm từ "
                      f"{since:%d/%m/%Y %H:%M}{households}. Chúng đến trước khi khóa bị "
                      "thu hồi và đã được nhận như thật: hãy xem lại.")  # fmt: skip
            if in_use := keys.key_in_use(db, view.key_id):
                print(f"Lưu ý: khóa {view.key_id} đã được thay bằng khóa {in_use}, khóa máy đó "
                      "đang dùng và vẫn được tin cậy. Nếu máy bị mất, hãy thu hồi cả khóa đó: "
                      f"nhao keys revoke {in_use}")  # fmt: skip
    finally:
        db.dispose()
    return EXIT_OK


def _unit(db, code: str) -> str:  # type: ignore[no-untyped-def]
    """A unit as people know it, its code beside: "Thôn Nà Pàn (06112-…)", not the code."""
    from nhao.services import sync

    return sync.report_names(db).label(str(code))


def _list_trusted(db, views) -> None:  # type: ignore[no-untyped-def]
    """One line per trusted key: the one a station signs with now has no state."""
    from nhao.services import sync

    names = sync.report_names(db)
    roles = {"child": "cấp dưới", "parent": "cấp trên"}
    if not views:
        print("Máy này chưa tin cậy khóa nào.")
    for view in views:
        enrolled = view.enrolled_at.replace(tzinfo=UTC).astimezone(VIETNAM_TIME)
        state = ""
        if view.revoked_from is not None:
            since = view.revoked_from.replace(tzinfo=UTC).astimezone(VIETNAM_TIME)
            state = f"; thu hồi từ {since:%d/%m/%Y %H:%M}"
        elif view.replaced_by:
            state = f"; đã thay bằng khóa {view.replaced_by}"
        print(f"{view.key_id}  {names.label(view.unit_code)}, "
              f"{roles.get(view.role, view.role)}; mã nhận dạng {view.fingerprint}; "
              f"tin cậy từ {enrolled:%d/%m/%Y %H:%M}{state}")  # fmt: skip


def cmd_bundle(args: argparse.Namespace) -> int:
    from nhao.models.labels import ENTITY_LABELS
    from nhao.services import sync, units

    if args.bundle_command is None:
        raise UsageError("Hãy chọn: nhao bundle export | import | ack | ack-import")
    if args.bundle_command == "export":
        # Not over a list or a report mistyped for the bundle's name (as check_xlsx_name).
        if args.out.suffix.lower() != ".nhao":
            raise UsageError(f"Tệp {args.out.name} phải có đuôi .nhao: nhao ghi gói dữ liệu.")
        check_output(args.out)
    elif args.bundle_command == "ack":
        check_output(args.out, inputs=[args.bundle])
    elif args.bundle_command == "import":
        args.files = matching_files(args.files)
        if args.report:
            check_xlsx_name(args.report)
            check_output(args.report, inputs=list(args.files))
    db = open_database(location_of(args))
    try:
        actor = acting_user(args, db)
        if args.bundle_command == "export":
            if sender := sync.received_bundle_at(db, args.out):
                raise Refused(
                    f"{args.out.name} là gói {sender} gửi đến, có thể chưa nhập; ghi gói xuất "
                    "đè lên sẽ mất gói đó. Hãy đặt tên khác cho gói xuất."
                )
            recipient = args.to and units.unit_code_named(db, args.to)
            try:
                result = sync.export_bundle(
                    db, actor, _password(args, actor), args.out, to=recipient, full=args.full,
                    new_epoch=args.new_epoch, restamp=args.restamp,
                )
            except OSError as error:  # Windows: the old file is open in another program
                raise not_written(args.out, error) from None
            print(f"Đã xuất gói {result.path} ({result.changes} thay đổi).")
            if result.changes == 0:
                print(
                    "Lưu ý: máy này không có thay đổi nào mới kể từ gói trước gửi nơi nhận; gói "
                    "này không mang thay đổi nào, không cần gửi (trừ khi máy vừa xoay khóa bằng "
                    "nhao keys rotate: gói mang khóa mới).",
                    file=sys.stderr,
                )
            if result.restarted is not None:
                print(
                    f"Lưu ý: {result.restarted}, nên từ gói này máy đánh số các thay đổi lại "
                    "từ đầu; nơi nhận vẫn nhận gói bình thường, và những gì đã gửi đi mà máy "
                    "này không còn thì vẫn còn ở nơi nhận.",
                    file=sys.stderr,
                )
            if not result.sealed:  # as the window says: it goes through chat apps
                whose = (
                    f"khóa của {_unit(db, result.recipient)} chưa được tin cậy trên máy này"
                    if result.recipient
                    else "gói không gửi cho đơn vị nào cụ thể (--to)"
                )
                print(
                    f"Lưu ý: gói {result.path.name} không niêm phong vì {whose}, nên ai có tệp "
                    "cũng đọc được; hãy tin cậy khóa của nơi nhận (nhao keys trust) để các gói "
                    "sau được niêm phong.",
                    file=sys.stderr,
                )
            if result.missing_files:  # as the window says: their records went without them
                print(
                    f"Lưu ý: {len(result.missing_files)} ảnh, tài liệu không có trên máy này nên "
                    f"không được đưa vào gói: {', '.join(result.missing_files)}. Bản ghi của "
                    "chúng vẫn đi kèm; khi có lại tệp, hãy xuất gói đầy đủ (--full).",
                    file=sys.stderr,
                )
            if result.clock_ahead_to is not None:
                print(sync.clock_warning(result.clock_ahead_to), file=sys.stderr)
            return EXIT_OK
        if args.bundle_command == "ack":
            if args.out.is_file() and not sync.is_receipt(args.out):
                # As export: a slip on the USB stick (the next bundle, not imported yet,
                # or a list) would be lost under the receipt.
                sender = sync.received_bundle_at(db, args.out)
                what = (
                    f"gói {sender} gửi đến" if sender else "một tệp khác, không phải giấy báo nhận"
                )
                raise Refused(
                    f"Đã có tệp {args.out.name}, là {what}; ghi giấy báo nhận đè lên sẽ mất tệp "
                    f"đó. Hãy đặt tên khác, ví dụ {args.bundle.stem}.nhaoack."
                )
            try:
                sync.write_ack(db, actor, _password(args, actor), args.bundle, args.out)
            except OSError as error:
                raise not_written(args.out, error) from None
            print(f"Đã ghi giấy báo nhận {args.out}; hãy gửi tệp này lại cho nơi đã gửi gói.")
            return EXIT_OK
        if args.bundle_command == "ack-import":
            receipt = sync.import_ack(db, actor, args.file)
            if receipt.get("already_read"):
                print(f"Giấy báo nhận {args.file.name} đã được đọc trước đây; không thay đổi gì.")
                return EXIT_OK
            if receipt.get("stale"):
                older = (
                    f"Giấy báo nhận {args.file.name} cũ hơn một giấy báo nhận đã đọc của "
                    f"{_unit(db, receipt['producer']['unit'])}"
                )
                if not receipt.get("previous_missing"):
                    print(f"{older}; không thay đổi gì.")
                    return EXIT_OK
                print(
                    f"{older}, nhưng cho biết nơi nhận không có gói máy này xuất cho nơi đó "
                    "ngay trước gói được báo nhận (chưa gửi, hoặc thất lạc): gói xuất sau sẽ "
                    "gửi lại mọi thay đổi nơi đó chưa báo đã nhận."
                )
                return EXIT_OK
            if receipt.get("new_epoch"):
                print(
                    "Giấy báo nhận cho thấy nơi nhận đã có thay đổi của máy này mà dữ liệu máy này "
                    "không còn (dữ liệu được chép lại từ bản sao lưu): các thay đổi của máy sẽ "
                    "được gửi lại với số thứ tự mới trong gói sau."
                )
            became = _RECEIPT_WORDS.get(str(receipt.get("status")), "đã nhận gói {}")
            print(
                f"Đã ghi nhận giấy báo nhận {args.file.name}: "
                f"{_unit(db, receipt['producer']['unit'])} "
                f"{became.format(str(receipt.get('file'))[:80])}; "
                "gói xuất sau sẽ gửi tiếp từ những gì nơi đó đã có."
            )
            if receipt.get("previous_missing"):
                print(
                    "Nơi nhận không có gói máy này xuất cho nơi đó ngay trước gói trên (chưa gửi, "
                    "hoặc thất lạc): gói xuất sau sẽ gửi lại mọi thay đổi nơi đó chưa báo đã nhận."
                )
            if receipt.get("status") == "refused" and receipt.get("reason"):
                print(f"Lý do nơi nhận ghi: {receipt['reason']}")
            if count := int(receipt.get("refused_count") or 0):
                listed = [str(said) for said in receipt.get("refused_changes") or []]
                print(f"Nơi nhận không nhận {count} thay đổi trong gói:")
                for said in listed:
                    print(f"  • {said}")
                if count > len(listed):
                    print(f"  … và {count - len(listed)} thay đổi khác (báo cáo nhập ở nơi đó "
                          "ghi đủ).")  # fmt: skip
            return EXIT_OK
        reports = sync.import_bundles(
            db, actor, list(args.files), password=_password(args, actor), dry_run=args.dry_run
        )
        names = sync.report_names(db)  # for the report, written once the results are said
    finally:
        db.dispose()
    if args.json:
        # ASCII, as `households import --json`: read right whatever code page decodes it.
        print(json.dumps([sync.json_report(r) for r in reports], indent=2))
    else:
        for report in reports:
            # In the words of the xlsx report: a commune official reads this, not a tool.
            status = sync.status_label(report)
            reason = f": {report['reason']}" if report.get("reason") else ""
            print(f"{report['file']}: {status}{reason}")
            if unit := (report.get("producer") or {}).get("unit"):
                print(f"  Gửi từ: {names.label(unit)}")
            if args.dry_run and (after := sync.goes_in_after(reports, report)):
                # Its reason says to ask for a full bundle; the one it waits for was given.
                print(f"  {after}")
            for entity, counts in sync.entities_in_order(report):
                print(f"  {ENTITY_LABELS.get(entity, entity)}: " + ", ".join(
                    f"{counts.get(key, 0)} {word}" for key, word in _COUNT_WORDS
                ))  # fmt: skip
            # Listed in the window alone: the counts told nobody where to look.
            conflicts = sum(c.get("conflicts", 0) for _, c in sync.entities_in_order(report))
            if conflicts and not args.dry_run:
                print(f"  Xung đột cần chọn giá trị: {conflicts} (giá trị sửa sau đang được "
                      f"dùng, giá trị kia được giữ lại; {_IN_THE_WINDOW} Xung đột)")  # fmt: skip
            if report.get("possible_duplicates"):
                where = "" if args.dry_run else (
                    f" (không hộ nào bị gộp; {_IN_THE_WINDOW} Có thể trùng)"
                )
                print(f"  Hộ nghi trùng cần xem lại: {report['possible_duplicates']}{where}")
            for key, title in _REPORT_LISTS:
                if report.get(key):
                    print(f"  {title} ({len(report[key])}):")
                    print("\n".join(f"  - {line}" for line in report[key]))
    if args.report:
        try:
            sync.write_import_report(reports, args.report, names, checked_only=args.dry_run)
        except OSError as error:  # open in Excel (Windows); checked before, the disk may fill
            done = "Đã kiểm tra" if args.dry_run else "Đã nhập"
            raise Refused(
                f"{done} các gói (kết quả ở trên) nhưng không ghi được báo cáo {args.report} "
                f"({error.strerror or error})."
            ) from None
    return EXIT_REFUSED if any(r["status"] == "refused" for r in reports) else EXIT_OK


# Where conflicts and possible duplicates are decided: the Sync page's tabs.
_IN_THE_WINDOW = "xem và chọn trong cửa sổ nhao: Đồng bộ ›"

# What a receipt says became of the bundle, as the sender reads it.
_RECEIPT_WORDS = {
    "applied": "đã nhập gói {}",
    "skipped": "đã có sẵn mọi thay đổi trong gói {}",
    "pending": "đang giữ gói {} chờ một gói trước nó",
    "refused": "đã từ chối gói {}",
}

_COUNT_WORDS = (
    ("new", "mới"),
    ("updated", "cập nhật"),
    ("unchanged", "không đổi"),
    ("conflicts", "xung đột"),
    ("refused", "bị từ chối"),
)

# What an applied bundle's report lists besides its counts.
_REPORT_LISTS = (
    ("number_clashes", "Số phiếu bị cấp trùng, đã giữ cả các phiếu"),
    ("payments_to_review", "Phiếu chi cần xem lại, đã giữ cả các phiếu"),
    ("steps_given_way", "Bước của cấp trên thay bước làm ở máy này"),
    ("refused_changes", "Thay đổi bị từ chối"),
    ("held_changes", "Thay đổi đang chờ bản ghi gốc"),
)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"keys": cmd_keys, "bundle": cmd_bundle}
