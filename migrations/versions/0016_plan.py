"""The multi-year plan and priorities: a project's political priority (the council's decision:
case number, date, short text) and administrative priority; its estimated costs per plan year
(investment and running apart); the board's budget per plan year.

Revision ID: 0016_plan
Revises: 0015_groups

The new project columns are added with ALTER TABLE ... ADD COLUMN, not a batch copy: copying
`projects` on SQLite would drop its full-text triggers and trip the foreign keys pointing at it.
SQLite cannot add a CHECK constraint afterwards, so there the enum columns carry theirs in the
column definition, named as the models' naming convention names them.
"""
import sqlalchemy as sa
from alembic import op

revision = "0016_plan"
down_revision = "0015_groups"
branch_labels = None
depends_on = None

MAX_KRONER = 1_000_000_000_000
ENUMS = {
    "political_priority": ("politicalpriority", ("prioritised", "not_prioritised")),
    "administrative_priority": ("administrativepriority", ("high", "medium", "low")),
}


def _add_enum_column(column: str) -> None:
    name, values = ENUMS[column]
    if op.get_bind().dialect.name == "sqlite":
        allowed = ", ".join(f"'{v}'" for v in values)
        op.execute(f"ALTER TABLE projects ADD COLUMN {column} VARCHAR(32) "
                   f"CONSTRAINT ck_projects_{name} CHECK ({column} IN ({allowed}))")
    else:
        op.add_column("projects", sa.Column(column, sa.Enum(
            *values, name=name, native_enum=False, create_constraint=True, length=32), nullable=True))


def upgrade():
    _add_enum_column("political_priority")
    op.add_column("projects", sa.Column("council_case_number", sa.String(length=40), server_default="",
                                        nullable=False))
    op.add_column("projects", sa.Column("council_decision_date", sa.Date(), nullable=True))
    op.add_column("projects", sa.Column("council_decision_text", sa.String(length=500), server_default="",
                                        nullable=False))
    _add_enum_column("administrative_priority")

    op.create_table(
        "project_costs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("investment", sa.BigInteger(), nullable=False),
        sa.Column("running", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"investment >= 0 AND investment <= {MAX_KRONER}",
                           name=op.f("ck_project_costs_investment_range")),
        sa.CheckConstraint(f"running >= 0 AND running <= {MAX_KRONER}", name=op.f("ck_project_costs_running_range")),
        sa.CheckConstraint("year >= 2000 AND year <= 2100", name=op.f("ck_project_costs_year_range")),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_project_costs_project_id_projects"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_costs")),
        sa.UniqueConstraint("project_id", "year", name=op.f("uq_project_costs_project_id_year")),
    )
    with op.batch_alter_table("project_costs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_costs_year"), ["year"], unique=False)

    op.create_table(
        "plan_budgets",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("investment", sa.BigInteger(), nullable=True),
        sa.Column("running", sa.BigInteger(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"investment IS NULL OR (investment >= 0 AND investment <= {MAX_KRONER})",
                           name=op.f("ck_plan_budgets_investment_range")),
        sa.CheckConstraint(f"running IS NULL OR (running >= 0 AND running <= {MAX_KRONER})",
                           name=op.f("ck_plan_budgets_running_range")),
        sa.CheckConstraint("year >= 2000 AND year <= 2100", name=op.f("ck_plan_budgets_year_range")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_plan_budgets_updated_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_plan_budgets")),
    )


def downgrade():
    op.drop_table("plan_budgets")
    with op.batch_alter_table("project_costs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_costs_year"))
    op.drop_table("project_costs")
    # DROP COLUMN directly (SQLite has it since 3.35); a column's own CHECK goes with it.
    for column in ("administrative_priority", "council_decision_text", "council_decision_date",
                   "council_case_number", "political_priority"):
        op.drop_column("projects", column)
