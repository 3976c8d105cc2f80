"""Competence groups: staff who assess projects for one or more municipal areas, or for all
of them (cross-cutting), with the areas they cover and their members.

Three new tables; nothing existing changes. A group's score is computed from the existing
assessments of its members (app/portfolio/groups.py), so no assessment is touched.

Revision ID: 0015_groups
Revises: 0014_scopes
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_groups"
down_revision = "0014_scopes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "competence_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("cross_cutting", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name_nn", sa.String(length=120), server_default="", nullable=False),
        sa.Column("name_en", sa.String(length=120), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competence_groups")),
        sa.UniqueConstraint("name", name=op.f("uq_competence_groups_name")),
    )
    op.create_table(
        "competence_group_areas",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("municipal_area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["competence_groups.id"],
                                name=op.f("fk_competence_group_areas_group_id_competence_groups"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["municipal_area_id"], ["municipal_areas.id"],
                                name=op.f("fk_competence_group_areas_municipal_area_id_municipal_areas"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "municipal_area_id", name=op.f("pk_competence_group_areas")),
    )
    with op.batch_alter_table("competence_group_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_competence_group_areas_municipal_area_id"),
                              ["municipal_area_id"], unique=False)
    op.create_table(
        "competence_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["competence_groups.id"],
                                name=op.f("fk_competence_group_members_group_id_competence_groups"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_competence_group_members_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_competence_group_members")),
    )
    with op.batch_alter_table("competence_group_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_competence_group_members_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("competence_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competence_group_members_user_id"))
    op.drop_table("competence_group_members")
    with op.batch_alter_table("competence_group_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competence_group_areas_municipal_area_id"))
    op.drop_table("competence_group_areas")
    op.drop_table("competence_groups")
