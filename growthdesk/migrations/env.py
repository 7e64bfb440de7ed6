"""Alembic environment: always run on a connection handed in by ``growthdesk.db``."""

from alembic import context

from growthdesk.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when a developer runs `alembic` by hand
    from growthdesk.db import make_engine, to_url
    import os

    connection = make_engine(to_url(os.environ["GROWTHDESK_DB"])).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite can only ALTER by copying a table; batch mode does that
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
