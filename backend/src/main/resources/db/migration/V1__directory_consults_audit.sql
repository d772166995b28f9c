-- Directory: institutions (tenants), their care locations, and the practitioners the
-- system has seen (upserted from access-token claims; no patients are ever stored).
CREATE TABLE institution (
    id          VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL
);

CREATE TABLE location (
    id             VARCHAR(64)  PRIMARY KEY,
    institution_id VARCHAR(64)  NOT NULL REFERENCES institution (id),
    name           VARCHAR(200) NOT NULL,
    subregion      VARCHAR(100) NOT NULL
);
CREATE INDEX location_by_institution ON location (institution_id);

CREATE TABLE practitioner (
    user_id        VARCHAR(128) PRIMARY KEY,
    name           VARCHAR(200) NOT NULL,
    discipline     VARCHAR(16),
    institution_id VARCHAR(64),
    practice_id    VARCHAR(64),
    last_seen_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX practitioner_by_institution ON practitioner (institution_id, discipline);

-- The consult aggregate. State changes are conditional on state and version.
CREATE TABLE consult (
    id                      UUID         PRIMARY KEY,
    kind                    VARCHAR(16)  NOT NULL,
    state                   VARCHAR(16)  NOT NULL,
    version                 INTEGER      NOT NULL,
    institution_id          VARCHAR(64),
    location_id             VARCHAR(64),
    client_ref              VARCHAR(64)  NOT NULL,
    question                VARCHAR(2000),
    urgency                 VARCHAR(16)  NOT NULL,
    requested_discipline    VARCHAR(16)  NOT NULL,
    requested_by            VARCHAR(128) NOT NULL,
    requested_by_discipline VARCHAR(16)  NOT NULL,
    consultant_id           VARCHAR(128),
    consultant_discipline   VARCHAR(16),
    idempotency_key         VARCHAR(128),
    request_hash            VARCHAR(64),
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    accepted_at             TIMESTAMP WITH TIME ZONE,
    connected_at            TIMESTAMP WITH TIME ZONE,
    ended_at                TIMESTAMP WITH TIME ZONE,
    CONSTRAINT consult_idempotency UNIQUE (requested_by, idempotency_key)
);
CREATE INDEX consult_by_institution ON consult (institution_id, created_at);
CREATE INDEX consult_by_requester ON consult (requested_by, created_at);
CREATE INDEX consult_by_consultant ON consult (consultant_id, created_at);

-- Who a consult rings, and what each of them did.
CREATE TABLE consult_ring (
    consult_id   UUID         NOT NULL REFERENCES consult (id),
    user_id      VARCHAR(128) NOT NULL,
    discipline   VARCHAR(16)  NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    rung_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    responded_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (consult_id, user_id)
);
CREATE INDEX consult_ring_by_user ON consult_ring (user_id, state);

-- Who joined the signalling room (rejoin with an expired join token needs a first join).
CREATE TABLE consult_participant (
    consult_id      UUID         NOT NULL REFERENCES consult (id),
    user_id         VARCHAR(128) NOT NULL,
    first_joined_at TIMESTAMP WITH TIME ZONE NOT NULL,
    joins           INTEGER      NOT NULL,
    PRIMARY KEY (consult_id, user_id)
);

-- Audit trail (NEN 7513 spirit): append-only, each record chained to the previous one by
-- a SHA-256 hash; audit_head holds the chain's end and serialises appends.
CREATE TABLE audit_event (
    seq            BIGINT       PRIMARY KEY,
    at             TIMESTAMP WITH TIME ZONE NOT NULL,
    actor_id       VARCHAR(128) NOT NULL,
    on_behalf_of   VARCHAR(128),
    institution_id VARCHAR(64),
    consult_id     UUID,
    action         VARCHAR(32)  NOT NULL,
    detail         VARCHAR(500),
    prev_hash      CHAR(64)     NOT NULL,
    hash           CHAR(64)     NOT NULL
);
CREATE INDEX audit_event_by_consult ON audit_event (consult_id);

CREATE TABLE audit_head (
    id   INTEGER  PRIMARY KEY,
    seq  BIGINT   NOT NULL,
    hash CHAR(64) NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
