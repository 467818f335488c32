-- Retention (ADR 12): the pruner deletes inbox rows older than the inbox window in batches, oldest
-- first. This index finds them without reading the table; processed_at only grows, so every insert
-- lands on the index's right-most page.
-- IF NOT EXISTS: on a large table, build it beforehand without blocking writes
-- (CREATE INDEX CONCURRENTLY ... the same definition) and this migration only records it.
CREATE INDEX IF NOT EXISTS inbox_processed_at ON inbox (processed_at);
