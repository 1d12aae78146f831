"""The demo commune's data travels up like a real commune's: what `nhao demo` builds,
a district or province office (SQLite or PostgreSQL) takes."""

from __future__ import annotations

from sqlalchemy import select

from nhao.models import Target
from nhao.services import demo, users

from .conftest import COMMUNE, PASSWORD, PROVINCE, Node, trust


def test_a_province_takes_the_demo_commune_s_bundle(make_node, fresh_sqlite, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A commune sets the targets of its hamlets; its own come from above. A demo that
    wrote the commune's own targets had every bundle it sent up refused as a whole."""
    folder = tmp_path / "demo"
    db = fresh_sqlite(folder / "demo.sqlite")
    try:
        demo.build_demo(db, unit_code=COMMUNE, households=20, seed=3, password=PASSWORD)
        commune = Node("demo", db, users.authenticate(db, "admin", PASSWORD), folder, COMMUNE)
        province = make_node("province", PROVINCE)
        trust(province, commune, "child")
        trust(commune, province, "parent")

        [report] = province.take(commune.export(to=PROVINCE))

        assert report["status"] == "applied", report.get("reason")
        with commune.db.session() as session:
            targets = session.scalars(select(Target.unit_code)).all()
        assert targets and all(code.startswith(f"{COMMUNE}-") for code in targets)
        province.verify_clean()
    finally:
        db.dispose()
