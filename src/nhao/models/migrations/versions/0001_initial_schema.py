"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sqlite_check(text: str, name: str) -> sa.CheckConstraint:
    """Money stays integer in SQLite (which would store anything); PostgreSQL's
    BIGINT already guarantees it."""
    return sa.CheckConstraint(text, name=name).ddl_if(dialect="sqlite")


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("hamlet_code", sa.String(length=64), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_user_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "audit_event",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("user_name", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("record_hash", sa.String(length=64), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_record", ["entity", "record_id"], unique=False)

    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
        sa.UniqueConstraint("station_id", "seq", name=op.f("uq_change_log_station_id_seq")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index("ix_change_log_record", ["entity", "record_id"], unique=False)

    op.create_table(
        "donor",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_donor")),
    )
    with op.batch_alter_table("donor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_donor_name_key"), ["name_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_donor_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "household",
        sa.Column("head_name", sa.String(length=200), nullable=False),
        sa.Column("head_name_key", sa.String(length=200), nullable=False),
        sa.Column("citizen_id", sa.String(length=12), nullable=True),
        sa.Column("citizen_id_kind", sa.String(length=8), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("sex", sa.String(length=8), nullable=True),
        sa.Column("ethnicity", sa.String(length=60), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("is_poor", sa.Boolean(), nullable=False),
        sa.Column("is_near_poor", sa.Boolean(), nullable=False),
        sa.Column("is_revolutionary_merit", sa.Boolean(), nullable=False),
        sa.Column("is_policy_family", sa.Boolean(), nullable=False),
        sa.Column("is_disaster_hit", sa.Boolean(), nullable=False),
        sa.Column("is_other_hardship", sa.Boolean(), nullable=False),
        sa.Column("poverty_list_year", sa.Integer(), nullable=True),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("lawful_land_use", sa.Boolean(), nullable=False),
        sa.Column("land_certificate", sa.Boolean(), nullable=False),
        sa.Column("land_dispute", sa.Boolean(), nullable=False),
        sa.Column("hazard_zone", sa.Boolean(), nullable=False),
        sa.Column("certified_able_to_build", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("latest_house_class", sa.String(length=20), nullable=True),
        sa.Column("latest_need", sa.String(length=20), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
    )
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_citizen_id"), ["citizen_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_household_head_name_key"), ["head_name_key"], unique=False
        )
        batch_op.create_index("ix_household_house_class", ["latest_house_class"], unique=False)
        batch_op.create_index("ix_household_need", ["latest_need"], unique=False)
        batch_op.create_index(batch_op.f("ix_household_unit_code"), ["unit_code"], unique=False)
        batch_op.create_index("ix_household_unit_live", ["unit_code", "deleted_at"], unique=False)

    op.create_table(
        "period_close",
        sa.Column("account", sa.String(length=10), nullable=False),
        sa.Column("period_key", sa.String(length=10), nullable=False),
        sa.Column("statement_balance", sa.BigInteger(), nullable=False),
        sa.Column("book_balance", sa.BigInteger(), nullable=False),
        sa.Column("closed_by", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        _sqlite_check(
            "typeof(book_balance) = 'integer'", name=op.f("ck_period_close_book_balance_integer")
        ),
        _sqlite_check(
            "typeof(statement_balance) = 'integer'",
            name=op.f("ck_period_close_statement_balance_integer"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_close")),
        sa.UniqueConstraint(
            "unit_code",
            "account",
            "period_key",
            name=op.f("uq_period_close_unit_code_account_period_key"),
        ),
    )
    with op.batch_alter_table("period_close", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_period_close_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "station",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("is_self", sa.Boolean(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hlc", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station")),
    )
    op.create_table(
        "target",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("new_builds", sa.Integer(), nullable=False),
        sa.Column("repairs", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
        sa.UniqueConstraint("unit_code", "year", name=op.f("uq_target_unit_code_year")),
    )
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "unit",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("code", name=op.f("uq_unit_code")),
    )
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_name_key"), ["name_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_unit_parent_code"), ["parent_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_unit_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "voucher_counter",
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("book", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("unit_code", "book", "year", name=op.f("pk_voucher_counter")),
    )
    op.create_table(
        "inspection",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("inspector", sa.String(length=200), nullable=False),
        sa.Column("has_house", sa.Boolean(), nullable=False),
        sa.Column("foundation_durable", sa.Boolean(), nullable=True),
        sa.Column("foundation_damaged", sa.Boolean(), nullable=False),
        sa.Column("foundation_material", sa.String(length=120), nullable=False),
        sa.Column("frame_walls_durable", sa.Boolean(), nullable=True),
        sa.Column("frame_walls_damaged", sa.Boolean(), nullable=False),
        sa.Column("frame_walls_material", sa.String(length=120), nullable=False),
        sa.Column("roof_durable", sa.Boolean(), nullable=True),
        sa.Column("roof_damaged", sa.Boolean(), nullable=False),
        sa.Column("roof_material", sa.String(length=120), nullable=False),
        sa.Column("usable_area_m2", sa.Float(), nullable=True),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("house_class", sa.String(length=20), nullable=False),
        sa.Column("suggested_need", sa.String(length=20), nullable=False),
        sa.Column("need", sa.String(length=20), nullable=False),
        sa.Column("need_override_reason", sa.String(length=500), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_inspection_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection")),
    )
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inspection_household_date", ["household_id", "inspected_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inspection_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "support_case",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("planned_year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_reason", sa.String(length=500), nullable=False),
        sa.Column("decision_no", sa.String(length=100), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("design_model", sa.String(length=200), nullable=False),
        sa.Column("labour_days", sa.Integer(), nullable=False),
        sa.Column("materials_given", sa.Text(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("accepted_area_m2", sa.Float(), nullable=True),
        sa.Column("accepted_foundation_durable", sa.Boolean(), nullable=True),
        sa.Column("accepted_frame_walls_durable", sa.Boolean(), nullable=True),
        sa.Column("accepted_roof_durable", sa.Boolean(), nullable=True),
        sa.Column("expected_lifespan_years", sa.Integer(), nullable=True),
        sa.Column("acceptance_team", sa.Text(), nullable=False),
        sa.Column("handed_over_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_support_case_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_case")),
    )
    with op.batch_alter_table("support_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_support_case_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_support_case_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_support_case_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "attachment",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("caption", sa.String(length=500), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=True),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["support_case.id"], name=op.f("fk_attachment_case_id_support_case")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_attachment_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_attachment_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attachment_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachment_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "case_status_event",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("actor_name", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("decision_no", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["support_case.id"], name=op.f("fk_case_status_event_case_id_support_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_status_event")),
    )
    with op.batch_alter_table("case_status_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_status_event_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_status_event_unit_code"), ["unit_code"], unique=False
        )

    op.create_table(
        "case_support",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        _sqlite_check("typeof(amount) = 'integer'", name=op.f("ck_case_support_amount_integer")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["support_case.id"], name=op.f("fk_case_support_case_id_support_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_support")),
        sa.UniqueConstraint("case_id", "source", name=op.f("uq_case_support_case_id_source")),
    )
    with op.batch_alter_table("case_support", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_support_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "payment",
        sa.Column("voucher_no", sa.String(length=20), nullable=False),
        sa.Column("voucher_year", sa.Integer(), nullable=False),
        sa.Column("voucher_seq", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("instalment", sa.String(length=10), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("payee", sa.String(length=200), nullable=False),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("void_reason", sa.String(length=500), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        _sqlite_check("typeof(amount) = 'integer'", name=op.f("ck_payment_amount_integer")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["support_case.id"], name=op.f("fk_payment_case_id_support_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint(
            "unit_code",
            "voucher_year",
            "voucher_seq",
            name=op.f("uq_payment_unit_code_voucher_year_voucher_seq"),
        ),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_payment_paid_on", ["paid_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "pledge",
        sa.Column("donor_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("pledged_on", sa.Date(), nullable=False),
        sa.Column("designated_case_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        _sqlite_check("typeof(amount) = 'integer'", name=op.f("ck_pledge_amount_integer")),
        sa.ForeignKeyConstraint(
            ["designated_case_id"],
            ["support_case.id"],
            name=op.f("fk_pledge_designated_case_id_support_case"),
        ),
        sa.ForeignKeyConstraint(["donor_id"], ["donor.id"], name=op.f("fk_pledge_donor_id_donor")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge")),
    )
    with op.batch_alter_table("pledge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pledge_donor_id"), ["donor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pledge_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "receipt",
        sa.Column("voucher_no", sa.String(length=20), nullable=False),
        sa.Column("voucher_year", sa.Integer(), nullable=False),
        sa.Column("voucher_seq", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("donor_id", sa.Uuid(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("in_kind_description", sa.Text(), nullable=False),
        sa.Column("bank_reference", sa.String(length=100), nullable=False),
        sa.Column("pledge_id", sa.Uuid(), nullable=True),
        sa.Column("designated_case_id", sa.Uuid(), nullable=True),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("void_reason", sa.String(length=500), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        _sqlite_check("typeof(amount) = 'integer'", name=op.f("ck_receipt_amount_integer")),
        sa.ForeignKeyConstraint(
            ["designated_case_id"],
            ["support_case.id"],
            name=op.f("fk_receipt_designated_case_id_support_case"),
        ),
        sa.ForeignKeyConstraint(["donor_id"], ["donor.id"], name=op.f("fk_receipt_donor_id_donor")),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledge.id"], name=op.f("fk_receipt_pledge_id_pledge")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt")),
        sa.UniqueConstraint(
            "unit_code",
            "voucher_year",
            "voucher_seq",
            name=op.f("uq_receipt_unit_code_voucher_year_voucher_seq"),
        ),
    )
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_receipt_designated_case_id"), ["designated_case_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_receipt_donor_id"), ["donor_id"], unique=False)
        batch_op.create_index("ix_receipt_received_on", ["received_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_receipt_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "bank_statement_line",
        sa.Column("account", sa.String(length=60), nullable=False),
        sa.Column("line_date", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("receipt_id", sa.Uuid(), nullable=True),
        sa.Column("payment_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station", sa.String(length=36), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        _sqlite_check(
            "typeof(amount) = 'integer'", name=op.f("ck_bank_statement_line_amount_integer")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payment.id"], name=op.f("fk_bank_statement_line_payment_id_payment")
        ),
        sa.ForeignKeyConstraint(
            ["receipt_id"], ["receipt.id"], name=op.f("fk_bank_statement_line_receipt_id_receipt")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_statement_line")),
    )
    with op.batch_alter_table("bank_statement_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bank_statement_line_line_date"), ["line_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_bank_statement_line_unit_code"), ["unit_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("bank_statement_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_statement_line_unit_code"))
        batch_op.drop_index(batch_op.f("ix_bank_statement_line_line_date"))

    op.drop_table("bank_statement_line")
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_unit_code"))
        batch_op.drop_index("ix_receipt_received_on")
        batch_op.drop_index(batch_op.f("ix_receipt_donor_id"))
        batch_op.drop_index(batch_op.f("ix_receipt_designated_case_id"))

    op.drop_table("receipt")
    with op.batch_alter_table("pledge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pledge_unit_code"))
        batch_op.drop_index(batch_op.f("ix_pledge_donor_id"))

    op.drop_table("pledge")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_unit_code"))
        batch_op.drop_index("ix_payment_paid_on")
        batch_op.drop_index(batch_op.f("ix_payment_case_id"))

    op.drop_table("payment")
    with op.batch_alter_table("case_support", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_support_unit_code"))

    op.drop_table("case_support")
    with op.batch_alter_table("case_status_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_status_event_unit_code"))
        batch_op.drop_index(batch_op.f("ix_case_status_event_case_id"))

    op.drop_table("case_status_event")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_unit_code"))
        batch_op.drop_index(batch_op.f("ix_attachment_sha256"))
        batch_op.drop_index(batch_op.f("ix_attachment_household_id"))
        batch_op.drop_index(batch_op.f("ix_attachment_case_id"))

    op.drop_table("attachment")
    with op.batch_alter_table("support_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_case_unit_code"))
        batch_op.drop_index(batch_op.f("ix_support_case_status"))
        batch_op.drop_index(batch_op.f("ix_support_case_household_id"))

    op.drop_table("support_case")
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_unit_code"))
        batch_op.drop_index("ix_inspection_household_date")

    op.drop_table("inspection")
    op.drop_table("voucher_counter")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_unit_code"))
        batch_op.drop_index(batch_op.f("ix_unit_parent_code"))
        batch_op.drop_index(batch_op.f("ix_unit_name_key"))

    op.drop_table("unit")
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_unit_code"))

    op.drop_table("target")
    op.drop_table("station")
    op.drop_table("setting")
    with op.batch_alter_table("period_close", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_period_close_unit_code"))

    op.drop_table("period_close")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index("ix_household_unit_live")
        batch_op.drop_index(batch_op.f("ix_household_unit_code"))
        batch_op.drop_index("ix_household_need")
        batch_op.drop_index("ix_household_house_class")
        batch_op.drop_index(batch_op.f("ix_household_head_name_key"))
        batch_op.drop_index(batch_op.f("ix_household_citizen_id"))

    op.drop_table("household")
    with op.batch_alter_table("donor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_donor_unit_code"))
        batch_op.drop_index(batch_op.f("ix_donor_name_key"))

    op.drop_table("donor")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_record")

    op.drop_table("change_log")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_record")

    op.drop_table("audit_event")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_unit_code"))

    op.drop_table("app_user")
