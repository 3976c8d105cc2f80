"""Lifecycle: ideas gain the status "planned", status changes say whether a project's phase
made them, and projects keep their phase history (who, when, from, to, explanation).

Revision ID: 0009_lifecycle
Revises: 0008_deletion
Create Date: 2026-12-04 23:00:00

The status columns are portable enums (VARCHAR with a named CHECK), so a new status means
new CHECK constraints; on SQLite the batch mode rebuilds the tables to change them (and the
ideas' full-text triggers are put back).
"""
import sqlalchemy as sa
from alembic import op

from app.ideas.search import install_search

# revision identifiers, used by Alembic.
revision = '0009_lifecycle'
down_revision = "0008_deletion"
branch_labels = None
depends_on = None

OLD = ('submitted', 'under_review', 'accepted', 'in_progress', 'implemented', 'declined',
       'merged', 'withdrawn')
NEW = ('submitted', 'under_review', 'accepted', 'planned', 'in_progress', 'implemented',
       'declined', 'merged', 'withdrawn')
PHASES = ('proposed', 'planned', 'in_progress', 'completed', 'cancelled')


def _check(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _status_checks(values: tuple[str, ...]) -> None:
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_ideas_ideastatus'), type_='check')
        batch_op.create_check_constraint('ideastatus', _check('status', values))
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_status_changes_ideastatus'), type_='check')
        batch_op.drop_constraint(op.f('ck_status_changes_from_ideastatus'), type_='check')
        batch_op.create_check_constraint('ideastatus', _check('to_status', values))
        batch_op.create_check_constraint('from_ideastatus', _check('from_status', values))
    # SQLite rebuilt the ideas table, and its full-text triggers went with it.
    install_search(op.get_bind())


def upgrade():
    op.create_table('project_phase_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('from_phase', sa.Enum(*PHASES, name='from_projectphase', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('to_phase', sa.Enum(*PHASES, name='projectphase', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_project_phase_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_phase_changes_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_phase_changes'))
    )
    with op.batch_alter_table('project_phase_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_phase_changes_changed_by_id'), ['changed_by_id'], unique=False)
        batch_op.create_index('ix_project_phase_changes_project_created', ['project_id', 'created_at'], unique=False)

    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('by_project', sa.Boolean(), server_default=sa.false(), nullable=False))
    _status_checks(NEW)


def downgrade():
    op.execute("UPDATE ideas SET status = 'accepted' WHERE status = 'planned'")
    op.execute("UPDATE status_changes SET to_status = 'accepted' WHERE to_status = 'planned'")
    op.execute("UPDATE status_changes SET from_status = 'accepted' WHERE from_status = 'planned'")
    _status_checks(OLD)
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_column('by_project')
    with op.batch_alter_table('project_phase_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_project_phase_changes_project_created')
        batch_op.drop_index(batch_op.f('ix_project_phase_changes_changed_by_id'))
    op.drop_table('project_phase_changes')
