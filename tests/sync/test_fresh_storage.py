"""New rows of a merge are written on SQLite from their canonical text, reshaped
without building UUID and datetime objects: what lands must be exactly what the
columns' own bind processors store for the same values, and bad text must fail."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import Boolean, Date, DateTime, Uuid
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import sqlite

from nhao.models import RECORD_MODELS
from nhao.sync.fresh import from_canonical, storage

DIALECT = sqlite.dialect()
SAMPLE_ID = uuid.UUID("0192f6a0-7b3c-7d4e-8f90-a1b2c3d4e5f6")
SAMPLES = {
    Uuid: [str(SAMPLE_ID), str(SAMPLE_ID).upper(), "{" + str(SAMPLE_ID) + "}", SAMPLE_ID.hex],
    DateTime: [
        datetime(2026, 11, 22, 9, 5, 7, 123456).isoformat(timespec="microseconds"),
        datetime(2026, 1, 2, 3, 4, 5).isoformat(timespec="microseconds"),
        datetime(5, 1, 2, 3, 4, 5, 6).isoformat(timespec="microseconds"),
        "2026-11-22T09:05:07",
        "2026-11-22 09:05:07.500000",
    ],
    Date: ["2026-11-22", "0005-01-02", "20261122"],
}


def _columns():  # type: ignore[no-untyped-def]
    for model in RECORD_MODELS.values():
        stores = storage(model, DIALECT)
        for attr, store in zip(sa_inspect(model).column_attrs, stores, strict=True):
            yield model, attr.key, attr.columns[0].type, store


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_canonical_text_stores_as_the_bind_processor_stores_the_value(kind: type) -> None:
    checked = 0
    for model, key, column_type, store in _columns():
        if not isinstance(column_type, kind):
            continue
        processor = column_type.dialect_impl(DIALECT).bind_processor(DIALECT)
        for text in SAMPLES[kind]:
            assert store(text) == processor(from_canonical(model, key, text)), (model, key, text)
            checked += 1
    assert checked


@pytest.mark.parametrize(
    ("kind", "bad"),
    [
        (Uuid, "not-a-uuid"),
        (Uuid, 42),
        (DateTime, "22/11/2026"),
        (DateTime, "2026-11-22T09:05:07.000000+07:00"),  # nhao writes UTC without a zone
        (Date, "x"),
    ],
)
def test_bad_text_fails_as_it_did_through_objects(kind: type, bad: object) -> None:
    store = next(s for _, _, t, s in _columns() if isinstance(t, kind))
    with pytest.raises((ValueError, TypeError, AttributeError)):
        store(bad)


def test_other_columns_keep_their_processor_or_value() -> None:
    for _model, _key, column_type, store in _columns():
        if isinstance(column_type, Uuid | DateTime | Date):
            continue
        processor = column_type.dialect_impl(DIALECT).bind_processor(DIALECT)
        if isinstance(column_type, Boolean):  # sqlite3 stores True as 1 by itself
            assert store(True) is True
        else:
            assert store(7) == (7 if processor is None else processor(7))


def test_dates_of_today_are_kept_as_they_are() -> None:
    store = next(s for _, _, t, s in _columns() if isinstance(t, Date))
    assert store(date(2026, 11, 22).isoformat()) == "2026-11-22"
