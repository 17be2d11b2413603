-- audit_event takes INSERTs only.
CREATE TRIGGER audit_event_append_only BEFORE UPDATE, DELETE ON audit_event
    FOR EACH ROW CALL 'be.recordbroker.audit.H2AppendOnlyTrigger';
