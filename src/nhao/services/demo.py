"""A demo commune in Lạng Sơn: hamlets, households, inspections, cases in every status,
targets and a fund with pledges, receipts and payments.

Everything is planned first from one `random.Random(seed)` (same seed, same data),
then written through the services' unit-of-work functions, so the audit trail and the
change log pin every record exactly as if people had typed it. Writes are batched in a
few transactions (one per hamlet, one per actor's step) to stay fast.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from nhao.domain.eligibility import EligibilityFacts, check_eligibility
from nhao.domain.enums import (
    ENDED_WITHOUT_SUPPORT,
    CaseStatus,
    Category,
    FundSource,
    Instalment,
    Need,
    PaymentMethod,
    Role,
    Sex,
    SupportKind,
)
from nhao.domain.errors import ValidationError
from nhao.domain.settings import ProgrammeSettings
from nhao.models import Target
from nhao.models.database import Database
from nhao.services import accounts, cases, fund, setup, units, users
from nhao.services.actor import Actor
from nhao.services.demo_data import (
    DESIGNS,
    DONORS,
    HAMLETS,
    IN_KIND_GIFTS,
    MATERIALS,
    NAMES,
    PHONE_PREFIXES,
    REASONS,
)
from nhao.services.households import HouseholdInput, check_household, insert_household
from nhao.services.inspections import InspectionInput, StructureInput, assess, insert_inspection
from nhao.services.unit_of_work import unit_of_work

DEFAULT_TODAY = date(2025, 11, 30)
S = CaseStatus
# Norms of the 2025 campaign (DESIGN.md §2): state part + fund part per house.
NORMS = {SupportKind.new_build: (40_000_000, 20_000_000),
         SupportKind.repair: (20_000_000, 10_000_000)}
ADVANCE_PERCENT = 70  # 70 % when the foundation is done, the rest on completion
CHAINS = {
    S.proposed: [S.proposed],
    S.reviewed: [S.proposed, S.reviewed],
    S.rejected: [S.proposed, S.reviewed, S.rejected],
    S.handed_over: [S.proposed, S.reviewed, S.approved, S.started, S.completed, S.accepted,
                    S.handed_over],
}
STATUS_WEIGHTS = {S.proposed: 12, S.reviewed: 10, S.approved: 10, S.started: 14, S.completed: 10,
                  S.accepted: 8, S.handed_over: 22, S.rejected: 6, S.cancelled: 6}
STEP_DAYS = {S.reviewed: (10, 25), S.approved: (10, 30), S.started: (15, 45),
             S.completed: (45, 110), S.accepted: (5, 15), S.handed_over: (1, 10),
             S.rejected: (10, 25), S.cancelled: (20, 60)}


@dataclass(frozen=True)
class DemoSummary:
    unit_code: str
    unit_name: str
    hamlets: int
    users: int
    households: int
    inspections: int
    cases: int
    cases_by_status: Mapping[CaseStatus, int]
    targets: int
    donors: int
    pledges: int
    receipts: int
    payments: int
    voided: int
    seconds: float

    def describe(self) -> str:
        return (
            f"{self.unit_name}, {self.hamlets} thôn, {self.households} hộ, "
            f"{self.inspections} lần khảo sát, {self.cases} hồ sơ hỗ trợ, "
            f"{self.receipts} phiếu thu, {self.payments} phiếu chi"
        )


@dataclass
class _House:
    hamlet: int
    data: HouseholdInput
    inspection: InspectionInput | None
    need: Need | None = None
    eligible: bool = False


@dataclass
class _Case:
    house: int
    kind: SupportKind
    year: int
    design: str
    steps: list[tuple[CaseStatus, date]]
    support: dict[FundSource, int]
    area: float
    reason: str = ""
    payments: list[tuple[date, Instalment, PaymentMethod, int]] = field(default_factory=list)


def _pick(rng: random.Random, weights: Mapping) -> object:  # type: ignore[type-arg]
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


# -- planning: households and their houses --------------------------------------------


def _person(rng: random.Random, ethnicity: str, sex: Sex) -> str:
    surnames, male_mid, female_mid, male, female = NAMES[ethnicity]
    if sex is Sex.male:
        return f"{rng.choice(surnames)} {rng.choice(male_mid)} {rng.choice(male)}"
    return f"{rng.choice(surnames)} {rng.choice(female_mid)} {rng.choice(female)}"


def _citizen_id(rng: random.Random, birth_year: int, sex: Sex, used: set[str]) -> str:
    # 020 is Lạng Sơn; the 4th digit encodes century and sex, then the year's last two.
    century = 0 if birth_year < 2000 else 2
    while True:
        code = century + (sex is Sex.female)
        number = f"020{code}{birth_year % 100:02d}{rng.randint(0, 999_999):06d}"
        if number not in used:
            used.add(number)
            return number


def _categories(rng: random.Random) -> frozenset[Category]:
    r = rng.random()
    found = {Category.poor} if r < 0.55 else {Category.near_poor} if r < 0.85 else set()
    for category, chance in ((Category.revolutionary_merit, 0.04), (Category.policy_family, 0.06),
                             (Category.disaster_hit, 0.06), (Category.other_hardship, 0.04)):
        if rng.random() < chance:
            found.add(category)
    return frozenset(found)


def _structure(rng: random.Random, part: str, durable: bool, damaged: bool = False):  # type: ignore[no-untyped-def]
    return StructureInput(durable, damaged, rng.choice(MATERIALS[part][durable]))


def _inspection(rng: random.Random, members: int, on: date, inspector: str) -> InspectionInput:
    kind = _pick(rng, {"temporary": 30, "dilapidated": 18, "deficient": 7, "none": 2, "ok": 43})
    parts = ["foundation", "frame_walls", "roof"]
    durable = dict.fromkeys(parts, True)
    damaged = dict.fromkeys(parts, False)
    roomy = max(30.0, 8.0 * members)
    area = roomy + rng.randint(2, 40)
    if kind == "temporary":
        for part in rng.sample(parts, rng.choice((2, 2, 3))):
            durable[part] = False
        area = rng.randint(16, 48)
    elif kind == "dilapidated":
        damaged[rng.choice(parts)] = True
        area = max(32.0, roomy) + rng.randint(0, 25)
    elif kind == "deficient":
        limit = 18.0 if members == 1 else min(30.0, 8.0 * members)
        area = max(6.0, limit - rng.randint(2, 9))
    note = "Mái dột nhiều chỗ, tường nứt" if kind == "dilapidated" else ""
    return InspectionInput(
        inspected_on=on, inspector=inspector, has_house=kind != "none",
        **{p: _structure(rng, p, durable[p], damaged[p]) for p in parts},
        usable_area_m2=float(area), members=members, notes=note,
    )


def _plan_households(
    rng: random.Random, hamlets: list[units.UnitView], count: int, today: date, commune: str,
    leaders: list[str],
) -> list[_House]:
    weights = [h[1] for h in HAMLETS]
    shares = [count * w / sum(weights) for w in weights]
    sizes = [int(s) for s in shares]
    for i in sorted(range(len(shares)), key=lambda i: sizes[i] - shares[i])[: count - sum(sizes)]:
        sizes[i] += 1
    used: set[str] = set()
    houses: list[_House] = []
    for index, (hamlet, size) in enumerate(zip(hamlets, sizes, strict=True)):
        for _ in range(size):
            ethnicity = str(_pick(rng, HAMLETS[index][2]))
            sex = Sex.male if rng.random() < 0.78 else Sex.female
            birth_year = rng.randint(1938, 1999) if rng.random() < 0.96 else rng.randint(2000, 2004)
            r = rng.random()
            if r < 0.04:
                citizen_id = ""
            elif len(houses) in (7, 211):  # one or two heads still on the old 9-digit CMND
                citizen_id = f"08{rng.randint(0, 9_999_999):07d}"
            else:
                citizen_id = _citizen_id(rng, birth_year, sex, used)
            categories = _categories(rng)
            members = rng.choices(range(1, 9), weights=(6, 12, 18, 24, 18, 12, 6, 4))[0]
            lawful = rng.random() < 0.96
            phone = ""
            if rng.random() < 0.8:
                phone = f"{rng.choice(PHONE_PREFIXES)}{rng.randint(0, 9_999_999):07d}"
            data = HouseholdInput(
                hamlet_code=hamlet.code, head_name=_person(rng, ethnicity, sex),
                citizen_id=citizen_id, birth_year=birth_year, sex=sex, ethnicity=ethnicity,
                phone=phone, address=f"{hamlet.name}, {commune}", categories=categories,
                poverty_list_year=(
                    rng.choice((today.year - 1, today.year))
                    if categories & {Category.poor, Category.near_poor} else None
                ),
                members=members, lawful_land_use=lawful,
                land_certificate=lawful and rng.random() < 0.75,
                land_dispute=rng.random() < 0.02, hazard_zone=rng.random() < 0.03,
                certified_able_to_build=rng.random() < 0.85,
                notes="Hộ có người khuyết tật" if rng.random() < 0.05 else "",
            )
            inspection = None
            if rng.random() < 0.92:
                on = _day(rng, date(today.year - 2, 10, 1), date(today.year - 2, 12, 20))
                inspection = _inspection(rng, members, on, leaders[index])
            houses.append(_House(index, data, inspection))
    return houses


# -- planning: cases and money ------------------------------------------------------------


def _statuses(rng: random.Random, n: int) -> list[CaseStatus]:
    chosen = list(CaseStatus)[:n] + [_pick(rng, STATUS_WEIGHTS) for _ in range(n - len(S))]
    rng.shuffle(chosen)
    return chosen  # type: ignore[return-value]


def _chain(rng: random.Random, final: CaseStatus) -> list[CaseStatus]:
    if final is S.cancelled:
        start = [S.proposed] if rng.random() < 0.5 else [S.proposed, S.reviewed, S.approved]
        return [*start, S.cancelled]
    full = CHAINS[S.handed_over]
    return CHAINS.get(final) or full[: full.index(final) + 1]


def _plan_cases(rng: random.Random, houses: list[_House], today: date) -> list[_Case]:
    needy = [i for i, h in enumerate(houses) if h.eligible and h.need is not Need.none]
    count = min(len(needy), max(len(S), round(len(needy) * 0.35)))
    chosen = sorted(rng.sample(needy, count))
    plans = []
    for index, final in zip(chosen, _statuses(rng, count), strict=True):
        house = houses[index]
        kind = SupportKind(house.need.value)  # type: ignore[union-attr]
        year = today.year
        if final is S.handed_over and rng.random() < 0.4:
            year -= 1
        elif final in (S.proposed, S.reviewed) or (final is S.rejected and rng.random() < 0.5):
            year += 1
        first = date(year, 1, 10) if year <= today.year else date(today.year, 9, 1)
        on = min(_day(rng, first, first + timedelta(days=60)), today)
        steps = [(S.proposed, on)]
        for status in _chain(rng, final)[1:]:
            low, high = STEP_DAYS[status]
            on = min(on + timedelta(days=rng.randint(low, high)), today)
            steps.append((status, on))
        state, part = NORMS[kind]
        state_source = FundSource.state_budget
        if house.data.ethnicity != "Kinh" and rng.random() < 0.4:
            state_source = FundSource.target_programme_ethnic
        support = {state_source: state, FundSource.fund: part}
        if kind is SupportKind.new_build and rng.random() < 0.3:
            support[FundSource.household] = rng.randint(10, 40) * 1_000_000
        inspected = (house.inspection.usable_area_m2 or 0.0) if house.inspection else 0.0
        area = rng.randint(36, 60) + 0.5 * rng.randint(0, 1) if kind is SupportKind.new_build \
            else max(30.0, inspected)
        plan = _Case(index, kind, year, rng.choice(DESIGNS[kind]), steps, support, area,
                     rng.choice(REASONS[final]) if final in REASONS else "")
        reached = dict(steps)
        advance = round(part * ADVANCE_PERCENT // 100, -3)  # ints only: money
        for status, instalment, amount in ((S.started, Instalment.advance, advance),
                                           (S.completed, Instalment.final, part - advance)):
            if status in reached and final is not S.cancelled:
                when = min(reached[status] + timedelta(days=rng.randint(3, 12)), today)
                method = PaymentMethod.bank if rng.random() < 0.7 else PaymentMethod.cash
                plan.payments.append((when, instalment, method, amount))
        plans.append(plan)
    return plans


# -- writing ---------------------------------------------------------------------------------


def _write_hamlet(db: Database, actor: Actor, houses: list[tuple[int, _House]],
                  plans: list[tuple[int, _Case]], settings: ProgrammeSettings,
                  today: date) -> tuple[dict[int, str], dict[int, object]]:
    """One transaction per hamlet: its households, inspections and proposals."""
    ids: dict[int, str] = {}
    case_rows: dict[int, object] = {}
    with unit_of_work(db, actor) as uow:
        for index, house in houses:
            check = check_household(house.data, today)
            if check.errors:  # a bug in the plan, not a person's typing
                raise ValidationError(message=str(check.errors), field=None)
            row = insert_household(uow, house.data)
            ids[index] = str(row.id)
            if house.inspection is not None:
                insert_inspection(uow, row, house.inspection, settings)
        for number, plan in plans:
            data = cases.CaseInput(ids[plan.house], plan.kind, plan.year, plan.design)
            case_rows[number] = cases.insert_case(uow, data, plan.steps[0][1], today=today)
    return ids, case_rows


def _move_cases(db: Database, admin: Actor, plans: list[_Case], case_ids: list[str],
                settings: ProgrammeSettings, today: date) -> None:
    decisions: dict[tuple[int, int], str] = {}
    with unit_of_work(db, admin) as uow:
        for plan, case_id in zip(plans, case_ids, strict=True):
            case = cases.load_case(uow.session, case_id, admin)
            for status, on in plan.steps[1:]:
                extra: dict[str, object] = {}
                if status is S.approved:
                    number = decisions.setdefault(
                        (on.year, on.month), f"{35 + 12 * len(decisions)}/QĐ-UBND")
                    extra = {"decision_no": number, "decision_date": on, "support": plan.support}
                elif status is S.accepted:
                    extra = {"acceptance": cases.AcceptanceInput(
                        plan.area, True, True, True, 30 if plan.kind is SupportKind.new_build
                        else 20, "Ban Chỉ đạo xã; Tổ trưởng tổ công tác thôn; chủ hộ")}
                reason = plan.reason if status in ENDED_WITHOUT_SUPPORT else ""
                cases.apply_transition(uow, case, status, on=on, reason=reason,
                                       settings=settings, today=today, **extra)  # type: ignore[arg-type]


def _write_targets(db: Database, admin: Actor, hamlets: list[str], houses: list[_House],
                   plans: list[_Case], today: date) -> int:
    """The commune's yearly targets for each of its hamlets: a commune's own targets are
    set from above, so a bundle carrying them would be refused by the district or
    province."""
    live = Counter((houses[p.house].hamlet, p.year, p.kind) for p in plans
                   if p.steps[-1][0] not in ENDED_WITHOUT_SUPPORT)
    years = range(today.year - 1, today.year + 2)
    with unit_of_work(db, admin) as uow:
        for index, hamlet in enumerate(hamlets):
            for year in years:
                uow.insert(Target(unit_code=hamlet, year=year,
                                  new_builds=live[(index, year, SupportKind.new_build)] + 1,
                                  repairs=max(1, live[(index, year, SupportKind.repair)])),
                           summary=f"Chỉ tiêu năm {year}")
    return len(hamlets) * len(years)


def _write_fund(db: Database, accountant: Actor, rng: random.Random, plans: list[_Case],
                case_ids: list[str], today: date) -> tuple[int, int, int, int, int]:
    """Donors and pledges, receipts in date order, then payments in date order."""
    payments = sorted((p[0], i, p) for i, plan in enumerate(plans) for p in plan.payments)
    by_year: Counter[int] = Counter()
    for on, _, p in payments:
        by_year[on.year] += p[3]
    payable = [case_ids[i] for i, p in enumerate(plans)
               if S.started in dict(p.steps) and p.steps[-1][0] is not S.cancelled]
    receipts: list[tuple[date, int, dict]] = []  # (day, order, arguments of issue_receipt)
    issued = Counter[str]()
    with unit_of_work(db, accountant) as uow:
        province = fund.insert_donor(uow, "Ban Vận động Quỹ “Vì người nghèo” tỉnh Lạng Sơn",
                                     fund.DonorKind.organisation, address="TP Lạng Sơn")
        for year, need in sorted(by_year.items()):
            # The province's allocation covers the year's payments, so the cash book
            # never goes below zero on any day.
            receipts.append((date(year, 1, 5), len(receipts), dict(
                donor_id=province.id, amount=-(-need // 10_000_000) * 10_000_000,
                method=PaymentMethod.bank, bank_reference=_bank_ref(rng, date(year, 1, 5)))))
        for n, (name, kind, low, high) in enumerate(DONORS):
            donor = fund.insert_donor(uow, name, fund.DonorKind(kind))
            amount = rng.randint(low, high) * 500_000
            day = _day(rng, date(today.year - 1, 10, 17), today - timedelta(days=20))
            designated = payable[n % len(payable)] if payable and n % 7 == 3 else None
            pledge = None
            if kind != "person" or rng.random() < 0.3:
                pledge = fund.insert_pledge(uow, donor.id, amount, day, designated, today=today)
                issued["pledges"] += 1
            share = 1.0 if pledge is None else float(_pick(rng, {1.0: 60, 0.5: 25, 0.0: 15}))
            if share:
                paid_on = min(day + timedelta(days=rng.randint(0, 20)), today)
                bank = kind != "person"
                receipts.append((paid_on, len(receipts), dict(
                    donor_id=donor.id, amount=int(amount * share),
                    method=PaymentMethod.bank if bank else PaymentMethod.cash,
                    bank_reference=_bank_ref(rng, paid_on) if bank else "",
                    pledge_id=pledge.id if pledge else None,
                    designated_case_id=None if pledge else designated)))
            if n < len(IN_KIND_GIFTS) and kind == "company":
                what, value = IN_KIND_GIFTS[n]
                receipts.append((day, len(receipts), dict(
                    donor_id=donor.id, amount=value, method=PaymentMethod.in_kind,
                    in_kind_description=what)))
        receipts.sort(key=lambda r: (r[0], r[1]))
        for n, (day, _, arguments) in enumerate(receipts):
            if n == 3:  # a typo, voided and written again, as the accountant would
                wrong = fund.issue_receipt(uow, on=day, today=today,
                                           **{**arguments, "amount": arguments["amount"] * 10})
                fund.void_voucher(uow, wrong, "Ghi sai số tiền (thừa một chữ số 0)")
                issued["receipts"] += 1
                issued["voided"] += 1
            fund.issue_receipt(uow, on=day, today=today, **arguments)
            issued["receipts"] += 1
        for n, (on, index, (_, instalment, method, amount)) in enumerate(payments):
            if n == 0:
                wrong = fund.issue_payment(uow, case_ids[index], amount, on, instalment,
                                           PaymentMethod.cash, today=today)
                fund.void_voucher(uow, wrong, "Ghi nhầm hình thức chi; chi lại bằng chuyển khoản")
                issued["payments"] += 1
                issued["voided"] += 1
                method = PaymentMethod.bank
            fund.issue_payment(uow, case_ids[index], amount, on, instalment, method, today=today)
            issued["payments"] += 1
    return (len(DONORS) + 1, issued["pledges"], issued["receipts"], issued["payments"],
            issued["voided"])


def _bank_ref(rng: random.Random, on: date) -> str:
    """A transfer reference as banks print it on the statement."""
    return f"FT{on.year % 100:02d}{on.timetuple().tm_yday:03d}{rng.randint(0, 10**7 - 1):07d}"


def build_demo(db: Database, *, unit_code: str = "06112", households: int = 400, seed: int = 1,
               password: str = "demo", today: date | None = None) -> DemoSummary:
    """Fill an empty, migrated database with a demo commune; the same seed gives the same data."""
    started = time.perf_counter()
    rng = random.Random(seed)
    today = today or DEFAULT_TODAY
    init = setup.initialize(db, unit_code=unit_code, admin_username="admin",
                            admin_password=password, admin_full_name="Hoàng Văn Quý")
    admin = users.authenticate(db, "admin", password)
    hamlets = units.add_hamlets(db, admin, [h[0] for h in HAMLETS])
    leaders = [_person(rng, "Tày" if i % 3 else "Nùng", Sex.male) for i in range(len(hamlets))]
    made = [
        accounts.add_account(
            db, admin, password, username=name, password=password, role=role,
            full_name=full, hamlet_code=hamlet,
        ).account.user
        for name, role, full, hamlet in (
            ("totruong", Role.team_leader, leaders[0], hamlets[0].code),
            ("ketoan", Role.accountant, "Lương Thị Thu Hà", None),
            ("xem", Role.viewer, "Nông Văn Đức", None),
        )
    ]  # the team leader and the accountant are handed the station's signing key
    team, accountant = (Actor(u.id, u.username, u.role, u.full_name, u.hamlet_code)
                        for u in made[:2])
    settings = ProgrammeSettings()  # a new database has no settings of its own yet
    houses = _plan_households(rng, hamlets, households, today, init.unit_name, leaders)
    for house in houses:
        if house.inspection is not None:
            outcome = assess(house.inspection, settings)
            house.need = outcome.need
            house.eligible = check_eligibility(EligibilityFacts(
                house.data.categories, house.data.lawful_land_use, house.data.land_dispute,
                house.data.hazard_zone, house.data.certified_able_to_build,
                outcome.classification.house_class)).eligible
    plans = _plan_cases(rng, houses, today)
    case_rows: dict[int, object] = {}
    for index in range(len(hamlets)):
        mine = [(i, h) for i, h in enumerate(houses) if h.hamlet == index]
        theirs = [(n, p) for n, p in enumerate(plans) if houses[p.house].hamlet == index]
        _, rows = _write_hamlet(db, team if index == 0 else admin, mine, theirs, settings, today)
        case_rows |= rows
    case_ids = [str(case_rows[n].id) for n in range(len(plans))]  # type: ignore[attr-defined]
    _move_cases(db, admin, plans, case_ids, settings, today)
    targets = _write_targets(db, admin, [h.code for h in hamlets], houses, plans, today)
    donors, pledges, receipts, payments, voided = _write_fund(
        db, accountant, rng, plans, case_ids, today)
    return DemoSummary(
        unit_code=init.unit_code, unit_name=init.unit_name, hamlets=len(hamlets), users=4,
        households=len(houses), inspections=sum(h.inspection is not None for h in houses),
        cases=len(plans), cases_by_status=Counter(p.steps[-1][0] for p in plans),
        targets=targets, donors=donors, pledges=pledges, receipts=receipts, payments=payments,
        voided=voided, seconds=time.perf_counter() - started,
    )
