"""Counts kept by the database: visible ideas per status, service area, SDG and organisation, the
totals of ideas, votes and comments, and the SDG overview's numbers, in one small table that
triggers on ideas and idea_sdgs keep current in the transaction that changes them (PostgreSQL
and SQLite alike; the same function the tests use). The table is filled here.

Revision ID: 0019_counts
Revises: 0018_systems
"""
import sqlalchemy as sa
from alembic import op

from app.ideas.counts import drop_counts, install_counts

revision = "0019_counts"
down_revision = "0018_systems"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "idea_counts",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("n", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_idea_counts")),
    )
    op.create_table(
        "idea_count_pending",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("txid", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("n", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_count_pending")),
    )
    op.create_index(op.f("ix_idea_count_pending_txid"), "idea_count_pending", ["txid"], unique=False)
    # Creates the triggers and counts every idea there is.
    install_counts(op.get_bind())


def downgrade():
    drop_counts(op.get_bind())
    op.drop_index(op.f("ix_idea_count_pending_txid"), table_name="idea_count_pending")
    op.drop_table("idea_count_pending")
    op.drop_table("idea_counts")
