-- A huisarts books a video IMOZ consult ahead: it waits in state SCHEDULED with its
-- ring deadline at the agreed moment, when the escalation scheduler starts ringing it.
ALTER TABLE consult ADD COLUMN scheduled_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX consult_by_deadline ON consult (state, ring_deadline);
