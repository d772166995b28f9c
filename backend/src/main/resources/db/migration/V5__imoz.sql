-- IMOZ (Intramurale Ouderenzorg in de wijk / consultation of the SO by the huisarts):
-- written questions about a frail patient at home, answered by an SO within the agreed
-- days, with a billing code for declaration. No patient names: a pseudonymous client
-- reference and the home area (postcode digits) only.
CREATE TABLE imoz_question (
    id                     UUID         PRIMARY KEY,
    state                  VARCHAR(16)  NOT NULL,
    version                INTEGER      NOT NULL,
    practice_id            VARCHAR(64)  NOT NULL,
    asked_by               VARCHAR(128) NOT NULL,
    client_ref             VARCHAR(64)  NOT NULL,
    home_area              VARCHAR(8)   NOT NULL,
    question               VARCHAR(4000) NOT NULL,
    due_at                 TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_by             VARCHAR(128),
    claimed_at             TIMESTAMP WITH TIME ZONE,
    answer                 VARCHAR(8000),
    answered_at            TIMESTAMP WITH TIME ZONE,
    answered_by_institution VARCHAR(64),
    billing_code           VARCHAR(32),
    idempotency_key        VARCHAR(128),
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    withdrawn_at           TIMESTAMP WITH TIME ZONE,
    CONSTRAINT imoz_question_idempotency UNIQUE (asked_by, idempotency_key)
);
CREATE INDEX imoz_question_by_practice ON imoz_question (practice_id, created_at);
CREATE INDEX imoz_question_by_state ON imoz_question (state, due_at);
CREATE INDEX imoz_question_by_answer ON imoz_question (answered_at);

-- People invited into a consult by a party (a district nurse with glasses at the
-- patient's home joining a huisarts and an SO): they may see and join it.
CREATE TABLE consult_invitee (
    consult_id UUID         NOT NULL REFERENCES consult (id),
    user_id    VARCHAR(128) NOT NULL,
    invited_by VARCHAR(128) NOT NULL,
    invited_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (consult_id, user_id)
);

-- A video IMOZ consult is declared too: its consultant records the billing code after
-- the call.
ALTER TABLE consult ADD COLUMN billing_code VARCHAR(32);

-- A patient at home is known by their 4-digit postcode area only; the area's centre
-- values the SO's saved home visit (reference data an ADMIN keeps).
ALTER TABLE consult ADD COLUMN home_area VARCHAR(8);
CREATE TABLE home_area (
    code      VARCHAR(8)   PRIMARY KEY,
    latitude  DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL
);
