"""voucher numbers: indexed, no longer unique per unit

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

A commune restored from an older backup (or copied to a second laptop) gives out
again the numbers it gave out after that backup. Its vouchers then reach the
district and province beside the ones already there with the same number. With a
unique constraint per unit the merge failed on them, and every later bundle of that
commune was refused for good. Both vouchers are real money, so a merging station
keeps both and lists the clash (nhao.services.sync.clashes).

The constraint cannot be narrowed to the issuing station instead: a restored
database writes its first vouchers under its old station id, and moves only their
change-log entries to the new epoch when it next exports. The station that issues
numbers keeps them single and gapless through its voucher counter; the index stays
for finding a number.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("receipt", "payment")
_NUMBER = ["unit_code", "voucher_year", "voucher_seq"]


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"uq_{table}_{'_'.join(_NUMBER)}"), type_="unique")
            batch.create_index(op.f(f"ix_{table}_voucher_number"), _NUMBER, unique=False)


def downgrade() -> None:
    # Fails on a database that holds a clash: one of the two vouchers has to be
    # voided and issued again before the database can go back.
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(op.f(f"ix_{table}_voucher_number"))
            batch.create_unique_constraint(op.f(f"uq_{table}_{'_'.join(_NUMBER)}"), _NUMBER)
