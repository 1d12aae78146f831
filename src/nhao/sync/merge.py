"""The merge: apply changes from other stations, generic over every entity.

Per field: a current value equal to the change's old value takes the new one; a
value that differs from both was edited on both sides, so the later hybrid
logical clock stamp stands (ties fall to the station id inside the stamp) and a
Conflict keeps the other value. Entity rules (nhao.sync.rules) add forward-only
statuses, steps decided above that stand over those taken here, append-only rows,
natural keys and locks against changes from below.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from sqlalchemy import Text, cast, delete, func, select
from sqlalchemy.orm import Session

from nhao.domain.enums import UnitLevel
from nhao.domain.hamlet_names import HamletIndex
from nhao.models import RECORD_MODELS, ChangeLogEntry, Record, Station, Unit
from nhao.models.labels import entity_label, fields_named, step_label
from nhao.models.snapshot import canonical_value
from nhao.models.sync import Conflict, SyncBundleLog, SyncHeldBack, SyncOrigin
from nhao.sync import entry_values
from nhao.sync.bundle import BundleRefused
from nhao.sync.fresh import Fresh, FreshBuffer, converters, from_canonical, naive_datetime
from nhao.sync.locks import LOCKS_ON_NEW_RECORDS, Locks
from nhao.sync.parents import FOREIGN, logged_creations
from nhao.sync.pg_copy import in_batches
from nhao.sync.results import Counts, MergeResult
from nhao.sync.rules import (
    IMMUTABLE_FIELDS,
    LEVEL_RANK,
    UNIT_NAMING,
    EntityRule,
    reachable,
    rule_for,
)
from nhao.sync.scope import UnitTree
from nhao.sync.unique_keys import UNIQUE_KEYS, TakenKeys

BOOKKEEPING = frozenset(Record.BOOKKEEPING)
TOMBSTONE = ("deleted_at", "deleted_reason")
# What a copy refused for a taken key is not compared on with the record kept.
NOT_COMPARED = BOOKKEEPING | IMMUTABLE_FIELDS | frozenset(TOMBSTONE)
# Inserted through the session, not in bulk: rows matched by natural key, and period
# closes, which the closed-period lock reads back from the database in mid-merge.
ORM_INSERTS = frozenset({"period_close"})
_REFERENCED = {name: set(refs.values()) for name, refs in FOREIGN.items()}


def _refusable_parents() -> dict[str, dict[str, str]]:
    """Per entity: its foreign keys to entities whose new records the merge may refuse
    one by one (a lock, a taken key, or in turn a refused parent). A record pointing at
    one refused is refused too: inserted, it would fail the whole import on the key."""
    refusable = (
        {name for name in RECORD_MODELS if rule_for(name).lock in LOCKS_ON_NEW_RECORDS}
        | set(UNIQUE_KEYS)
        | {name for name, refs in FOREIGN.items() if refs}  # see Merger._parent_outside
    )
    while more := {
        child
        for child, refs in FOREIGN.items()
        if child not in refusable and refusable & set(refs.values())
    }:
        refusable |= more
    found = {
        child: {field: parent for field, parent in refs.items() if parent in refusable}
        for child, refs in FOREIGN.items()
    }
    return {child: refs for child, refs in found.items() if refs}


# Checked only for these entities' changes: a household or an inspection costs nothing.
REFUSABLE_PARENTS = _refusable_parents()
# The entities whose changes may be refused alone for a value beyond the forms.
DATED = frozenset(entity for entity, _ in entry_values.CEILINGS)


def _folded(first: dict, then: dict) -> dict:
    """`then` made after `first` as one change: each field's old value is the first
    one's, its new value the last one's; stamped as `then`, a creation if `first` is."""
    changes = {name: list(change) for name, change in first["changes"].items()}
    for name, (old, new) in then["changes"].items():
        changes[name] = [changes[name][0] if name in changes else old, new]
    op = "insert" if first["op"] == "insert" else then["op"]
    return {**then, "op": op, "changes": changes}


def _local_day(at: datetime) -> date:
    """The date this computer's clock read at `at` (kept in UTC), as the merge's
    ceilings read it then."""
    return at.replace(tzinfo=UTC).astimezone().date()


def held_back_units(
    session: Session, tree: UnitTree, sender_unit: str | None, origin_units: dict[str, str]
) -> dict[str, str]:
    """The stations whose held changes a bundle may take, with their units: its own
    origins and, from a child (`sender_unit`), every station of the child's subtree with
    a change held here. A commune relays a laptop's change once: taken there alone once
    the day it named came (_take_due), nothing of it comes up again, and the province
    held it until that laptop's next change, for ever if none came."""
    if sender_unit is None:
        return origin_units
    held = session.execute(
        select(SyncHeldBack.station_id, SyncOrigin.unit_code)
        .join(SyncOrigin, SyncOrigin.station_id == SyncHeldBack.station_id)
        .distinct()
    )
    found = {
        str(station): str(unit)
        for station, unit in held
        if unit and tree.within(str(unit), sender_unit)
    }
    return {**found, **origin_units}


def held_back_due(session: Session, stations: set[str]) -> bool:
    """Whether a change held back for a value beyond the forms, of one of `stations`,
    is within them now: a bundle of theirs with nothing new still takes it."""
    log, table = ChangeLogEntry.__table__.c, SyncHeldBack.__table__.c
    held = session.execute(
        select(table.entity, table.record_id, table.station_id, table.first_seq).where(
            table.station_id.in_(sorted(stations))
        )
    ).all()
    for entity, record_id, station, first in held:
        lines = session.execute(
            select(log.changes).where(
                log.entity == entity,
                log.record_id == record_id,
                log.station_id == station,
                log.seq >= first,
            ).order_by(log.id)
        )
        folded: dict | None = None
        for (then,) in lines:
            line = {"op": "update", "changes": then}
            folded = line if folded is None else _folded(folded, line)
        if folded and not entry_values.beyond_the_forms({**folded, "entity": entity}):
            return True
    return False


__all__ = ["Counts", "MergeResult", "Merger", "from_canonical"]


class Merger:
    def __init__(
        self,
        session: Session,
        *,
        tree: UnitTree,
        origin_units: dict[str, str],
        bundle: str,
        now: datetime,
        sender_unit: str | None = None,
    ) -> None:
        self.session = session
        self.tree = tree
        # A child's bundle may change only records of its own subtree: the entries'
        # units were checked before, the records they name as each change is applied
        # (_outside_sender). None: a parent's bundle.
        self.sender_unit = sender_unit
        self.from_parent = sender_unit is None
        # Of the change at hand: step field → the step taken here that gave way to it.
        self._gave_way: dict[str, str] = {}
        self.origin_units = origin_units
        self.bundle = bundle
        self.now = now
        self.rows: dict[tuple[str, str], Record | None] = {}
        self.result = MergeResult()
        self.locks = Locks(session, tree, origin_units, self.rows)
        self._waiting: set[str] = set()  # tables with rows inserted through the session
        self.buffer = FreshBuffer(session)
        self.taken = TakenKeys()
        # Records whose creation was refused here (now or by an earlier import): their
        # later changes are refused too, not held for a creation that will not come.
        self._refused_records: set[tuple[str, str]] = set()
        # Changes that arrived before their record: held (by record) until its insert
        # comes, then queued to replay in stamp order among the record's other changes.
        self._held: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self._queued: dict[tuple[str, str], list[dict]] = {}
        self._logged: set[tuple[str, str, str]] = set()  # (entity, record, stamp): _load_logged
        # (entity, record) → field → stamp of the latest resolution here (see _decide).
        self._resolved: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        # (entity, id) → unit, of the records held here that changes from below point at.
        self._parent_units: dict[tuple[str, str], str] = {}
        # Per record and station: its changes refused alone for a value beyond the forms
        # (_dated_ahead), folded into one with those it made after them. The station that
        # wrote the value goes on from it: its later changes are folded in, and taken with
        # it once the value is fixed (an edit alone, its old value the refused one, made a
        # conflict and lost the rest of the change refused; a creation refused held every
        # later change of the record refused for ever). Other stations' changes of the
        # record go their own way: they do not wait for a fix that may never come.
        self._pending: dict[tuple[str, str, str], dict] = {}
        # The day changes came here, per station (_came_on), and the first of all.
        self._arrivals: dict[str, list[tuple[date, int, int]]] = {}
        self._first_day: date | None = None
        # Of those, the ones listed (SyncHeldBack) for the bundle's stations and its
        # records, each with the number it is held from, and the number each pending one
        # starts from, to list them as they stand after it.
        self._listed: dict[tuple[str, str, str], int] = {}
        self._first_seq: dict[tuple[str, str, str], int] = {}
        # Listed ones the walk of the log found a change at or after the number of, and
        # those taken alone now (_take_due) with the number of their last change.
        self._walked_past: set[tuple[str, str, str]] = set()
        self._taken_alone: dict[tuple[str, str, str], int] = {}

    # -- loading --------------------------------------------------------------

    def prefetch(self, entries: list[dict]) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        inserted: dict[str, set[str]] = defaultdict(set)
        keyed: dict[str, list[dict]] = defaultdict(list)
        pointing: list[dict] = []  # changes that may point at a record refused here
        for entity, record_id, _station in self._load_listed():
            wanted[entity].add(record_id)  # taken below once within the forms (_take_due)
        for e in entries:
            wanted[e["entity"]].add(e["id"])
            if e["entity"] in REFUSABLE_PARENTS:
                pointing.append(e)
            if e["op"] == "insert":
                inserted[e["entity"]].add(e["id"])
                if e["entity"] in UNIQUE_KEYS:
                    keyed[e["entity"]].append(e)
        connection = self.session.connection()
        for entity, ids in wanted.items():
            model = RECORD_MODELS[entity]
            ordered = sorted(ids)
            # PostgreSQL: one ANY(array) per entity, not IN lists of 500 (pg_copy).
            for condition in in_batches(connection, model.id, ordered):
                # Ids first: most records of a big import are new, loading none.
                here = list(connection.scalars(select(model.id).where(condition)))
                for found in in_batches(connection, model.id, here):
                    for row in self.session.scalars(select(model).where(found)):
                        self.rows[(entity, str(row.id))] = row
            for x in ordered:
                self.rows.setdefault((entity, x), None)
        self._load_logged(entries)
        for entity, ids in inserted.items():
            self._load_held(entity, sorted(x for x in ids if self.rows[(entity, x)] is None))
        for entity, ids in wanted.items():
            if rule_for(entity).natural_key:  # matched by key, not refused: see _insert
                continue
            absent = sorted(x for x in ids - inserted[entity] if self.rows[(entity, x)] is None)
            self._load_refused(entity, absent)
        self._load_pending({entity: ids for entity, ids in wanted.items() if entity in DATED})
        # A change held back from an earlier bundle may point at what this one does not
        # name: its parents are checked as this bundle's are.
        pending = list(self._pending.values())
        pointing += [p for p in pending if p["entity"] in REFUSABLE_PARENTS]
        if pointing:
            self._load_refused_parents(pointing)
        if self.sender_unit is not None:
            self._load_parent_units([e for e in [*entries, *pending] if FOREIGN[e["entity"]]])
        for entity, inserts in keyed.items():
            self.taken.load(connection, entity, inserts)

    def _outside_sender(self, e: dict, row: Record | Fresh | None) -> str | None:
        """A change from below to a record held here for a unit outside the subtree of
        the station that made it: another hamlet's household, or its own since moved to
        another hamlet at the commune. The change is refused and listed, the rest of the
        bundle applied: refusing the whole bundle would stop that hamlet's every later
        bundle behind it. Judged by the station that made the change, not the one that
        relayed it, so the province refuses what the commune refused."""
        if self.sender_unit is None or row is None or rule_for(e["entity"]).natural_key:
            return None
        maker = self.origin_units.get(e["station"], self.sender_unit)
        if self.tree.within(row.unit_code, maker):
            return None
        return (
            f"{e['entity']} {e['id']}: bản ghi này thuộc {self.tree.named(row.unit_code)}, nằm "
            f"ngoài phạm vi của máy {self.tree.named(maker)} đã sửa nó; thay đổi này không "
            "được nhận."
        )

    def _renamed_from_below(self, e: dict, row: Record | Fresh | None) -> str | None:
        """A unit renamed by a station below the commune: hamlet names are the commune's
        to set (a hamlet laptop of an older nhao renamed its own). Refused and listed
        like _outside_sender's changes; judged by the station that made it, so the
        province refuses what the commune refused."""
        if e["entity"] != "unit" or e["op"] != "update" or row is None:
            return None  # a hamlet's first record of its unit: see _named_here
        maker = self._below_the_commune(e)
        if maker is None:
            return None
        if not any(
            name in e["changes"] and e["changes"][name][1] != canonical_value(getattr(row, name))
            for name in UNIT_NAMING
        ):
            return None
        new = (e["changes"].get("name") or [None, None])[1] or row.name
        return (
            f"{entity_label('unit')} {e['id']}: máy của {self.tree.label(maker)} đổi tên "
            f"{row.name} thành “{new}”, mà tên thôn, xóm do xã đặt; thay đổi này không được "
            "nhận."
        )

    def _below_the_commune(self, e: dict) -> str | None:
        """The unit of the station below the commune that made the change (a hamlet's
        laptop), judged by that station, not by the one that relayed it; else None."""
        if self.from_parent:
            return None
        maker = self.origin_units.get(e["station"], self.sender_unit)
        if maker is None or self.tree.rank(maker) >= LEVEL_RANK[UnitLevel.commune]:
            return None
        return maker

    def _named_here(self, e: dict, name: str) -> bool | None:
        """Of a unit held here, whose spelling of its name stands: a hamlet's laptop set
        up without the commune's key file spells its hamlet its own way ("thôn nà pàn"),
        and its first record of the unit, later than the commune's, renamed the hamlet
        at the commune and the province. Hamlet names are the commune's: the name held
        here stands over a laptop's first record of it (True), and the commune's record
        of it, sent down, renames the laptop's without a conflict (False). None: the
        field goes by the common rules."""
        if e["entity"] != "unit" or name not in UNIT_NAMING:
            return None
        if self.from_parent:
            return False
        if e["op"] == "insert" and self._below_the_commune(e) is not None:
            return True
        return None

    def _check_hamlet_named_like_one_here(self, e: dict) -> None:
        """A hamlet's laptop set up by name without the commune's key file, spelt so
        that its hamlet got a code of its own ("Nà Pàn" for the commune's "Thôn Nà
        Pàn"): taken, the commune had two hamlets, the laptop's households under the
        second, and nothing said so. Its records carry that code, signed, so nothing here
        can move them: the bundle is refused whole, saying what to do. Checked where the
        laptop's own bundle comes in (its commune), as imported lists find a hamlet."""
        changes = e["changes"]
        code = (changes.get("code") or [None, None])[1]
        parent = (changes.get("parent_code") or [None, None])[1]
        name = (changes.get("name") or [None, ""])[1]
        if (
            e["entity"] != "unit"
            or e["op"] != "insert"
            or (changes.get("level") or [None, None])[1] != UnitLevel.hamlet.value
            or code is None
            or code != self.sender_unit
            or not isinstance(name, str)
        ):
            return
        hamlets = self.session.execute(
            select(Unit.code, Unit.name).where(
                Unit.parent_code == parent,
                Unit.level == UnitLevel.hamlet.value,
                Unit.deleted_at.is_(None),
            )
        )
        index = HamletIndex((str(held), str(held_name)) for held, held_name in hamlets)
        held = index.find(name)
        if held is None or held == code:
            return
        raise BundleRefused(
            f"Gói {self.bundle} không được nhận, không có gì được ghi: máy của thôn “{name}” "
            f"được cài đặt theo tên gõ tay nên là một thôn khác với “{index.names[held]}” "
            "mà xã đã có; nếu là cùng một thôn, hãy cài đặt lại máy của thôn với tệp khóa "
            "của xã (nhao init --commune-key), còn nếu là hai thôn khác nhau, hãy thêm thôn "
            f"“{name}” ở máy của xã (nhao hamlets add) rồi nhập lại gói này."
        )

    def _dated_ahead(self, e: dict) -> str | None:
        """A value beyond what the forms take by today's date (a day years ahead): its
        writer's clock ran ahead. Refused and listed like _outside_sender's changes."""
        problem = entry_values.beyond_the_forms(e)
        if problem is None:
            return None
        return (
            f"{entity_label(e['entity'])} {e['id']}: {problem}, quá xa sau hôm nay (đồng hồ "
            "máy ghi có lẽ đã chạy nhanh); thay đổi này không được nhận, cùng các thay đổi "
            "sau của máy ấy với bản ghi này, cho đến khi máy ấy sửa lại giá trị này."
        )

    def _load_parent_units(self, pointing: list[dict]) -> None:
        """The units of the records held here that these changes point at (those this
        bundle brings or changes are in self.rows already)."""
        ids: dict[str, set[str]] = defaultdict(set)
        for e in pointing:
            for field, parent in FOREIGN[e["entity"]].items():
                value = (e["changes"].get(field) or (None, None))[1]
                if isinstance(value, str) and (parent, value) not in self.rows:
                    ids[parent].add(value)
        connection = self.session.connection()
        for parent, pointed in ids.items():
            model = RECORD_MODELS[parent]
            for condition in in_batches(connection, model.id, sorted(pointed)):  # see prefetch
                for record_id, unit in connection.execute(
                    select(model.id, model.unit_code).where(condition)
                ):
                    self._parent_units[(parent, str(record_id))] = unit

    def _parent_outside(self, e: dict, row: Record | Fresh | None) -> str | None:
        """A change from below that attaches a record to one of a unit outside the
        subtree of the station that made it: a hamlet's new case or inspection for
        another hamlet's household. Its own unit is the sender's, so scope let it
        through. Refused on its own and listed, as _outside_sender's changes are: a
        household moved away at the commune while the hamlet, offline, still worked on
        it is the same thing seen from a faithful station."""
        if self.sender_unit is None:
            return None
        maker = self.origin_units.get(e["station"], self.sender_unit)
        for field, parent in FOREIGN[e["entity"]].items():
            value = (e["changes"].get(field) or (None, None))[1]
            if value is None or (row is not None and canonical_value(getattr(row, field)) == value):
                continue  # no pointer, or the one the record had already
            held = self.rows.get((parent, value))
            unit = held.unit_code if held is not None else self._parent_units.get((parent, value))
            if unit is None or self.tree.within(unit, maker):
                continue
            return (
                f"{e['entity']} {e['id']}: gắn với {entity_label(parent)} {value} của "
                f"{self.tree.named(unit)}, nằm ngoài phạm vi của máy {self.tree.named(maker)} "
                "đã làm bản ghi này; thay đổi này không được nhận."
            )
        return None

    def _load_logged(self, entries: list[dict]) -> None:
        """Changes of records held here that are in the change log already, whatever
        station and number they came under: a laptop that started a new epoch sends its
        changes again under its new id, and one already applied is applied no more (it
        would only open a conflict with what was changed here since)."""
        wanted: set[tuple[str, str, str]] = set()
        records: dict[str, set[str]] = defaultdict(set)
        for e in entries:
            if self.rows.get((e["entity"], e["id"])) is not None:
                wanted.add((e["entity"], e["id"], e["hlc"]))
                records[e["entity"]].add(e["id"])
        log = ChangeLogEntry.__table__.c
        connection = self.session.connection()
        resolutions: list[int] = []
        for entity, ids in records.items():  # by the (entity, record) index
            for condition in in_batches(connection, log.record_id, sorted(ids)):  # see prefetch
                query = select(log.record_id, log.hlc, log.op, log.id).where(
                    log.entity == entity, condition
                )
                for record_id, stamp, op, line in connection.execute(query):
                    if (entity, record_id, stamp) in wanted:
                        self._logged.add((entity, record_id, stamp))
                    if op == "resolve":
                        resolutions.append(line)
        for condition in in_batches(connection, log.id, resolutions):  # few: people make them
            for c in connection.execute(select(log).where(condition)):
                self._note_resolution(c.entity, c.record_id, c.hlc, c.changes)

    def _note_resolution(self, entity: str, record_id: str, stamp: str, changes: dict) -> None:
        latest = self._resolved[(entity, record_id)]
        for name in changes:
            latest[name] = max(latest.get(name, ""), stamp)

    def _load_refused(self, entity: str, ids: list[str]) -> None:
        """Of records changed but not here: those whose creation is in the change log
        already. Each import applies its creations or refuses them, so they were refused."""
        created = logged_creations(self.session.connection(), entity, ids)
        self._refused_records.update((entity, x) for x in created)

    def _load_pending(self, wanted: dict[str, set[str]]) -> None:
        """The changes of these records refused alone here for a value beyond the forms
        and not taken since: each record's logged changes from other stations walked in
        the order they came, as the merge took them, each by the day it came. Judged by
        today, one refused then and within the forms now (the day it named has come)
        looked taken: the station's next change of the record came alone, a conflict
        or a change of a record refused, and the held one was never taken."""
        log, table = ChangeLogEntry.__table__.c, SyncHeldBack.__table__.c
        connection = self.session.connection()
        here = select(Station.id).where(Station.is_self.is_(True)).scalar_subquery()
        for entity, ids in wanted.items():
            lines: dict[str, list] = defaultdict(list)
            for condition in in_batches(connection, table.record_id, sorted(ids)):
                listed = select(table.record_id, table.station_id, table.first_seq)
                for record_id, station, first in connection.execute(
                    listed.where(table.entity == entity, condition)
                ):
                    self._listed[(entity, record_id, station)] = first
            for condition in in_batches(connection, log.record_id, sorted(ids)):  # see prefetch
                query = select(log).where(log.entity == entity, condition, log.station_id != here)
                for c in connection.execute(query.order_by(log.id)):
                    lines[c.record_id].append(c)
            for record_id, logged in lines.items():
                # Absent, a record refused on creation: a fold that passes was not taken
                # (refused then otherwise, or by an nhao before this one), so is tried again.
                absent = self.rows.get((entity, record_id)) is None
                pending: dict[str, dict] = {}  # by station
                for c in logged:
                    line = {
                        "station": c.station_id, "epoch": c.epoch, "seq": c.seq, "hlc": c.hlc,
                        "entity": entity, "id": record_id, "unit": c.unit_code, "op": c.op,
                        "changes": c.changes,
                    }  # fmt: skip
                    station, key = c.station_id, (entity, record_id, c.station_id)
                    if c.seq < self._listed.get(key, 0):
                        continue  # not held: taken alone once the day it named came
                    if key in self._listed:
                        self._walked_past.add(key)
                    if station in pending:
                        pending[station] = _folded(pending[station], line)
                    elif self._beyond_when_it_came(line):
                        pending[station] = line
                        self._first_seq[(entity, record_id, station)] = c.seq
                    if (
                        station in pending
                        and not absent
                        and not self._beyond_when_it_came(pending[station])
                    ):
                        del pending[station]  # fixed: taken with the fix
                # A record absent here whose creation was taken, or refused otherwise.
                for station, waiting in pending.items():
                    if (waiting["op"] == "insert") == absent:
                        self._pending[(entity, record_id, station)] = waiting

    def _beyond_when_it_came(self, line: dict) -> bool:
        """Whether the logged change (a fold: its last) was beyond the forms on the day
        it came here. Ceilings only rise with the date: the day is looked up only when
        today and the first day a bundle came here disagree."""
        if entry_values.beyond_the_forms(line):
            return True
        if self._first_day is None:
            first = self.session.scalar(
                select(func.min(SyncBundleLog.at)).where(
                    SyncBundleLog.direction == "in", SyncBundleLog.status == "applied"
                )
            )
            self._first_day = _local_day(first) if first is not None else date.today()
        if not entry_values.beyond_the_forms(line, self._first_day):
            return False
        return entry_values.beyond_the_forms(line, self._came_on(line)) is not None

    def _came_on(self, line: dict) -> date:
        """The day the first bundle taken here that carried the change was taken."""
        station, seq = line["station"], line["seq"]
        if station not in self._arrivals:
            log = SyncBundleLog
            carrying = self.session.execute(
                select(log.at, log.ranges)
                .where(
                    log.direction == "in",
                    log.status == "applied",
                    cast(log.ranges, Text).like(f'%"{station}"%'),  # a station id: no wildcard
                )
                .order_by(log.at)
            )
            self._arrivals[station] = [
                (_local_day(at), int(ranges[station]["from"]), int(ranges[station]["to"]))
                for at, ranges in carrying
                if isinstance(ranges, dict) and isinstance(ranges.get(station), dict)
            ]
        return next(
            (day for day, first, last in self._arrivals[station] if first <= seq <= last),
            date.today(),
        )

    def _load_refused_parents(self, pointing: list[dict]) -> None:
        """Of the records these changes point at, those refused by an earlier import: a
        bank line matched to a receipt refused for its closed period. Parents this bundle
        brings or changes are known already (refused ones as the merge refuses them)."""
        ids: dict[str, set[str]] = defaultdict(set)
        for e in pointing:
            for field, parent in REFUSABLE_PARENTS[e["entity"]].items():
                value = (e["changes"].get(field) or (None, None))[1]
                if value is not None and (parent, value) not in self.rows:
                    ids[parent].add(value)
        connection = self.session.connection()
        for parent, pointed in ids.items():
            model = RECORD_MODELS[parent]
            absent = set(pointed)
            for condition in in_batches(connection, model.id, sorted(pointed)):  # see prefetch
                absent.difference_update(
                    str(x) for x in connection.scalars(select(model.id).where(condition))
                )
            self._load_refused(parent, sorted(absent))

    def _refused_parent(self, e: dict) -> str | None:
        """A change that points a record at one refused here: written, it would fail the
        whole import on the foreign key, and every later bundle of its station with it."""
        refs = REFUSABLE_PARENTS.get(e["entity"])
        if refs is None:  # nearly every change: households, inspections, cases
            return None
        for field, parent in refs.items():
            value = (e["changes"].get(field) or (None, None))[1]
            if value is not None and (parent, value) in self._refused_records:
                return (
                    f"{entity_label(e['entity'])} {e['id']}: gắn với {entity_label(parent)} "
                    f"{value}, mà {entity_label(parent)} ấy đã bị từ chối khi đến nên không "
                    "có ở máy này; thay đổi này không được nhận."
                )
        return None

    def _load_held(self, entity: str, ids: list[str]) -> None:
        """Changes logged here for records this bundle creates: they came before it."""
        log = ChangeLogEntry.__table__.c
        connection = self.session.connection()  # plain rows: this runs for every import
        for condition in in_batches(connection, log.record_id, ids):  # see prefetch
            query = select(log).where(log.entity == entity, condition, log.op != "insert")
            for c in connection.execute(query.order_by(log.id)):
                self._held[(entity, c.record_id)].append(
                    {
                        "station": c.station_id,
                        "epoch": c.epoch,
                        "seq": c.seq,
                        "hlc": c.hlc,
                        "entity": c.entity,
                        "id": c.record_id,
                        "unit": c.unit_code,
                        "op": c.op,
                        "changes": c.changes,
                    }
                )

    # -- applying -------------------------------------------------------------

    def apply(self, entries: list[dict]) -> MergeResult:
        self._apply_all(entries)
        self.buffer.write()
        self._list_held_back(entries)
        return self.result

    def _take_pending(self, key: tuple[str, str, str], then: dict | None = None) -> None:
        """A held change of a record, folded with its station's `then` when it comes."""
        waiting = self._pending.pop(key)
        folded = _folded(waiting, then) if then is not None else waiting
        if folded["op"] == "insert" and folded["entity"] in UNIQUE_KEYS:
            # Its keys were not among the bundle's creations that prefetch read.
            self.taken.load(self.session.connection(), folded["entity"], [folded])
        self._apply_one(folded)

    def _take_due(self) -> None:
        """Held changes the bundle brought no later change of, within the forms now: the
        day they named has come (a clock that ran ahead, never fixed). Taken as they
        stand, with the station's later changes of the record folded in. Only those of
        the bundle's stations (held_back_units): another's, loaded with a record this
        bundle changes, waits for its own (read as the bundle's, it was of no unit here,
        and the merge failed on it, the bundle refused, and every later one changing the
        record)."""
        for key in list(self._pending):
            if key[2] not in self.origin_units:
                continue
            if not entry_values.beyond_the_forms(self._pending[key]):
                self._taken_alone[key] = int(self._pending[key]["seq"])
                self._take_pending(key)

    def _load_listed(self) -> dict[tuple[str, str, str], int]:
        """The held changes listed for the bundle's stations (SyncHeldBack)."""
        table = SyncHeldBack.__table__.c
        connection = self.session.connection()
        query = select(table.entity, table.record_id, table.station_id, table.first_seq)
        for condition in in_batches(connection, table.station_id, sorted(self.origin_units)):
            for entity, record_id, station, first in connection.execute(query.where(condition)):
                self._listed[(entity, record_id, station)] = first
        return self._listed

    def _list_held_back(self, entries: list[dict]) -> None:
        """The changes held now listed, those taken (or refused for good) no more. One
        taken alone (_take_due) stays listed as held from after it: the log tells nothing
        of it, and walked again it was held again, taken again with the station's next
        change of the record, over what was written here since (a conflict). Once the
        station's next change of it came, the log tells."""
        brought = {(e["entity"], e["id"], e["station"]) for e in entries}
        for key in self._listed.keys() - self._pending.keys() - self._taken_alone.keys():
            if key in self._walked_past or key in brought:
                self.session.execute(
                    delete(SyncHeldBack).where(
                        SyncHeldBack.entity == key[0],
                        SyncHeldBack.record_id == key[1],
                        SyncHeldBack.station_id == key[2],
                    )
                )
        held_from = {key: seq + 1 for key, seq in self._taken_alone.items()}
        for key, waiting in self._pending.items():
            held_from[key] = self._first_seq.get(key, waiting["seq"])
        for key, first in held_from.items():
            if self._listed.get(key) != first:
                self.session.merge(SyncHeldBack(
                    entity=key[0], record_id=key[1], station_id=key[2], first_seq=first,
                    held_at=self.now,
                ))  # fmt: skip

    def _apply_all(self, entries: list[dict]) -> None:
        self.prefetch(entries)
        for entry in entries:
            key = (entry["entity"], entry["id"])
            if key in self._queued:
                self._replay(key, before=entry["hlc"])
            self._apply_entry(entry)
            if entry["op"] == "insert" and key in self._held and self.rows.get(key) is not None:
                self._queued[key] = sorted(self._held.pop(key), key=lambda h: h["hlc"])
            self.buffer.add_log(entry)
        for key in list(self._queued):
            self._replay(key, before=None)
        self._take_due()
        for (entity, record_id), waiting in self._held.items():
            if (entity, record_id) in self._refused_records:  # its creation came, refused
                self.result.count(entity, record_id, "refused")
                self.result.refusals.append(self._refused_change(entity, record_id))
                continue
            self.result.held.append(
                f"{entity_label(entity)} {record_id}: {len(waiting)} thay đổi đến trước bản "
                "ghi gốc, đang chờ bản ghi đó đến rồi sẽ tự áp dụng."
            )

    @staticmethod
    def _refused_change(entity: str, record_id: str) -> str:
        return (
            f"{entity_label(entity)} {record_id}: bản ghi này đã bị từ chối khi đến, "
            "nên thay đổi của nó cũng không được nhận."
        )

    def _replay(self, key: tuple[str, str], *, before: str | None) -> None:
        """Apply held changes of `key` stamped before `before` (all when None); they
        are in the change log already."""
        queue = self._queued[key]
        while queue and (before is None or queue[0]["hlc"] < before):
            self._apply_entry(queue.pop(0))
        if not queue:
            del self._queued[key]

    def _apply_entry(self, e: dict) -> None:
        key = (e["entity"], e["id"])
        if (*key, e["station"]) in self._pending:  # refused again while still beyond the forms
            self._take_pending((*key, e["station"]), e)
            return
        if self.rows.get(key) is None and e["op"] != "insert":
            if key in self._refused_records:
                self.result.count(e["entity"], e["id"], "refused")
                self.result.refusals.append(self._refused_change(e["entity"], e["id"]))
                return
            self._held[key].append(e)
            return
        self._apply_one(e)
        if e["op"] == "resolve":
            self._close_conflicts(e)
            self._note_resolution(e["entity"], e["id"], e["hlc"], e["changes"])

    def _apply_one(self, e: dict) -> None:
        entity, key = e["entity"], (e["entity"], e["id"])
        count = partial(self.result.count, entity, e["id"])
        rule = rule_for(entity)
        row = self.rows.get(key)
        model = RECORD_MODELS[entity]
        if isinstance(row, Fresh) and row.written:  # written in bulk: change it as usual
            row = self.rows[key] = self.session.get(model, uuid.UUID(e["id"]))
        if (entity, e["id"], e["hlc"]) in self._logged:  # applied before, under another id
            count("unchanged")
            return
        if row is None:
            self._check_hamlet_named_like_one_here(e)
        ahead = None
        refusal = (
            self._outside_sender(e, row)
            or self._renamed_from_below(e, row)
            or (ahead := self._dated_ahead(e))
            or self._parent_outside(e, row)
            or self._refused_parent(e)
            or self.locks.check(e, rule, row)
        )
        if refusal:
            count("refused")
            self.result.refusals.append(refusal)
            if ahead:
                self._pending[(*key, e["station"])] = e
                self._first_seq.setdefault((*key, e["station"]), e["seq"])
            if row is None:
                self._refused_records.add(key)
            return
        # A new epoch's copy of this change may come later in the same merge (relayed
        # with the first numbering of it): applied once, like one logged before.
        self._logged.add((entity, e["id"], e["hlc"]))
        if entity == "period_close":
            self.locks.forget_closes()
        if row is None:
            self._insert(e, rule)
            return
        moved = sorted(
            name
            for name in rule.fixed & e["changes"].keys()
            if canonical_value(getattr(row, name)) != e["changes"][name][1]
        )
        if moved:  # whatever its old value says: [c, c] would otherwise win by its stamp
            count("refused")
            self.result.refusals.append(
                f"{entity_label(entity)} {e['id']}: {fields_named(entity, moved)} của bản ghi "
                "này không được đổi."
            )
            return
        applied: dict[str, Any] = {}
        conflicted = False
        self._gave_way.clear()
        # Steps first: the note written with a step goes as the step went (below).
        steps_first = (
            sorted(e["changes"].items(), key=lambda item: item[0] not in rule.forward_only)
            if rule.forward_only
            else e["changes"].items()
        )
        for name, (old, new) in steps_first:
            if name in BOOKKEEPING or name in IMMUTABLE_FIELDS or name in TOMBSTONE:
                continue
            if name in rule.derived:  # made from its source's merged value, below
                continue
            current = canonical_value(getattr(row, name))
            if current == new:
                continue
            if (named_here := self._named_here(e, name)) is not None:
                if not named_here:
                    applied[name] = new
                continue
            if rule.append_only and name not in rule.mutable:
                count("refused")
                self.result.refusals.append(
                    f"{entity_label(entity)} {e['id']}: bản ghi chỉ được thêm, không được "
                    f"sửa ({fields_named(entity, [name])})."
                )
                return
            if name in {rule.step_notes.get(step) for step in self._gave_way}:
                # The reason of the step that stands (the commune's rejection), not the
                # later one of the withdrawal that gave way to it.
                applied[name] = new
                continue
            winner, clash = self._decide(e, rule, row, name, current, old, new)
            conflicted |= clash
            if winner is not None:
                applied[name] = new
        for name, (source, make) in rule.derived.items():
            made = make(applied.get(source, getattr(row, source)))
            if made != getattr(row, name):
                applied[name] = made
        for name, before in self._gave_way.items():
            note = rule.step_notes.get(name)
            if note and note not in e["changes"]:
                applied[note] = ""  # the reason of the step that gave way
            self.result.steps_given_way.append(self._step_given_way(e, row, before, name))
        conflicted |= self._tombstone(e, row, applied)
        if not applied:
            if conflicted:
                count("conflicts")
            else:
                count("unchanged")
            return
        if not isinstance(row, Fresh) and any(
            isinstance(self.rows.get((FOREIGN[entity][n], v)), Fresh)
            for n, v in applied.items()
            if n in FOREIGN[entity]
        ):
            self.buffer.write()  # the session will flush this row: its new parent first
        for name, value in applied.items():
            setattr(row, name, from_canonical(model, name, value))
        if e["hlc"] > row.hlc:
            row.hlc = e["hlc"]
            row.changed_by = e["station"]
            updated = e["changes"].get("updated_at")
            if updated and updated[1]:
                row.updated_at = naive_datetime(updated[1])
        if conflicted:
            count("conflicts")
        else:
            count("updated")
        self._touch(key, "sync-update" if e["op"] != "delete" else "sync-delete", applied)

    def _step_given_way(self, e: dict, row: Record, before: str, name: str) -> str:
        """Said in the report, as the count "updated" alone does not tell the team leader
        that a step taken here (a withdrawal) was undone."""
        above = self.tree.named(self.origin_units[e["station"]])
        whose = self.locks.case_named(row) if e["entity"] == "support_case" else e["id"]
        return (
            f"{whose}: bước “{step_label(before)}” làm ở máy này không được {above} nhận; "
            f"bước “{step_label(e['changes'][name][1])}” của {above} thay cho nó."
        )

    def _insert(self, e: dict, rule: EntityRule) -> None:
        entity = e["entity"]
        count = partial(self.result.count, entity, e["id"])
        model = RECORD_MODELS[entity]
        values = {name: change[1] for name, change in e["changes"].items()}
        if rule.natural_key:
            where = [getattr(model, k) == values.get(k) for k in rule.natural_key]
            if self.session.scalar(select(model.id).where(*where)) is not None:
                count("unchanged")
                return
        taken = self.taken.claim(entity, e["id"], e["changes"])
        if taken is not None:
            kept = self.rows.get((entity, taken.holder)) or self.session.get(
                model, uuid.UUID(taken.holder)
            )
            count("refused")
            refusal = taken.refusal(entity, e["id"], e["changes"], kept, NOT_COMPARED)
            self.result.refusals.append(refusal)
            self._refused_records.add((entity, e["id"]))
            return
        refs = _REFERENCED[entity]
        if rule.natural_key or entity in ORM_INSERTS:
            known = converters(model)
            fields = {k: from_canonical(model, k, v) for k, v in values.items() if k in known}
            row: Any = model(**fields)
            if self._waiting & refs:
                self.session.flush()
                self._waiting.clear()
            self._waiting.add(entity)
            self.session.add(row)
        else:
            if self._waiting & refs:  # it points at a row inserted through the session
                self.session.flush()
                self._waiting.clear()
            row = self.buffer.new_row(model, e["changes"])
        self.rows[(entity, e["id"])] = row
        count("new")
        if entity == "household":
            self.result.new_households.add(e["id"])
        self._touch((entity, e["id"]), "sync-insert", values)

    def _touch(self, key: tuple[str, str], action: str, fields: dict) -> None:
        previous = self.result.touched.get(key)
        merged = dict(previous[1]) if previous else {}
        merged.update(fields)
        first = previous[0] if previous else action
        self.result.touched[key] = (first if first == "sync-insert" else action, merged)

    def _close_conflicts(self, e: dict) -> None:
        """A resolution made elsewhere closes the same conflict here."""
        fields = [n for n in e["changes"] if n not in BOOKKEEPING]
        for conflict in self.session.scalars(
            select(Conflict).where(
                Conflict.entity == e["entity"],
                Conflict.record_id == e["id"],
                Conflict.field.in_(fields),
                Conflict.resolved_at.is_(None),
            )
        ):
            conflict.resolved_at = self.now
            conflict.resolved_by = f"máy đơn vị {self.origin_units.get(e['station'], '')}"
            conflict.chosen_value = {"v": e["changes"][conflict.field][1]}

    # -- deciding ---------------------------------------------------------------

    def _decide(self, e, rule, row, name, current, old, new):  # type: ignore[no-untyped-def]
        """(value to apply or None, whether a conflict was recorded)."""
        transitions = rule.forward_only.get(name)
        if current == old:
            # A resolution made or taken here after this change stands: the change did
            # not see it (the old value matches only because the resolution chose that
            # value), and where it was made the resolution wins by its stamp.
            resolved = self._resolved.get((e["entity"], e["id"]), {}).get(name, "")
            if transitions is None and e["hlc"] < resolved:
                self._conflict(
                    e, row, name, kept=(current, resolved), lost=(new, e["hlc"]), loser=e["station"]
                )
                return None, True
            return new, False
        if transitions is not None:
            if reachable(transitions, current, new):
                return new, False
            # The steps taken here since, which the commune takes from below (its
            # "started" after the hamlet's completion): this case is ahead, not astray.
            guard = rule.guarded_moves.get(name)
            ahead = reachable(transitions, new, current) and not (guard and guard[1](new, current))
            if self.from_parent and rule.decided_above and e["op"] != "resolve" and not ahead:
                # A step decided above on a case that went another way here (withdrawn
                # after the commune reviewed it): the commune refused that way, and its
                # step stands there; so it does here.
                self._gave_way[name] = current
                return new, False
            if reachable(transitions, new, current):
                return None, False
        local = self.field_stamp(e["entity"], e["id"], name, exclude=e)
        if e["hlc"] > local:
            self._conflict(e, row, name, kept=(new, e["hlc"]), lost=(current, local))
            return new, True
        self._conflict(
            e, row, name, kept=(current, local), lost=(new, e["hlc"]), loser=e["station"]
        )
        return None, True

    def _tombstone(self, e: dict, row: Record, applied: dict) -> bool:
        """Edit against delete, delete against edit: never a silent loss or resurrection."""
        changes = e["changes"]
        incoming = changes.get("deleted_at")
        # A resolution that confirms the record as it stands travels as [v, v]
        # (services.sync.resolve_conflict): elsewhere it still deletes or brings back.
        if incoming is not None and incoming[0] == incoming[1] and e["op"] != "resolve":
            incoming = None
        deleted_here = row.deleted_at is not None
        if incoming is not None and incoming[1] is not None:  # a delete arrives
            if deleted_here:
                return False
            base = (changes.get("hlc") or [None, None])[0] or ""
            local = self.stamp_since(e["entity"], e["id"], base, exclude=e)
            if local is None:
                applied.update({k: changes[k][1] for k in TOMBSTONE if k in changes})
                return False
            if e["hlc"] > local:
                applied.update({k: changes[k][1] for k in TOMBSTONE if k in changes})
                self._conflict(
                    e, row, "deleted_at", kept=(incoming[1], e["hlc"]), lost=(None, local)
                )
            else:
                self._conflict(
                    e,
                    row,
                    "deleted_at",
                    kept=(None, local),
                    lost=(incoming[1], e["hlc"]),
                    loser=e["station"],
                    reason=(changes.get("deleted_reason") or [None, None])[1],
                )
            return True
        if incoming is not None:  # an explicit undelete (a resolution's)
            if not deleted_here:
                return False
            resolved = self._resolved.get((e["entity"], e["id"]), {}).get("deleted_at", "")
            if e["hlc"] < resolved:  # a later resolution here keeps it deleted (see _decide)
                self._stays_deleted(e, row, resolved)
                return True
            applied.update({k: changes[k][1] for k in TOMBSTONE if k in changes})
            return False
        if deleted_here and applied:  # an edit arrives for a record deleted here
            local = self.field_stamp(e["entity"], e["id"], "deleted_at", exclude=e)
            deleted = canonical_value(row.deleted_at)
            if e["hlc"] > local:
                applied.update({"deleted_at": None, "deleted_reason": None})
                self._conflict(
                    e,
                    row,
                    "deleted_at",
                    kept=(None, e["hlc"]),
                    lost=(deleted, local),
                    reason=row.deleted_reason,
                )
            else:
                self._stays_deleted(e, row, local)
            return True
        return False

    def _stays_deleted(self, e: dict, row: Record, stamp: str) -> None:
        """The delete here, stamped `stamp`, beats the change `e` that would undo it."""
        kept = (canonical_value(row.deleted_at), stamp)
        self._conflict(e, row, "deleted_at", kept=kept, lost=(None, e["hlc"]), loser=e["station"])

    def _conflict(self, e, row, name, *, kept, lost, loser=None, reason=None) -> None:  # type: ignore[no-untyped-def]
        """`reason`: of a delete that lost, kept for a person who chooses it after all."""
        stamp_station = lost[1].split(":", 2)[-1] if lost[1] else ""
        conflict = Conflict(
            id=uuid.uuid4(),
            entity=e["entity"],
            record_id=e["id"],
            unit_code=row.unit_code,
            field=name,
            kept_value={"v": kept[0]},
            kept_hlc=kept[1],
            lost_value={"v": lost[0], **({"reason": reason} if reason else {})},
            lost_hlc=lost[1] or "",
            lost_station=loser or stamp_station,
            detected_at=self.now,
            bundle=self.bundle,
        )
        self.session.add(conflict)
        self.result.conflicts.append(conflict)

    # -- stamps -----------------------------------------------------------------

    def _log(self, entity: str, record_id: str) -> list[ChangeLogEntry]:
        self.buffer.write_log()  # this bundle's earlier lines count too
        return list(
            self.session.scalars(
                select(ChangeLogEntry).where(
                    ChangeLogEntry.entity == entity, ChangeLogEntry.record_id == record_id
                )
            )
        )

    def field_stamp(self, entity: str, record_id: str, name: str, *, exclude: dict) -> str:
        """The latest stamp of a change to this field here (its last-writer stamp)."""
        stamps = [
            c.hlc
            for c in self._log(entity, record_id)
            if name in c.changes and c.hlc != exclude["hlc"]
        ]
        return max(stamps, default="")

    def stamp_since(self, entity: str, record_id: str, base: str, *, exclude: dict) -> str | None:
        """The latest change to the record after `base` that the sender had not seen."""
        stamps = [
            c.hlc for c in self._log(entity, record_id) if c.hlc > base and c.hlc != exclude["hlc"]
        ]
        return max(stamps, default=None)
