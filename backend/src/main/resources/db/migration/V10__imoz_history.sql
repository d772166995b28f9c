-- The SO's app keeps her answered IMOZ questions as history: her list reads the open
-- questions and those she took, so the ones she took are found by her id.
CREATE INDEX imoz_question_by_claimant ON imoz_question (claimed_by, answered_at);
