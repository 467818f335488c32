-- The roles of one service database and what each may do: the one copy, run by all three
-- environments, so that the tests exercise what production uses (issue 14):
--   compose: infra/postgres/init-databases.sh, after it created the database and the roles
--            with their passwords;
--   Kubernetes: each CloudNativePG Cluster at bootstrap (postInitApplicationSQLRefs, the
--            ConfigMap service-database-roles of k8s/base/databases/kustomization.yaml);
--   tests and ./local-stack.sh: PostgresServer.createDatabase (platform/testing packages it).
-- Run as a superuser in the service's database, once it exists and is owned by its owner role;
-- running it again changes nothing.
--
-- Roles (names are cluster-wide):
--   <owner> (the database's owner): runs the Flyway migrations, so it owns every table.
--   <owner>_app: the service at runtime. Rows only (SELECT, INSERT, UPDATE, DELETE) of the tables
--            the owner creates, now and in later migrations (default privileges), and the
--            sequences behind them (but not Flyway's history table: V0_6 takes it back); no
--            DDL, no other database.
--   shopflow_relay: the outbox relay, REPLICATION for its slot. Its table rights are granted by
--            the outbox library's migration V0_6, on the table outbox only.
-- A role this creates has no password: it cannot log in over password authentication until the
-- environment gives it one (compose's init script, CloudNativePG's managed roles); the embedded
-- PostgreSQL trusts local connections.
DO $roles$
DECLARE
    database text := current_database();
    owner text := (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database());
    app text := owner || '_app';
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', app);
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shopflow_relay') THEN
        CREATE ROLE shopflow_relay LOGIN REPLICATION;
    END IF;

    -- Only the owner, the service and the relay reach the database: PUBLIC loses CONNECT and
    -- TEMP, so a service's role cannot open another service's database.
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', database);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I, shopflow_relay', database, app);
    -- Objects in public: only its owner (pg_database_owner) creates them. PostgreSQL 15 and later
    -- no longer grant CREATE to PUBLIC; a database from an older cluster still may.
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I, shopflow_relay', app);

    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
                   'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', owner, app);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
                   'GRANT USAGE ON SEQUENCES TO %I', owner, app);
    -- Tables that existed before this ran (a database that predates the runtime role).
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', app);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO %I', app);
END
$roles$;
