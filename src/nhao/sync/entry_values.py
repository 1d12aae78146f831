"""The values a bundle's changes carry, held to the exact forms nhao writes.

A signed bundle comes from a trusted station, but that station may run an older or
newer nhao, or have a fault. A value of the wrong type or spelling would be stored
as it came (SQLite keeps "abc" in an integer column, PostgreSQL refuses it), break
the hash the audit trail pins for its record, or make the province and the commune
disagree; a stamp of the wrong shape would sort above every real one and win every
conflict. So each value is checked against its column before anything is merged,
and the bundle is refused with a sentence naming the record and the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer, String, Uuid
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.types import TypeDecorator

from nhao.domain.dates import (
    FIRST_PLANNED_YEAR,
    FIRST_POVERTY_LIST_YEAR,
    OLDEST_BIRTH_YEAR,
    PLANNED_YEARS_AHEAD,
    format_date,
)
from nhao.domain.enums import (
    CaseStatus,
    DonorKind,
    FundSource,
    HouseClass,
    Instalment,
    Need,
    PaymentMethod,
    Sex,
    SupportKind,
    UnitLevel,
)
from nhao.domain.errors import ValidationError
from nhao.domain.periods import Period
from nhao.domain.text import fold
from nhao.models import RECORD_MODELS
from nhao.models.base import composed, text_fields
from nhao.sync.bundle import STATION_ID, BundleRefused
from nhao.sync.rules import rule_for

UUID_TEXT = STATION_ID  # a UUID as str() writes it: a station's id, a record's
# domain.hlc's text form: 15-digit milliseconds, 5-digit counter, the station's id.
HLC_TEXT = re.compile(r"[0-9]{15}:[0-9]{5}:" + UUID_TEXT.pattern)

Check = Callable[[Any], str | None]  # a value → what is wrong with it, or None


def _uuid(value: Any) -> str | None:
    if type(value) is str and UUID_TEXT.fullmatch(value):
        return None
    return "không phải mã UUID viết thường"


def _integer(bits: int) -> Check:
    limit = 2 ** (bits - 1)

    def check(value: Any) -> str | None:
        if type(value) is not int:
            return "không phải số nguyên"
        if not -limit <= value < limit:
            return "vượt quá giới hạn của cột"
        return None

    return check


def _boolean(value: Any) -> str | None:
    return None if type(value) is bool else "không phải giá trị đúng/sai"


def _float(value: Any) -> str | None:
    if type(value) in (int, float) and value == value and abs(value) != float("inf"):
        return None
    return "không phải số"


# Control characters a household's text never holds: the form and the list import make
# what people type or paste visible first (domain.text.visible) and NFC; line breaks
# stay only in a note. Other records' text is kept to NUL alone, which SQLite keeps and
# PostgreSQL cannot store at all: their services normalise less, and refusing a
# faithful bundle over a pasted character would stop that station's every later one.
# Their decomposed text is composed (compose_text), not refused.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
AS_TYPED_IN_THE_FORM = frozenset({"household"})


def _text(length: int | None, *, as_the_form_writes: bool) -> Check:
    def check(value: Any) -> str | None:
        if type(value) is not str:
            return "không phải chữ"
        if length is not None and len(value) > length:
            return f"dài {len(value)} ký tự, quá {length} ký tự của cột"
        if not as_the_form_writes:
            return "chứa ký tự NUL" if "\x00" in value else None
        if not value.isprintable() and (control := _CONTROL.search(value)):
            return f"chứa ký tự điều khiển U+{ord(control.group()):04X}"
        # Stored NFC: a decomposed name would neither match nor fold as its twin.
        if not value.isascii() and not unicodedata.is_normalized("NFC", value):
            return "không ở dạng Unicode dựng sẵn (NFC)"
        return None

    return check


def _date(value: Any) -> str | None:
    try:
        if type(value) is str and date.fromisoformat(value).isoformat() == value:
            return None
    except ValueError:
        pass
    return "không phải ngày dạng YYYY-MM-DD"


def _datetime(value: Any) -> str | None:
    try:
        if type(value) is str:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is None and parsed.isoformat(timespec="microseconds") == value:
                return None
    except ValueError:
        pass
    return "không phải thời điểm dạng YYYY-MM-DDTHH:MM:SS.ffffff (giờ UTC, không múi giờ)"


def _for_type(kind: Any, *, as_the_form_writes: bool) -> Check | None:
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
        if not isinstance(kind, Integer):  # money is a BigInteger; others keep their own rules
            return None
    if isinstance(kind, Uuid):
        return _uuid
    if isinstance(kind, Boolean):
        return _boolean
    if isinstance(kind, BigInteger):
        return _integer(64)
    if isinstance(kind, Integer):
        return _integer(32)
    if isinstance(kind, Float):
        return _float
    if isinstance(kind, DateTime):
        return _datetime
    if isinstance(kind, Date):
        return _date
    if isinstance(kind, String):  # Text too
        return _text(kind.length, as_the_form_writes=as_the_form_writes)
    return None  # JSON and the like: any value JSON can hold


def _both(first: Check | None, second: Check | None) -> Check | None:
    if first is None or second is None:
        return first or second

    def check(value: Any) -> str | None:
        return first(value) or second(value)

    return check


def _one_of(kind: type[StrEnum] | frozenset[str]) -> Check:
    allowed = kind if isinstance(kind, frozenset) else frozenset(m.value for m in kind)

    def check(value: Any) -> str | None:
        return None if value in allowed else f"“{str(value)[:40]}” không có trong danh mục"

    return check


def _not_blank(value: Any) -> str | None:
    return "chỉ có khoảng trắng" if not value.strip() else None


def _at_least(floor: int) -> Check:
    def check(value: Any) -> str | None:
        return None if value >= floor else f"phải từ {floor} trở lên (đang là {value})"

    return check


# The forms' ceilings go by today's date (a year of birth up to this year, a day up to
# today); a bundle is held to them a year later than the receiver's today, so that a
# sender whose clock is a little off (or a bundle made on 31/12, taken on 1/1) is not
# refused. What lies beyond (a year of birth 9999, an inspection in the year 3000) no
# nhao writes, and it stood in the lists, the counts and the province's reports.
SLACK_YEARS = 1


# A value and the receiver's today → what is wrong with it, or None.
Ceiling = Callable[[Any, date], str | None]


def _years_ahead_at_most(years: int) -> Ceiling:
    """A year no later than the receiver's year + `years` (the form's ceiling) + slack."""

    def check(value: Any, today: date) -> str | None:
        ceiling = today.year + years + SLACK_YEARS
        return None if value <= ceiling else f"phải từ {ceiling} trở xuống (đang là {value})"

    return check


def _not_far_ahead(value: Any, today: date) -> str | None:
    """A day the forms keep to today at the latest, no later than a year after it."""
    day, ceiling = date.fromisoformat(value), today + timedelta(days=366 * SLACK_YEARS)
    if day <= ceiling:
        return None
    return f"không được sau ngày {format_date(ceiling)} (đang là {format_date(day)})"


def _period_key(value: Any) -> str | None:
    # The closed-period lock and the fund's forms read every close back as a period:
    # one they cannot read stopped each later import of the unit's vouchers.
    try:
        if Period.parse(value).key == value:
            return None
    except ValidationError:
        pass
    return f"“{str(value)[:40]}” không phải kỳ dạng 2025-02, 2025-Q1, 2025-H1 hay 2025"


_DIGITS_ONLY = re.compile(r"[0-9]{9}|[0-9]{12}")


def _citizen_id(value: Any) -> str | None:
    # The form and the list import keep a CCCD's 12 digits or an old CMND's 9, or none.
    return None if value == "" or _DIGITS_ONLY.fullmatch(value) else "không phải 9 hay 12 chữ số"


# The books a period is closed in (PeriodClose.account): a voucher's method, but in kind.
_BOOKS = frozenset({PaymentMethod.cash.value, PaymentMethod.bank.value})


def _book(value: Any) -> str | None:
    return None if value in _BOOKS else f"“{str(value)[:40]}” không phải sổ cash hay bank"


# Fields whose column is plain text or a number but whose values nhao keeps to a list
# or a floor: what the services refuse when a person types it.
DOMAIN: dict[tuple[str, str], Check] = {
    ("household", "head_name"): _not_blank,
    ("household", "sex"): _one_of(Sex),
    ("household", "latest_house_class"): _one_of(HouseClass),
    ("household", "latest_need"): _one_of(Need),
    ("household", "members"): _at_least(1),
    # Floors only here: the forms' ceilings go by the writer's today (CEILINGS).
    ("household", "birth_year"): _at_least(OLDEST_BIRTH_YEAR),
    ("household", "poverty_list_year"): _at_least(FIRST_POVERTY_LIST_YEAR),
    ("household", "citizen_id"): _citizen_id,
    ("household", "citizen_id_kind"): _one_of(frozenset({"cccd", "cmnd"})),
    ("inspection", "members"): _at_least(1),
    ("inspection", "usable_area_m2"): _at_least(0),
    ("support_case", "planned_year"): _at_least(FIRST_PLANNED_YEAR),
    ("target", "year"): _at_least(FIRST_PLANNED_YEAR),  # a plan's year, as a case's
    ("support_case", "labour_days"): _at_least(0),
    ("support_case", "accepted_area_m2"): _at_least(0),
    ("inspection", "house_class"): _one_of(HouseClass),
    ("inspection", "suggested_need"): _one_of(Need),
    ("inspection", "need"): _one_of(Need),
    ("support_case", "kind"): _one_of(SupportKind),
    ("support_case", "status"): _one_of(CaseStatus),
    ("case_status_event", "to_status"): _one_of(CaseStatus),
    ("case_status_event", "from_status"): _one_of(CaseStatus),
    ("case_support", "source"): _one_of(FundSource),
    ("unit", "level"): _one_of(UnitLevel),
    ("donor", "kind"): _one_of(DonorKind),
    ("pledge", "amount"): _at_least(1),
    ("receipt", "amount"): _at_least(1),
    ("receipt", "method"): _one_of(PaymentMethod),
    ("payment", "amount"): _at_least(1),
    ("payment", "method"): _one_of(PaymentMethod),
    ("payment", "instalment"): _one_of(Instalment),
    ("payment", "source"): _one_of(FundSource),
    # A decision nhao does not know counted as made: the pair left the list to review.
    ("household_pair_review", "decision"): _one_of(frozenset({"same", "different"})),
    ("household_pair_review", "evidence"): _one_of(frozenset({"citizen_id", "name_birth_year"})),
    ("period_close", "period_key"): _period_key,
    ("period_close", "account"): _book,
}


# The forms' ceilings, with a year's slack (SLACK_YEARS): a year of birth up to this
# year, a poverty list up to next year's, a plan (and its target) five years ahead,
# days up to today.
# Not in DOMAIN: the form's today is its laptop's clock, and a clock that ran years
# ahead dated each inspection, step and voucher so. Once the clock is right its bundles
# are nhao's own, and refused whole they stopped every later one; such a change is
# refused alone at the merge (beyond_the_forms), listed in the report and the receipt.
CEILINGS: dict[tuple[str, str], Ceiling] = {
    ("household", "birth_year"): _years_ahead_at_most(0),
    ("household", "poverty_list_year"): _years_ahead_at_most(1),
    ("support_case", "planned_year"): _years_ahead_at_most(PLANNED_YEARS_AHEAD),
    ("target", "year"): _years_ahead_at_most(PLANNED_YEARS_AHEAD),
    ("inspection", "inspected_on"): _not_far_ahead,
    ("support_case", "decision_date"): _not_far_ahead,
    ("support_case", "started_on"): _not_far_ahead,
    ("support_case", "completed_on"): _not_far_ahead,
    ("support_case", "accepted_on"): _not_far_ahead,
    ("support_case", "handed_over_on"): _not_far_ahead,
    ("case_status_event", "happened_on"): _not_far_ahead,
    ("pledge", "pledged_on"): _not_far_ahead,
    ("receipt", "received_on"): _not_far_ahead,
    ("payment", "paid_on"): _not_far_ahead,
    ("bank_statement_line", "line_date"): _not_far_ahead,
}


def beyond_the_forms(entry: dict, today: date | None = None) -> str | None:
    """The first of the change's new values beyond what the forms take by the date
    ("trường paid_on không được sau ngày …"), else None; by `today`, the receiver's
    (a change that came here on an earlier day: as it was judged then). Values were
    checked (check_values): a date is one, a year a number."""
    entity, today = entry["entity"], today or date.today()
    for field, (_, new) in entry["changes"].items():
        check = CEILINGS.get((entity, field))
        if check is not None and new is not None and (problem := check(new, today)):
            return f"trường {field} {problem}"
    return None


def _stamp(value: Any) -> str | None:
    if type(value) is str and HLC_TEXT.fullmatch(value):
        return None
    return "không phải dấu thời gian đúng dạng"


# The bookkeeping every record carries, kept as plain text columns: station ids and
# the stamp, which are compared as text.
_BOOKKEEPING: dict[str, Check] = {"origin_station": _uuid, "changed_by": _uuid, "hlc": _stamp}


@cache
def column_checks(entity: str) -> dict[str, tuple[Check | None, bool]]:
    """Field → (its check, whether it may be null)."""
    model = RECORD_MODELS[entity]
    return {
        attr.key: (
            _BOOKKEEPING.get(attr.key)
            or _both(
                _for_type(attr.columns[0].type, as_the_form_writes=entity in AS_TYPED_IN_THE_FORM),
                DOMAIN.get((entity, attr.key)),
            ),
            bool(attr.columns[0].nullable),
        )
        for attr in sa_inspect(model).column_attrs
    }


@cache
def required_fields(entity: str) -> frozenset[str]:
    """The fields a new record must carry: its columns that may not be null. A change
    leaves out a null, and the merge writes each field it does not carry as null."""
    return frozenset(name for name, (_, nullable) in column_checks(entity).items() if not nullable)


def check_values(entries: list[dict], bundle: str) -> None:
    """Refuse the bundle at the first change whose stamp, id or a value is not in
    the form nhao writes; entries are of known entities with stamps of the right
    shape (authority.check_entries checked both)."""
    created: set[tuple[str, str, str]] = set()
    for entry in entries:
        problem = _problem(entry)
        if entry["op"] == "insert" and problem is None:
            # nhao creates a record once (a review made again is an edit of it), so two
            # creations by one station merged as a conflict of the record with itself.
            # Other stations' may meet: two reviews of one pair, made apart.
            made = (entry["station"], entry["entity"], entry["id"])
            if made in created:
                problem = "bản ghi được tạo hai lần"
            created.add(made)
        if problem is not None:
            raise BundleRefused(
                f"Gói {bundle} có thay đổi {entry['entity']} {str(entry['id'])[:40]} sai dạng: "
                f"{problem}; không có gì được ghi. Máy gửi có lẽ dùng phiên bản nhao khác "
                "hoặc bị lỗi; hãy báo cán bộ kỹ thuật.",
                stage="hash",
            )


def _problem(entry: dict) -> str | None:
    entity, record, changes = entry["entity"], entry["id"], entry["changes"]
    if _uuid(record):
        return "mã bản ghi không phải UUID viết thường"
    checks = column_checks(entity)
    for field, (_, new) in changes.items():
        known = checks.get(field)
        if known is None:
            return f"không có trường “{field[:40]}”"
        check, nullable = known
        if new is None:
            if not nullable and entry["op"] != "resolve":
                return f"trường {field} không được để trống"
        elif check is not None and (problem := check(new)):
            return f"trường {field} {problem}"
    if entry["op"] == "insert" and (missing := required_fields(entity) - changes.keys()):
        return f"bản ghi mới thiếu trường {', '.join(sorted(missing))}"
    if "id" in changes and changes["id"][1] != record:
        return "trường id khác mã bản ghi"
    # The record's new stamp is its line's (the unit of work logs it so, and a restamp
    # renames both): stored otherwise, a stamp far ahead sorted above every later change.
    if "hlc" in changes and changes["hlc"][1] != entry["hlc"]:
        return "trường hlc khác dấu thời gian của dòng thay đổi"
    # What the name search and the possible duplicates (same folded name and birth year)
    # read: a key of another name hid the household from both. A change of the key alone
    # is no fault: the resolution of a conflict over it (the merge keeps the name and its
    # key apart) carries the field chosen and nothing else.
    key, name = changes.get("head_name_key"), changes.get("head_name")
    if (
        entity == "household"
        and key is not None
        and name is not None
        and (type(name[1]) is not str or key[1] != fold(name[1]))
    ):
        return "trường head_name_key không phải tên chủ hộ đã bỏ dấu (head_name)"
    owner = changes.get("unit_code")
    if owner is not None and owner[1] != entry["unit"] and not rule_for(entity).natural_key:
        return f"bản ghi thuộc đơn vị {owner[1]} mà dòng thay đổi ghi đơn vị {entry['unit']}"
    return None


def compose_text(entries: list[dict]) -> None:
    """Each text value of the changes made NFC, as nhao stores text (DESIGN.md §4), old
    and new alike: a station that wrote an inspection's notes decomposed (an older
    nhao, a pasted word) is faithful, and its bundle is taken, not refused. Composed
    before the merge compares and logs them, so the text sent again, or a change whose
    old value is the decomposed text, finds its record as stored; and what is relayed
    up, logged and hashed here is what is stored. Values were checked (check_values)."""
    for entry in entries:
        changes = entry["changes"]
        for name, (old, new) in changes.items():
            if composed(old) is old and composed(new) is new:  # nearly all: ASCII, numbers
                continue
            if name in text_fields(RECORD_MODELS[entry["entity"]]):
                changes[name] = [composed(old), composed(new)]
