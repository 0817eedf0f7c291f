"""job events: the retained event log and per-tenant sequences (filled by the events work).

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


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
