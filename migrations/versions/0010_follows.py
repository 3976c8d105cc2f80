"""Follows and notice preferences; a notice remembers its channel and when it was e-mailed.

Authors, voters and commenters follow the ideas they took part in (as they would now).

Existing notices were e-mailed when written: they get channel "immediate" and are never
picked up by a digest (emailed_at is left NULL, but only daily/weekly notices are due).

Revision ID: 0010_follows
Revises: 0009_lifecycle
Create Date: 2026-12-04 22:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_follows'
down_revision = "0009_lifecycle"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("target_type IN ('idea', 'project', 'service_area', 'organisation')", name=op.f('ck_follows_target_type')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follows')),
    sa.UniqueConstraint('user_id', 'target_type', 'target_id', name=op.f('uq_follows_user_id_target_type_target_id'))
    )
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.create_index('ix_follows_target', ['target_type', 'target_id'], unique=False)

    op.create_table('notice_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.CheckConstraint("channel IN ('app', 'immediate', 'daily', 'weekly', 'off', 'on')", name=op.f('ck_notice_preferences_channel')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notice_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notice_preferences'))
    )

    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), server_default='immediate', nullable=False))
        batch_op.add_column(sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_notices_digest', ['channel', 'emailed_at', 'user_id'], unique=False)

    # Proposing, voting and commenting now follow the idea: what people took part in before
    # is followed too, so they keep hearing of it (an update used to reach authors and voters).
    op.execute(
        "INSERT INTO follows (user_id, target_type, target_id, created_at) "
        "SELECT user_id, 'idea', idea_id, MIN(created_at) FROM ("
        " SELECT author_id AS user_id, id AS idea_id, created_at FROM ideas"
        " UNION ALL SELECT user_id, idea_id, created_at FROM votes"
        " UNION ALL SELECT author_id, idea_id, created_at FROM comments"
        ") AS taking_part WHERE user_id IS NOT NULL GROUP BY user_id, idea_id"
    )


def downgrade():
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_digest')
        batch_op.drop_column('emailed_at')
        batch_op.drop_column('channel')

    op.drop_table('notice_preferences')
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_index('ix_follows_target')

    op.drop_table('follows')
