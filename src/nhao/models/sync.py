"""Bookkeeping of sync: keys and trust, what was seen and sent, pending bundles,
conflicts and possible duplicates. None of these rows travel in bundles."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, LargeBinary, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from nhao.models.base import Base, new_id


class SyncKey(Base):
    """A key pair of this station. Private halves are sealed under the station's
    data key, which only the password of a user allowed to export unwraps."""

    __tablename__ = "sync_key"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    ed_public: Mapped[str] = mapped_column(String(64))
    x_public: Mapped[str] = mapped_column(String(64))
    sealed_private: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    previous_key_id: Mapped[str | None] = mapped_column(String(16), default=None)
    # The old key's signature over the new public keys: travels in the next bundle.
    rotation_sig: Mapped[str | None] = mapped_column(Text, default=None)


class SyncKeyWrap(Base):
    """The station's data key, wrapped under a key derived from one user's password."""

    __tablename__ = "sync_key_wrap"

    user_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kdf: Mapped[dict] = mapped_column(JSON)
    wrapped: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class TrustedKey(Base):
    """Another station's key, enrolled after a person compared its fingerprint."""

    __tablename__ = "sync_trusted_key"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(36))
    unit_code: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(10))  # child | parent
    ed_public: Mapped[str] = mapped_column(String(64))
    x_public: Mapped[str] = mapped_column(String(64))
    # As compared (or, for a rotated key, computed) at enrolment; shown, never compared
    # again. Rows enrolled before the fingerprint covered the unit and station hold the
    # old kind (crypto.legacy_fingerprint), as the paper filed with them shows it.
    fingerprint: Mapped[str] = mapped_column(String(40))
    enrolled_at: Mapped[datetime] = mapped_column(DateTime)
    enrolled_by: Mapped[str] = mapped_column(String(120))
    revoked_from: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    revoked_reason: Mapped[str] = mapped_column(String(300), default="")
    replaced_by: Mapped[str | None] = mapped_column(String(16), default=None)


class SyncOrigin(Base):
    """How far the changes of one origin station have been applied here (contiguous)."""

    __tablename__ = "sync_origin"

    station_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(64))
    seen_upto: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class SyncCursor(Base):
    """Per recipient unit, computer of it and origin station: the last sequence number
    sent (moved by an export to the unit) and acknowledged (moved by that computer's
    receipt). recipient_station "" is the unit as a whole (positions.WHOLE_UNIT)."""

    __tablename__ = "sync_cursor"

    recipient_unit: Mapped[str] = mapped_column(String(64), primary_key=True)
    recipient_station: Mapped[str] = mapped_column(String(36), primary_key=True, default="")
    origin_station: Mapped[str] = mapped_column(String(36), primary_key=True)
    sent_upto: Mapped[int] = mapped_column(Integer, default=0)
    acked_upto: Mapped[int | None] = mapped_column(Integer, default=None)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class SyncHeldBack(Base):
    """A station's change of a record refused alone here for a value beyond the forms
    (its clock ran ahead), held with its later changes of the record (merge._pending)
    from `first_seq` on: taken once fixed, or once the day it named has come, with the
    next bundle that station's changes come in, whatever records that one brings. One
    taken that way stays listed, `first_seq` past it, until the station's next change
    of the record: the change log does not tell it was taken."""

    __tablename__ = "sync_held_back"

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    first_seq: Mapped[int] = mapped_column(Integer)
    held_at: Mapped[datetime] = mapped_column(DateTime)


class SyncBundleLog(Base):
    """Every bundle written or taken in, by the sha256 of the file."""

    __tablename__ = "sync_bundle_log"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    direction: Mapped[str] = mapped_column(String(4))  # out | in | ack
    peer_unit: Mapped[str] = mapped_column(String(64), default="")
    file_name: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(DateTime)
    ranges: Mapped[dict] = mapped_column(JSON)
    # An applied bundle's changes refused one by one (a lock, a step not theirs): their
    # count and the first of them, for the receipt that tells the sender.
    refused: Mapped[dict | None] = mapped_column(JSON, default=None)


class PendingBundle(Base):
    """A bundle held because an earlier one of the same origin is missing."""

    __tablename__ = "sync_pending"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    producer_unit: Mapped[str] = mapped_column(String(64))
    waiting_for: Mapped[str] = mapped_column(String(500))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Conflict(Base):
    """A field edited on two stations: the later stamp stands, this keeps the other."""

    __tablename__ = "sync_conflict"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(64), index=True)
    unit_code: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(60))
    kept_value: Mapped[dict] = mapped_column(JSON)  # {"v": value}
    kept_hlc: Mapped[str] = mapped_column(String(64))
    lost_value: Mapped[dict] = mapped_column(JSON)
    lost_hlc: Mapped[str] = mapped_column(String(64))
    lost_station: Mapped[str] = mapped_column(String(36))
    detected_at: Mapped[datetime] = mapped_column(DateTime)
    bundle: Mapped[str] = mapped_column(String(255), default="")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    resolved_by: Mapped[str] = mapped_column(String(120), default="")
    # {"v": value} the resolution chose (here or at the station it came from); None
    # while open, and for conflicts resolved before nhao kept it.
    chosen_value: Mapped[dict | None] = mapped_column(JSON, default=None)


class DuplicateCandidate(Base):
    """Two households that look like the same people in two places; never merged here."""

    __tablename__ = "sync_duplicate"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    household_a: Mapped[str] = mapped_column(String(36), index=True)
    household_b: Mapped[str] = mapped_column(String(36), index=True)
    reason: Mapped[str] = mapped_column(String(20))  # citizen_id | name_birth_year
    found_at: Mapped[datetime] = mapped_column(DateTime)
    decision: Mapped[str | None] = mapped_column(String(10), default=None)  # same | different
    decided_by: Mapped[str] = mapped_column(String(120), default="")
