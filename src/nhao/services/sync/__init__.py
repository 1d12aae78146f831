"""What the command line and the window call for sync: export, import, receipts,
pending bundles, conflicts and possible duplicates. The work is in the modules of this
package (review.py: what an import leaves for people to look at)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from nhao.domain.citizen_id import mask_citizen_id
from nhao.domain.official_units import official_name
from nhao.models import RECORD_MODELS
from nhao.models.database import Database
from nhao.models.labels import ENTITY_LABELS
from nhao.reports.bundle_report_xlsx import DuplicateRow, FileRow, write_bundle_report
from nhao.services.sync.ack import import_ack, is_receipt, write_ack
from nhao.services.sync.clock import clock_warning
from nhao.services.sync.epoch import check_station_instance, start_new_epoch
from nhao.services.sync.export import ExportResult, export_bundle, received_bundle_at
from nhao.services.sync.importing import (
    DUPLICATE_PAIRS,
    apply_pending,
    import_bundles,
    json_report,
)
from nhao.services.sync.review import (
    RESOLVE_PERMISSIONS,
    ConflictView,
    DuplicateView,
    PendingView,
    list_conflicts,
    list_duplicates,
    list_pending,
    mark_duplicate,
    mark_duplicates,
    may_resolve,
    resolve_conflict,
    resolve_conflicts,
)
from nhao.services.unit_of_work import self_station, utcnow
from nhao.sync.results import COUNT_KEYS
from nhao.sync.scope import UnitTree

__all__ = [
    "COUNT_KEYS",
    "ConflictView",
    "DuplicateView",
    "ExportResult",
    "PendingView",
    "RESOLVE_PERMISSIONS",
    "STATUS_LABELS",
    "status_label",
    "ReportNames",
    "apply_pending",
    "check_station_instance",
    "clock_warning",
    "entities_in_order",
    "export_bundle",
    "received_bundle_at",
    "import_ack",
    "is_receipt",
    "import_bundles",
    "json_report",
    "list_conflicts",
    "list_duplicates",
    "list_pending",
    "mark_duplicate",
    "mark_duplicates",
    "may_resolve",
    "resolve_conflict",
    "resolve_conflicts",
    "start_new_epoch",
    "report_names",
    "write_ack",
    "write_import_report",
    "goes_in_after",
]


# The report is read by people: statuses and entities in their words, as the window shows them.
STATUS_LABELS = {
    "dry-run": "Đã kiểm tra trước (chưa ghi)",
    "applied": "Đã nhập",
    "skipped": "Đã nhập từ trước",
    "pending": "Gói chờ (thiếu gói trước)",
    "refused": "Từ chối",
}
NOTHING_NEW_LABEL = "Không có gì mới cho máy này"


def status_label(report: dict) -> str:
    """The status in words; a bundle seen for the first time with nothing new in it is
    not one "imported before"."""
    if report.get("nothing_new") and report["status"] == "skipped":
        return NOTHING_NEW_LABEL
    if report.get("nothing_new") and report["status"] == "dry-run":  # as the window says
        return f"Đã kiểm tra trước: {NOTHING_NEW_LABEL[:1].lower()}{NOTHING_NEW_LABEL[1:]}"
    return STATUS_LABELS.get(report["status"], report["status"])


_REPORT_LISTS = (
    ("Thay đổi bị từ chối", "refused_changes"),
    ("Thay đổi đang chờ", "held_changes"),  # came before their record; applied with it
    ("Phiếu trùng số", "number_clashes"),  # both vouchers kept, one to be voided
    ("Phiếu chi cần xem lại", "payments_to_review"),  # beyond approval, or an ended case
    ("Bước của cấp trên thay bước làm ở máy này", "steps_given_way"),
)


_ORDER = {name: n for n, name in enumerate(RECORD_MODELS)}


def entities_in_order(report: dict) -> list[tuple[str, dict]]:
    """A report's counts per kind of record: households and what follows them first, as
    the programme's steps go; the units a bundle describes last."""
    found = (report.get("entities") or {}).items()
    return sorted(found, key=lambda item: (item[0] == "unit", _ORDER.get(item[0], len(_ORDER))))


@dataclass(frozen=True)
class ReportNames:
    """How an import report names units: "Xã Bình Gia (06112)"."""

    here: str | None  # the station that imported
    label: Callable[[str], str]


def _official_label(code: str) -> str:
    name = official_name(code)
    return f"{name} ({code})" if name else code


def report_names(db: Database | None = None) -> ReportNames:
    """From the database's units when there is one, else from the official list."""
    if db is None:
        return ReportNames(None, _official_label)
    with db.session() as session:
        tree = UnitTree(session)
        return ReportNames(tree.label(self_station(session).unit_code), tree.label)


def goes_in_after(reports: list[dict], report: dict) -> str | None:
    """Of a check of several files, for a bundle held as waiting: that it goes in right
    after the file of the same sender checked just before it (checked, or waiting
    itself), whose changes the check of this one could not count on. Its reason says to
    ask for a full bundle if the one it waits for is lost; that one was given. Files
    are checked in the order their sender made them."""
    station = (report.get("producer") or {}).get("station")
    if report["status"] != "pending" or not station:
        return None
    earlier = reports[: reports.index(report)]
    before = next(
        (
            r["file"]
            for r in reversed(earlier)
            if r["status"] in ("dry-run", "pending")
            and (r.get("producer") or {}).get("station") == station
        ),
        None,
    )
    if before is None:
        return None
    return (
        f"Mỗi tệp được kiểm tra riêng: khi nhập, gói này được ghi ngay sau gói {before}, "
        "cũng có trong các tệp đã chọn."
    )


def write_import_report(
    reports: list[dict],
    path: Path,
    names: ReportNames | None = None,
    *,
    checked_only: bool | None = None,
) -> Path:
    """The import report as an xlsx people keep and print: one row per file and kind of
    record, then the changes refused, held and the vouchers numbered twice. A check
    (`checked_only`) writes nothing; a check of bundles all waiting looks like an import
    that held them, so the caller says which it was."""
    names = names or report_names()
    label, here = names.label, names.here
    made = datetime.now()  # the laptop's own time, as people read it
    if checked_only is None:
        checked_only = bool(reports) and all(r["status"] == "dry-run" for r in reports)
    labels = [status_label(r) for r in reports]
    said = ", ".join(
        f"{n} {word.lower()}"
        for word in [*STATUS_LABELS.values(), NOTHING_NEW_LABEL]
        if (n := labels.count(word))
    )
    heading = [
        "KẾT QUẢ KIỂM TRA GÓI DỮ LIỆU (CHƯA GHI)" if checked_only else "KẾT QUẢ NHẬP GÓI DỮ LIỆU",
        " · ".join(
            part
            for part in (
                f"Nơi nhập: {here}" if here else "",
                f"Lập lúc {made:%H:%M} ngày {made:%d/%m/%Y}",
                f"{len(reports)} tệp: {said}" if said else "",
            )
            if part
        ),
    ]
    files = [
        FileRow(
            file=r["file"],
            status=r["status"],
            status_label=status_label(r),
            sender=label(unit) if (unit := (r.get("producer") or {}).get("unit")) else "",
            reason=" ".join(
                said
                for said in (
                    r.get("reason") or "",
                    (goes_in_after(reports, r) or "") if checked_only else "",
                )
                if said
            ),
            possible_duplicates=r.get("possible_duplicates", 0),
            entities=[
                (ENTITY_LABELS.get(entity, entity), [counts.get(k, 0) for k in COUNT_KEYS])
                for entity, counts in entities_in_order(r)
            ],
        )
        for r in reports
    ]
    lists = [
        (title, [(r["file"], reason) for r in reports for reason in r.get(key, [])])
        for title, key in _REPORT_LISTS
    ]
    duplicates = [
        DuplicateRow(
            r["file"],
            _DUPLICATE_REASONS.get(pair["reason"], pair["reason"]),
            tuple(  # type: ignore[arg-type]
                (
                    h["head_name"],
                    h["birth_year"],
                    # The report is passed around; the window shows the number.
                    mask_citizen_id(h["citizen_id"]) if h["citizen_id"] else "",
                    h["unit"],
                )
                for h in pair["households"]
            ),
        )
        for r in reports
        for pair in r.get(DUPLICATE_PAIRS, [])
    ]
    write_bundle_report(
        path,
        heading=heading,
        files=files,
        lists=lists,
        duplicates=duplicates,
        duplicates_note=" ".join(
            note
            for note in (
                _DUPLICATES_NOTE[checked_only],
                # Each check is undone before the next file's: "Không có." of a pair
                # between two of them said none where the import lists it.
                _CHECKED_ALONE if checked_only and len(reports) > 1 else "",
            )
            if note
        ),
    )
    return path


_DUPLICATE_REASONS = {
    "citizen_id": "Trùng số CCCD",
    "name_birth_year": "Trùng họ tên và năm sinh",
}
# Where a person decides: the Sync page's tab, as the command line says it.
_DUPLICATES_NOTE = {
    False: "Không hộ nào bị gộp. Xem và đánh dấu “cùng một hộ” hoặc “hai hộ khác nhau” "
    "trong cửa sổ nhao: Đồng bộ › Có thể trùng.",
    True: "Khi nhập, không hộ nào bị gộp: các cặp hộ này được liệt kê để xem và đánh dấu "
    "trong cửa sổ nhao: Đồng bộ › Có thể trùng.",
}

_CHECKED_ALONE = (
    "Mỗi tệp được kiểm tra riêng: hộ của hai tệp kiểm tra cùng lúc chỉ được so với nhau "
    "khi nhập."
)


def now() -> datetime:
    return utcnow()
