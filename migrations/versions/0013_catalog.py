"""catalog: collections (with a default template) and saved filter views.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 11:05:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'collections',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('template_id', sa.Uuid(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_collections_tenant_id_tenants'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_collections')),
    )
    op.create_index(op.f('ix_collections_tenant_id'), 'collections', ['tenant_id'])
    op.create_table(
        'views',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('filter_params', JSON, nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_views_tenant_id_tenants'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_views')),
    )
    op.create_index(op.f('ix_views_tenant_id'), 'views', ['tenant_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_views_tenant_id'), table_name='views')
    op.drop_table('views')
    op.drop_index(op.f('ix_collections_tenant_id'), table_name='collections')
    op.drop_table('collections')
