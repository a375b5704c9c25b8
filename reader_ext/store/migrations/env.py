"""Alembic's environment: migrate the connection the store passes in, in its transaction."""

from __future__ import annotations

from alembic import context

from reader_ext.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
