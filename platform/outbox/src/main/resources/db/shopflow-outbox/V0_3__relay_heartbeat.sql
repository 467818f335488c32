-- Written by the CDC relay's Debezium heartbeat (heartbeat.action.query) so that the
-- replication slot advances, and WAL does not pile up, while the outbox is quiet.
CREATE TABLE relay_heartbeat (
    id         INT          PRIMARY KEY,
    beat_at    TIMESTAMPTZ  NOT NULL
);
