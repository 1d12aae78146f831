"""Acknowledgements (`nhao bundle ack`): a small signed receipt telling the sender
what this station has from each origin; importing it at the sender moves the
start of its next incremental export to what the recipient really has."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from nhao.domain.errors import ValidationError
from nhao.models import ChangeLogEntry, Station
from nhao.models.database import Database
from nhao.models.snapshot import canonical_value
from nhao.models.sync import PendingBundle, SyncBundleLog, SyncCursor, SyncOrigin, TrustedKey
from nhao.services.actor import Actor, Permission
from nhao.services.sync import keys, positions
from nhao.services.sync.epoch import start_new_epoch
from nhao.services.sync.importing import import_bundles
from nhao.services.unit_of_work import self_station, utcnow
from nhao.sync import crypto, minisign
from nhao.sync.bundle import (
    MANIFEST,
    NUMBER_LIMIT,
    STATION_ID,
    canonical_line,
    peek_manifest,
    write_atomically,
)
from nhao.sync.scope import UnitTree

ACK_FORMAT = "nhao-ack"


def write_ack(db: Database, actor: Actor, password: str, bundle_path: Path, out: Path) -> dict:
    actor.require(Permission.exchange_bundles)
    name = Path(bundle_path).name
    try:
        data = Path(bundle_path).read_bytes()
    except OSError as exc:
        raise ValidationError(f"Không đọc được tệp {name} ({exc.strerror}).") from None
    sha = hashlib.sha256(data).hexdigest()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            manifest = json.loads(zf.read(MANIFEST))
            origins = manifest.get("origins") or {}
    except (zipfile.BadZipFile, KeyError, ValueError):
        # A receipt says what became of a bundle; this file is none.
        raise ValidationError(f"Tệp {name} không phải gói dữ liệu nhao.") from None
    with db.session() as session:
        station = self_station(session)
        key, pair = keys.unlock(session, actor, password)
        log = session.get(SyncBundleLog, sha)
        if log is not None and log.direction == "out":
            # Read at the sender, such a receipt would say the recipient has what it sent.
            raise ValidationError(
                f"{name} là gói máy này xuất ra: giấy báo nhận do nơi nhận ghi sau khi nhập "
                "gói, không ghi ở máy gửi."
            )
        seen, stamps = {}, {}
        for origin in _sender_origins(session, origins, manifest.get("producer")):
            row = session.get(SyncOrigin, origin)
            seen[origin] = row.seen_upto if row is not None else 0
            # The stamp of the last change seen: the sender can tell from it whether its
            # own log still holds that change (a data folder put back from a copy).
            stamps[origin] = session.scalar(
                select(ChangeLogEntry.hlc).where(
                    ChangeLogEntry.station_id == origin, ChangeLogEntry.seq == seen[origin]
                )
            )
        # A bundle the sender made for here before this one never came (lost on the
        # way, or not sent): its ranges may be of origins this one does not carry, so no
        # gap shows. The sender sends again what was not acknowledged. Not only the one
        # just before: the receipt of that one may never be written.
        earlier = manifest.get("earlier")
        made_before = [manifest.get("previous"), *(earlier if isinstance(earlier, list) else [])]
        missed = next(
            (
                before
                for before in made_before
                if isinstance(before, str)
                and before
                and not (session.get(SyncBundleLog, before) or session.get(PendingBundle, before))
            ),
            None,
        )
        refused = None
        if log is not None:
            status = log.status
            refused = log.refused
        elif session.get(PendingBundle, sha) is not None:
            status = "pending"
        elif _all_here(session, origins, seen):
            status = "skipped"  # nothing in it was new here (a full bundle, say)
        else:
            status = "refused"
        ack = {
            "format": ACK_FORMAT,
            "version": 1,
            "bundle": sha,
            "file": Path(bundle_path).name,
            "status": status,
            "created": canonical_value(utcnow()),
            "producer": {"station": station.id, "unit": station.unit_code, "key": key.key_id},
            "seen": seen,
            # Of those, the stations the bundle carried: seen names every station of the
            # sender's subtree, and a receipt is the bundle's sender's alone.
            "carried": sorted(origins),
            "seen_stamps": stamps,
            # The recipient may know only an earlier key of this station.
            "rotations": keys.rotation_chain(session, key),
        }
    if missed:
        ack["previous_missing"] = missed
    if refused:  # applied, but not all of it: the sender would think its changes stand
        ack["refused_count"] = int(refused.get("count") or 0)
        ack["refused_changes"] = [
            str(said)[:REASON_LIMIT] for said in (refused.get("changes") or [])[:REFUSALS_SENT]
        ]
    if status == "refused":
        reason = _refusal(db, actor, password, Path(bundle_path))
        if reason is None:
            # Neither taken nor refused here: imported, it would be taken (or held). A
            # receipt now told the sender its bundle was refused, for no reason.
            raise ValidationError(
                f"Gói {name} chưa được nhập ở máy này: hãy nhập gói trước (nhao bundle "
                "import, hoặc thẻ Nhập), rồi ghi giấy báo nhận."
            )
        # The sender learns why (a revoked key, records outside its unit) from the receipt
        # alone: it is all that comes back.
        ack["reason"] = reason[:REASON_LIMIT]
    body = canonical_line(ack)
    signature = minisign.sign(pair.ed, bytes.fromhex(key.key_id), body, f"nhao-ack bundle={sha}")
    document = {"ack": ack, "signature": signature}
    write_atomically(out, json.dumps(document, ensure_ascii=False, indent=2).encode())
    return ack


def _sender_origins(session: Session, origins: dict, producer: object) -> list[str]:
    """The stations a receipt acknowledges: those the bundle carries, and every other
    station of the sender's unit and the units below it that this station has changes
    of, and, for a bundle going down, of the units above the sender. The sender sends
    again, after a lost bundle, what was never acknowledged: a receipt naming only the
    last bundle's stations left every hamlet's earlier changes unacknowledged, and they
    all went again, photos too."""
    sender = producer.get("unit") if isinstance(producer, dict) else None
    named = list(origins)
    if not isinstance(sender, str) or not sender:
        return named
    tree = UnitTree(session)
    here = self_station(session).unit_code
    # Going down, the sender passes on what came to it from above (the province's
    # targets and decisions): unacknowledged, all of it went again after a lost bundle.
    down = tree.strictly_above(sender, here)
    held = session.execute(select(SyncOrigin.station_id, SyncOrigin.unit_code)).all()
    return named + sorted(
        station
        for station, unit in held
        if station not in origins
        and unit
        and (tree.within(unit, sender) or (down and tree.strictly_above(unit, sender)))
    )


REASON_LIMIT = 1000  # characters: a sentence or three
REFUSALS_SENT = 50  # refused changes named in a receipt; it gives the count of all


def _refusal(db: Database, actor: Actor, password: str, bundle_path: Path) -> str | None:
    """Why this station refuses the bundle, as its check says it now (nothing written)."""
    [report] = import_bundles(db, actor, [bundle_path], password=password, dry_run=True)
    if report["status"] != "refused":
        return None
    return str(report.get("reason") or "") or None


def is_receipt(path: Path) -> bool:
    """Whether the file holds a receipt (unverified): one a new receipt may replace."""
    try:
        with Path(path).open("rb") as file:
            head = file.read(RECEIPT_MOST + 1)
        document = json.loads(head.decode("utf-8-sig"))
        return len(head) <= RECEIPT_MOST and document["ack"]["format"] == ACK_FORMAT
    except (OSError, ValueError, KeyError, TypeError):
        return False


RECEIPT_MOST = 4 * 1024 * 1024  # bytes: a receipt is a few kilobytes of JSON


def import_ack(db: Database, actor: Actor, path: Path) -> dict:
    """Check the receipt's signature; set each origin's export cursor for that
    recipient to what it has. Returns the receipt."""
    actor.require(Permission.exchange_bundles)  # it moves what the next export sends
    name = Path(path).name
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8-sig"))  # a BOM: Notepad
        ack, signature = document["ack"], document["signature"]
        key_id = ack["producer"]["key"]
        unit = ack["producer"]["unit"]
    except (OSError, ValueError, KeyError, TypeError):
        if peek_manifest(Path(path)) is not None:  # as import says of a receipt given to it
            raise ValidationError(
                f"Tệp {name} là gói dữ liệu, không phải giấy báo nhận: hãy nhập nó bằng nhao "
                "bundle import (nhập gói)."
            ) from None
        raise ValidationError(f"Giấy báo nhận {name} không đọc được hoặc sai định dạng.") from None
    if ack.get("format") != ACK_FORMAT:
        raise ValidationError(f"Tệp {name} không phải giấy báo nhận của nhao.")
    with db.transaction() as session:
        trusted = session.get(TrustedKey, key_id)
        if trusted is None:
            rotation = keys.follow_rotations(session, key_id, ack.get("rotations"))
            old = session.get(TrustedKey, rotation["old"]) if rotation else None
            if rotation and old is not None and old.unit_code == unit:
                keys.enrol_rotation(session, old, rotation, str(ack["producer"].get("station")))
                session.flush()
                trusted = session.get(TrustedKey, key_id)
        if trusted is None or trusted.revoked_from is not None or trusted.unit_code != unit:
            raise ValidationError(f"Giấy báo nhận {name} được ký bằng khóa chưa được tin cậy.")
        try:
            minisign.verify(
                crypto.unb64(trusted.ed_public),
                bytes.fromhex(key_id),
                canonical_line(ack),
                signature,
            )
        except (minisign.SignatureError, ValueError):
            raise ValidationError(f"Chữ ký của giấy báo nhận {name} không khớp.") from None
        if (wrong := _misshapen(ack)) is not None:
            raise ValidationError(
                f"Giấy báo nhận {name} ghi sai dạng ({wrong}); không có gì được ghi. Máy gửi "
                "giấy có lẽ dùng phiên bản nhao khác hoặc bị lỗi; hãy báo cán bộ kỹ thuật."
            )
        digest = hashlib.sha256(canonical_line(ack)).hexdigest()
        read = session.get(SyncBundleLog, digest)
        if read is not None and read.direction == "ack":
            # The chat brought the same receipt twice: read again after a later export,
            # it set that export's changes back to unsent.
            return dict(ack, already_read=True)
        # The bundle was this laptop's (any epoch of it, a copy restored from a backup
        # too): it carried this station's own changes, or it is in the export log.
        here = self_station(session).unit_code
        own = set(session.scalars(select(Station.id).where(Station.unit_code == here)))
        sent = session.get(SyncBundleLog, str(ack.get("bundle", "")))
        exported = sent is not None and sent.direction == "out"
        carried = ack.get("carried", ack.get("seen")) or {}  # a receipt made before it
        if not exported and not own & set(carried):
            raise ValidationError(
                f"Giấy báo nhận {name} là cho một gói không do máy này xuất "
                f"(tệp {str(ack.get('file', ''))[:80]}); không dùng được ở đây."
            )
        # Receipts come back through chat apps, in any order and more than once: one
        # made before a receipt read already from that unit, for a bundle exported
        # before that one's, tells nothing new. (Both: a recipient's clock once ahead
        # does not make every later receipt look old.)
        created = str(ack.get("created", ""))
        sent_at = canonical_value(sent.at) if exported else ""
        # The receipt is one computer's: it says nothing of what the unit's others have.
        computer = str(ack["producer"]["station"])
        below = UnitTree(session).strictly_above(here, unit)
        positions.first_heard(session, unit, computer, below=below)
        earlier = session.scalars(
            select(SyncBundleLog.ranges).where(
                SyncBundleLog.direction == "ack", SyncBundleLog.peer_unit == unit
            )
        )
        if sent_at and any(
            str(r.get("created", "")) > created
            and str(r.get("sent_at") or "") > sent_at
            and r.get("station", computer) == computer  # one kept before: the unit's
            for r in earlier
            if isinstance(r, dict)
        ):
            # What it saw is old news, but not that the bundle before never came: a newer
            # receipt, of a later bundle, does not say so again.
            if ack.get("previous_missing"):
                _send_again(session, unit, computer)
            return dict(ack, stale=True)
        restored = _behind_the_receipt(session, ack)
        if ack.get("previous_missing"):  # what the lost bundle carried goes again
            _send_again(session, unit, computer)
        if exported and isinstance(sent.ranges, dict):
            carried = sent.ranges
        for origin, seen in (ack.get("seen") or {}).items():
            cursor = positions.position(session, unit, computer, origin)
            if origin in carried:
                cursor.sent_upto = int(seen)
            else:
                # A station the bundle did not carry: what a bundle on its way now
                # carries of it is not sent again, what the recipient has is not either.
                cursor.sent_upto = max(cursor.sent_upto or 0, int(seen))
            cursor.acked_upto = int(seen)
            cursor.updated_at = utcnow()
        session.merge(
            SyncBundleLog(
                sha256=digest,
                direction="ack",
                peer_unit=unit,
                file_name=name[:255],
                status=str(ack.get("status", ""))[:10],
                at=utcnow(),
                ranges={
                    "created": created,
                    "sent_at": sent_at,
                    "seen": ack.get("seen") or {},
                    "station": computer,
                },
            )
        )
    if restored:
        # The recipient has changes of this station that its log no longer holds, or
        # holds others under their numbers: new numbers before any more are given out.
        start_new_epoch(db, {"station": restored, "seq": 0, "hlc": ""})
        return dict(ack, new_epoch=True)
    return ack


def _send_again(session: Session, unit: str, computer: str) -> None:
    """The next export to `unit` starts from what `computer` acknowledged."""
    for cursor in session.scalars(
        select(SyncCursor).where(
            SyncCursor.recipient_unit == unit, SyncCursor.recipient_station == computer
        )
    ):
        cursor.sent_upto = cursor.acked_upto or 0
        cursor.updated_at = utcnow()


def _misshapen(ack: dict) -> str | None:
    """The field of a signed receipt that is not of the shape nhao writes (None: none
    is). Its numbers become this station's export cursors: text stopped the import of
    the receipt with an error, and a number past a 32-bit integer went into the cursor."""
    seen, stamps = ack.get("seen"), ack.get("seen_stamps")
    station = ack["producer"].get("station")
    if not (isinstance(station, str) and STATION_ID.fullmatch(station)):
        return "producer"
    if seen is not None and not (
        isinstance(seen, dict)
        and all(
            isinstance(origin, str)
            and STATION_ID.fullmatch(origin)
            and type(number) is int
            and 0 <= number < NUMBER_LIMIT
            for origin, number in seen.items()
        )
    ):
        return "seen"
    carried = ack.get("carried")
    if carried is not None and not (
        isinstance(carried, list) and all(isinstance(origin, str) for origin in carried)
    ):
        return "carried"
    if stamps is not None and not (
        isinstance(stamps, dict)
        and all(x is None or isinstance(x, str) for x in stamps.values())  # None: seen none
    ):
        return "seen_stamps"
    return None


def _all_here(session: Session, origins: dict, seen: dict[str, int]) -> bool:
    """Every range of the bundle is here: its origins' changes, or this station's own."""
    own = set(session.scalars(select(Station.id)))
    try:
        return all(o in own or seen[o] >= int(span["to"]) for o, span in origins.items())
    except (AttributeError, KeyError, TypeError, ValueError):
        return False


def _behind_the_receipt(session: Session, ack: dict) -> str | None:
    """This station's id when the receipt shows its data was put back from a copy."""
    own = self_station(session)
    seen = (ack.get("seen") or {}).get(own.id)
    if not isinstance(seen, int) or seen <= 0:
        return None
    if seen > (own.last_seq or 0):
        return own.id
    stamp = (ack.get("seen_stamps") or {}).get(own.id)
    if stamp is None:  # a receipt from before receipts carried stamps
        return None
    mine = session.scalar(
        select(ChangeLogEntry.hlc).where(
            ChangeLogEntry.station_id == own.id, ChangeLogEntry.seq == seen
        )
    )
    return own.id if mine != stamp else None
