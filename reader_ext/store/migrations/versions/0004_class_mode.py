"""Class mode: who each annotation is for, and when a lesson reveals classmates' notes.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from reader_ext.store.schema import _key

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "class_audience",
        sa.Column("annotation_id", _key, primary_key=True),
        sa.Column("source", _key, nullable=False),
        sa.Column("author", _key, nullable=False),
        sa.Column("author_role", sa.Text, nullable=False),
        sa.Column("visibility", sa.Text, nullable=False),
        sa.Column("group_name", sa.Text),
        sa.Column("student", _key),
        sa.Column("is_post", sa.Boolean, nullable=False),
        sa.Column("hidden_at", sa.Text),
        sa.Column("hidden_by", sa.Text),
    )
    op.create_index("class_audience_posts", "class_audience", ["source", "author", "is_post"])
    op.create_table(
        "class_reveal",
        sa.Column("source", _key, primary_key=True),
        sa.Column("after_posts", sa.Integer),
        sa.Column("reveal_at", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("class_reveal")
    op.drop_index("class_audience_posts", table_name="class_audience")
    op.drop_table("class_audience")
