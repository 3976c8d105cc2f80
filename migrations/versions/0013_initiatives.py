"""Innbyggerforslag (kommuneloven § 12-1): initiatives, their signatures, paper lists, measures.

New tables only: `initiatives` (the proposal, its status, collection, submission and the
council's decision), `initiative_service_areas`, `initiative_signatures` (one per account and
one per verified identity per initiative), `initiative_paper_batches` (signatures registered
from paper, with the scan's stored name) and `initiative_measures`. Nothing existing changes.

Revision ID: 0013_initiatives
Revises: 0012_names
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_initiatives"
down_revision = "0012_names"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('initiatives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('proposal', sa.Text(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('proposer_id', sa.Integer(), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('from_idea_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('awaiting_moderation', 'refused', 'collecting', 'expired', 'submitted', 'rejected_same_content', 'decided', name='initiativestatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('refusal_reason', sa.Text(), nullable=True),
    sa.Column('collection_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('collection_ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signature_threshold', sa.Integer(), nullable=True),
    sa.Column('expired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signature_count', sa.Integer(), nullable=False),
    sa.Column('paper_signature_count', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('submitted_signatures', sa.Integer(), nullable=True),
    sa.Column('council_case_number', sa.String(length=60), nullable=True),
    sa.Column('council_meeting_date', sa.Date(), nullable=True),
    sa.Column('decision_text', sa.Text(), nullable=True),
    sa.Column('decision_url', sa.String(length=500), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('earlier_case_number', sa.String(length=60), nullable=True),
    sa.Column('earlier_case_title', sa.String(length=200), nullable=True),
    sa.Column('earlier_case_date', sa.Date(), nullable=True),
    sa.Column('rejection_explanation', sa.Text(), nullable=True),
    sa.Column('rejected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rejected_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('paper_signature_count >= 0', name=op.f('ck_initiatives_paper_signature_count')),
    sa.CheckConstraint('signature_count >= 0', name=op.f('ck_initiatives_signature_count')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_initiatives_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['from_idea_id'], ['ideas.id'], name=op.f('fk_initiatives_from_idea_id_ideas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['users.id'], name=op.f('fk_initiatives_moderated_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposer_id'], ['users.id'], name=op.f('fk_initiatives_proposer_id_users')),
    sa.ForeignKeyConstraint(['rejected_by_id'], ['users.id'], name=op.f('fk_initiatives_rejected_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiatives'))
    )
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiatives_collection_ends_at'), ['collection_ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiatives_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiatives_from_idea_id'), ['from_idea_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiatives_proposer_id'), ['proposer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiatives_status'), ['status'], unique=False)
        batch_op.create_index('ix_initiatives_status_created', ['status', 'created_at', 'id'], unique=False)

    op.create_table('initiative_measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('carried_out_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_initiative_measures_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_initiative_measures_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiative_measures'))
    )
    with op.batch_alter_table('initiative_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_measures_initiative_id'), ['initiative_id'], unique=False)

    op.create_table('initiative_paper_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('scan_filename', sa.String(length=80), nullable=False),
    sa.Column('scan_content_type', sa.String(length=40), nullable=False),
    sa.Column('scan_size', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('count > 0', name=op.f('ck_initiative_paper_batches_count')),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_initiative_paper_batches_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_initiative_paper_batches_registered_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiative_paper_batches'))
    )
    with op.batch_alter_table('initiative_paper_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_paper_batches_initiative_id'), ['initiative_id'], unique=False)

    op.create_table('initiative_service_areas',
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('service_area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_initiative_service_areas_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_area_id'], ['service_areas.id'], name=op.f('fk_initiative_service_areas_service_area_id_service_areas')),
    sa.PrimaryKeyConstraint('initiative_id', 'service_area_id', name=op.f('pk_initiative_service_areas'))
    )
    with op.batch_alter_table('initiative_service_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_service_areas_service_area_id'), ['service_area_id'], unique=False)

    op.create_table('initiative_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('identity_hash', sa.String(length=64), nullable=True),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('confirmed_resident', sa.Boolean(), nullable=False),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_initiative_signatures_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_initiative_signatures_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiative_signatures')),
    sa.UniqueConstraint('initiative_id', 'identity_hash', name=op.f('uq_initiative_signatures_initiative_id_identity_hash')),
    sa.UniqueConstraint('initiative_id', 'user_id', name=op.f('uq_initiative_signatures_initiative_id_user_id'))
    )
    with op.batch_alter_table('initiative_signatures', schema=None) as batch_op:
        batch_op.create_index('ix_initiative_signatures_initiative_created', ['initiative_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_signatures_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table("initiative_signatures")
    op.drop_table("initiative_service_areas")
    op.drop_table("initiative_paper_batches")
    op.drop_table("initiative_measures")
    op.drop_table("initiatives")
