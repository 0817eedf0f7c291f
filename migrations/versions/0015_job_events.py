"""job events: the retained event log and per-tenant sequences; outbox bookkeeping of webhook deliveries.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 13:20:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')
PENDING = sa.text('delivered_at IS NULL')


def upgrade() -> None:
    op.create_table(
        'event_sequences',
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('last', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_sequences_tenant_id_tenants'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('tenant_id', name=op.f('pk_event_sequences')),
    )
    op.create_table(
        'job_events',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('sequence', sa.BigInteger(), nullable=False),
        sa.Column('job_id', sa.Uuid(), nullable=False),
        sa.Column('payload', JSON, nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_job_events_tenant_id_tenants'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_events')),
        sa.UniqueConstraint('tenant_id', 'sequence', name='uq_job_events_tenant_sequence'),
    )
    op.create_index('ix_job_events_created_at', 'job_events', ['created_at'])
    op.create_index(op.f('ix_job_events_job_id'), 'job_events', ['job_id'])
    with op.batch_alter_table('webhook_deliveries') as batch:
        batch.add_column(sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('leased_until', sa.DateTime(timezone=True), nullable=True))
    # Rows from before the outbox count as queued when they were written.
    op.execute('UPDATE webhook_deliveries SET queued_at = created_at')
    op.create_index('ix_webhook_deliveries_pending', 'webhook_deliveries', ['created_at'],
                    postgresql_where=PENDING, sqlite_where=PENDING)


def downgrade() -> None:
    op.drop_index('ix_webhook_deliveries_pending', table_name='webhook_deliveries')
    with op.batch_alter_table('webhook_deliveries') as batch:
        batch.drop_column('leased_until')
        batch.drop_column('attempted_at')
        batch.drop_column('queued_at')
    op.drop_index(op.f('ix_job_events_job_id'), table_name='job_events')
    op.drop_index('ix_job_events_created_at', table_name='job_events')
    op.drop_table('job_events')
    op.drop_table('event_sequences')
