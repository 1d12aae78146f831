"""SQLAlchemy models; importing this package registers every table on Base.metadata."""

from nhao.models import sync as _sync_tables  # noqa: F401  (registers the sync tables)
from nhao.models.base import Base, Record, compose_text_on_set, new_id
from nhao.models.cases import CaseStatusEvent, CaseSupport, SupportCase
from nhao.models.fund import (
    BankStatementLine,
    Donor,
    Payment,
    PeriodClose,
    Pledge,
    Receipt,
    VoucherCounter,
)
from nhao.models.households import Attachment, Household, HouseholdPairReview, Inspection
from nhao.models.system import AuditEvent, ChangeLogEntry, Setting, Station
from nhao.models.units import Target, Unit
from nhao.models.users import User

compose_text_on_set()

# Every table whose rows travel in bundles and are pinned by the audit trail.
RECORD_MODELS: dict[str, type[Record]] = {
    model.__tablename__: model
    for model in (
        Unit,
        Target,
        User,
        Household,
        Inspection,
        Attachment,
        HouseholdPairReview,
        SupportCase,
        CaseSupport,
        CaseStatusEvent,
        Donor,
        Pledge,
        Receipt,
        Payment,
        BankStatementLine,
        PeriodClose,
    )
}

__all__ = [
    "RECORD_MODELS",
    "Attachment",
    "AuditEvent",
    "BankStatementLine",
    "Base",
    "CaseStatusEvent",
    "CaseSupport",
    "ChangeLogEntry",
    "Donor",
    "Household",
    "HouseholdPairReview",
    "Inspection",
    "Payment",
    "PeriodClose",
    "Pledge",
    "Receipt",
    "Record",
    "Setting",
    "Station",
    "SupportCase",
    "Target",
    "Unit",
    "User",
    "VoucherCounter",
    "new_id",
]
