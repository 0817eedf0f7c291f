"""search: chunks with embeddings, and their full-text index per dialect (FTS5 on SQLite, tsvector + GIN on
PostgreSQL).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 11:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')

SQLITE_FTS = [
    # The FTS5 table keeps its own copy of the text; its row id is the chunk's fts_key. `scope` holds one token for
    # the tenant and one for the asset (hex ids, a trailing 0 so the stemmer leaves them alone): the MATCH itself is
    # tenant-scoped, so FTS5 ranks only that tenant's rows and stops at the limit. Ranked by the text alone.
    # Triggers keep it in step with search_chunks, including the deletes that cascade from an asset or a tenant.
    """CREATE VIRTUAL TABLE search_fts USING fts5(text, scope, tokenize="porter unicode61")""",
    """INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0)')""",
    """CREATE TRIGGER search_chunks_fts_insert AFTER INSERT ON search_chunks BEGIN
         INSERT INTO search_fts(rowid, text, scope)
         VALUES (new.fts_key, new.text, 't' || new.tenant_id || '0 a' || new.asset_id || '0'); END""",
    """CREATE TRIGGER search_chunks_fts_delete AFTER DELETE ON search_chunks BEGIN
         DELETE FROM search_fts WHERE rowid = old.fts_key; END""",
]
POSTGRES_FTS = [
    """ALTER TABLE search_chunks ADD COLUMN tsv tsvector
         GENERATED ALWAYS AS (to_tsvector('english', text)) STORED""",
    "CREATE INDEX ix_search_chunks_tsv ON search_chunks USING gin (tsv)",
]


def upgrade() -> None:
    op.create_table('search_chunks',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('asset_id', sa.Uuid(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('ref_id', sa.Uuid(), nullable=True),
    sa.Column('field', sa.String(length=32), nullable=True),
    sa.Column('language', sa.String(length=35), nullable=True),
    sa.Column('start_ms', sa.Integer(), nullable=False),
    sa.Column('end_ms', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('spans', JSON, nullable=True),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('text_digest', sa.String(length=64), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.Column('fts_key', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['assets.id'], name=op.f('fk_search_chunks_asset_id_assets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_search_chunks_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_chunks'))
    )
    op.create_index('ix_search_chunks_tenant_created', 'search_chunks', ['tenant_id', 'created_at'], unique=False)
    op.create_index('ix_search_chunks_asset', 'search_chunks', ['asset_id', 'source'], unique=False)
    op.create_index('ix_search_chunks_tenant_id', 'search_chunks', ['tenant_id', 'id'], unique=True)
    op.create_index('ix_search_chunks_tenant_fts_key', 'search_chunks', ['tenant_id', 'fts_key'], unique=True)
    for statement in SQLITE_FTS if op.get_bind().dialect.name == 'sqlite' else POSTGRES_FTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("DROP TRIGGER IF EXISTS search_chunks_fts_delete")
        op.execute("DROP TRIGGER IF EXISTS search_chunks_fts_insert")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table('search_chunks')
