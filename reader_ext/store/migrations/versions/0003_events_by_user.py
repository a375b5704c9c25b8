"""Events by user: collect looks a student's events up to merge only new ones.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("events_user", "events", ["user", "kind", "source", "key", "at"])


def downgrade() -> None:
    op.drop_index("events_user", table_name="events")
