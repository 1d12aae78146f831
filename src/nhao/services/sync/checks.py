"""The checks of an incoming bundle before the merge, in DESIGN.md §5's order:
layout, signature by a trusted unrevoked key, member hashes, schema version (all
in nhao.sync.bundle), then sealing, scope and authority, and the sequence."""

from __future__ import annotations

import json
import time
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

from alembic.script import ScriptDirectory
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nhao.domain.dates import VIETNAM_TIME
from nhao.domain.enums import UnitLevel
from nhao.models import ChangeLogEntry, Station, Unit
from nhao.models.database import Database, alembic_config
from nhao.models.sync import SyncKey, SyncOrigin, TrustedKey
from nhao.services.actor import Actor
from nhao.services.errors import PermissionDenied
from nhao.services.sync import keys
from nhao.sync import authority, crypto, entry_values
from nhao.sync.bundle import (
    NUMBER_LIMIT,
    SEAL_SCHEME_MANY,
    BundleRefused,
    Limits,
    OpenedBundle,
    open_bundle,
)
from nhao.sync.scope import UnitTree, unit_label

ENTRY_KEYS = {
    "station": str,
    "epoch": int,
    "seq": int,
    "hlc": str,
    "entity": str,
    "id": str,
    "unit": str,
    "op": str,
    "changes": dict,
}


@dataclass
class Checked:
    opened: OpenedBundle
    trusted: TrustedKey | None
    rotation: dict | None
    entries: list[dict]
    origin_units: dict[str, str]
    new_entries: list[dict] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)
    gap: str | None = None
    opener: object = None
    # Origins of this station's unit a bundle from above relays a few changes of: they
    # do not move what is seen of them (checks.relayed_from_above).
    relayed: set[str] = field(default_factory=set)

    @property
    def from_parent(self) -> bool:
        """A bundle from the unit above: targets and decisions, not a child's records."""
        return self.trusted is not None and self.trusted.role == "parent"


def _own_unit(session: Session) -> str | None:
    """The unit this computer serves (None before `nhao init`)."""
    return session.scalar(select(Station.unit_code).where(Station.is_self.is_(True)))


@cache  # reading the migration scripts costs more than checking a small bundle
def known_schemas() -> frozenset[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(r.revision for r in script.walk_revisions())


def check_bundle(
    db: Database,
    session: Session,
    actor: Actor,
    password: str | None,
    data: bytes,
    name: str,
    limits: Limits | None = None,
) -> Checked:
    schemas = known_schemas()
    found: dict[str, object] = {}

    def find_key(key_id: str, manifest_bytes: bytes) -> bytes:
        row = session.get(TrustedKey, key_id)
        if row is not None:
            found["row"] = row
            return crypto.unb64(row.ed_public)
        rotation = _rotation(session, key_id, manifest_bytes)
        if rotation is None and session.get(SyncKey, key_id) is not None:
            raise BundleRefused(
                f"Gói {name} do chính máy này xuất ra; không cần nhập lại ở đây.",
                stage="signature",
            )
        if rotation is None:
            said = _untrusted(session, name, key_id, manifest_bytes)
            raise BundleRefused(said, stage="signature")
        found["rotation"] = rotation
        return crypto.unb64(rotation["ed_public"])

    opened = open_bundle(
        data, name, find_key=find_key, known_schema=schemas.__contains__, limits=limits
    )
    manifest = opened.manifest
    rotation = found.get("rotation")
    trusted = found.get("row") or session.get(TrustedKey, rotation["old"])  # type: ignore[index]
    producer = manifest.get("producer") or {}
    created = _created(manifest, name)
    if trusted.revoked_from is not None and created >= trusted.revoked_from:
        # Stored as naive UTC; `keys revoke --from` took the day in Vietnam time.
        since = trusted.revoked_from.replace(tzinfo=UTC).astimezone(VIETNAM_TIME)
        why = f" (lý do: {trusted.revoked_reason})" if trusted.revoked_reason else ""
        said = _revoked(session, name, opened.key_id, trusted.unit_code, since, why)
        raise BundleRefused(said, stage="signature")
    if producer.get("unit") != trusted.unit_code:
        raise BundleRefused(
            f"Gói {name} ghi đơn vị gửi {producer.get('unit')} nhưng khóa ký thuộc đơn vị "
            f"{trusted.unit_code}.",
            stage="signature",
        )
    if trusted.role == "parent":
        _addressed_here(session, manifest.get("recipient"), name)
    opener = _opener(session, actor, password, manifest, name)
    entries = _entries(opened, opener, name)
    origins = manifest.get("origins") or {}
    origin_units = {station: span["unit"] for station, span in origins.items()}
    for entry in entries:
        span = origins.get(entry["station"])
        if span is None or not span["from"] <= entry["seq"] <= span["to"]:
            raise BundleRefused(
                f"Gói {name} chứa thay đổi không có trong bản kê khai.", stage="scope"
            )
    tree = UnitTree(session)
    if trusted.role == "child":
        _each_number_once(session, entries, origins, name, tree)
        for unit in origin_units.values():
            if not tree.within(unit, trusted.unit_code):
                raise BundleRefused(
                    f"Gói {name} chứa thay đổi của máy thuộc {tree.named(unit)}, "
                    f"nằm ngoài phạm vi của đơn vị gửi {tree.label(trusted.unit_code)}.",
                    stage="scope",
                )
    units = session.execute(select(Unit.id, Unit.code)).all()
    authority.check_entries(
        entries,
        sender=authority.Sender(
            trusted.unit_code,
            trusted.role,
            name,
            receiver=_own_unit(session) or "",
        ),
        origin_units=origin_units,
        tree=tree,
        now_ms=time.time_ns() // 1_000_000,
        known_codes={("unit", str(i)): code for i, code in units},
        present={("unit", code) for _, code in units},
    )
    entry_values.check_values(entries, name)
    entry_values.compose_text(entries)
    checked = Checked(opened, trusted, rotation, entries, origin_units)  # type: ignore[arg-type]
    checked.opener = opener
    _sequence(session, checked, name)
    return checked


def _each_number_once(
    session: Session, entries: list[dict], origins: dict, name: str, tree: UnitTree
) -> None:
    """A bundle going up carries each change of its range once (export takes every
    change of an origin after the cursor). The range is what the import marks as seen:
    one claimed wider than the lines made the station's next changes look seen, and
    skipped them without a word, whatever bundle later brought them. Bundles from above
    are not held to it: they carry only what goes down of a range. Numbers missing at
    or below what is seen here of the origin (this station's own: all) hide nothing:
    a station relays up what came down to it of a sibling computer of its unit (the
    targets the commune's other laptop set, sent back down by the province), a few
    numbers of that computer's range, all of which the parent has."""
    numbers: dict[str, list[int]] = {}
    for entry in entries:
        numbers.setdefault(entry["station"], []).append(entry["seq"])
    own = set(session.scalars(select(Station.id)))
    for station, span in origins.items():
        got = sorted(numbers.get(station, []))  # each within the range: checked before
        twice = sorted({n for n, m in zip(got, got[1:], strict=False) if n == m})
        if not twice and len(got) == span["to"] - span["from"] + 1:
            continue
        if twice:
            what = f"có số {_numbers(twice)} hai lần"
        else:
            if station in own:
                continue
            row = session.get(SyncOrigin, station)
            first = max(span["from"], (row.seen_upto or 0) + 1 if row is not None else 1)
            if first > span["to"]:
                continue
            unseen = [n for n in got if n >= first]
            if len(unseen) == span["to"] - first + 1:
                continue
            what = f"thiếu số {_numbers(_missing(unseen, first, span['to']))}"
        raise BundleRefused(
            f"Gói {name} ghi là mang các thay đổi số {span['from']}–{span['to']} của máy "
            f"{tree.label(str(span.get('unit')))} nhưng {what}; không có gì được ghi. Máy "
            "gửi có lẽ dùng phiên bản nhao khác hoặc bị lỗi; hãy báo cán bộ kỹ thuật.",
            stage="hash",
        )


def _missing(got: list[int], first: int, last: int, shown: int = 4) -> list[int]:
    """The first few numbers of first..last not in `got` (sorted): a range a faulty
    manifest claims may be far too big to list."""
    found: list[int] = []
    expected = first
    for number in [*got, last + 1]:
        while expected < number and len(found) < shown:
            found.append(expected)
            expected += 1
        expected = max(expected, number + 1)
    return found


def _numbers(found: list[int]) -> str:
    shown = ", ".join(map(str, found[:3]))
    return shown + (" và những số khác" if len(found) > 3 else "")


def _revoked(session: Session, name: str, key_id: str, unit: str, since: datetime, why: str) -> str:
    """The refusal of a revoked key's bundle, with the way back for a laptop found again
    (or its backup put on a new one): its changes in this bundle come again only when
    the sender learns, from a receipt, that they never arrived."""
    sender = UnitTree(session).label(unit)
    return (
        f"Gói {name} của {sender} được ký bằng khóa {key_id}, đã bị thu hồi từ "
        f"{since:%d/%m/%Y}{why}; không có gì được ghi. Nếu máy gửi vẫn đúng là của đơn vị "
        "đó (đã tìm lại được, hay dữ liệu đã khôi phục sang máy mới): trên máy đó, bấm "
        "“Khóa mới, do khóa này ký…” ở thẻ Khóa (nhao keys rotate), in giấy chứng nhận và "
        "gửi tệp khóa mới; ở đây bấm “Tin cậy một khóa…”, rồi “Ghi giấy báo nhận…” cho gói "
        "này (nhao bundle ack) và gửi lại cho máy đó, để gói sau của nó mang lại những thay "
        "đổi trong gói này."
    )


def _untrusted(session: Session, name: str, key_id: str, manifest_bytes: bytes) -> str:
    """The refusal of a key nobody enrolled here, with what the (unchecked) manifest says
    of sender and recipient: most often the file was carried to the wrong office."""
    try:
        manifest = json.loads(manifest_bytes)
        sender = str((manifest.get("producer") or {}).get("unit") or "")
        recipient = str(manifest.get("recipient") or "")
    except (ValueError, AttributeError):
        sender = recipient = ""
    tree = UnitTree(session)
    own = _own_unit(session) or ""
    of = f" (ghi là của {tree.label(sender[:40])})" if sender else ""
    said = f"Gói {name}{of} được ký bằng khóa {key_id} chưa được tin cậy trên máy này"
    if recipient and recipient != own:
        there = _recipient_label(tree, recipient[:40])
        return (
            f"{said} và được xuất để gửi cho {there}, không phải cho "
            f"{tree.label(own)}; không có gì được ghi. Hãy chuyển gói cho {there}."
        )
    return (
        f"{said}; không có gì được ghi. Nếu đúng là gói của đơn vị đó, hãy tin cậy khóa của "
        "nó (đối chiếu mã nhận dạng với giấy chứng nhận khóa) rồi nhập lại."
    )


def _addressed_here(session: Session, recipient: object, name: str) -> None:
    """A bundle of the unit above made for another unit (most often its own unit above,
    the export's first choice, carried down by mistake) says so, not which of its
    records a unit below may not take."""
    own = _own_unit(session)
    if not recipient or own is None or recipient == own:
        return

    tree = UnitTree(session)
    label, there = tree.label, _recipient_label(tree, str(recipient))
    # Either the file went to the wrong office, or the sender chose the wrong recipient.
    raise BundleRefused(
        f"Gói {name} được xuất để gửi cho {there}, không phải cho "
        f"{label(own)}; không có gì được ghi. Nếu gói là của nơi đó, hãy chuyển gói cho "
        f"{there}; nếu gói là cho máy này, hãy nhờ nơi gửi xuất lại gói, "
        f"chọn “Gửi cho” là {label(own)}.",
        stage="scope",
    )


def _recipient_label(tree: UnitTree, code: str) -> str:
    """As tree.label; a hamlet not known here (the commune's bundle for another of its
    hamlets) by its commune too: its code alone told a team leader nothing."""
    parent = tree.parent(code)
    if tree.label(code) != code or parent is None or tree.level(code) is not UnitLevel.hamlet:
        return tree.named(code)
    return f"thôn, xóm khác (mã {code}) của {tree.named(parent)}"


def _created(manifest: dict, name: str) -> datetime:
    """When the bundle says it was made, in UTC as revocations are kept."""
    try:
        created = datetime.fromisoformat(manifest["created"])
    except (KeyError, TypeError, ValueError):
        raise BundleRefused(
            f"Gói {name} không ghi đúng thời điểm tạo gói.", stage="signature"
        ) from None
    if created.tzinfo is not None:
        created = created.astimezone(UTC).replace(tzinfo=None)
    return created


def _rotation(session: Session, key_id: str, manifest_bytes: bytes) -> dict | None:
    """A new key introduced by a key we trust: each key of the chain signed the next."""
    try:
        manifest = json.loads(manifest_bytes)
        chain = manifest.get("rotations") or [manifest.get("rotation")]
    except (ValueError, AttributeError):
        return None
    return keys.follow_rotations(session, key_id, chain)


PASSWORD_STAGE = "password"


def _opener(session, actor, password, manifest, name):  # type: ignore[no-untyped-def]
    sealed = manifest.get("sealed")
    if not sealed:
        return None
    own = {k.key_id: k for k in session.scalars(select(SyncKey))}
    key_id, entry = _sealed_to_us(sealed, own, name, _sealed_elsewhere(session, manifest))
    if not own[key_id].sealed_private:  # lost (keys.replace_lost_key)
        raise BundleRefused(
            f"Gói {name} được niêm phong cho khóa cũ {key_id} của máy này, "
            "khóa đã mất và được thay; không mở được. Hãy nhờ đơn vị gửi tin cậy khóa mới "
            "rồi xuất lại gói.",
            stage="seal",
        )
    # Stage "password": the bundle is not at fault, and a bundle held here stays held.
    if password is None:
        raise BundleRefused(
            f"Gói {name} được niêm phong; cần mật khẩu để mở.", stage=PASSWORD_STAGE
        )
    try:
        pair = keys.open_all_keys(session, actor, password)[key_id]
    except (PermissionDenied, crypto.CryptoError) as exc:
        raise BundleRefused(
            f"Không mở được gói niêm phong {name}: {exc}", stage=PASSWORD_STAGE
        ) from None
    if entry is None:
        sealer = crypto.Sealer.opener(pair, crypto.unb64(sealed["ephemeral"]))
    else:
        try:
            sealer = crypto.open_sealed_for(pair, entry)
        except crypto.CryptoError:
            raise BundleRefused(
                f"Gói {name} không giải mã được bằng khóa của máy này.", stage="seal"
            ) from None

    def open_member(member: str, index: int, content: bytes) -> bytes:
        try:
            return sealer.open(member, index, content)
        except crypto.CryptoError:
            raise BundleRefused(
                f"Gói {name} không giải mã được bằng khóa của máy này.", stage="seal"
            ) from None

    return open_member


def _sealed_elsewhere(session: Session, manifest: dict) -> str:
    """What to do with a bundle sealed to other computers: carry it to the unit it was
    made for, or, made for this unit (whose other laptop the sender trusts), have this
    computer's key trusted there too, so the next bundle is sealed to both."""
    tree = UnitTree(session)
    label = tree.label
    own = _own_unit(session) or ""
    recipient = str(manifest.get("recipient") or "")[:40]
    if recipient and recipient != own:
        return f" Gói gửi cho {_recipient_label(tree, recipient)}: hãy chuyển gói cho đơn vị đó."
    sender = str((manifest.get("producer") or {}).get("unit") or "")[:40]
    if not sender:
        return ""
    return (
        f" Nếu máy này cũng trao đổi gói với {label(sender)}, hãy gửi cho đơn vị đó tệp khóa "
        "(nhao keys export) và giấy chứng nhận khóa của máy này để tin cậy, rồi nhờ đơn vị "
        "đó xuất lại gói."
    )


def _sealed_to_us(
    sealed: dict, own: dict[str, SyncKey], name: str, elsewhere: str = ""
) -> tuple[str, crypto.SealedFor | None]:
    """Which key of this station the bundle is sealed to, and, for a bundle sealed to
    several computers, the content key's entry for it (None: sealed to one, v1). A key
    that still opens is preferred to one lost and replaced."""
    if sealed.get("scheme") != SEAL_SCHEME_MANY:
        key_id = sealed.get("recipient_key")
        if key_id not in own:
            raise BundleRefused(
                f"Gói {name} được niêm phong cho máy khác (khóa {key_id}); "
                f"máy này không mở được.{elsewhere}",
                stage="seal",
            )
        return key_id, None
    entries: dict[str, crypto.SealedFor] = {}
    recipients = sealed.get("recipients")
    try:
        if not isinstance(recipients, list) or not recipients:
            raise TypeError(recipients)
        for item in recipients:
            entries[item["key"]] = crypto.SealedFor(
                item["key"], crypto.unb64(item["ephemeral"]), crypto.unb64(item["wrapped"])
            )
    except (TypeError, KeyError, ValueError, AttributeError):
        raise BundleRefused(
            f"Gói {name} ghi sai danh sách máy nhận niêm phong.", stage="seal"
        ) from None
    ours = sorted((not own[k].sealed_private, k) for k in entries if k in own)
    if not ours:
        raise BundleRefused(
            f"Gói {name} được niêm phong cho máy khác (khóa {', '.join(entries)}); "
            f"máy này không mở được.{elsewhere}",
            stage="seal",
        )
    key_id = ours[0][1]
    return key_id, entries[key_id]


def _entries(opened: OpenedBundle, opener, name: str) -> list[dict]:  # type: ignore[no-untyped-def]
    try:
        entries = list(opened.changes(opener))
    except ValueError:
        raise BundleRefused(f"Gói {name} có dòng thay đổi sai định dạng.", stage="hash") from None
    # Exact JSON types (a boolean is no sequence number), checked by whole-row type
    # lists: a province reads millions of lines.
    keys, kinds = list(ENTRY_KEYS), list(ENTRY_KEYS.values())
    for entry in entries:
        if (
            type(entry) is not dict
            or [*map(type, map(entry.get, keys))] != kinds
            or not set(map(type, entry["changes"].values())) <= {list}
            or not set(map(len, entry["changes"].values())) <= {2}
            or not 0 <= entry["epoch"] < NUMBER_LIMIT  # kept in an integer column
        ):
            raise BundleRefused(f"Gói {name} có dòng thay đổi sai định dạng.", stage="hash")
    return entries


def relayed_from_above(session: Session, manifest: dict) -> set[str]:
    """The origins of a bundle from a unit above that are stations of this computer's
    own unit or the units below it: the other computer of the unit (the accountant's
    laptop beside the office), or a hamlet's. Their changes come here whole from them
    (or through them); the unit above relays down only a few (a target the other
    computer set), so its ranges of them say nothing of what has come here."""
    producer = manifest.get("producer")
    origins = manifest.get("origins")
    if not isinstance(producer, dict) or not isinstance(origins, dict):
        return set()
    sender = str(producer.get("unit") or "")
    parent = select(TrustedKey.key_id).where(
        TrustedKey.unit_code == sender, TrustedKey.role == "parent"
    )
    if session.scalar(parent.limit(1)) is None:  # nearly every bundle: from below
        return set()
    own = _own_unit(session)
    tree = UnitTree(session)
    if own is None or not tree.strictly_above(sender, own):
        return set()
    return {
        station
        for station, span in origins.items()
        if isinstance(span, dict) and tree.within(str(span.get("unit") or ""), own)
    }


def sequence_gap(
    session: Session, origins: dict, name: str, relayed: AbstractSet[str] = frozenset()
) -> tuple[str | None, dict[str, int]]:
    """What a bundle carrying `origins` (its manifest's) waits for, in words (None: it
    waits for nothing), and how far each origin's changes have come here. Origins
    `relayed` from above (relayed_from_above) wait for nothing: the rest of their
    numbers comes from below."""
    own = set(session.scalars(select(Station.id)))
    seen: dict[str, int] = {}
    gaps = []
    for station, span in origins.items():
        if station in own:
            seen[station] = 1 << 62
            continue
        row = session.get(SyncOrigin, station)
        seen[station] = row.seen_upto if row is not None else 0
        if station in relayed:
            continue
        if span["from"] > seen[station] + 1:
            first, last = seen[station] + 1, span["from"] - 1
            numbers = f"số {first}" if first == last else f"số {first}–{last}"
            gaps.append(f"thay đổi {numbers} của máy {unit_label(session, span['unit'])}")
    if not gaps:
        return None, seen
    return (
        f"Gói {name} đang chờ gói còn thiếu: " + "; ".join(gaps) + ". Gói đó đến thì gói "
        "này tự được áp dụng; nếu gói đó đã mất, hãy nhờ máy gửi xuất một gói đầy đủ."
    ), seen


def _sequence(session: Session, checked: Checked, name: str) -> None:
    """Already here: skipped. A gap: held, naming what is missing."""
    manifest = checked.opened.manifest
    origins = manifest.get("origins") or {}
    checked.relayed = relayed_from_above(session, manifest)
    checked.gap, checked.seen = sequence_gap(session, origins, name, checked.relayed)
    if checked.gap is not None:
        return
    here = _already_here(session, checked, name)
    # Of a station whose every change comes here (all but those above, of which a
    # bundle from above brings only what goes down), a number seen yet not logged never
    # came: an earlier nhao took a sibling computer's numbers as seen up to its target
    # sent back down from above; that computer's full bundle brings what was skipped so.
    whole = {
        origin
        for origin, seen in checked.seen.items()
        if seen < 1 << 62 and (not checked.from_parent or origin in checked.relayed)
    }
    checked.new_entries = [
        e
        for e in checked.entries
        if (e["station"], e["seq"]) not in here
        and (e["seq"] > checked.seen[e["station"]] or e["station"] in whole)
    ]


def _already_here(session: Session, checked: Checked, name: str) -> set[tuple[str, int]]:
    """The bundle's changes in the change log here, by station and number: those up to
    what is seen of their station, and those that came before the rest of their numbers
    (a target of the unit's other computer, sent back down from above before that
    computer's own bundle came with the changes it made before it).

    Changes numbered as ones received before must be those very changes. A laptop
    whose whole data folder (its note beside the database too) was put back from a
    copy numbers its new changes again from where the copy stopped: skipped as seen,
    they would be lost without a word."""
    log = ChangeLogEntry.__table__.c
    # Past the highest number logged here of a station nothing is here: a bundle of
    # new changes (nearly every one) is not read through twice.
    top = {
        station: max(
            seen, session.scalar(select(func.max(log.seq)).where(log.station_id == station)) or 0
        )
        for station, seen in checked.seen.items()
        if seen < 1 << 62
    }
    by_station: dict[str, dict[int, str]] = {}
    for e in checked.entries:
        if e["seq"] <= top.get(e["station"], 0):
            by_station.setdefault(e["station"], {})[e["seq"]] = e["hlc"]
    here: set[tuple[str, int]] = set()
    for station, stamps in by_station.items():
        query = select(log.seq, log.hlc).where(
            log.station_id == station, log.seq.between(min(stamps), max(stamps))
        )
        for seq, stamp in session.execute(query):
            if seq not in stamps:
                continue
            here.add((station, seq))
            if stamps[seq] != stamp:
                unit = (checked.opened.manifest.get("origins") or {}).get(station, {}).get("unit")
                maker = unit_label(session, str(unit)) if unit else "gửi"
                raise BundleRefused(
                    f"Gói {name} mang thay đổi số {seq} của máy {maker} khác với thay "
                    "đổi cùng số đã nhận trước đây: máy đó có lẽ đã được chép lại dữ liệu từ "
                    "một bản sao lưu, nên đánh số lại những thay đổi đã dùng. Không có gì được "
                    "ghi. Trên máy đó, hãy xuất gói mới với lựa chọn “Bắt đầu đánh số mới” "
                    "(nhao bundle export --new-epoch); các thay đổi mới sẽ đến đủ.",
                    stage="sequence",
                )
    return here
