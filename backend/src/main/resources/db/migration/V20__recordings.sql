-- Recordings of a consult (issue 15), only with recorded consent. The row, with who gave
-- consent (the client or a representative), who recorded (the party who asked) and the
-- note, is committed before the media server is asked to record; a recording the media
-- server could not start stays as FAILED (the consent happened) and has no file.
-- state: STARTING (consent stored, recorder being started), RECORDING, STOPPING,
-- STOPPED (file complete, downloadable until expires_at), FAILED, DELETED (file removed
-- by the retention job; the row stays as the record that it existed).
CREATE TABLE recording (
    id               UUID         PRIMARY KEY,
    consult_id       UUID         NOT NULL REFERENCES consult (id),
    institution_id   VARCHAR(64),
    state            VARCHAR(16)  NOT NULL,
    consent_given_by VARCHAR(16)  NOT NULL,
    consent_note     VARCHAR(500),
    consent_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_by      VARCHAR(128) NOT NULL,
    idempotency_key  VARCHAR(128),
    request_hash     VARCHAR(64),
    file_path        VARCHAR(1000) NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE,
    stopped_at       TIMESTAMP WITH TIME ZONE,
    stopped_by       VARCHAR(128),
    size_bytes       BIGINT,
    expires_at       TIMESTAMP WITH TIME ZONE,
    deleted_at       TIMESTAMP WITH TIME ZONE,
    CONSTRAINT recording_idempotency UNIQUE (recorded_by, idempotency_key)
);
CREATE INDEX recording_by_consult ON recording (consult_id, consent_at);
CREATE INDEX recording_by_expiry ON recording (state, expires_at);
