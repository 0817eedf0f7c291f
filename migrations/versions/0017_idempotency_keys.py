"""idempotency keys: the first answer to a retried create (filled by the idempotency work).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 13:20:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
