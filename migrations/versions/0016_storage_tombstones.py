"""storage tombstones: objects whose rows are gone, for the reconciler (filled by the storage work).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 13:20:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'storage_tombstones',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('tenant_id', sa.Uuid(), nullable=True),
        sa.Column('key', sa.String(length=1024), nullable=False),
        sa.Column('upload_id', sa.String(length=1024), nullable=True),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_storage_tombstones')),
    )
    op.create_index('ix_storage_tombstones_due_at', 'storage_tombstones', ['due_at'])


def downgrade() -> None:
    op.drop_index('ix_storage_tombstones_due_at', table_name='storage_tombstones')
    op.drop_table('storage_tombstones')
