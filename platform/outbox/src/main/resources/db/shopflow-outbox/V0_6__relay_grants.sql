-- The relay's rights, on this table only (issue 14): SELECT for the start-up scan, the polling mode
-- and the lag; DELETE of published rows; UPDATE of published_at for the polling mode's on-ack=mark
-- (and for its FOR UPDATE SKIP LOCKED, which needs UPDATE on some column). The role shopflow_relay
-- exists before the first migration: k8s/base/databases/service-database-roles.sql creates it.
--
-- Databases set up before this migration gave the relay, through the owner's default privileges,
-- SELECT, UPDATE and DELETE on every table: both are taken back first.
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM shopflow_relay;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM shopflow_relay;
GRANT SELECT, DELETE, UPDATE (published_at) ON outbox TO shopflow_relay;
