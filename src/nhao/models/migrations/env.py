"""Alembic environment. nhao always hands in an open connection inside its own
transaction (see Database._run_migration), so DDL is transactional on SQLite too."""

from alembic import context

from nhao.models import Base
from nhao.models.database import include_in_model_comparison

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("nhao migrations run through nhao.models.database.Database")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transactional_ddl=True,
    compare_type=True,
    include_object=include_in_model_comparison,
)
with context.begin_transaction():
    context.run_migrations()
