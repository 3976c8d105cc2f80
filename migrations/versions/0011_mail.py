"""Mail: every e-mail gets an HTML part, notices and digests a one-click unsubscribe address.

Revision ID: 0011_mail
Revises: 0010_follows
Create Date: 2026-12-04 22:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_mail'
down_revision = "0010_follows"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('html_body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('list_unsubscribe', sa.String(length=1000), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('list_unsubscribe')
        batch_op.drop_column('html_body')
