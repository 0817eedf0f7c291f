"""jobs reliability: claim tokens, deadlines, one usage record per job (filled by the jobs-core work).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 13:20:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True))
    # Billing was guarded by a check only: keep the first record of any job billed twice, then make it a constraint.
    op.execute(
        "DELETE FROM usage_records WHERE job_id IS NOT NULL AND EXISTS (SELECT 1 FROM usage_records AS o "
        "WHERE o.job_id = usage_records.job_id AND (o.created_at < usage_records.created_at "
        "OR (o.created_at = usage_records.created_at AND o.id < usage_records.id)))"
    )
    with op.batch_alter_table('usage_records', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_usage_records_job_id', ['job_id'])


def downgrade() -> None:
    with op.batch_alter_table('usage_records', schema=None) as batch_op:
        batch_op.drop_constraint('uq_usage_records_job_id', type_='unique')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_column('deadline_at')
