"""The newest-first list reads (visibility, created_at, id) from one index, ids included.

A deep page of the list skips tens of thousands of entries; with the id in the index that is an
index-only scan, and the tie-break on id needs no extra sort.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_ideas_visible_created", table_name="ideas")
    op.create_index("ix_ideas_visible_created_id", "ideas", ["visibility", "created_at", "id"])


def downgrade():
    op.drop_index("ix_ideas_visible_created_id", table_name="ideas")
    op.create_index("ix_ideas_visible_created", "ideas", ["visibility", "created_at"])
