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
    pass


def downgrade() -> None:
    pass
