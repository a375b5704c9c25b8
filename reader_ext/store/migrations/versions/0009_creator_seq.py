"""Annotations by creator and seq: the state of each student's rows read from the index alone.

A collect asks, for each student, how many rows they have and the latest ``seq`` of them
(:func:`reader_ext.store.collected.states`), twice a run: with ``seq`` in the creator's index
that is an index-only scan, where an index of the creator alone read every row's page (a
class's whole JSON: about a tenth of a first collect's CPU).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("annotations_creator", table_name="annotations")
    op.create_index("annotations_creator", "annotations", ["creator", "seq"])


def downgrade() -> None:
    op.drop_index("annotations_creator", table_name="annotations")
    op.create_index("annotations_creator", "annotations", ["creator"])
