"""A trusted station with a fault: properly signed bundles whose changes hold what no
nhao writes (values of the wrong type or form, fields that do not exist, odd
operations and stamps, changes of records that never came).

Whatever such a bundle holds, the commune either refuses it in one sentence and
writes nothing, or applies it and stays whole (nhao verify finds nothing), and what
it applied goes on up: the province takes the commune's next bundle, as a province
on PostgreSQL or SQLite must take whatever a commune stored. Never an unexpected
error. The suite runs a few dozen cases; `make fuzz` runs thousands
(NHAO_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.fuzzing import FUZZ

from nhao.domain.enums import CaseStatus, FundSource, Instalment, PaymentMethod, SupportKind
from nhao.models.sync import SyncOrigin
from nhao.services import cases, fund, households, inspections
from nhao.services.household_export import export_register
from nhao.services.sync import keys
from nhao.services.unit_of_work import self_station
from nhao.sync import bundle

from .conftest import PASSWORD, Node, Tree, close_period, trust
from .test_adversarial import state

# The fields a household change carries, and what a faulty station might put there
# beside plain nonsense: near misses of each form nhao writes.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)  # JSON can carry
NEAR_MISSES = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "1965",
            "020060000123",
            "2026-02-30",
            "2026-11-23T17:36:15",
            "2026-11-23T17:36:15.407068+07:00",
            "2026-11-23 17:36:15.407068",
            "5F985D47-3DE7-5DD9-BB24-5773A87352FE",
            "poor",
            "Nam",
            "male",
            "tạm",
            "Nguyễn Văn A\u0301n",  # not NFC
            "x" * 300,
        ]
    ),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT | NEAR_MISSES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
HOUSEHOLD_FIELDS = [
    "head_name", "citizen_id", "birth_year", "sex", "ethnicity", "phone", "address",
    "categories", "poverty_list_year", "members", "lawful_land_use", "hazard_zone", "notes",
    "unit_code", "id", "hlc", "created_at", "updated_at", "deleted_at", "deleted_reason",
    "origin_station", "changed_by", "latest_house_class", "name_key",
]  # fmt: skip
FIELDS = st.one_of(st.sampled_from(HOUSEHOLD_FIELDS), TEXT)
ENTRY_KEYS = ["op", "entity", "unit", "hlc", "id", "epoch", "station"]
ENTRY_VALUES = st.one_of(
    st.sampled_from(
        ["insert", "update", "delete", "resolve", "household", "payment", "period_close", "20"]
    ),
    VALUES,
)

# Values of the right form, so that many bundles get past the checks into the merge.
WELL_FORMED = st.one_of(
    st.tuples(st.sampled_from(["head_name", "ethnicity", "address", "notes", "phone"]), TEXT),
    st.tuples(st.sampled_from(["birth_year", "poverty_list_year", "members"]), st.integers()),
    st.tuples(st.just("sex"), st.sampled_from(["male", "female", None, "Nam"])),
    st.tuples(st.sampled_from(["lawful_land_use", "is_poor", "is_near_poor"]), st.booleans()),
    st.tuples(st.just("citizen_id"), st.from_regex(r"[0-9]{9,12}", fullmatch=True)),
)
MUTATIONS = st.one_of(
    WELL_FORMED.map(lambda pair: ("new", *pair)),
    WELL_FORMED.map(lambda pair: ("update", *pair)),
    st.tuples(st.just("new"), FIELDS, VALUES),
    st.tuples(st.just("old"), FIELDS, VALUES),
    st.tuples(st.just("drop"), st.sampled_from(HOUSEHOLD_FIELDS), st.none()),
    st.tuples(st.just("entry"), st.sampled_from(ENTRY_KEYS), ENTRY_VALUES),
    st.tuples(st.just("update"), FIELDS, VALUES),
    st.tuples(st.just("delete"), st.just("deleted_at"), st.one_of(NEAR_MISSES, st.none())),
    st.tuples(st.just("orphan"), FIELDS, VALUES),
)


class FaultyStation:
    """A station's key writing bundles by hand for its parent, numbered on from what the
    parent has of it; the changes are the templates (real inserts) spoilt."""

    def __init__(
        self, sender: Node, parent: Node, templates: dict[str, dict], folder: Path
    ) -> None:
        self.sender, self.parent = sender, parent
        self.templates = templates
        self.folder = folder
        with sender.db.transaction() as session:
            self.key_row, self.signer = keys.unlock(session, sender.actor, PASSWORD)
            self.key_id = self.key_row.key_id
            self.station = str(self_station(session).id)
            self.epoch = self_station(session).epoch
        self.unit = sender.unit
        self.count = 0

    def _stamp(self) -> str:
        self.count += 1
        return f"{int(time.time() * 1000):015d}:{self.count % 100_000:05d}:{self.station}"

    def entries(self, mutations: list[tuple[str, str, object]], entity: str) -> list[dict]:
        record = str(uuid.uuid4())
        stamp = self._stamp()
        insert = json.loads(json.dumps(self.templates[entity]))
        insert.update(id=record, hlc=stamp, station=self.station, epoch=self.epoch)
        insert["changes"].update(id=[None, record], hlc=[None, stamp])
        if "origin_station" in insert["changes"]:
            insert["changes"]["origin_station"] = [None, self.station]
        if entity == "household":  # a household of its own, not the template's namesake
            insert["changes"]["head_name"] = [None, f"Hộ Thử {self.count}"]
            insert["changes"]["head_name_key"] = [None, f"ho thu {self.count}"]
            insert["changes"]["citizen_id"] = [None, None]
        lines = [insert]
        for kind, name, value in mutations:
            if kind in ("new", "old"):
                pair = insert["changes"].setdefault(name, [None, None])
                pair[1 if kind == "new" else 0] = value
            elif kind == "drop":
                insert["changes"].pop(name, None)
            elif kind == "entry":
                insert[name] = value
            elif kind in ("update", "orphan"):
                target = record if kind == "update" else str(uuid.uuid4())
                lines.append(self._later(insert, target, {name: [None, value]}))
            elif kind == "delete":
                change = {"deleted_at": [None, value], "deleted_reason": [None, "chuyển đi"]}
                lines.append(self._later(insert, record, change))
        return lines

    def _later(self, insert: dict, record: str, changes: dict) -> dict:
        stamp = self._stamp()
        return {
            **{k: insert[k] for k in ("entity", "epoch", "station", "unit")},
            "op": "update",
            "id": record,
            "hlc": stamp,
            "changes": {**changes, "hlc": [None, stamp]},
        }

    def write(
        self,
        lines: list[dict],
        *,
        numbers: list[int] | None = None,
        claimed: int | None = None,
        edit: Callable[[dict], None] | None = None,
    ) -> Path:
        """`lines` signed in a bundle for the parent, numbered on from what it has of
        this station (or `numbers` on from it), the manifest claiming them all (or the
        range up to the `claimed`-th), then `edit`ed."""
        with self.parent.db.session() as session:
            origin = session.get(SyncOrigin, self.station)
            seen = origin.seen_upto if origin is not None else 0
        numbers = numbers or list(range(1, len(lines) + 1))
        for line, number in zip(lines, numbers, strict=True):
            line["seq"] = seen + number
        claimed = len(lines) if claimed is None else claimed
        manifest = {
            "format": bundle.FORMAT,
            "format_version": bundle.FORMAT_VERSION,
            "schema": self.sender.db.head_revision(),
            "bundle_id": str(uuid.uuid4()),
            "kind": "incremental",
            "created": "2026-11-23T00:00:00.000000",
            "producer": {"station": self.station, "unit": self.unit, "key": self.key_id,
                         "epoch": self.epoch},
            "recipient": self.parent.unit,
            "origins": {self.station: {"from": seen + 1, "to": seen + claimed,
                                       "count": claimed, "unit": self.unit}},
            "counts": dict(Counter(str(line.get("entity")) for line in lines)),
            "previous": None,
            "audit_head": None,
            "rotation": None,
            "rotations": [],
        }  # fmt: skip
        if edit is not None:
            edit(manifest)
        path = self.folder / f"loi-{uuid.uuid4().hex[:8]}.nhao"
        content = bundle.BundleContent(manifest, [bundle.canonical_line(x) for x in lines])
        bundle.write_bundle(path, content, signer=self.signer)
        return path


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # but tab and line breaks


def _read_as_people_do(node, folder: Path, records: set[str]) -> None:  # type: ignore[no-untyped-def]
    """Every household listed and shown as the window shows it, the text of `records`
    as nhao stores text (NFC, no control characters), and the register written out."""
    for view in households.list_households(node.db, node.actor, households.HouseholdQuery()):
        shown = households.get_household(node.db, node.actor, view.id)
        if view.id not in records:
            continue
        for text in (shown.head_name, shown.address, shown.notes, shown.phone):
            assert unicodedata.is_normalized("NFC", text), repr(text)
            assert CONTROL.search(text) is None, repr(text)
    export_register(node.db, node.actor, folder / "so-ho.xlsx")


def _templates(tree: Tree) -> dict[str, dict]:
    """Real inserts as hamlet A's nhao writes them, by entity: a household with every
    field filled, its inspection, a support case proposed for it and its first event."""
    home = tree.a.add_household(
        "Nguyễn Văn Ấn", citizen_id="020060000123", birth_year=1960, phone="0912345678"
    )
    inspections.add_inspection(
        tree.a.db, tree.a.actor, home,
        inspections.InspectionInput(inspected_on=date(2026, 3, 2), inspector="Lò Văn Tư",
                                    has_house=False, notes="Nhà tạm\nmái dột"),
    )  # fmt: skip
    cases.propose_case(tree.a.db, tree.a.actor, home, SupportKind.new_build, 2026)
    sent = tree.a.export(seal=False)
    assert tree.commune.take(sent)[0]["status"] == "applied"
    assert tree.province.take(tree.commune.export())[0]["status"] == "applied"
    with zipfile.ZipFile(sent) as zf:
        lines = [json.loads(x) for x in zf.read(bundle.CHANGES).splitlines()]
    found: dict[str, dict] = {}
    for line in lines:
        if line["op"] == "insert" and line["entity"] != "unit":
            found.setdefault(line["entity"], line)
    assert {"household", "inspection", "support_case"} <= found.keys(), sorted(found)
    return found


def _same_kind(value: object) -> st.SearchStrategy:
    """A value of the JSON type the template's field holds: past the type checks, into
    the rules and the merge."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(-(2**31), 2**31)
    if isinstance(value, float):
        return st.floats(allow_nan=False, allow_infinity=False)
    if isinstance(value, str):
        return st.one_of(st.just(value), TEXT, NEAR_MISSES)
    return VALUES


def _mutations(data: st.DataObject, template: dict) -> list[tuple[str, str, object]]:
    """Changes of a record's own fields, with values of their kind or of any kind."""
    own = template["changes"]
    field = st.sampled_from(sorted(own))
    kinds = field.flatmap(lambda name: st.tuples(st.just(name), _same_kind(own[name][1])))
    mutation = st.one_of(
        kinds.map(lambda pair: ("new", *pair)),
        kinds.map(lambda pair: ("update", *pair)),
        st.tuples(st.just("drop"), field, st.none()),
        st.tuples(st.sampled_from(["new", "old", "update"]), field | TEXT, VALUES),
        st.tuples(st.just("entry"), st.sampled_from(ENTRY_KEYS), ENTRY_VALUES),
        st.tuples(st.just("delete"), st.just("deleted_at"), NEAR_MISSES | st.none()),
    )
    return data.draw(st.lists(mutation, min_size=1, max_size=3), label="changes")


def _taken(node: Node, path: Path, sent: list[dict]) -> None:
    """What a parent must do with a faulty bundle: refuse it in one sentence, writing
    nothing, or apply it and stay whole."""
    before = state(node)
    report = node.take(path)[0]
    reason = report.get("reason", "")
    assert report["status"] in ("applied", "refused", "pending"), report
    assert "lỗi không mong đợi" not in reason, reason
    if report["status"] == "refused":
        assert path.name in reason, reason
        assert state(node) == before
    node.verify_clean()


@pytest.mark.fuzz
def test_whatever_a_faulty_station_signs_is_refused_whole_or_applied_and_goes_on_up(
    tree: Tree, tmp_path: Path
) -> None:
    templates = _templates(tree)
    faulty = FaultyStation(tree.a, tree.commune, templates, tmp_path)

    @FUZZ
    @given(st.data())
    def one_bundle(data: st.DataObject) -> None:
        entity = data.draw(st.sampled_from(sorted(templates)), label="entity")
        if entity == "household":
            mutations = data.draw(st.lists(MUTATIONS, min_size=1, max_size=3), label="changes")
        else:
            mutations = _mutations(data, templates[entity])
        lines = faulty.entries(mutations, entity)
        path = faulty.write(lines)
        _taken(tree.commune, path, lines)
        _read_as_people_do(tree.commune, tmp_path, {str(x.get("id")) for x in lines})
        relayed = tree.province.take(tree.commune.export())[0]
        assert relayed["status"] in ("applied", "skipped"), relayed
        tree.province.verify_clean()

    one_bundle()


FUND = ("donor", "pledge", "receipt", "payment", "case_support", "period_close")


def _fund_templates(tree: Tree) -> dict[str, dict]:
    """Real inserts of the commune's fund as its nhao writes them: a donor, a pledge, a
    receipt, a payment for a case approved with support from the fund, a period closed."""
    home = tree.a.add_household("Nguyễn Văn Ấn", birth_year=1960)
    case = cases.propose_case(tree.a.db, tree.a.actor, home, SupportKind.new_build, 2026)
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    commune = tree.commune
    cases.transition(commune.db, commune.actor, case.id, CaseStatus.reviewed, on=date.today())
    cases.transition(
        commune.db, commune.actor, case.id, CaseStatus.approved, on=date.today(),
        decision_no="15/QĐ-UBND", decision_date=date.today(),
        support={FundSource.state_budget: 40_000_000, FundSource.fund: 10_000_000},
    )  # fmt: skip
    donor = fund.add_donor(commune.db, commune.actor, "Công ty Phú Thành", phone="0912345678")
    pledge = fund.add_pledge(commune.db, commune.actor, donor.id, 20_000_000, date.today())
    fund.record_receipt(
        commune.db, commune.actor, donor.id, 20_000_000, date.today(), PaymentMethod.bank,
        bank_reference="FT2603", pledge_id=pledge.id,
    )  # fmt: skip
    fund.record_payment(
        commune.db, commune.actor, case.id, 5_000_000, date.today(), Instalment.advance,
        PaymentMethod.bank,
    )  # fmt: skip
    close_period(commune, "2025-12")
    sent = commune.export(seal=False)
    assert tree.province.take(sent)[0]["status"] == "applied"
    with zipfile.ZipFile(sent) as zf:
        lines = [json.loads(x) for x in zf.read(bundle.CHANGES).splitlines()]
    found: dict[str, dict] = {}
    for line in lines:
        if line["op"] == "insert" and line["entity"] in FUND:
            found.setdefault(line["entity"], line)
    assert set(FUND) <= found.keys(), sorted(found)
    return found


def _read_the_fund(node: Node) -> None:
    """The fund as the accountant's and the province's screens read it."""
    fund.fund_balance(node.db, node.actor)
    fund.outstanding_pledges(node.db, node.actor)
    fund.list_receipts(node.db, node.actor)
    fund.list_payments(node.db, node.actor)


@pytest.mark.fuzz
def test_whatever_a_faulty_commune_signs_of_its_fund_is_refused_whole_or_applied(
    tree: Tree, make_node, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The accountant's second laptop (a station of the commune, trusted at the province)
    with a fault: money records, vouchers and closed periods spoilt."""
    templates = _fund_templates(tree)
    second = make_node("commune-2", tree.commune.unit)
    trust(tree.province, second, "child")
    faulty = FaultyStation(second, tree.province, templates, tmp_path)

    @FUZZ
    @given(st.data())
    def one_bundle(data: st.DataObject) -> None:
        entity = data.draw(st.sampled_from(FUND), label="entity")
        lines = faulty.entries(_mutations(data, templates[entity]), entity)
        _taken(tree.province, faulty.write(lines), lines)
        _read_the_fund(tree.province)
        # The commune's own laptop is not held up by its other laptop's faults.
        later = tree.province.take(tree.commune.export())[0]
        assert later["status"] in ("applied", "skipped"), later

    one_bundle()
