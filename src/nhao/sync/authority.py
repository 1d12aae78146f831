"""Who may bring what: scope (a unit's subtree; parents send only downward
entities and the steps decided above on their subtree's cases) and the level a change
needs (approvals, acceptances, period closes, targets). A bundle that breaks one of
these is refused as a whole."""

from __future__ import annotations

from dataclasses import dataclass

from nhao.domain import hlc
from nhao.domain.enums import UnitLevel
from nhao.models import RECORD_MODELS
from nhao.models.labels import entity_label, fields_named, step_label
from nhao.sync.bundle import BundleRefused
from nhao.sync.entry_values import HLC_TEXT
from nhao.sync.rules import LEVEL_RANK, rule_for, unit_renaming
from nhao.sync.scope import UnitTree

LOCAL_ONLY = frozenset({"app_user"})
MAX_AHEAD_MS = 24 * 3600 * 1000
OPS = frozenset({"insert", "update", "delete", "resolve"})


@dataclass(frozen=True)
class Sender:
    unit: str
    role: str  # child | parent
    file: str
    receiver: str = ""  # the receiving station's unit: what a parent's bundle is for


def _empty(value: object) -> bool:
    return value in (None, "", 0, False)


def scope_unit(entry: dict, known_codes: dict[tuple[str, str], str]) -> str:
    """The unit a change belongs to for scope: official units are scoped by the
    unit they describe (`code`), everything else by its owner (`unit_code`)."""
    rule = rule_for(entry["entity"])
    if "code" in rule.natural_key:
        new = entry["changes"].get("code")
        if new:
            return new[1]
        return known_codes.get((entry["entity"], entry["id"]), entry["unit"])
    return entry["unit"]


def check_entries(
    entries: list[dict],
    *,
    sender: Sender,
    origin_units: dict[str, str],
    tree: UnitTree,
    now_ms: int,
    known_codes: dict[tuple[str, str], str],
    present: set[tuple[str, str]],
) -> None:
    """Raise BundleRefused on the first change the sender or its origin may not bring.

    `present` holds (entity, natural key) of reference rows already here: those are
    the same official units every station creates for itself, not changes."""
    name = sender.file
    for entry in entries:
        entity = entry.get("entity")
        if entity not in RECORD_MODELS or entity in LOCAL_ONLY or entry.get("op") not in OPS:
            raise BundleRefused(
                f"Gói {name} chứa loại dữ liệu không được phép ({entity}).", stage="scope"
            )
        origin = entry["station"]
        if origin not in origin_units:
            raise BundleRefused(
                f"Gói {name} chứa thay đổi không có trong bản kê khai.", stage="scope"
            )
        if not HLC_TEXT.fullmatch(entry["hlc"]):  # compared as text: its shape matters
            raise BundleRefused(
                f"Gói {name} có thay đổi {entity} mang dấu thời gian sai dạng "
                f"“{entry['hlc'][:60]}”.",
                stage="scope",
            )
        if hlc.HLC.parse(entry["hlc"]).wall_ms > now_ms + MAX_AHEAD_MS:
            raise BundleRefused(
                f"Gói {name} có thay đổi ghi giờ vượt quá đồng hồ máy này hơn một ngày; "
                "hãy kiểm tra ngày giờ của máy gửi. Khi đã đúng, máy gửi xuất lại với lựa "
                "chọn “Đánh dấu lại thời gian” (nhao bundle export --restamp).",
                stage="scope",
            )
        rule = rule_for(entity)
        changes = entry["changes"]
        if rule.natural_key and _natural(entry, rule.natural_key) in present:
            continue
        unit = scope_unit(entry, known_codes)
        if sender.role == "parent":
            decision = rule.decided_above and entry["op"] != "resolve"
            renamed = unit_renaming(entity, entry["op"], changes)
            if not (rule.downward or decision or renamed or entry["op"] == "resolve"):
                raise BundleRefused(
                    f"Gói {name} từ cấp trên mang theo dữ liệu {entity_label(entity)}, "
                    "mà cấp trên chỉ được gửi chỉ tiêu, phân bổ, quyết định và tên đơn vị.",
                    stage="scope",
                )
            if (decision or renamed) and not tree.strictly_above(
                origin_units[origin], sender.receiver
            ):
                # What a hamlet did to its case is its own, not a decision sent down to it.
                raise BundleRefused(
                    f"Gói {name} từ cấp trên mang theo thay đổi {entity_label(entity)} do "
                    f"máy của {tree.label(origin_units[origin])} làm, mà cấp trên chỉ gửi "
                    "xuống chỉ tiêu, phân bổ, tên đơn vị và quyết định của cấp trên.",
                    stage="scope",
                )
            outside = sender.receiver and not tree.within(unit, sender.receiver)
            if (rule.downward or decision or renamed) and outside:
                raise BundleRefused(
                    f"Gói {name} từ cấp trên mang theo {entity_label(entity)} của "
                    f"{tree.label(unit)}, không phải của {tree.label(sender.receiver)} hay "
                    "đơn vị bên dưới; không có gì được ghi. Hãy nhờ nơi gửi xuất lại gói đầy "
                    "đủ (“Toàn bộ dữ liệu”, nhao bundle export --full): các gói sau gói này "
                    "chờ những số thứ tự của nó.",
                    stage="scope",
                )
        elif not tree.within(unit, sender.unit):
            raise BundleRefused(
                f"Gói {name} chứa bản ghi {entity_label(entity)} của {tree.named(unit)}, "
                f"nằm ngoài phạm vi của đơn vị gửi {tree.label(sender.unit)}.",
                stage="scope",
            )
        if rule.id_from is not None:
            _check_identity(entry, rule, name)
        if entity == "unit" and "code" in changes:
            tree.learn(
                changes["code"][1],
                (changes.get("parent_code") or [None, None])[1],
                (changes.get("level") or [None, None])[1],
                (changes.get("name") or [None, None])[1],
            )
        _check_level(entry, rule, origin_units[origin], tree, name)


def _check_identity(entry: dict, rule, name: str) -> None:  # type: ignore[no-untyped-def]
    """A row whose id its content makes carries that id, and keeps that content."""
    entity, changes = entry["entity"], entry["changes"]
    if entry["op"] == "insert":
        values = {field: change[1] for field, change in changes.items()}
        if rule.id_from(values) != entry["id"]:
            raise BundleRefused(
                f"Gói {name} chứa bản ghi {entity_label(entity)} {entry['id']} có mã không "
                "khớp với nội "
                "dung của nó.",
                stage="scope",
            )
    elif any(changes[f][0] != changes[f][1] for f in rule.fixed if f in changes):
        raise BundleRefused(
            f"Gói {name} đổi {', '.join(sorted(rule.fixed & changes.keys()))} của bản ghi "
            f"{entity_label(entity)} {entry['id']}, mà các trường này không được đổi.",
            stage="scope",
        )


def _natural(entry: dict, key: tuple[str, ...]) -> tuple[str, str]:
    changes = entry["changes"]
    values = tuple(str((changes.get(k) or [None, None])[1]) for k in key)
    return entry["entity"], "|".join(values)


def _check_level(entry: dict, rule, origin_unit: str, tree: UnitTree, name: str) -> None:  # type: ignore[no-untyped-def]
    rank = tree.rank(origin_unit)
    entity = entry["entity"]

    def refuse(what: str) -> None:
        raise BundleRefused(
            f"Gói {name} bị từ chối: mang theo {what} do máy của {tree.label(origin_unit)} "
            "làm, mà cấp này không được làm việc đó.",
            stage="authority",
        )

    if rule.min_level is not None and rank < LEVEL_RANK[rule.min_level]:
        refuse(f"dữ liệu {entity_label(entity)}")
    if rule.from_above and not tree.strictly_above(origin_unit, entry["unit"]):
        refuse(f"dữ liệu {entity_label(entity)} của {tree.named(entry['unit'])}")
    if not (rule.guarded_fields or rule.guarded_moves):
        return  # most entities: nothing more to look at, field by field
    changes = entry["changes"]
    for field, (old, new) in changes.items():
        needed = rule.guarded_fields.get(field)
        if needed is not None and new != old and not _empty(new) and rank < LEVEL_RANK[needed]:
            refuse(f"thay đổi {entity_label(entity)} ({fields_named(entity, [field])})")
        guarded = rule.guarded_moves.get(field)
        if guarded is None or new == old or not isinstance(new, str):
            continue
        from_field, needs_level, level = guarded
        moved_from = old if from_field is None else (changes.get(from_field) or [None, None])[1]
        if needs_level(moved_from, new) and rank < LEVEL_RANK[level]:
            moved_to = step_label(new)
            refuse(f"thay đổi {entity_label(entity)} ({fields_named(entity, [field])}: {moved_to})")


def level_of(tree: UnitTree, unit: str) -> UnitLevel:
    return tree.level(unit)
