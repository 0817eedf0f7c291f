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
    pass


def downgrade() -> None:
    pass
