"""Collect's record of what it merged of each student, so that an unchanged submission is known.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from reader_ext.store.schema import _key

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collected",
        sa.Column("student", _key, primary_key=True),
        sa.Column("digest", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("annotations", sa.Integer, nullable=False),
        sa.Column("published_copies", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("collected")
