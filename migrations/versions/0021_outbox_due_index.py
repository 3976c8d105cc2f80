"""The outbox's due messages: a partial index on id WHERE sent_at IS NULL AND attempts < 8
(app/notifications/mail.py MAX_ATTEMPTS), in the order the mail worker takes them. With only
the index on sent_at, every look for the next message read each row sent since the last
VACUUM (an updated row leaves its old index entry behind): 1.4 ms a look with 5,000 sent. The
partial index holds only what may still be sent, and an index scan marks the entries of rows
sent since as dead as it passes them, so the next look skips them.

Revision ID: 0021_outbox_due_index
Revises: 0020_unanswered_index
"""
import sqlalchemy as sa
from alembic import op

revision = "0021_outbox_due_index"
down_revision = "0020_unanswered_index"
branch_labels = None
depends_on = None

UNSENT = sa.text("sent_at IS NULL AND attempts < 8")


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_messages_due", ["id"], unique=False,
                              postgresql_where=UNSENT, sqlite_where=UNSENT)


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_due", postgresql_where=UNSENT, sqlite_where=UNSENT)
