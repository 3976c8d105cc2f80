"""Names in nynorsk and English for municipal areas and service areas.

The bokmål name stays in the column `name` (required, unique as before); `name_nn` and
`name_en` are optional, empty meaning "use the bokmål name". Adding two columns with an
empty default keeps every row as it was, on SQLite and PostgreSQL.

Revision ID: 0012_names
Revises: 0011_mail
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_names"
down_revision = "0011_mail"
branch_labels = None
depends_on = None

TABLES = ("municipal_areas", "service_areas")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("name_nn", sa.String(length=120), server_default="", nullable=False))
            batch_op.add_column(sa.Column("name_en", sa.String(length=120), server_default="", nullable=False))


def downgrade():
    # ALTER TABLE ... DROP COLUMN directly (SQLite has it since 3.35): a batch copy of
    # municipal_areas would trip the service areas' foreign keys on a database with rows.
    for table in TABLES:
        op.drop_column(table, "name_en")
        op.drop_column(table, "name_nn")
