"""`nhao bundle import`: check, then merge in one transaction, record what was
applied so `nhao verify` stays clean, hold bundles that wait for a missing one
and apply them once it arrives."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from nhao.domain import hlc
from nhao.files import put_in_place
from nhao.models import RECORD_MODELS, Attachment, file_store
from nhao.models.database import Database, hold_write_lane
from nhao.models.snapshot import snapshot_hash
from nhao.models.sqlite_profile import WriteNotPossible
from nhao.models.sync import (
    PendingBundle,
    SyncBundleLog,
    SyncOrigin,
)
from nhao.services.actor import Actor, Permission
from nhao.services.collector import collector_paused
from nhao.services.crash_log import write_crash_log
from nhao.services.sync import keys, positions
from nhao.services.sync.bulk import (
    apply_reviews,
    describe_pairs,
    find_duplicates,
    write_audit,
)
from nhao.services.sync.checks import (
    PASSWORD_STAGE,
    Checked,
    check_bundle,
    relayed_from_above,
    sequence_gap,
)
from nhao.services.sync.clashes import advance_own_counters, find_number_clashes
from nhao.services.sync.epoch import check_station_instance
from nhao.services.sync.households_kept import bring_back_households
from nhao.services.sync.payments_review import find_payments_to_review
from nhao.services.unit_of_work import REDACTED, UnitOfWork, self_station, utcnow
from nhao.sync.bundle import BundleRefused, Limits, peek_manifest
from nhao.sync.decisions import decisions_for_here
from nhao.sync.fresh import UnreadableValue, snapshot
from nhao.sync.merge import Merger, MergeResult, held_back_due, held_back_units
from nhao.sync.parents import missing_parents, waiting_reason
from nhao.sync.scope import UnitTree

# The possible duplicates a bundle brought, each pair named: for the xlsx report and
# the window, kept out of the JSON whose keys other tools read (issue 4).
DUPLICATE_PAIRS = "duplicate_pairs"


def json_report(report: dict) -> dict:
    """A bundle's report as `nhao bundle import --json` prints it."""
    return {key: value for key, value in report.items() if key != DUPLICATE_PAIRS}


def _report(name: str, status: str, producer: dict | None = None) -> dict:
    producer = producer or {}
    return {
        "file": name,
        "status": status,
        "producer": {
            "station": producer.get("station"),
            "unit": producer.get("unit"),
            "key": producer.get("key"),
        },
        "entities": {},
        "possible_duplicates": 0,
    }


def import_bundles(
    db: Database,
    actor: Actor,
    paths: list[Path],
    *,
    password: str | None = None,
    dry_run: bool = False,
    limits: Limits | None = None,
    expected: Mapping[Path, str] | None = None,
) -> list[dict]:
    """One report per file (the stable JSON of issue 4), plus one for every held
    bundle that could be applied because of these. Each file's report also says the
    sha256 of the bytes read; `expected` (path → that sha256, from a dry run) refuses
    a file that changed since, so what is written is what a person saw checked."""
    if not dry_run:
        actor.require(Permission.exchange_bundles)
        # A dry run writes nothing: a restored laptop's new epoch waits for real work.
        check_station_instance(db)
    reports = []
    for path in _in_sequence(paths):
        name = Path(path).name
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            report = _report(name, "refused")
            report["reason"] = _unreadable(name, exc)
            reports.append(report)
            continue
        sha = hashlib.sha256(data).hexdigest()
        if expected is not None and expected.get(Path(path)) != sha:
            report = _report(name, "refused", _producer(data))
            report["reason"] = (
                f"Tệp {name} đã thay đổi sau khi được kiểm tra nên chưa được nhập; "
                "hãy kiểm tra lại tệp này trước khi nhập."
            )
            report["sha256"] = sha
            reports.append(report)
            continue
        report = import_data(
            db, actor, data, name, password=password, dry_run=dry_run, limits=limits
        )
        report["sha256"] = sha
        reports.append(report)
        # One with nothing for this laptop (the commune's decisions on the cases of the
        # hamlet's other laptop) counts its ranges too: a bundle held for them goes on.
        if report["status"] == "applied" or (
            report["status"] == "skipped" and report.get("nothing_new")
        ):
            reports.extend(apply_pending(db, actor, password=password))
    return reports


def _in_sequence(paths: list[Path]) -> list[Path]:
    """The files of each sending station in the order it made them, in the places they
    had among the others: `*.nhao` lists thon-10 before thon-9, and the later one, taken
    first, was held, then applied, reported twice. The manifest read here is unchecked:
    it only chooses the order; every file is checked as it is taken."""
    made: dict[int, tuple[str, str]] = {}
    for index, path in enumerate(paths):
        try:
            manifest = peek_manifest(path) or {}
            made[index] = (str(manifest["producer"]["station"]), str(manifest["created"]))
        except (KeyError, TypeError):
            continue  # refused in its place, with the reason, when it is taken
    ordered = list(paths)
    for station in {station for station, _ in made.values()}:
        places = [i for i in made if made[i][0] == station]
        for place, index in zip(places, sorted(places, key=lambda i: made[i][1]), strict=True):
            ordered[place] = paths[index]
    return ordered


def _unreadable(name: str, error: OSError) -> str:
    """Why a bundle file could not be read, in people's words (the system's own text
    is English, or in Windows' language)."""
    if isinstance(error, FileNotFoundError) and ("*" in name or "?" in name):
        return f"Không có tệp nào trong thư mục đó khớp với mẫu {name}."  # `*.nhao` typed
    if isinstance(error, FileNotFoundError):
        return (
            f"Không còn thấy tệp {name} (đã bị xóa, đổi tên, hay USB đã bị rút ra?); "
            "hãy chọn lại tệp."
        )
    if isinstance(error, PermissionError):
        return (
            f"Máy này không được phép đọc tệp {name} (tệp đang mở ở chương trình khác, hoặc "
            "thiếu quyền); hãy đóng chương trình đó hoặc chép tệp ra chỗ khác rồi chọn lại."
        )
    if isinstance(error, IsADirectoryError):
        return f"{name} là một thư mục, không phải gói dữ liệu; hãy chọn tệp .nhao bên trong."
    return f"Không đọc được tệp {name} (lỗi {error.errno}); hãy chép tệp ra máy rồi chọn lại."


def apply_pending(db: Database, actor: Actor, *, password: str | None = None) -> list[dict]:
    """Held bundles whose gap is filled, applied; each one is tried once per change of
    what is here, so a held bundle the merge refuses ends the round instead of being
    tried again for ever."""
    reports = []
    refused: set[str] = set()
    progress = True
    while progress:
        progress = False
        with db.session() as session:
            held = session.execute(
                select(PendingBundle.sha256, PendingBundle.file_name).order_by(
                    PendingBundle.received_at
                )
            ).all()
        for sha, name in held:
            if sha in refused:
                continue
            # One held bundle in memory at a time: each may carry a week's photos.
            with db.session() as session:
                row = session.execute(
                    select(PendingBundle.content, PendingBundle.waiting_for).where(
                        PendingBundle.sha256 == sha
                    )
                ).first()
                waiting = row is None or _still_waiting(session, sha, name, *row)
                content = None if waiting else row.content
                del row  # a skipped one's bytes go now, not when the next is read
            if content is None:
                continue
            report = import_data(db, actor, content, name, password=password)
            del content
            if report["status"] == "refused":
                refused.add(sha)
                reports.append(report)
            elif report["status"] in ("applied", "skipped"):
                reports.append(report)
                progress = True
    return reports


def _still_waiting(session: Session, sha: str, name: str, content: bytes, waiting: str) -> bool:
    """A held bundle whose missing changes have still not come: not checked again (a
    province takes a hundred bundles, and each would check every held one, photos and
    all). Its manifest passed every check when it was held; one that cannot be read
    here is checked again as a whole."""
    manifest = peek_manifest(content) or {}
    origins = manifest.get("origins")
    if not isinstance(origins, dict):
        return False
    try:
        relayed = relayed_from_above(session, manifest)
        reason, _seen = sequence_gap(session, origins, name, relayed)
    except (KeyError, TypeError):
        return False
    if reason is None:
        return False
    if reason[:500] != waiting:  # part of what it waited for has come
        session.execute(
            update(PendingBundle)
            .where(PendingBundle.sha256 == sha)
            .values(waiting_for=reason[:500])
        )
        session.commit()
    return True


@collector_paused()  # a province merges millions of small objects
def import_data(
    db: Database,
    actor: Actor,
    data: bytes,
    name: str,
    *,
    password: str | None = None,
    dry_run: bool = False,
    limits: Limits | None = None,
) -> dict:
    sha = hashlib.sha256(data).hexdigest()
    with db.session() as session:
        session.begin()
        if not dry_run:  # the same bundle imported on two computers at once: one merges
            hold_write_lane(session)
        # A check says what the import will: a bundle taken before is "already imported",
        # not "checked" with nothing in it and Import offered as if it would write.
        if _applied_before(session, sha):
            session.rollback()
            return _report(name, "skipped", _producer(data))
        try:
            checked = check_bundle(db, session, actor, password, data, name, limits)
        except BundleRefused as exc:
            session.rollback()
            report = _report(name, "refused")
            report["reason"] = exc.message
            if exc.stage != PASSWORD_STAGE:  # a mistyped password throws nothing away
                _forget_pending(db, sha, dry_run)
            return report
        manifest = checked.opened.manifest
        report = _report(name, "dry-run" if dry_run else "applied", manifest.get("producer"))
        if checked.gap is not None:
            return _hold(session, report, checked.gap, data, sha, dry_run=dry_run)
        passed_over: list[dict] = []
        if checked.from_parent:
            checked.new_entries, passed_over = decisions_for_here(session, checked.new_entries)
        # Nothing new, but a change of its stations held back for a value beyond the
        # forms has come within them (the day it named has come): merged, it is taken.
        nothing = not checked.new_entries and not held_back_due(
            session, set(_held_back_units(session, checked))
        )
        if nothing:
            # First seen, yet nothing in it is new here (a bundle from above with nothing
            # for this station, an export with no change): not "imported before".
            report["nothing_new"] = True
        # Not said by a check: the import still notes such a bundle's ranges (below).
        if nothing and not dry_run:
            report["status"] = "skipped"
            # A bundle from above often has nothing for this station, yet its ranges
            # count: the next one starts after them, and would wait for them for ever.
            _note_origins(session, checked, utcnow())
            # An export made only to carry a new key (its note says to send it then).
            _take_rotation(session, checked)
            try:  # a full bundle brings the files an earlier one went without
                _store_blobs(db, checked, only=_attached_here(session, checked))
            except BundleRefused as exc:
                session.rollback()
                report["status"], report["reason"] = "refused", exc.message
                return report
            session.execute(delete(PendingBundle).where(PendingBundle.sha256 == sha))
            # Known as come, though it brought nothing: a receipt of the next bundle tells
            # its sender whether the one before it came (ack.write_ack).
            session.merge(
                SyncBundleLog(
                    sha256=sha,
                    direction="in",
                    peer_unit=str(manifest["producer"]["unit"])[:64],
                    file_name=name[:255],
                    status="skipped",
                    at=utcnow(),
                    ranges=manifest.get("origins") or {},
                )
            )
            session.commit()
            return report
        if missing := missing_parents(session, checked.new_entries):
            reason = waiting_reason(name, missing)
            return _hold(session, report, reason, data, sha, dry_run=dry_run)
        try:
            result = _merge(db, session, actor, checked, sha, dry_run=dry_run)
        except Exception as exc:  # noqa: BLE001 - any failure: nothing written, say why
            session.rollback()
            # A full drive or another window's long write: the bundle is good, and one
            # that was held stays held for the next try.
            passing = isinstance(exc, WriteNotPossible)
            if not passing:
                _forget_pending(db, sha, dry_run)  # refused, as by the checks: not held any more
            report = _report(name, "refused", manifest.get("producer"))
            if isinstance(exc, BundleRefused):
                report["reason"] = exc.message
            elif passing:
                report["reason"] = f"Gói {name} chưa nhập được: {exc}"
            elif _integrity_error(exc):
                # New records that wait for theirs were held above (missing_parents):
                # this points at one refused here before or never sent, or repeats one.
                report["reason"] = (
                    f"Gói {name} có bản ghi gắn với một bản ghi không có ở máy này (bị từ chối "
                    "khi nhập trước đây, hoặc chưa từng được gửi), hoặc trùng với một bản ghi "
                    "đã có; không có gì được ghi. Hãy xem các gói bị từ chối trước đây của đơn "
                    "vị gửi, rồi nhờ máy gửi xuất một gói đầy đủ."
                )
            elif isinstance(exc, UnreadableValue):
                report["reason"] = (
                    f"Gói {name} không áp dụng được vì dữ liệu không khớp với máy này "
                    f"({exc}); không có gì được ghi."
                )
            else:
                report["reason"] = _unexpected(exc, name)
            return report
        for entry in passed_over:  # about a case this laptop never had: nothing changes
            result.count(entry["entity"], entry["id"], "unchanged")
        report["entities"] = {k: v.as_dict() for k, v in sorted(result.counts.items())}
        report["possible_duplicates"] = len(result.duplicate_pairs)
        if result.duplicate_pairs:  # named in the xlsx report, not in the JSON (json_report)
            report[DUPLICATE_PAIRS] = result.duplicate_pairs
        if result.refusals:
            report["refused_changes"] = result.refusals
        if result.number_clashes:  # one voucher number given out by two stations: both kept
            report["number_clashes"] = result.number_clashes
        if result.payments_to_review:  # paid twice or for an ended case: both kept
            report["payments_to_review"] = result.payments_to_review
        if result.steps_given_way:  # a withdrawal the commune refused, undone here
            report["steps_given_way"] = result.steps_given_way
        if result.held:  # edits that came before their record: applied when it comes
            report["held_changes"] = result.held
        if dry_run:
            session.rollback()
        else:
            session.commit()
    return report


def _hold(  # noqa: PLR0913 - the bundle, and why it waits
    session: Session, report: dict, reason: str, data: bytes, sha: str, *, dry_run: bool
) -> dict:
    """Keep the bundle to apply once what it waits for has come (apply_pending)."""
    report["status"] = "pending"
    report["reason"] = reason
    if not dry_run:
        # Held already (tried again after another bundle came): it keeps the time it
        # came, and its bytes, which are not read back just to be compared.
        again = session.execute(
            update(PendingBundle)
            .where(PendingBundle.sha256 == sha)
            .values(waiting_for=reason[:500])
        )
        if not again.rowcount:  # type: ignore[attr-defined]
            session.add(
                PendingBundle(
                    sha256=sha,
                    file_name=report["file"][:255],
                    producer_unit=str(report["producer"]["unit"]),
                    waiting_for=reason[:500],
                    received_at=utcnow(),
                    content=data,
                )
            )
        session.commit()
    return report


def _unexpected(exc: BaseException, name: str) -> str:
    """One sentence for people, naming the bundle; the details go to a crash log."""
    log = write_crash_log(exc, f"Nhập gói dữ liệu {name}")
    where = (
        f"Chi tiết lỗi đã ghi vào tệp {log}; hãy gửi tệp đó cùng gói {name} cho người hỗ "
        "trợ nhao."
        if log is not None
        else f"Hãy gửi gói {name} cho người hỗ trợ nhao."
    )
    return (
        f"Gói {name} không áp dụng được vì nhao gặp lỗi không mong đợi khi ghi dữ liệu của "
        f"gói vào máy này; không có gì được ghi. {where}"
    )


def _integrity_error(exc: BaseException) -> bool:
    """A row refused by a foreign key or a unique index, on SQLite or PostgreSQL (whose
    COPY raises the driver's own error)."""
    return isinstance(exc, IntegrityError) or type(exc).__name__ in (
        "ForeignKeyViolation",
        "UniqueViolation",
        "IntegrityError",
    )


def _applied_before(session: Session, sha: str) -> bool:
    """These very bytes passed every check and were applied here: nothing in them can
    be new, so re-importing a pile of bundles costs a hash each, not a merge."""
    log = session.get(SyncBundleLog, sha)
    return log is not None and log.direction == "in" and log.status == "applied"


def _producer(data: bytes) -> dict:
    producer = (peek_manifest(data) or {}).get("producer")
    return dict(producer) if isinstance(producer, dict) else {}


def _forget_pending(db: Database, sha: str, dry_run: bool) -> None:
    if dry_run:
        return
    with db.transaction() as session:
        session.execute(delete(PendingBundle).where(PendingBundle.sha256 == sha))


def _held_back_units(session: Session, checked: Checked) -> dict[str, str]:
    """The bundle's origin stations, and those of a child's subtree with a change held
    here (merge.held_back_units), with their units."""
    sender = checked.trusted.unit_code if checked.trusted.role == "child" else None
    return held_back_units(session, UnitTree(session), sender, checked.origin_units)


def _merge(
    db: Database, session: Session, actor: Actor, checked: Checked, sha: str, *, dry_run: bool
) -> MergeResult:
    station = self_station(session)
    uow = UnitOfWork(session, actor, station)
    manifest = checked.opened.manifest
    name = checked.opened.name
    merger = Merger(
        session,
        tree=UnitTree(session),
        origin_units=_held_back_units(session, checked),
        bundle=name,
        now=uow.now,
        sender_unit=checked.trusted.unit_code if checked.trusted.role == "child" else None,
    )
    result = merger.apply(checked.new_entries)
    session.flush()
    producer = manifest["producer"]["unit"]
    events = []
    for (entity, record_id), (action, fields) in result.touched.items():
        row = merger.rows[(entity, record_id)]
        secret = getattr(RECORD_MODELS[entity], "SECRET_FIELDS", ())
        origin = checked.origin_units.get(str(row.changed_by), producer)
        events.append(
            {
                "action": action,
                "entity": entity,
                "record_id": record_id,
                "summary": f"Nhận qua gói {name} từ đơn vị {producer} (gốc: máy đơn vị {origin})"[
                    :300
                ],
                "before": None,
                "after": {k: REDACTED if k in secret else v for k, v in fields.items()}
                if secret
                else fields,
                "record_hash": snapshot_hash(snapshot(row)),
            }
        )
    write_audit(uow, events)
    _note_origins(session, checked, uow.now)
    latest = max((e["hlc"] for e in checked.new_entries), default=None)
    if latest:
        station.last_hlc = str(
            hlc.observe(station.last_hlc, latest, time.time_ns() // 1_000_000, station.id)
        )
    _take_rotation(session, checked)
    households = [rid for entity, rid in result.touched if entity == "household"]
    if checked.from_parent:
        cases = [rid for entity, rid in result.touched if entity == "support_case"]
        decided_by = merger.tree.named(producer)
        said, back = bring_back_households(uow, session, cases, decided_by)
        result.steps_given_way += said
        households += back
    apply_reviews(session, [rid for e, rid in result.touched if e == "household_pair_review"])
    listed = find_duplicates(session, households, uow.now)
    result.duplicate_pairs = describe_pairs(session, listed)
    result.number_clashes = find_number_clashes(session, result.touched)
    result.payments_to_review = find_payments_to_review(session, result.touched)
    advance_own_counters(session, station.unit_code, result.touched)
    session.execute(delete(PendingBundle).where(PendingBundle.sha256 == sha))
    session.merge(
        SyncBundleLog(
            sha256=sha,
            direction="in",
            peer_unit=manifest["producer"]["unit"],
            file_name=name[:255],
            status="applied",
            at=uow.now,
            ranges=manifest.get("origins") or {},
            refused=refusals_kept(result.refusals),
        )
    )
    session.flush()
    # Last, once everything else of the merge has gone through; a dry run checks them
    # as well, so it refuses what the import would.
    _store_blobs(db, checked, write=not dry_run)
    return result


REFUSALS_KEPT = 200  # of a bundle's refused changes, for its receipt: the report has all


def refusals_kept(refusals: list[str]) -> dict | None:
    if not refusals:
        return None
    return {"count": len(refusals), "changes": refusals[:REFUSALS_KEPT]}


def _note_origins(session: Session, checked: Checked, now: datetime) -> None:
    """How far each origin station's changes have come here, from the bundle's ranges.
    Not those a bundle from above relays a few changes of (the unit's other computer):
    its changes before them, not yet here, were skipped as seen when they came. A
    station first heard of here is a computer of its unit the next bundle goes to
    (positions.first_heard)."""
    own, tree = self_station(session).unit_code, UnitTree(session)
    for station_id, span in (checked.opened.manifest.get("origins") or {}).items():
        if checked.seen.get(station_id, 0) >= 1 << 62:
            continue
        row = session.get(SyncOrigin, station_id)
        if row is None:
            row = SyncOrigin(station_id=station_id, seen_upto=0)
            unit = str(span["unit"])
            positions.first_heard(
                session, unit, station_id, below=tree.strictly_above(own, unit)
            )
        row.unit_code = span["unit"]
        if station_id not in checked.relayed:
            row.seen_upto = max(row.seen_upto or 0, span["to"])
        row.updated_at = now
        session.add(row)


def _take_rotation(session: Session, checked: Checked) -> None:
    if checked.rotation is not None:
        _enrol_rotation(session, checked)
    else:  # signed by a key enrolled from its file: linked to the key it replaced
        manifest = checked.opened.manifest
        keys.link_rotation(session, checked.opened.key_id, manifest.get("rotations"))


def _enrol_rotation(session: Session, checked: Checked) -> None:
    assert checked.trusted is not None and checked.rotation is not None
    station = checked.opened.manifest["producer"]["station"]
    keys.enrol_rotation(session, checked.trusted, checked.rotation, station)


def _attached_here(session: Session, checked: Checked) -> set[str]:
    """The bundle's blobs that an attachment here names."""
    shas = [m.split("/", 1)[1] for m in checked.opened.members if m.startswith("blobs/")]
    found: set[str] = set()
    for start in range(0, len(shas), 500):
        found.update(
            session.scalars(
                select(Attachment.sha256).where(Attachment.sha256.in_(shas[start : start + 500]))
            )
        )
    return found


def _store_blobs(
    db: Database, checked: Checked, only: set[str] | None = None, *, write: bool = True
) -> None:
    """Every blob the store lacks (of `only`, when given), each checked against its
    name and staged beside the store; only when all are good do they go in, so a
    bundle refused for one bad blob leaves no file of it behind. `write=False`: the
    checks alone (a dry run)."""
    opened = checked.opened
    folder = db.location.attachment_dir
    staging = file_store.staging_dir(folder)
    if write:  # what an import killed while staging its photos left behind
        file_store.sweep_staging(folder)
    staged: list[tuple[Path, Path]] = []  # written beside the store, not yet in it
    try:
        for member in opened.members:
            if not member.startswith("blobs/"):
                continue
            sha = member.split("/", 1)[1]
            if only is not None and sha not in only:
                continue
            target = file_store.blob_path(folder, sha)
            if target.is_file():
                continue
            content = opened.member(member, checked.opener)
            if hashlib.sha256(content).hexdigest() != sha:
                raise BundleRefused(f"Tệp đính kèm {sha} trong gói {opened.name} bị hỏng.")
            if write:
                staged.append((file_store.stage(target, content, into=staging), target))
            del content  # one decrypted photo at a time
        for tmp, target in staged:
            put_in_place(tmp, target)
    except BaseException:
        for tmp, _target in staged:  # the import fails as a whole: none of its files stay
            tmp.unlink(missing_ok=True)
        raise
    for folder_of_blob in {target.parent for _tmp, target in staged}:
        file_store.sync_folder(folder_of_blob)
