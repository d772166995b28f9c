-- Who rings: availability, expertise, on-call rosters, and the stored ring plan of each
-- consult with its deadline, so escalation survives a restart and happens once.

-- A consultant's own "available / not available" (no row: available).
CREATE TABLE consultant_availability (
    user_id    VARCHAR(128) PRIMARY KEY,
    available  BOOLEAN      NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Expertise tags (wounds, psychiatry, palliative care, ...) for EXPERT consults.
CREATE TABLE consultant_expertise (
    user_id VARCHAR(128) NOT NULL,
    tag     VARCHAR(64)  NOT NULL,
    PRIMARY KEY (user_id, tag)
);

-- ANW on-call roster: shifts per subregion and discipline, primary or backup.
CREATE TABLE on_call_shift (
    id             UUID         PRIMARY KEY,
    subregion      VARCHAR(100) NOT NULL,
    discipline     VARCHAR(16)  NOT NULL,
    consultant_id  VARCHAR(128) NOT NULL,
    role           VARCHAR(16)  NOT NULL,
    starts_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    ends_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    institution_id VARCHAR(64)  NOT NULL,
    created_by     VARCHAR(128) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT on_call_shift_order CHECK (ends_at > starts_at)
);
CREATE INDEX on_call_shift_by_time ON on_call_shift (subregion, discipline, starts_at);

-- What the requester is told when nobody answered, and whether stepped care applies.
ALTER TABLE institution ADD COLUMN fallback_phone VARCHAR(40);
ALTER TABLE institution ADD COLUMN fallback_instructions VARCHAR(500);
ALTER TABLE institution ADD COLUMN stepped_care BOOLEAN DEFAULT FALSE NOT NULL;

-- The ring plan: stage 0 rings at once, each later stage when the previous one's
-- deadline passed unanswered; after the last stage the consult is MISSED.
CREATE TABLE consult_ring_plan (
    consult_id UUID         NOT NULL REFERENCES consult (id),
    stage      INTEGER      NOT NULL,
    user_id    VARCHAR(128) NOT NULL,
    discipline VARCHAR(16)  NOT NULL,
    PRIMARY KEY (consult_id, stage, user_id)
);
ALTER TABLE consult ADD COLUMN ring_stage INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE consult ADD COLUMN ring_deadline TIMESTAMP WITH TIME ZONE;
ALTER TABLE consult ADD COLUMN expertise VARCHAR(64);
CREATE INDEX consult_by_ring_deadline ON consult (state, ring_deadline);

-- Web Push subscriptions of consultants' browsers (RFC 8030/8291): a locked phone rings.
CREATE TABLE push_subscription (
    endpoint   VARCHAR(1000) PRIMARY KEY,
    user_id    VARCHAR(128)  NOT NULL,
    p256dh     VARCHAR(200)  NOT NULL,
    auth       VARCHAR(100)  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX push_subscription_by_user ON push_subscription (user_id);
