-- Time saved: the settings that value a consult, the outcome a consultant records, and the
-- append-only ledger of minutes saved (and lost).

-- Coordinates of care locations (and of consultants' bases, which are locations too), for
-- travel-time estimates when the matrix has no entry.
ALTER TABLE location ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE location ADD COLUMN longitude DOUBLE PRECISION;

-- The consult's calendar day (Europe/Amsterdam), its reporting period; and how long its
-- video ran, stamped when it ends.
ALTER TABLE consult ADD COLUMN consult_day DATE;
ALTER TABLE consult ADD COLUMN video_seconds INTEGER;
-- Milliseconds from accept to both parties in the room: the connection-quality figure.
ALTER TABLE consult ADD COLUMN connect_millis INTEGER;
CREATE INDEX consult_by_day ON consult (consult_day, institution_id);

-- Where a consultant would drive from, from a date on.
CREATE TABLE consultant_base (
    user_id     VARCHAR(128) NOT NULL,
    valid_from  DATE         NOT NULL,
    location_id VARCHAR(64)  NOT NULL REFERENCES location (id),
    PRIMARY KEY (user_id, valid_from)
);

-- One-way travel minutes from a base to a care location, from a date on.
CREATE TABLE travel_time (
    id               UUID        PRIMARY KEY,
    from_location_id VARCHAR(64) NOT NULL REFERENCES location (id),
    to_location_id   VARCHAR(64) NOT NULL REFERENCES location (id),
    valid_from       DATE        NOT NULL,
    minutes          INTEGER     NOT NULL,
    CONSTRAINT travel_time_once UNIQUE (from_location_id, to_location_id, valid_from)
);

-- Valuation rules per institution, versioned by date: a change adds a version, old
-- consults keep the one that applied on their day.
CREATE TABLE valuation_rule (
    id                     UUID        PRIMARY KEY,
    institution_id         VARCHAR(64) NOT NULL,
    valid_from             DATE        NOT NULL,
    version                INTEGER     NOT NULL,
    hours_per_fte_per_year INTEGER     NOT NULL,
    handover_bedside       INTEGER     NOT NULL,
    handover_anw           INTEGER     NOT NULL,
    handover_imoz          INTEGER     NOT NULL,
    handover_expert        INTEGER     NOT NULL,
    handover_cap           INTEGER     NOT NULL,
    created_by             VARCHAR(128) NOT NULL,
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT valuation_rule_once UNIQUE (institution_id, valid_from),
    CONSTRAINT valuation_rule_version UNIQUE (institution_id, version)
);

-- What the consultant recorded after a consult; a correction is a new version.
CREATE TABLE consult_outcome (
    consult_id        UUID         NOT NULL REFERENCES consult (id),
    version           INTEGER      NOT NULL,
    resolution        VARCHAR(32)  NOT NULL,
    without_video     VARCHAR(32)  NOT NULL,
    handover_minutes  INTEGER,
    recorded_by       VARCHAR(128) NOT NULL,
    recorded_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (consult_id, version)
);

-- The ledger: append-only. A correction adds a reversal of each earlier entry (negative
-- minutes, "supersedes" naming it) and the new entries, so sums are always right and
-- nothing is ever updated. Denormalised (institution, day, discipline, kind) so reports
-- read this table alone.
CREATE TABLE ledger_entry (
    id              UUID         PRIMARY KEY,
    consult_id      UUID         NOT NULL REFERENCES consult (id),
    outcome_version INTEGER      NOT NULL,
    entry_kind      VARCHAR(16)  NOT NULL,
    minutes         INTEGER      NOT NULL,
    institution_id  VARCHAR(64)  NOT NULL,
    consult_day     DATE         NOT NULL,
    consult_kind    VARCHAR(16)  NOT NULL,
    discipline      VARCHAR(16)  NOT NULL,
    consultant_id   VARCHAR(128),
    rule_id         UUID,
    rule_version    INTEGER      NOT NULL,
    travel_time_id  UUID,
    estimated       BOOLEAN      NOT NULL,
    basis           VARCHAR(500) NOT NULL,
    supersedes      UUID,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ledger_by_consult ON ledger_entry (consult_id);
CREATE INDEX ledger_by_day ON ledger_entry (consult_day, institution_id);
