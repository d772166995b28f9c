-- Photos with a written IMOZ question (a wound, a rash, a medication list): JPEG or PNG,
-- kept with the question and shown only to those who may see the question. One photo
-- is stored once per question (its SHA-256), so a retried upload adds nothing.
CREATE TABLE imoz_photo (
    id           UUID         PRIMARY KEY,
    question_id  UUID         NOT NULL REFERENCES imoz_question (id),
    content_type VARCHAR(32)  NOT NULL,
    size_bytes   INTEGER      NOT NULL,
    sha256       VARCHAR(64)  NOT NULL,
    bytes        BYTEA        NOT NULL,
    uploaded_by  VARCHAR(128) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT imoz_photo_once UNIQUE (question_id, sha256)
);
CREATE INDEX imoz_photo_by_question ON imoz_photo (question_id, created_at);
