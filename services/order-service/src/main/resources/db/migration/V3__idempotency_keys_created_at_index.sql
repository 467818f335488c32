-- Retention (ADR 12): the pruner deletes idempotency keys older than their window in batches,
-- oldest first. IF NOT EXISTS: on a large table, build it beforehand without blocking writes
-- (CREATE INDEX CONCURRENTLY ... the same definition) and this migration only records it.
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
