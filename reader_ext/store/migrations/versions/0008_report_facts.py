"""The class report's derived facts of each annotation and its heat map images, kept sealed.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from reader_ext.store.schema import _key

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for name in ("report_facts", "report_heatmaps"):
        op.create_table(
            name,
            sa.Column("id", _key, primary_key=True),
            sa.Column("context", sa.Text, nullable=False),
            sa.Column("sealed", sa.Text, nullable=False),
        )


def downgrade() -> None:
    op.drop_table("report_heatmaps")
    op.drop_table("report_facts")
