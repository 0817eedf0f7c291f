"""job events numbered at commit, inside PostgreSQL: the tenant's counter is locked only while the commit runs.

Numbering in the writer's transaction held the counter row from the UPDATE until the writer's COMMIT reached the
server, so a writer descheduled in between (a long lane at nice 10, behind its own threads for the GIL) held every
other writer of the tenant for as long: a probe's claim waited ~300 ms behind a transcription's progress step in
the dispatch bench. A deferred constraint trigger numbers each new row as the commit runs, with no round trip to
the client while the lock is held; commit order stays sequence order. SQLite (one writer at a time anyway) keeps
numbering in the transaction, so the column is nullable there too but never left NULL.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 14:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

NUMBER = """
CREATE FUNCTION job_events_number() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    taken bigint;
BEGIN
    UPDATE event_sequences SET last = last + 1 WHERE tenant_id = NEW.tenant_id RETURNING last INTO taken;
    IF taken IS NULL THEN  -- the tenant's first event (a concurrent first writer may make the row meanwhile)
        INSERT INTO event_sequences (tenant_id, last) VALUES (NEW.tenant_id, 0) ON CONFLICT DO NOTHING;
        UPDATE event_sequences SET last = last + 1 WHERE tenant_id = NEW.tenant_id RETURNING last INTO taken;
    END IF;
    UPDATE job_events SET sequence = taken WHERE id = NEW.id;
    RETURN NULL;
END $$
"""
# Deferred row triggers fire at commit in the order the rows were inserted; writers insert a transaction's events
# tenant by tenant in one order, so two transactions never lock two counters in opposite orders.
TRIGGER = """
CREATE CONSTRAINT TRIGGER job_events_number AFTER INSERT ON job_events DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW WHEN (NEW.sequence IS NULL) EXECUTE FUNCTION job_events_number()
"""


def upgrade() -> None:
    with op.batch_alter_table('job_events', schema=None) as batch_op:
        batch_op.alter_column('sequence', existing_type=sa.BigInteger(), nullable=True)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(NUMBER)
        op.execute(TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER job_events_number ON job_events')
        op.execute('DROP FUNCTION job_events_number()')
    op.execute('DELETE FROM job_events WHERE sequence IS NULL')
    with op.batch_alter_table('job_events', schema=None) as batch_op:
        batch_op.alter_column('sequence', existing_type=sa.BigInteger(), nullable=False)
