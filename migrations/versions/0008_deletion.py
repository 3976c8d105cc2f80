"""Account deletion: a report can outlive its reporter, and the audit log records erasures.

A report a moderation decision rests on stays when its reporter's account is erased, with no
reporter (reports.reporter_id becomes nullable), and the audit log gets the action
"account_deleted". The audit action is a portable enum (VARCHAR with a named CHECK), so the
new value means a new CHECK constraint; on SQLite the batch mode rebuilds the table.

Revision ID: 0008_deletion
Revises: 0007_export
Create Date: 2026-12-04 23:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_deletion'
down_revision = "0007_export"
branch_labels = None
depends_on = None

OLD = ('hide', 'restore', 'dismiss', 'block', 'unblock', 'name_flagged', 'name_corrected',
       'organisation_verified', 'organisation_rejected', 'appeal_decided', 'role_changed')
# 'data_exported' too (0007_export, the same issue): whichever revision runs last allows both.
NEW = (*OLD, 'account_deleted', 'data_exported')


def _check(values: tuple[str, ...]) -> str:
    return f"action IN ({', '.join(repr(v) for v in values)})"


def _action_check(values: tuple[str, ...]) -> None:
    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_moderation_actions_auditaction'), type_='check')
        batch_op.create_check_constraint('auditaction', _check(values))


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.alter_column('reporter_id', existing_type=sa.Integer(), nullable=True)
    _action_check(NEW)


def downgrade():
    # The new actions' rows cannot be kept under the old constraint; anonymised reports
    # have no reporter to give back.
    op.execute("DELETE FROM moderation_actions WHERE action IN ('account_deleted', 'data_exported')")
    op.execute("DELETE FROM reports WHERE reporter_id IS NULL")
    _action_check(OLD)
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.alter_column('reporter_id', existing_type=sa.Integer(), nullable=False)
