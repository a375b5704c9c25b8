"""Annotations and events: the store's schema version 1 (before Alembic, by PRAGMA user_version).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the types of reader_ext.store.schema as they were at this revision.
KEY = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
COUNTER = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "annotations",
        sa.Column("id", KEY, primary_key=True),
        sa.Column("source", KEY),
        sa.Column("creator", KEY, nullable=False),
        sa.Column("motivation", sa.Text, nullable=False),
        sa.Column("target_id", KEY),
        sa.Column("prompt_id", sa.Text),
        sa.Column("created", KEY, nullable=False),
        sa.Column("modified", KEY, nullable=False),
        sa.Column("deleted_at", sa.Text),
        sa.Column("doc_hash", sa.Text),
        sa.Column("seq", COUNTER, nullable=False, unique=True),
        sa.Column("json", sa.Text, nullable=False),
    )
    op.create_index("annotations_source", "annotations", ["source", "created"])
    op.create_index("annotations_creator", "annotations", ["creator"])
    op.create_index("annotations_target", "annotations", ["target_id"])
    op.create_index("annotations_created", "annotations", ["created", "id"])
    op.create_table(
        "events",
        sa.Column("id", COUNTER, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("user", KEY, nullable=False),
        sa.Column("source", KEY, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("at", KEY, nullable=False),
    )
    op.create_index("events_kind", "events", ["kind", "id"])


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("annotations")
