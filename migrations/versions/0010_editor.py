"""editor: projects, timeline segments and generated variants (seed 003).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 10:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    op.create_table('editor_projects',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('asset_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['assets.id'], name=op.f('fk_editor_projects_asset_id_assets'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_editor_projects_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_editor_projects'))
    )
    op.create_index('ix_editor_projects_tenant_created', 'editor_projects', ['tenant_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_editor_projects_asset_id'), 'editor_projects', ['asset_id'], unique=False)
    op.create_table('editor_variants',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('job_id', sa.Uuid(), nullable=True),
    sa.Column('prompt', sa.Text(), nullable=False),
    sa.Column('operation', JSON, nullable=False),
    sa.Column('start_ms', sa.Integer(), nullable=False),
    sa.Column('end_ms', sa.Integer(), nullable=False),
    sa.Column('box', JSON, nullable=True),
    sa.Column('file_key', sa.String(length=1024), nullable=True),
    sa.Column('preview_key', sa.String(length=1024), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_editor_variants_job_id_jobs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['editor_projects.id'], name=op.f('fk_editor_variants_project_id_editor_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_editor_variants_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_editor_variants'))
    )
    op.create_index('ix_editor_variants_job', 'editor_variants', ['job_id'], unique=False)
    op.create_index(op.f('ix_editor_variants_tenant_id'), 'editor_variants', ['tenant_id'], unique=False)
    op.create_table('editor_segments',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('asset_id', sa.Uuid(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('start_ms', sa.Integer(), nullable=False),
    sa.Column('end_ms', sa.Integer(), nullable=False),
    sa.Column('bound_start_ms', sa.Integer(), nullable=False),
    sa.Column('bound_end_ms', sa.Integer(), nullable=False),
    sa.Column('order_index', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('variant_id', sa.Uuid(), nullable=True),
    sa.Column('file_key', sa.String(length=1024), nullable=True),
    sa.Column('grade', JSON, nullable=True),
    sa.Column('job_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['assets.id'], name=op.f('fk_editor_segments_asset_id_assets'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_editor_segments_job_id_jobs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['editor_segments.id'], name=op.f('fk_editor_segments_parent_id_editor_segments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['editor_projects.id'], name=op.f('fk_editor_segments_project_id_editor_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_editor_segments_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['editor_variants.id'], name=op.f('fk_editor_segments_variant_id_editor_variants'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_editor_segments'))
    )
    op.create_index('ix_editor_segments_project_order', 'editor_segments', ['project_id', 'active', 'order_index'], unique=False)
    op.create_index(op.f('ix_editor_segments_tenant_id'), 'editor_segments', ['tenant_id'], unique=False)


def downgrade() -> None:
    op.drop_table('editor_segments')
    op.drop_table('editor_variants')
    op.drop_table('editor_projects')
