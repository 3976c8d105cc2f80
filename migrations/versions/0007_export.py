"""Export: the audit log may say that staff exported a person's data ("data_exported").

Revision ID: 0007_export
Revises: 0006
Create Date: 2026-12-04 23:10:00

moderation_actions.action is a portable enum (VARCHAR with a named CHECK); a new action
means a new CHECK constraint. It lists "account_deleted" too (account deletion, the same
issue), so whichever privacy revision runs last leaves both allowed.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_export'
down_revision = '0006'
branch_labels = None
depends_on = None

OLD = ('hide', 'restore', 'dismiss', 'block', 'unblock', 'name_flagged', 'name_corrected',
       'organisation_verified', 'organisation_rejected', 'appeal_decided', 'role_changed')
NEW = (*OLD, 'account_deleted', 'data_exported')


def _action_check(values: tuple[str, ...]) -> None:
    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_moderation_actions_auditaction'), type_='check')
        batch_op.create_check_constraint(
            'auditaction', f"action IN ({', '.join(repr(v) for v in values)})"
        )


def upgrade():
    _action_check(NEW)


def downgrade():
    op.execute("DELETE FROM moderation_actions WHERE action IN ('account_deleted', 'data_exported')")
    _action_check(OLD)
