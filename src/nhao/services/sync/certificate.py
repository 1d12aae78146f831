"""The paper that carries this station's key fingerprint to the units that trust it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from nhao.domain.enums import UnitLevel
from nhao.models.database import Database
from nhao.reports.pdf import write_key_certificate
from nhao.services.sync import keys
from nhao.services.units import StationInfo, UnitView, station_info

LEVEL_PREFIXES = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thôn ", "Xóm ", "Bản ")


def place_name(unit: UnitView) -> str:
    """ "Xã Bình Gia" → "Bình Gia", as the place in "Bình Gia, ngày … tháng … năm …"."""
    for prefix in LEVEL_PREFIXES:
        if unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def in_sentence(name: str) -> str:
    """"Xã Bình Gia" → "xã Bình Gia": the level is a common noun, the name stays."""
    for prefix in LEVEL_PREFIXES:
        if name.startswith(prefix):
            return prefix.lower() + name[len(prefix) :]
    return name


def issuer(info: StationInfo) -> tuple[str, str | None]:
    """(issuing unit, the unit above it) as they head an administrative document."""
    unit = info.unit
    if unit.level is UnitLevel.hamlet and info.commune is not None:
        return unit.name, f"Ủy ban nhân dân {in_sentence(info.commune.name)}"
    if unit.level is UnitLevel.commune:
        parent = info.province.name if info.province else None
        return f"Ủy ban nhân dân {in_sentence(unit.name)}", parent
    return f"Ủy ban nhân dân {in_sentence(unit.name)}", None


def write_certificate(db: Database, out: Path, *, issued: date | None = None) -> Path:
    info = station_info(db)
    key = keys.show_key(db)
    unit_name, parent = issuer(info)
    place_unit = info.commune or info.unit
    return write_key_certificate(
        out,
        unit_name=unit_name,
        unit_code=key.unit_code,  # the unit and station the fingerprint covers
        parent_unit_name=parent,
        place=place_name(place_unit),
        station_id=key.station_id,
        key_id=key.key_id,
        fingerprint=key.fingerprint,
        created=key.created_at.date(),
        issued=issued or date.today(),
        certified_by=certifier(info),
    )


def certifier(info: StationInfo) -> str | None:
    """Who certifies a team leader's laptop: its hamlet has no seal, its commune has."""
    if info.unit.level is not UnitLevel.hamlet:
        return None
    return f"UBND {in_sentence(info.commune.name)}" if info.commune else "UBND xã"
