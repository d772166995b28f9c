-- Outcomes that are not silently forgotten: when the consultant was reminded to record a
-- consult's outcome. Set once by a conditional update, so of several nodes sweeping at
-- the same moment exactly one sends the reminder.
ALTER TABLE consult ADD COLUMN outcome_reminded_at TIMESTAMP WITH TIME ZONE;
-- The reminder sweep reads ended consults by their end.
CREATE INDEX consult_by_end ON consult (state, ended_at);
-- A consultant's missed calls: the consults that rang for them recently.
CREATE INDEX consult_ring_by_user_time ON consult_ring (user_id, rung_at);
