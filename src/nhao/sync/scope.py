"""The administrative tree as sync sees it: which unit lies under which, and at
what level a unit (and so a station serving it) works."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from vietnam_provinces import Ward, WardCode

from nhao.domain.enums import UnitLevel
from nhao.domain.official_units import official_name
from nhao.models import Unit
from nhao.sync.rules import LEVEL_RANK


def commune_of(code: str) -> str:
    """The commune of a hamlet's code ("06112-3cde3333" → "06112"), or the code itself."""
    return code.split("-", 1)[0]


def unit_label(session: Session, code: str) -> str:
    """"Xã Bình Gia (06112)", from the unit table or the official list (a bundle from a
    commune the province has no unit row for still names it); "đơn vị 06112" when
    neither knows it."""
    name = session.scalar(select(Unit.name).where(Unit.code == code)) or official_name(code)
    return f"{name} ({code})" if name else f"đơn vị {code}"


class UnitTree:
    """Parents and levels from the local unit table, units arriving in the bundle,
    and the official list; hamlet codes carry their commune as a prefix."""

    def __init__(self, session: Session) -> None:
        self._parent: dict[str, str | None] = {}
        self._level: dict[str, UnitLevel] = {}
        self._name: dict[str, str] = {}
        rows = session.execute(select(Unit.code, Unit.parent_code, Unit.level, Unit.name))
        for code, parent, level, name in rows:
            self._parent[code] = parent
            self._level[code] = UnitLevel(level)
            self._name[code] = name

    def learn(
        self, code: str, parent: str | None, level: str | None, name: str | None = None
    ) -> None:
        """A unit described by the bundle; never overrides what is known here."""
        self._parent.setdefault(code, parent)
        if level:
            self._level.setdefault(code, UnitLevel(level))
        if name:
            self._name.setdefault(code, name)

    def label(self, code: str) -> str:
        """"Thôn Nà Pàn (06112-…)" in a sentence; the code alone when no name is known."""
        name = self._name.get(code) or official_name(code)
        return f"{name} ({code})" if name else code

    def named(self, code: str) -> str:
        """As label, "đơn vị 06112" when no name is known: for a sentence that does not
        say "đơn vị" before it."""
        label = self.label(code)
        return label if label != code else f"đơn vị {code}"

    def parent(self, code: str) -> str | None:
        if code in self._parent:
            return self._parent[code]
        if "-" in code:  # hamlet (or legacy district) ids are scoped: "<parent>-<suffix>"
            return code.rsplit("-", 1)[0]
        if code.isdigit() and len(code) == 5:
            try:
                return f"{int(Ward.from_code(WardCode(int(code))).province_code):02d}"
            except ValueError:
                return None
        return None

    def level(self, code: str) -> UnitLevel:
        if code in self._level:
            return self._level[code]
        if "-" in code:
            return UnitLevel.hamlet
        if code.isdigit() and len(code) == 2:
            return UnitLevel.province
        return UnitLevel.commune

    def rank(self, code: str) -> int:
        return LEVEL_RANK[self.level(code)]

    def within(self, code: str, root: str) -> bool:
        """Whether `code` is `root` or lies below it."""
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current not in seen:
            if current == root:
                return True
            seen.add(current)
            current = self.parent(current)
        return False

    def common(self, first: str, second: str) -> str:
        """The lowest unit that holds both (their commune, for two hamlets of one)."""
        seen: set[str] = set()
        current: str | None = first
        while current is not None and current not in seen:
            if self.within(second, current):
                return current
            seen.add(current)
            current = self.parent(current)
        return first  # not one tree: no unit here holds both, keep the first's own

    def strictly_above(self, upper: str, lower: str) -> bool:
        return upper != lower and self.within(lower, upper)
