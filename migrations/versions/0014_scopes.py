"""Roles scoped to municipal areas: a moderator or portfolio manager may be limited to some.

One association table, user <-> municipal area. No rows (every existing account) means the
whole municipality, as before. Deleting an account takes its rows with it; a municipal area
that limits someone has no ON DELETE and is refused by the structure service instead.

Revision ID: 0014_scopes
Revises: 0013_initiatives
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_scopes"
down_revision = "0013_initiatives"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_municipal_areas",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("municipal_area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["municipal_area_id"], ["municipal_areas.id"],
                                name=op.f("fk_user_municipal_areas_municipal_area_id_municipal_areas")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_user_municipal_areas_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "municipal_area_id", name=op.f("pk_user_municipal_areas")),
    )
    with op.batch_alter_table("user_municipal_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_municipal_areas_municipal_area_id"),
                              ["municipal_area_id"], unique=False)


def downgrade():
    with op.batch_alter_table("user_municipal_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_municipal_areas_municipal_area_id"))
    op.drop_table("user_municipal_areas")
