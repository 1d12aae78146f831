"""Declarative base, naming convention, and the columns every travelling record has."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    MetaData,
    String,
    TypeDecorator,
    Uuid,
    event,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from uuid6 import uuid7

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def composed(value: Any) -> Any:
    """Text as nhao stores it: NFC (DESIGN.md §4). A name typed or pasted decomposed
    would sort, search, compare and hash as another name at the commune and province."""
    if type(value) is str and not value.isascii():
        return unicodedata.normalize("NFC", value)
    return value


@cache
def text_fields(model: type) -> frozenset[str]:
    """The attributes of `model` stored in text columns (String, Text)."""
    return frozenset(
        attr.key
        for attr in sa_inspect(model).column_attrs
        if isinstance(attr.columns[0].type, String)
    )


def compose_text_on_set() -> None:
    """Every text column of every model is set NFC, whichever service, form or merge
    sets it: composed as the attribute is set, so what is hashed, logged and flushed
    is what is stored. Writers below the ORM (bulk inserts) compose with composed()."""
    for mapper in Base.registry.mappers:
        for key in text_fields(mapper.class_):
            event.listen(getattr(mapper.class_, key), "set", _composed_on_set, retval=True)


def _composed_on_set(target: Any, value: Any, oldvalue: Any, initiator: Any) -> Any:
    return composed(value)


def new_id() -> uuid.UUID:
    """UUIDv7: time-ordered, so new rows land at the end of SQLite's B-trees."""
    return uuid7()


class MoneyType(TypeDecorator[int]):
    """Integer VND. Refuses floats, strings and bools before they reach the database."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: object, dialect: object) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"money must be an integer number of VND, got {value!r}")
        return value


def money_check(column: str) -> CheckConstraint:
    """SQLite stores whatever it is given; this keeps money columns integer there."""
    return CheckConstraint(f"typeof({column}) = 'integer'", name=f"{column}_integer").ddl_if(
        dialect="sqlite"
    )


def money_check_nullable(column: str) -> CheckConstraint:
    return CheckConstraint(
        f"{column} IS NULL OR typeof({column}) = 'integer'", name=f"{column}_integer"
    ).ddl_if(dialect="sqlite")


class Record:
    """Columns of every record that travels between stations (DESIGN.md §4).

    Timestamps are naive UTC. `hlc` is the hybrid logical clock stamp of the last
    change, `changed_by` the station that made it, `origin_station` the station
    that created the record; both are station ids (UUID text).
    """

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    unit_code: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    origin_station: Mapped[str] = mapped_column(String(36))
    changed_by: Mapped[str] = mapped_column(String(36))
    hlc: Mapped[str] = mapped_column(String(64))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    deleted_reason: Mapped[str | None] = mapped_column(String(500), default=None)

    # Fields that bookkeeping sets; they are not "what changed" for people.
    BOOKKEEPING = (
        "created_at",
        "updated_at",
        "origin_station",
        "changed_by",
        "hlc",
    )
