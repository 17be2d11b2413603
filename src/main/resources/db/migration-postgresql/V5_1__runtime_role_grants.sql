-- Two roles in prod: these migrations run as the owner (spring.flyway.user); the broker runs as the runtime role
-- named by record-broker.database.runtime-role (placeholder runtime_role). The runtime role gets what the broker needs
-- and no more: on audit_event SELECT and INSERT only (no UPDATE, DELETE, TRUNCATE; not the owner, so it cannot
-- ALTER TABLE ... DISABLE TRIGGER nor drop the append-only trigger); on audit_head SELECT and UPDATE (the chain's end:
-- a forged head is found by the verification, the chain being keyed); on the ingest tables what the ledger does.
-- Tables of later migrations get SELECT, INSERT, UPDATE, DELETE by default (ALTER DEFAULT PRIVILEGES); a later
-- migration that adds an append-only table must revoke what it must not have.
-- A no-op when the placeholder is empty (the sandbox, one role) or names the owner itself.
DO $$
DECLARE
    runtime_role TEXT := '${runtime_role}';
BEGIN
    IF runtime_role IS NULL OR runtime_role = '' THEN
        RETURN;
    END IF;
    IF runtime_role = current_user THEN
        -- one role for both: nothing to separate (prod's start-up check refuses this; docs/security/audit.md)
        RAISE WARNING 'record-broker.database.runtime-role (%) is the owner running the migrations: no separation',
            runtime_role;
        RETURN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), runtime_role);
    EXECUTE format('REVOKE ALL ON audit_event, audit_head FROM %I', runtime_role);
    EXECUTE format('GRANT SELECT, INSERT ON audit_event TO %I', runtime_role);
    EXECUTE format('GRANT SELECT, UPDATE ON audit_head TO %I', runtime_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON hl7_accepted, hl7_applied, hl7_document TO %I',
                   runtime_role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), runtime_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
                   current_schema(), runtime_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I',
                   current_schema(), runtime_role);
END
$$;
