"""Systems in use: the register of what the municipality already runs (name, supplier, owner
municipal area, the areas that use it, contract end, what it does, an address), searched by the
duplicate-purchase check and shown on the board when a contract ends within the plan period.

`name_key` (the name folded for comparison) is unique, so an import updates a system instead
of adding it twice. The full-text search objects (a tsvector column and GIN index on
PostgreSQL, an FTS5 table with triggers on SQLite) come from the same function the tests use.

Revision ID: 0018_systems
Revises: 0017_meetings
"""
import sqlalchemy as sa
from alembic import op

from app.portfolio.systems import SQLITE_DROP, install_system_search

revision = "0018_systems"
down_revision = "0017_meetings"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "systems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=400), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("owner_area_id", sa.Integer(), nullable=False),
        sa.Column("contract_end", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_area_id"], ["municipal_areas.id"],
                                name=op.f("fk_systems_owner_area_id_municipal_areas")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_systems")),
        sa.UniqueConstraint("name_key", name=op.f("uq_systems_name_key")),
    )
    with op.batch_alter_table("systems", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_systems_contract_end"), ["contract_end"], unique=False)
        batch_op.create_index(batch_op.f("ix_systems_owner_area_id"), ["owner_area_id"], unique=False)

    op.create_table(
        "system_areas",
        sa.Column("system_id", sa.Integer(), nullable=False),
        sa.Column("municipal_area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["municipal_area_id"], ["municipal_areas.id"],
                                name=op.f("fk_system_areas_municipal_area_id_municipal_areas")),
        sa.ForeignKeyConstraint(["system_id"], ["systems.id"],
                                name=op.f("fk_system_areas_system_id_systems"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("system_id", "municipal_area_id", name=op.f("pk_system_areas")),
    )
    with op.batch_alter_table("system_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_system_areas_municipal_area_id"), ["municipal_area_id"],
                              unique=False)

    install_system_search(op.get_bind())


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            op.execute(statement)
    with op.batch_alter_table("system_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_system_areas_municipal_area_id"))
    op.drop_table("system_areas")
    with op.batch_alter_table("systems", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_systems_owner_area_id"))
        batch_op.drop_index(batch_op.f("ix_systems_contract_end"))
    # PostgreSQL drops the search column and its index with the table.
    op.drop_table("systems")
