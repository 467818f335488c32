-- Retention (ADR 12): finished sagas are deleted some time after they ended, in batches, oldest
-- first. Only finished sagas have ended_at, so the index holds only them.
-- IF NOT EXISTS: on a large table, build it beforehand without blocking writes
-- (CREATE INDEX CONCURRENTLY ... the same definition) and this migration only records it.
CREATE INDEX IF NOT EXISTS saga_ended ON saga (ended_at) WHERE ended_at IS NOT NULL;
