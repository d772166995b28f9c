-- NEN 7513: reads of patient data are audited too (action READ), with where the request
-- came from. A read of a list names every consult or question it showed in subjects
-- (space-separated ids, covered by the record's hash); audit_subject indexes them so an
-- ADMIN can ask who saw one client's consults. Both stay append-only.
ALTER TABLE audit_event ADD COLUMN remote_addr VARCHAR(64);
ALTER TABLE audit_event ADD COLUMN subjects VARCHAR(40000);

CREATE TABLE audit_subject (
    subject_id UUID   NOT NULL,
    seq        BIGINT NOT NULL,
    PRIMARY KEY (subject_id, seq)
);

CREATE INDEX consult_by_client_ref ON consult (institution_id, client_ref);
CREATE INDEX imoz_question_by_client_ref ON imoz_question (client_ref);

-- Why a party invited someone into a consult (required for new invitations).
ALTER TABLE consult_invitee ADD COLUMN reason VARCHAR(500);
