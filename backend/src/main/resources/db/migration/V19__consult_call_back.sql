-- The SO calls a ward's glasses back after a consult: a new consult (the SO already its
-- consultant) that rings the glasses paired with the consult's location until a nurse of
-- the ward answers on them (she is then invited into it and joins).
CREATE TABLE consult_call_back (
    consult_id   UUID         PRIMARY KEY REFERENCES consult (id),
    origin_id    UUID         NOT NULL REFERENCES consult (id),
    called_by    VARCHAR(128) NOT NULL,
    called_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    answered_by  VARCHAR(128),
    answered_at  TIMESTAMP WITH TIME ZONE
);

CREATE INDEX consult_call_back_origin ON consult_call_back (origin_id);
