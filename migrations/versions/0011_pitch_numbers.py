"""pitch numbers: the integer ids MediaPitch clients see for audios, submissions and tasks (seed 002).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:10:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pitch_numbers',
    sa.Column('number', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_pitch_numbers_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_pitch_numbers')),
    sa.UniqueConstraint('kind', 'target_id', name=op.f('uq_pitch_numbers_kind')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('pitch_numbers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pitch_numbers_tenant_id'), ['tenant_id'], unique=False)
    # What submissions made before this revision name gets numbers, oldest first: audios, submissions, tasks.
    for kind, column in (('audio', 'asset_id'), ('submission', 'id'), ('task', 'task_id')):
        op.execute(f"""INSERT INTO pitch_numbers (tenant_id, kind, target_id)
            SELECT tenant_id, '{kind}', {column} FROM submissions WHERE {column} IS NOT NULL
            GROUP BY tenant_id, {column} ORDER BY MIN(created_at)""")


def downgrade() -> None:
    with op.batch_alter_table('pitch_numbers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pitch_numbers_tenant_id'))
    op.drop_table('pitch_numbers')
