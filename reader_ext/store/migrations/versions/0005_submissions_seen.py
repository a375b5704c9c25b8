"""Collect's own clock: when the instructor first and last saw each submission.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from reader_ext.store.schema import _key

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submissions_seen",
        sa.Column("student", _key, primary_key=True),
        sa.Column("submission", _key, primary_key=True),
        sa.Column("first_seen", _key, nullable=False),
        sa.Column("last_seen", _key, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("submissions_seen")
