"""Meetings of the forum and every change to a project on record.

New tables: meetings (date, title, status planned/held, guests, budget line), their
participants (staff), agenda_items (a project up for decision, its place on the agenda and the
board's ranking as the forum saw it) and project_changes (the projects' audit log).

decisions gains the outcomes "merged" and "sent_back" (a new CHECK), the meeting it was taken
at (NULL for the decisions recorded before meetings were kept), the date a deferral runs to,
the project a merge joins (never itself) and when it was corrected; one decision per project
and meeting. Every existing decision is kept as it was: the new columns are NULL, and NULL
meetings never collide in the unique constraint. On SQLite the batch mode rebuilds decisions.

Revision ID: 0017_meetings
Revises: 0016_plan
"""
import sqlalchemy as sa
from alembic import op

revision = "0017_meetings"
down_revision = "0016_plan"
branch_labels = None
depends_on = None

OLD = ("prioritised", "deferred", "rejected")
NEW = ("prioritised", "deferred", "rejected", "merged", "sent_back")


def _check(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("status", sa.Enum("planned", "held", name="meetingstatus", native_enum=False,
                                    create_constraint=True, length=32), nullable=False),
        sa.Column("guests", sa.Text(), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("budget IS NULL OR budget >= 0", name=op.f("ck_meetings_budget_not_negative")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_meetings_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_meeting_date"), ["meeting_date"], unique=False)

    op.create_table(
        "meeting_participants",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"],
                                name=op.f("fk_meeting_participants_meeting_id_meetings"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_meeting_participants_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("meeting_id", "user_id", name=op.f("pk_meeting_participants")),
    )
    with op.batch_alter_table("meeting_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_participants_user_id"), ["user_id"], unique=False)

    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("board_rank", sa.Integer(), nullable=True),
        sa.Column("board_score", sa.Float(), nullable=True),
        sa.Column("board_cumulative_cost", sa.BigInteger(), nullable=True),
        sa.Column("board_fits", sa.Boolean(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_agenda_items_meeting_id_meetings"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_agenda_items_project_id_projects"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
        sa.UniqueConstraint("meeting_id", "project_id", name=op.f("uq_agenda_items_meeting_id_project_id")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_items_project_id"), ["project_id"], unique=False)

    op.create_table(
        "project_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_project_changes_actor_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_project_changes_project_id_projects"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_changes")),
    )
    with op.batch_alter_table("project_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_changes_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_changes_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_project_changes_project_created", ["project_id", "created_at"], unique=False)

    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("deferred_to", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_decisions_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decisions_merged_into_id"), ["merged_into_id"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_decisions_meeting_id_project_id"), ["meeting_id", "project_id"])
        batch_op.create_foreign_key(batch_op.f("fk_decisions_meeting_id_meetings"), "meetings", ["meeting_id"], ["id"],
                                    ondelete="SET NULL")
        batch_op.create_foreign_key(batch_op.f("fk_decisions_merged_into_id_projects"), "projects",
                                    ["merged_into_id"], ["id"], ondelete="SET NULL")
        batch_op.create_check_constraint("not_into_itself", "merged_into_id IS NULL OR merged_into_id <> project_id")
        batch_op.drop_constraint(op.f("ck_decisions_decisionoutcome"), type_="check")
        batch_op.create_check_constraint("decisionoutcome", _check("outcome", NEW))


def downgrade():
    # Decisions with the new outcomes cannot be told in the old ones: they are refused rather
    # than changed into something the forum did not decide.
    bind = op.get_bind()
    found = bind.execute(sa.text("SELECT COUNT(*) FROM decisions WHERE outcome IN ('merged', 'sent_back')")).scalar()
    if found:
        raise RuntimeError(f"{found} decisions are 'merged' or 'sent_back'; the old schema cannot hold them")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_decisions_decisionoutcome"), type_="check")
        batch_op.create_check_constraint("decisionoutcome", _check("outcome", OLD))
        batch_op.drop_constraint(op.f("ck_decisions_not_into_itself"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_decisions_merged_into_id_projects"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_decisions_meeting_id_meetings"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_decisions_meeting_id_project_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_decisions_merged_into_id"))
        batch_op.drop_index(batch_op.f("ix_decisions_meeting_id"))
        batch_op.drop_column("updated_at")
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("deferred_to")
        batch_op.drop_column("meeting_id")

    with op.batch_alter_table("project_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_project_changes_project_created")
        batch_op.drop_index(batch_op.f("ix_project_changes_created_at"))
        batch_op.drop_index(batch_op.f("ix_project_changes_actor_id"))
    op.drop_table("project_changes")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_project_id"))
    op.drop_table("agenda_items")
    with op.batch_alter_table("meeting_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_participants_user_id"))
    op.drop_table("meeting_participants")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_meeting_date"))
    op.drop_table("meetings")
