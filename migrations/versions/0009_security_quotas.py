"""security_quotas: Abuse limits: worker-role keys, storage quotas and upload bookkeeping.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 06:30:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=16), server_default='tenant', nullable=False))
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quota_bytes', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('upload_size', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('upload_started_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_assets_upload_started_at', ['upload_started_at'], unique=False)
    with op.batch_alter_table('branding_media', schema=None) as batch_op:
        batch_op.add_column(sa.Column('upload_started_at', sa.DateTime(timezone=True), nullable=True))
    # Uploads begun before this revision have no start time: they count from now, so none is swept at once.
    op.execute(sa.text("UPDATE assets SET upload_started_at = CURRENT_TIMESTAMP WHERE upload_id IS NOT NULL"))
    op.execute(sa.text("UPDATE branding_media SET upload_started_at = CURRENT_TIMESTAMP WHERE upload_id IS NOT NULL"))


def downgrade() -> None:
    with op.batch_alter_table('branding_media', schema=None) as batch_op:
        batch_op.drop_column('upload_started_at')
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.drop_index('ix_assets_upload_started_at')
        batch_op.drop_column('upload_started_at')
        batch_op.drop_column('upload_size')
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('quota_bytes')
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_column('role')
