-- The CDC relay no longer writes a heartbeat (ADR 11): it reads pgoutput itself, and while the
-- outbox is quiet its replies to the server's keepalives advance the replication slot.
DROP TABLE IF EXISTS relay_heartbeat;
