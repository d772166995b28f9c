-- Media truth (API.md "Media state", v1.1): what each party's media actually did, per
-- consult, and the connection-quality rollup the reports read.
--
-- Since v1.1 a consult's connected_at is the first moment a party reported its media
-- "connected" (before, it was stamped when both parties had joined the room; consults
-- from before this migration keep that older stamp). connect_millis is accept -> media.

-- One row per consult and party: the summary of its media-state history.
CREATE TABLE media_party (
    consult_id         UUID         NOT NULL REFERENCES consult (id),
    user_id            VARCHAR(128) NOT NULL,
    first_reported_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    first_connected_at TIMESTAMP WITH TIME ZONE,
    -- From the party's first join of the room (else its first report) to its media.
    millis_to_media    INTEGER,
    state              VARCHAR(16)  NOT NULL,
    state_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Media dropped (disconnected/failed) after it had connected, and not back yet.
    dropped            BOOLEAN      NOT NULL,
    reconnections      INTEGER      NOT NULL,
    disconnections     INTEGER      NOT NULL,
    failures           INTEGER      NOT NULL,
    samples            INTEGER      NOT NULL,
    last_rtt_ms        DOUBLE PRECISION,
    last_loss_pct      DOUBLE PRECISION,
    last_kbps_in       DOUBLE PRECISION,
    last_kbps_out      DOUBLE PRECISION,
    last_width         INTEGER,
    last_height        INTEGER,
    relay_used         BOOLEAN      NOT NULL,
    PRIMARY KEY (consult_id, user_id)
);

-- The stats a party sent (at most one per 10 s; the first hour of a consult is kept,
-- later ones only update media_party and the rollup): medians per party come from here.
CREATE TABLE media_sample (
    consult_id UUID         NOT NULL REFERENCES consult (id),
    user_id    VARCHAR(128) NOT NULL,
    seq        INTEGER      NOT NULL,
    sampled_at TIMESTAMP WITH TIME ZONE NOT NULL,
    rtt_ms     DOUBLE PRECISION,
    loss_pct   DOUBLE PRECISION,
    kbps_in    DOUBLE PRECISION,
    kbps_out   DOUBLE PRECISION,
    width      INTEGER,
    height     INTEGER,
    relay      BOOLEAN,
    PRIMARY KEY (consult_id, user_id, seq)
);

-- Whether any party's media went through a TURN relay (counted once per consult).
ALTER TABLE consult ADD COLUMN media_relay BOOLEAN;

-- The connection-quality rollup per day, institution, discipline and kind: counts, and
-- histograms (bucket columns, bounds in MediaBuckets.java) of time to media per connected
-- consult, and of RTT and loss per stats sample, so medians come from a few thousand rows
-- instead of every consult. Written with each accept and media report; rebuildable from
-- consult, media_party and media_sample with the statement below.
CREATE TABLE media_cell (
    consult_day    DATE        NOT NULL,
    institution_id VARCHAR(64) NOT NULL,
    discipline     VARCHAR(16) NOT NULL,
    consult_kind   VARCHAR(16) NOT NULL,
    accepted       BIGINT      NOT NULL DEFAULT 0,
    connected      BIGINT      NOT NULL DEFAULT 0,
    relayed        BIGINT      NOT NULL DEFAULT 0,
    reconnections  BIGINT      NOT NULL DEFAULT 0,
    samples        BIGINT      NOT NULL DEFAULT 0,
    ttm_00         BIGINT      NOT NULL DEFAULT 0,
    ttm_01         BIGINT      NOT NULL DEFAULT 0,
    ttm_02         BIGINT      NOT NULL DEFAULT 0,
    ttm_03         BIGINT      NOT NULL DEFAULT 0,
    ttm_04         BIGINT      NOT NULL DEFAULT 0,
    ttm_05         BIGINT      NOT NULL DEFAULT 0,
    ttm_06         BIGINT      NOT NULL DEFAULT 0,
    ttm_07         BIGINT      NOT NULL DEFAULT 0,
    ttm_08         BIGINT      NOT NULL DEFAULT 0,
    ttm_09         BIGINT      NOT NULL DEFAULT 0,
    ttm_10         BIGINT      NOT NULL DEFAULT 0,
    ttm_11         BIGINT      NOT NULL DEFAULT 0,
    ttm_12         BIGINT      NOT NULL DEFAULT 0,
    ttm_13         BIGINT      NOT NULL DEFAULT 0,
    ttm_14         BIGINT      NOT NULL DEFAULT 0,
    ttm_15         BIGINT      NOT NULL DEFAULT 0,
    ttm_16         BIGINT      NOT NULL DEFAULT 0,
    ttm_17         BIGINT      NOT NULL DEFAULT 0,
    ttm_18         BIGINT      NOT NULL DEFAULT 0,
    ttm_19         BIGINT      NOT NULL DEFAULT 0,
    ttm_20         BIGINT      NOT NULL DEFAULT 0,
    ttm_21         BIGINT      NOT NULL DEFAULT 0,
    rtt_00         BIGINT      NOT NULL DEFAULT 0,
    rtt_01         BIGINT      NOT NULL DEFAULT 0,
    rtt_02         BIGINT      NOT NULL DEFAULT 0,
    rtt_03         BIGINT      NOT NULL DEFAULT 0,
    rtt_04         BIGINT      NOT NULL DEFAULT 0,
    rtt_05         BIGINT      NOT NULL DEFAULT 0,
    rtt_06         BIGINT      NOT NULL DEFAULT 0,
    rtt_07         BIGINT      NOT NULL DEFAULT 0,
    rtt_08         BIGINT      NOT NULL DEFAULT 0,
    rtt_09         BIGINT      NOT NULL DEFAULT 0,
    rtt_10         BIGINT      NOT NULL DEFAULT 0,
    rtt_11         BIGINT      NOT NULL DEFAULT 0,
    rtt_12         BIGINT      NOT NULL DEFAULT 0,
    rtt_13         BIGINT      NOT NULL DEFAULT 0,
    rtt_14         BIGINT      NOT NULL DEFAULT 0,
    rtt_15         BIGINT      NOT NULL DEFAULT 0,
    rtt_16         BIGINT      NOT NULL DEFAULT 0,
    rtt_17         BIGINT      NOT NULL DEFAULT 0,
    rtt_18         BIGINT      NOT NULL DEFAULT 0,
    loss_00        BIGINT      NOT NULL DEFAULT 0,
    loss_01        BIGINT      NOT NULL DEFAULT 0,
    loss_02        BIGINT      NOT NULL DEFAULT 0,
    loss_03        BIGINT      NOT NULL DEFAULT 0,
    loss_04        BIGINT      NOT NULL DEFAULT 0,
    loss_05        BIGINT      NOT NULL DEFAULT 0,
    loss_06        BIGINT      NOT NULL DEFAULT 0,
    loss_07        BIGINT      NOT NULL DEFAULT 0,
    loss_08        BIGINT      NOT NULL DEFAULT 0,
    loss_09        BIGINT      NOT NULL DEFAULT 0,
    loss_10        BIGINT      NOT NULL DEFAULT 0,
    loss_11        BIGINT      NOT NULL DEFAULT 0,
    loss_12        BIGINT      NOT NULL DEFAULT 0,
    loss_13        BIGINT      NOT NULL DEFAULT 0,
    loss_14        BIGINT      NOT NULL DEFAULT 0,
    loss_15        BIGINT      NOT NULL DEFAULT 0,
    loss_16        BIGINT      NOT NULL DEFAULT 0,
    loss_17        BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (consult_day, institution_id, discipline, consult_kind)
);

INSERT INTO media_cell (consult_day, institution_id, discipline, consult_kind, accepted, connected, relayed,
    reconnections, samples, ttm_00, ttm_01, ttm_02, ttm_03, ttm_04, ttm_05, ttm_06, ttm_07, ttm_08, ttm_09, ttm_10, ttm_11, ttm_12, ttm_13, ttm_14, ttm_15, ttm_16, ttm_17, ttm_18, ttm_19, ttm_20, ttm_21, rtt_00, rtt_01, rtt_02, rtt_03, rtt_04, rtt_05, rtt_06, rtt_07, rtt_08, rtt_09, rtt_10, rtt_11, rtt_12, rtt_13, rtt_14, rtt_15, rtt_16, rtt_17, rtt_18, loss_00, loss_01, loss_02, loss_03, loss_04, loss_05, loss_06, loss_07, loss_08, loss_09, loss_10, loss_11, loss_12, loss_13, loss_14, loss_15, loss_16, loss_17)
SELECT consult_day, institution_id, discipline, consult_kind,
       SUM(accepted),
       SUM(connected),
       SUM(relayed),
       SUM(reconnections),
       SUM(samples),
       SUM(CASE WHEN ttm_b = 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 2 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 3 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 4 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 5 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 6 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 7 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 8 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 9 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 10 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 11 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 12 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 13 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 14 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 15 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 16 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 17 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 18 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 19 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 20 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttm_b = 21 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 2 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 3 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 4 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 5 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 6 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 7 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 8 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 9 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 10 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 11 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 12 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 13 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 14 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 15 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 16 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 17 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rtt_b = 18 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 2 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 3 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 4 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 5 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 6 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 7 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 8 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 9 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 10 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 11 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 12 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 13 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 14 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 15 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 16 THEN 1 ELSE 0 END),
       SUM(CASE WHEN loss_b = 17 THEN 1 ELSE 0 END)
FROM (
    SELECT consult_day, institution_id, COALESCE(consultant_discipline, requested_discipline) AS discipline,
           kind AS consult_kind, 1 AS accepted,
           CASE WHEN connected_at IS NOT NULL THEN 1 ELSE 0 END AS connected,
           CASE WHEN connected_at IS NOT NULL AND media_relay THEN 1 ELSE 0 END AS relayed,
           0 AS reconnections, 0 AS samples,
           CASE WHEN connected_at IS NULL THEN NULL ELSE CASE WHEN COALESCE(connect_millis, 0) IS NULL THEN NULL WHEN COALESCE(connect_millis, 0) <= 500 THEN 0 WHEN COALESCE(connect_millis, 0) <= 1000 THEN 1 WHEN COALESCE(connect_millis, 0) <= 1500 THEN 2 WHEN COALESCE(connect_millis, 0) <= 2000 THEN 3 WHEN COALESCE(connect_millis, 0) <= 2500 THEN 4 WHEN COALESCE(connect_millis, 0) <= 3000 THEN 5 WHEN COALESCE(connect_millis, 0) <= 4000 THEN 6 WHEN COALESCE(connect_millis, 0) <= 5000 THEN 7 WHEN COALESCE(connect_millis, 0) <= 6000 THEN 8 WHEN COALESCE(connect_millis, 0) <= 7000 THEN 9 WHEN COALESCE(connect_millis, 0) <= 8000 THEN 10 WHEN COALESCE(connect_millis, 0) <= 10000 THEN 11 WHEN COALESCE(connect_millis, 0) <= 12500 THEN 12 WHEN COALESCE(connect_millis, 0) <= 15000 THEN 13 WHEN COALESCE(connect_millis, 0) <= 20000 THEN 14 WHEN COALESCE(connect_millis, 0) <= 25000 THEN 15 WHEN COALESCE(connect_millis, 0) <= 30000 THEN 16 WHEN COALESCE(connect_millis, 0) <= 45000 THEN 17 WHEN COALESCE(connect_millis, 0) <= 60000 THEN 18 WHEN COALESCE(connect_millis, 0) <= 90000 THEN 19 WHEN COALESCE(connect_millis, 0) <= 120000 THEN 20 ELSE 21 END END AS ttm_b,
           CAST(NULL AS INTEGER) AS rtt_b, CAST(NULL AS INTEGER) AS loss_b
    FROM consult WHERE accepted_at IS NOT NULL AND consult_day IS NOT NULL AND institution_id IS NOT NULL
    UNION ALL
    SELECT c.consult_day, c.institution_id, COALESCE(c.consultant_discipline, c.requested_discipline), c.kind,
           0, 0, 0, p.reconnections, 0, NULL, NULL, NULL
    FROM media_party p JOIN consult c ON c.id = p.consult_id
    WHERE c.consult_day IS NOT NULL AND c.institution_id IS NOT NULL AND p.reconnections > 0
    UNION ALL
    SELECT c.consult_day, c.institution_id, COALESCE(c.consultant_discipline, c.requested_discipline), c.kind,
           0, 0, 0, 0, 1, NULL, CASE WHEN s.rtt_ms IS NULL THEN NULL WHEN s.rtt_ms <= 10 THEN 0 WHEN s.rtt_ms <= 20 THEN 1 WHEN s.rtt_ms <= 30 THEN 2 WHEN s.rtt_ms <= 40 THEN 3 WHEN s.rtt_ms <= 50 THEN 4 WHEN s.rtt_ms <= 60 THEN 5 WHEN s.rtt_ms <= 80 THEN 6 WHEN s.rtt_ms <= 100 THEN 7 WHEN s.rtt_ms <= 125 THEN 8 WHEN s.rtt_ms <= 150 THEN 9 WHEN s.rtt_ms <= 200 THEN 10 WHEN s.rtt_ms <= 250 THEN 11 WHEN s.rtt_ms <= 300 THEN 12 WHEN s.rtt_ms <= 400 THEN 13 WHEN s.rtt_ms <= 500 THEN 14 WHEN s.rtt_ms <= 750 THEN 15 WHEN s.rtt_ms <= 1000 THEN 16 WHEN s.rtt_ms <= 2000 THEN 17 ELSE 18 END, CASE WHEN s.loss_pct IS NULL THEN NULL WHEN s.loss_pct <= 0 THEN 0 WHEN s.loss_pct <= 0.1 THEN 1 WHEN s.loss_pct <= 0.25 THEN 2 WHEN s.loss_pct <= 0.5 THEN 3 WHEN s.loss_pct <= 0.75 THEN 4 WHEN s.loss_pct <= 1 THEN 5 WHEN s.loss_pct <= 1.5 THEN 6 WHEN s.loss_pct <= 2 THEN 7 WHEN s.loss_pct <= 3 THEN 8 WHEN s.loss_pct <= 4 THEN 9 WHEN s.loss_pct <= 5 THEN 10 WHEN s.loss_pct <= 7.5 THEN 11 WHEN s.loss_pct <= 10 THEN 12 WHEN s.loss_pct <= 15 THEN 13 WHEN s.loss_pct <= 20 THEN 14 WHEN s.loss_pct <= 30 THEN 15 WHEN s.loss_pct <= 50 THEN 16 ELSE 17 END
    FROM media_sample s JOIN consult c ON c.id = s.consult_id
    WHERE c.consult_day IS NOT NULL AND c.institution_id IS NOT NULL
) facts
GROUP BY consult_day, institution_id, discipline, consult_kind;
