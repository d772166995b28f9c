-- The audit trail is append-only: the database itself refuses to change or remove a
-- record (see nl.beeldzorg.audit.AppendOnlyTrigger).
DROP TRIGGER IF EXISTS audit_event_no_change;
CREATE TRIGGER audit_event_no_change BEFORE UPDATE, DELETE ON audit_event
    FOR EACH ROW CALL 'nl.beeldzorg.audit.AppendOnlyTrigger';

DROP TRIGGER IF EXISTS audit_subject_no_change;
CREATE TRIGGER audit_subject_no_change BEFORE UPDATE, DELETE ON audit_subject
    FOR EACH ROW CALL 'nl.beeldzorg.audit.AppendOnlyTrigger';
