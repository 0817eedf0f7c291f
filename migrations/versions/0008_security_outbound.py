"""security_outbound: Outbound request security: per-tenant ExternalId for role-assuming exports, encrypted webhook header values.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:30:00

Webhook header values need no column: new rows keep them Fernet-encrypted inside the job's `webhook` JSON, and
rows written before keep their clear `headers`, which the sender still reads (re-encrypting them here would need
SECRET_KEY inside a migration)."""
import secrets
import uuid
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('export_identities',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_export_identities_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_identities')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_export_identities_tenant_id'))
    )
    # Every tenant that already has an S3 storage gets its external id now, so its settings show it at once.
    bind = op.get_bind()
    tenants = bind.execute(sa.text("SELECT DISTINCT tenant_id FROM external_storages WHERE type = 'aws_s3'")).scalars()
    table = sa.table('export_identities', sa.column('id', sa.Uuid()), sa.column('tenant_id', sa.Uuid()),
                     sa.column('external_id', sa.String()), sa.column('created_at', sa.DateTime(timezone=True)))
    rows = [{"id": uuid.uuid4(), "tenant_id": t if isinstance(t, uuid.UUID) else uuid.UUID(str(t)),
             "external_id": secrets.token_hex(16), "created_at": datetime.now(timezone.utc)} for t in tenants]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table('export_identities')
