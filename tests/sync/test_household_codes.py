"""The household code ("Mã hộ") travels with its household: a code a list gave, the
derived one of a household made on a hamlet laptop, and one imported in bulk."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select
from tests.imports.conftest import make_xlsx

from nhao.domain.household_code import derived_household_code
from nhao.models import Household
from nhao.services.household_import import ImportOptions, import_file

from .conftest import Node, Tree


def codes(node: Node) -> dict[str, str | None]:
    with node.db.session() as session:
        return {str(h.id): h.household_code for h in session.scalars(select(Household))}


def test_a_household_made_on_a_hamlet_laptop_arrives_with_its_code(
    tree: Tree, tmp_path: Path
) -> None:
    typed = tree.a.add_household("Lò Văn Páo")
    listed = tree.a.add_household("Hoàng Thị Dung", household_code="BG-0012")
    path = make_xlsx(tmp_path / "ds.xlsx", [
        ["STT", "Mã hộ", "Họ và tên chủ hộ", "Năm sinh"],
        [1, None, "Vi Văn Tài", 1970],
        [2, "BG-0013", "Nông Thị Hoa", 1980],
    ])
    report = import_file(tree.a.db, tree.a.actor, path, ImportOptions())
    assert report.imported == 2
    sent = codes(tree.a)
    assert sent[typed] == derived_household_code(uuid.UUID(typed))
    assert sent[listed] == "BG-0012"
    assert "BG-0013" in sent.values() and None not in sent.values()
    tree.commune.take(tree.a.export())
    assert codes(tree.commune) == sent
    assert tree.commune.household(typed).household_code == sent[typed]
    tree.a.verify_clean()
    tree.commune.verify_clean()
