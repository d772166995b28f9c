-- Outcome completeness: how many of the ended consults a report cell counts have a recorded
-- outcome, so the programme sees when savings are undercounted because outcomes were never
-- filled in. Kept with the first outcome version, in the same transaction as its ledger
-- entries; filled here from the outcomes recorded so far.
ALTER TABLE report_cell ADD COLUMN outcomes BIGINT DEFAULT 0 NOT NULL;

UPDATE report_cell SET outcomes = (
    SELECT COUNT(*) FROM consult c
    WHERE c.state = 'ENDED' AND c.consult_day = report_cell.consult_day
      AND c.institution_id = report_cell.institution_id
      AND COALESCE(c.consultant_discipline, c.requested_discipline) = report_cell.discipline
      AND c.kind = report_cell.consult_kind
      AND COALESCE(c.consultant_id, '') = report_cell.consultant_key
      AND EXISTS (SELECT 1 FROM consult_outcome o WHERE o.consult_id = c.id)
);

-- Demo mode only: what the demo seeded, so a restart neither seeds twice nor leaves a
-- half-seeded history (a seed restarted after a crash continues from its anchor day).
CREATE TABLE demo_seed (
    name         VARCHAR(64) PRIMARY KEY,
    anchor_day   DATE        NOT NULL,
    completed_at TIMESTAMP WITH TIME ZONE
);
