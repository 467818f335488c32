-- Least privilege (issue 14). Run, like every migration, as the database's owner; the roles come
-- from k8s/base/databases/service-database-roles.sql, which runs before the first migration.
--
-- The relay's rights, on this table only: SELECT for the start-up scan, the polling mode and the
-- lag; DELETE of published rows; UPDATE of published_at for the polling mode's on-ack=mark (and
-- for its FOR UPDATE SKIP LOCKED, which needs UPDATE on some column). Databases set up before this
-- migration gave the relay, through the owner's default privileges, SELECT, UPDATE and DELETE on
-- every table: both are taken back first.
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM shopflow_relay;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM shopflow_relay;
GRANT SELECT, DELETE, UPDATE (published_at) ON outbox TO shopflow_relay;

-- The service's runtime role (<owner>_app) has the rows of every table the owner creates, Flyway's
-- history table included, which Flyway created just before this: a service that could write it
-- could mark a migration applied and so skip it.
DO $$
BEGIN
    EXECUTE format('REVOKE ALL ON %I FROM %I', '${flyway:table}', current_user || '_app');
END
$$;
