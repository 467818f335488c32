-- Admission control (ADR 9) reads the count and the oldest placed_at of the PENDING orders four
-- times a second. This partial index holds only the orders in flight, so that read stays as small
-- as the work in flight (which admission control bounds), however many final orders pile up.
-- IF NOT EXISTS: on a large table, build it beforehand without blocking writes
-- (CREATE INDEX CONCURRENTLY ... the same definition) and this migration only records it.
CREATE INDEX IF NOT EXISTS orders_pending ON orders (placed_at) WHERE status = 'PENDING';
