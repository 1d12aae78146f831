"""Station keys and the trust store: `nhao keys show|export|trust|rotate|revoke`.

Every call that needs the private key takes the acting user's password: the key is
sealed under a data key wrapped per user allowed to export (see nhao.sync.crypto).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from nhao.domain.dates import VIETNAM_TIME
from nhao.domain.enums import UnitLevel
from nhao.domain.errors import ValidationError
from nhao.models import Station, Unit, User
from nhao.models.database import Database
from nhao.models.sync import SyncKey, SyncKeyWrap, TrustedKey
from nhao.services import users
from nhao.services.actor import Actor, Permission
from nhao.services.errors import NotFound, PermissionDenied
from nhao.services.unit_of_work import self_station, utcnow
from nhao.sync import crypto, minisign
from nhao.sync.scope import UnitTree

KEY_FILE_FORMAT = "nhao-key/1"
ROLES = ("child", "parent")


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    fingerprint: str
    station_id: str
    unit_code: str
    created_at: datetime


@dataclass(frozen=True)
class TrustedKeyView:
    key_id: str
    station_id: str
    unit_code: str
    role: str
    fingerprint: str
    enrolled_at: datetime
    revoked_from: datetime | None
    replaced_by: str | None
    revoked_reason: str = ""
    # trust_key found this key trusted already and left it as it was.
    already_trusted: bool = False


def _current_key(session: Session) -> SyncKey | None:
    return session.scalar(
        select(SyncKey).where(SyncKey.retired_at.is_(None)).order_by(SyncKey.created_at.desc())
    )


def _info(key: SyncKey, station: Station) -> KeyInfo:
    # The key file and the certificate name this station and unit: the fingerprint covers them.
    fp = key_fingerprint(key.ed_public, key.x_public, unit=station.unit_code, station=station.id)
    return KeyInfo(key.key_id, fp, station.id, station.unit_code, key.created_at)


def key_fingerprint(ed_public: str, x_public: str, *, unit: str, station: str) -> str:
    """The fingerprint of public keys as key files and TrustedKey rows hold them (base64)."""
    return crypto.fingerprint(
        crypto.unb64(ed_public), crypto.unb64(x_public), unit=unit, station=station
    )


def _check_password(db: Database, actor: Actor, password: str) -> None:
    # The password also derives the wrapping key, so it must really be the actor's.
    users.authenticate(db, actor.username, password)


def ensure_station_key(db: Database, actor: Actor, password: str) -> KeyInfo:
    """Create this station's key pair on first use (the administrator's password
    wraps the data key); returns the current key."""
    with db.session() as session:
        key = _current_key(session)
        if key is not None:
            return _info(key, self_station(session))
    actor.require(Permission.manage_users)
    _check_password(db, actor, password)
    with db.transaction() as session:
        return create_station_key(session, actor, password)


def create_station_key(session: Session, actor: Actor, password: str) -> KeyInfo:
    """The first key pair of this station, its data key wrapped under `password` (already
    checked to be the actor's)."""
    data_key = os.urandom(32)
    pair = crypto.KeyPair.generate()
    key = _new_key_row(data_key, pair)
    session.add(key)
    wrap_data_key_for(session, data_key, str(actor.user_id), password)
    return _info(key, self_station(session))


def wrap_data_key_for(session: Session, data_key: bytes, user_id: str, password: str) -> None:
    """`user_id` can sign with this station's key from now on, with `password` (replacing a
    wrap under an earlier password)."""
    kdf, wrapped = crypto.wrap_data_key(data_key, password, user_id)
    session.merge(SyncKeyWrap(user_id=user_id, kdf=kdf, wrapped=wrapped, created_at=utcnow()))


def drop_wrap(session: Session, user_id: str) -> None:
    """`user_id` can no longer unlock this station's key, with any password."""
    wrap = session.get(SyncKeyWrap, user_id)
    if wrap is not None:
        session.delete(wrap)
        session.flush()  # so a wrap made next in this transaction is a new row


def holds_wrap(session: Session, user_id: str) -> bool:
    return session.get(SyncKeyWrap, user_id) is not None


def current_key_exists(session: Session) -> bool:
    return _current_key(session) is not None


def _new_key_row(data_key: bytes, pair: crypto.KeyPair) -> SyncKey:
    return SyncKey(
        key_id=pair.key_id,
        ed_public=crypto.b64(pair.ed_public),
        x_public=crypto.b64(pair.x_public),
        sealed_private=crypto.seal_private(data_key, pair),
        created_at=utcnow(),
    )


def has_key(db: Database) -> bool:
    with db.session() as session:
        return _current_key(session) is not None


def show_key(db: Database) -> KeyInfo:
    with db.session() as session:
        key = _current_key(session)
        if key is None:
            raise NotFound("Máy này chưa có khóa ký; hãy chạy `nhao keys show` để tạo khóa.")
        return _info(key, self_station(session))


def data_key_of(session: Session, actor: Actor, password: str) -> bytes:
    wrap = session.get(SyncKeyWrap, str(actor.user_id))
    if wrap is None:
        raise PermissionDenied(
            f"Tài khoản {actor.username} chưa được giao quyền ký gói dữ liệu của máy này."
        )
    try:
        return crypto.unwrap_data_key(wrap.kdf, wrap.wrapped, password, str(actor.user_id))
    except crypto.CryptoError:
        raise PermissionDenied("Mật khẩu không mở được khóa ký của máy này.") from None


def unlock(session: Session, actor: Actor, password: str) -> tuple[SyncKey, crypto.KeyPair]:
    """The current key row and its private halves, for signing or opening sealed bundles."""
    key = _current_key(session)
    if key is None:
        raise NotFound("Máy này chưa có khóa ký; hãy chạy `nhao keys show` trước.")
    return key, crypto.open_private(
        data_key_of(session, actor, password), key.key_id, key.sealed_private
    )


def open_all_keys(session: Session, actor: Actor, password: str) -> dict[str, crypto.KeyPair]:
    """Every key of this station (old ones too: a bundle may be sealed to a retired key)."""
    data_key = data_key_of(session, actor, password)
    return {
        k.key_id: crypto.open_private(data_key, k.key_id, k.sealed_private)
        for k in session.scalars(select(SyncKey))
        if k.sealed_private  # a key lost and replaced (replace_lost_key) opens no more
    }


def grant_signing(
    db: Database, actor: Actor, password: str, username: str, user_password: str
) -> None:
    """Let another user export: wrap the data key under that user's password too."""
    actor.require(Permission.manage_users)
    grantee = users.authenticate(db, username, user_password)
    if not grantee.can(Permission.exchange_bundles):
        # Whoever can unwrap the key can sign in this station's name.
        raise PermissionDenied(
            f"Tài khoản {grantee.username} ({grantee.role.label_vi}) không được xuất, nhập "
            "gói dữ liệu nên không được giao khóa ký của máy này."
        )
    with db.transaction() as session:
        data_key = data_key_of(session, actor, password)
        wrap_data_key_for(session, data_key, str(grantee.user_id), user_password)


def rotate_key(db: Database, actor: Actor, password: str) -> KeyInfo:
    """A new key pair, signed by the old one; the next bundle carries the statement so
    parents that trust the old key enrol the new one without a new certificate."""
    actor.require(Permission.manage_users)
    with db.transaction() as session:
        old, old_pair = unlock(session, actor, password)
        data_key = data_key_of(session, actor, password)
        pair = crypto.KeyPair.generate()
        key = _new_key_row(data_key, pair)
        key.previous_key_id = old.key_id
        key.rotation_sig = crypto.sign_statement(old_pair, "nhao-rotation", rotation_statement(key))
        old.retired_at = utcnow()
        session.add(key)
        session.flush()
        return _info(key, self_station(session))


def replace_lost_key(db: Database, actor: Actor, password: str) -> KeyInfo:
    """A new key pair when nobody can open this station's key any more (the only
    people who held it left, or forgot their passwords and were reset by an
    administrator who never held it). The old key cannot sign for its successor, so
    every unit that trusted it enrols the new one from its file and a new certificate;
    the others who exchange bundles here get it at their next password reset."""
    actor.require(Permission.manage_users)
    _check_password(db, actor, password)
    with db.transaction() as session:
        if _current_key(session) is not None and holds_wrap(session, str(actor.user_id)):
            try:
                unlock(session, actor, password)
            except PermissionDenied:
                pass  # a wrap that no longer opens: the key is lost to this account too
            else:
                raise ValidationError(
                    "Tài khoản của bạn vẫn mở được khóa ký của máy này; hãy đổi khóa bằng nút "
                    "“Khóa mới, do khóa này ký…” ở thẻ Khóa (nhao keys rotate), các đơn vị "
                    "khác không phải tin cậy lại."
                )
        wrapped = set(session.scalars(select(SyncKeyWrap.user_id)))
        holders = sorted(
            user.username
            for user in session.scalars(
                select(User).where(User.active.is_(True), User.deleted_at.is_(None))
            )
            if str(user.id) in wrapped and user.username != actor.username
        )
        if holders:
            raise ValidationError(
                f"Tài khoản {', '.join(holders)} vẫn giữ khóa ký của máy này; hãy nhờ người "
                "đó xuất gói hoặc đổi khóa (nút “Khóa mới, do khóa này ký…” ở thẻ Khóa, "
                "nhao keys rotate). Nếu họ đã quên mật khẩu, hãy "
                "đặt lại mật khẩu cho họ trước rồi mới thay khóa."
            )
        now = utcnow()
        for key in session.scalars(select(SyncKey)):
            key.retired_at = key.retired_at or now
            key.sealed_private = ""  # sealed under a data key nobody can open
        for wrap in session.scalars(select(SyncKeyWrap)):
            session.delete(wrap)
        session.flush()
        return create_station_key(session, actor, password)


def rotation_statement(key: SyncKey) -> dict:
    return {
        "old": key.previous_key_id,
        "new": key.key_id,
        "ed_public": key.ed_public,
        "x_public": key.x_public,
    }


def rotation_chain(session: Session, key: SyncKey) -> list[dict]:
    """This station's signed rotations that led to `key`, oldest first: a recipient
    that trusts any key of the chain can follow it to this one, however many rotations
    it missed."""
    chain: list[dict] = []
    seen: set[str] = set()
    current: SyncKey | None = key
    while (
        current is not None
        and current.previous_key_id
        and current.rotation_sig
        and current.key_id not in seen
        and len(chain) < MAX_ROTATIONS
    ):
        seen.add(current.key_id)
        chain.append(dict(rotation_statement(current), sig=current.rotation_sig))
        current = session.get(SyncKey, current.previous_key_id)
    return chain[::-1]


MAX_ROTATIONS = 20  # a chain travels in every bundle; more than this is no real station


def follow_rotations(session: Session, key_id: str, chain: object) -> dict | None:
    """The statement (old trusted key → `key_id`) when `chain` leads from a key trusted
    here and not revoked to `key_id`, each link signed by the key before it; else None."""
    if not isinstance(chain, list) or not chain or len(chain) > MAX_ROTATIONS:
        return None
    links = [c for c in chain if isinstance(c, dict)]
    if len(links) != len(chain) or links[-1].get("new") != key_id:
        return None
    for start in range(len(links) - 1, -1, -1):  # the latest key we trust
        old = session.get(TrustedKey, str(links[start].get("old")))
        if old is None:
            continue
        if not _chain_open(session, old, links[start:]):
            return None
        signer = old.ed_public
        walked = []
        for link in links[start:]:
            statement = {k: link.get(k) for k in ("old", "new", "ed_public", "x_public")}
            walked.append(statement)
            try:
                signed = crypto.verify_statement(
                    crypto.unb64(signer), "nhao-rotation", statement, str(link.get("sig"))
                )
                own_key = crypto.key_id(crypto.unb64(str(statement["ed_public"])))
            except (ValueError, TypeError):
                return None
            if not signed or own_key != statement["new"]:
                return None
            signer = str(statement["ed_public"])
        last = links[-1]
        return {"old": old.key_id, "new": key_id, "links": walked,
                "ed_public": last.get("ed_public"), "x_public": last.get("x_public")}  # fmt: skip
    return None


def _chain_open(session: Session, start: TrustedKey, links: list[dict]) -> bool:
    """No key on the way is revoked here, and the way leaves `start` by the rotation
    this station knows of, if any: a revoked key (a stolen laptop) cannot introduce a
    new key, not even by a chain that starts from the older key it had replaced."""
    if start.replaced_by is not None and start.replaced_by != links[0].get("new"):
        return False
    for link in links:
        for key_id in (link.get("old"), link.get("new")):
            row = session.get(TrustedKey, str(key_id))
            if row is not None and row.revoked_from is not None:
                return False
    return True


def enrol_rotation(session: Session, old: TrustedKey, rotation: dict, station_id: str) -> None:
    """The keys a trusted station rotated to, trusted as the old one was, each marked
    replaced by the next: a late bundle signed by one on the way is still the station's,
    and revoking one reaches the others (the laptop keeps them all). A rotated key
    serves the old one's unit, for `station_id` (the station that sent the rotation):
    its fingerprint is the one that station's `nhao keys show` gives for it."""
    previous = old
    for link in rotation.get("links") or [rotation]:
        row = session.get(TrustedKey, link["new"])
        if row is None:
            row = TrustedKey(
                key_id=link["new"],
                station_id=station_id,
                unit_code=old.unit_code,
                role=old.role,
                ed_public=link["ed_public"],
                x_public=link["x_public"],
                fingerprint=key_fingerprint(
                    link["ed_public"], link["x_public"], unit=old.unit_code, station=station_id
                ),
                enrolled_at=utcnow(),
                enrolled_by=f"xoay khóa từ {previous.key_id}",
                revoked_reason="",
            )
            session.add(row)
        previous.replaced_by = row.key_id
        previous = row


def link_rotation(session: Session, key_id: str, chain: object) -> None:
    """`key_id`, trusted here already (enrolled from its key file), is one that a key
    trusted here rotated to by `chain`: the keys on the way are linked as by a rotation
    that came in a bundle."""
    rotation = follow_rotations(session, key_id, chain)
    if rotation is None or rotation["old"] == key_id:
        return
    old, row = session.get(TrustedKey, rotation["old"]), session.get(TrustedKey, key_id)
    # A station keeps its unit through rotations: a key enrolled for another unit than
    # the one trusted before is not linked to it (nor are the keys on the way).
    if old is not None and row is not None and old.unit_code == row.unit_code:
        enrol_rotation(session, old, rotation, row.station_id)


# -- public key files ---------------------------------------------------------


def public_key_document(db: Database) -> dict:
    info = show_key(db)
    with db.session() as session:
        key = session.get(SyncKey, info.key_id)
        assert key is not None
        doc = {
            "format": KEY_FILE_FORMAT,
            "station": info.station_id,
            "unit": info.unit_code,
            "key_id": key.key_id,
            "ed25519": key.ed_public,
            "x25519": key.x_public,
            "fingerprint": info.fingerprint,
        }
        # A commune's hamlets, so a hamlet laptop set up from this file takes its
        # hamlet's code and name from the commune's list (`nhao init --commune-key`).
        hamlets = session.execute(
            select(Unit.code, Unit.name)
            .where(
                Unit.parent_code == info.unit_code,
                Unit.level == UnitLevel.hamlet.value,
                Unit.deleted_at.is_(None),
            )
            .order_by(Unit.code)
        ).all()
        if hamlets:
            doc["hamlets"] = [[code, name] for code, name in hamlets]
        # A station that trusts an earlier key links the two (see link_rotation).
        if rotations := rotation_chain(session, key):
            doc["rotations"] = rotations
        return doc


def export_public_key(db: Database, path: Path, *, minisign_format: bool = False) -> Path:
    """Write `OUT.nhaokey` (JSON), or with minisign_format the minisign public key."""
    doc = public_key_document(db)
    if minisign_format:
        ed = crypto.unb64(doc["ed25519"])
        text = minisign.public_key_file(ed, bytes.fromhex(doc["key_id"]))
    else:
        text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def read_key_file(path: Path) -> dict:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))  # Notepad puts a BOM first
        sizes = {"ed25519": 64, "x25519": 64, "key_id": 16, "station": 36, "unit": 64}
        if not all(isinstance(doc[k], str) and 0 < len(doc[k]) <= n for k, n in sizes.items()):
            raise TypeError  # a field missing, of another kind, or longer than it can be
        ed, x = crypto.unb64(doc["ed25519"]), crypto.unb64(doc["x25519"])
    except (OSError, ValueError, KeyError, TypeError):
        raise ValidationError(f"Tệp khóa {path.name} không đọc được hoặc sai định dạng.") from None
    if doc.get("format") != KEY_FILE_FORMAT or len(ed) != 32 or len(x) != 32:
        raise ValidationError(f"Tệp khóa {path.name} không phải tệp khóa nhao.")
    if crypto.key_id(ed) != doc.get("key_id"):
        raise ValidationError(f"Tệp khóa {path.name} có mã khóa không khớp với khóa bên trong.")
    return doc


def trust_key(
    db: Database, actor: Actor, path: Path, typed_fingerprint: str, role: str = "child"
) -> TrustedKeyView:
    """Enrol another station's key, only if the fingerprint a person typed matches: it
    covers both public keys, the unit and the station the key file names, so a file
    edited to name another unit is refused however the keys came."""
    actor.require(Permission.manage_users)
    if role not in ROLES:
        raise ValidationError(
            field="role", message="Vai trò phải là child (cấp dưới) hoặc parent (cấp trên)."
        )
    doc = read_key_file(path)
    real = key_fingerprint(doc["ed25519"], doc["x25519"], unit=doc["unit"], station=doc["station"])
    typed = crypto.normalize_fingerprint(typed_fingerprint)
    if typed != real:
        raise ValidationError(field="fingerprint", message=_mismatch(path, doc, typed))
    with db.transaction() as session:
        if doc["key_id"] in {k.key_id for k in session.scalars(select(SyncKey))}:
            raise ValidationError(f"Tệp {path.name} là khóa của chính máy này.")
        _check_role(session, doc["unit"], role)
        row = session.get(TrustedKey, doc["key_id"])
        if row is not None:
            return _trusted_again(row, role, path)
        row = TrustedKey(key_id=doc["key_id"])
        row.station_id = doc["station"]
        row.unit_code = doc["unit"]
        row.role = role
        row.ed_public = doc["ed25519"]
        row.x_public = doc["x25519"]
        row.fingerprint = real
        row.enrolled_at = utcnow()
        row.enrolled_by = actor.username
        row.revoked_from = None
        row.revoked_reason = ""
        session.add(row)
        session.flush()
        link_rotation(session, row.key_id, doc.get("rotations"))
        return _trusted_view(row)


def _mismatch(path: Path, doc: dict, typed: str) -> str:
    """Why a typed fingerprint is refused, and what the person should do."""
    ed, x = crypto.unb64(doc["ed25519"]), crypto.unb64(doc["x25519"])
    if typed == crypto.legacy_fingerprint(ed, x):
        # Matching the old fingerprint proves nothing about the unit the file names.
        return (
            "Mã nhận dạng khóa đã nhập là mã theo cách tính cũ, in trên giấy chứng nhận từ "
            "phiên bản nhao trước; mã đó không bao gồm đơn vị và máy trạm nên không còn dùng "
            f"để tin cậy tệp khóa {path.name}. Hãy đề nghị đơn vị gửi tệp khóa cập nhật "
            "nhao, in lại giấy chứng nhận khóa và gửi lại tệp khóa."
        )
    return (
        f"Mã nhận dạng khóa đã nhập không khớp với tệp khóa {path.name} (khóa của đơn vị "
        f"{doc['unit']}, máy trạm {doc['station']}); không tin cậy khóa này. Hãy so lại mã "
        "đã nhập với giấy chứng nhận khóa, và so mã đơn vị, mã máy trạm trên với mã in trên "
        "giấy. Nếu đã nhập đúng mà vẫn không khớp, tệp khóa có thể đã bị sửa trên đường "
        "gửi: báo ngay cho đơn vị cấp giấy."
    )


ROLE_WORDS = {"child": "cấp dưới", "parent": "cấp trên"}


def role_of_key_file(db: Database, path: Path) -> str:
    """The role a key file's unit has here, as the window suggests it: a unit above
    this station's is a parent; its own unit's other computer or one below, a child."""
    unit = str(read_key_file(path)["unit"])
    with db.session() as session:
        above = UnitTree(session).strictly_above(unit, self_station(session).unit_code)
    return "parent" if above else "child"


def _check_role(session: Session, unit: str, role: str) -> None:
    """A child's key serves this station's unit (another laptop of it) or one below; a
    parent's, a unit above it. A key enrolled the wrong way round would bring a
    province's records as a child's, with the whole subtree for its scope."""
    own = self_station(session).unit_code
    tree = UnitTree(session)
    below, above = tree.within(unit, own), tree.strictly_above(unit, own)
    if (role == "child" and not below) or (role == "parent" and not above):
        if below:
            fits = "là cấp dưới của"
        elif above:
            fits = "là cấp trên của"
        else:
            fits = "không ở trên hay dưới"
        raise ValidationError(
            field="role",
            message=f"Khóa của {tree.named(unit)} không thể tin cậy là {ROLE_WORDS[role]}: "
            f"{tree.named(unit)} {fits} {tree.named(own)} của máy này.",
        )


def _trusted_again(row: TrustedKey, role: str, path: Path) -> TrustedKeyView:
    """The same key enrolled again: kept as it is. Neither a revocation nor a role is
    undone by enrolling the key file once more."""
    if row.revoked_from is not None:
        raise ValidationError(
            f"Khóa {row.key_id} trong tệp {path.name} đã bị thu hồi; không tin cậy lại được. "
            "Máy đó cần tạo khóa mới rồi gửi tệp khóa và giấy chứng nhận mới."
        )
    if row.role != role:
        raise ValidationError(
            field="role",
            message=f"Khóa {row.key_id} đã được tin cậy là {ROLE_WORDS.get(row.role, row.role)}; "
            "không đổi vai trò của một khóa đã tin cậy.",
        )
    return replace(_trusted_view(row), already_trusted=True)


def revoke_key(
    db: Database, actor: Actor, key_id: str, *, from_time: datetime | None = None, reason: str = ""
) -> TrustedKeyView:
    """Bundles signed by this key and made from `from_time` on (default: now) are refused."""
    actor.require(Permission.manage_users)
    with db.transaction() as session:
        row = session.get(TrustedKey, key_id.strip().lower()) or _by_fingerprint(session, key_id)
        if row is None:
            raise NotFound(
                f"Không có khóa nào mang mã {key_id} trong danh sách tin cậy (nhao keys list "
                "cho xem mã khóa và mã nhận dạng của từng khóa)."
            )
        since = from_time or utcnow()
        # Revoked again: the earlier date stands, or what it signed between came back in.
        if row.revoked_from is not None and row.revoked_from <= since:
            since = row.revoked_from
        else:
            row.revoked_from, row.revoked_reason = since, reason
        # Keys it rotated to from then on were signed by a key no longer trusted.
        successor, seen = row.replaced_by, {row.key_id}
        while successor and successor not in seen and (later := session.get(TrustedKey, successor)):
            seen.add(successor)
            if later.enrolled_at >= since and later.revoked_from is None:
                later.revoked_from = since
                later.revoked_reason = f"xoay từ khóa {row.key_id} đã bị thu hồi"
            successor = later.replaced_by
        # The keys it replaced are on the same laptop (kept to open what was sealed to
        # them): from then on they sign no more than it does.
        replaced = [row.key_id]
        while replaced:
            query = select(TrustedKey).where(TrustedKey.replaced_by == replaced.pop())
            for older in session.scalars(query):
                if older.key_id in seen:
                    continue
                seen.add(older.key_id)
                replaced.append(older.key_id)
                if older.revoked_from is None or older.revoked_from > since:
                    older.revoked_from = since
                    older.revoked_reason = f"được thay bằng khóa {row.key_id} đã bị thu hồi"
        session.flush()
        return _trusted_view(row)


def _by_fingerprint(session: Session, typed: str) -> TrustedKey | None:
    """The trusted key whose fingerprint was typed, as on its certificate: people hold
    the paper, and may give that instead of the key's id."""
    wanted = crypto.normalize_fingerprint(typed)
    if len(wanted) < 20:  # a key id or a slip, not a fingerprint
        return None
    for row in session.scalars(select(TrustedKey)):
        if crypto.normalize_fingerprint(row.fingerprint) == wanted:
            return row
    return None


def revocation_time(text: str) -> datetime:
    """A day or a time as people in Vietnam give it → the UTC time stored. A day is from
    its midnight in Vietnam; a time without an offset is Vietnam time."""
    cleaned = text.strip()
    try:
        if "/" in cleaned:
            moment = datetime.strptime(cleaned, "%d/%m/%Y")
        else:
            moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValidationError(
            field="from",
            message=f"Thời điểm thu hồi “{cleaned[:40]}” không đúng: hãy ghi một ngày có thật "
            "dạng YYYY-MM-DD hoặc dd/mm/yyyy, hoặc YYYY-MM-DDTHH:MM (giờ Việt Nam).",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM_TIME)
    return moment.astimezone(UTC).replace(tzinfo=None)


def key_in_use(db: Database, key_id: str) -> str | None:
    """The key that `key_id` was replaced by, rotation after rotation, when that one is
    still trusted: the laptop signs with it, so revoking `key_id` alone (the key on the
    paper certificate) leaves a stolen laptop trusted."""
    with db.session() as session:
        row, seen = session.get(TrustedKey, key_id.strip().lower()), set()
        while row is not None and row.replaced_by and row.key_id not in seen:
            seen.add(row.key_id)
            row = session.get(TrustedKey, row.replaced_by)
        if row is None or row.key_id == key_id.strip().lower() or row.revoked_from is not None:
            return None
        return row.key_id


def list_trusted(db: Database) -> list[TrustedKeyView]:
    with db.session() as session:
        rows = session.scalars(select(TrustedKey).order_by(TrustedKey.unit_code))
        return [_trusted_view(r) for r in rows]


def _trusted_view(row: TrustedKey) -> TrustedKeyView:
    return TrustedKeyView(
        row.key_id,
        row.station_id,
        row.unit_code,
        row.role,
        row.fingerprint,
        row.enrolled_at,
        row.revoked_from,
        row.replaced_by,
        row.revoked_reason or "",
    )
