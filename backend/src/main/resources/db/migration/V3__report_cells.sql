-- Report cells: the ledger and the ended consults summed per day, institution, discipline,
-- consult kind and consultant. A derived table, kept in the same transaction as the ledger
-- entry or consult end it sums (serialised behind the audit head), so reports read a few
-- hundred thousand cells instead of millions of rows. It can always be rebuilt from the
-- ledger and the consults with the statement below.
CREATE TABLE report_cell (
    consult_day    DATE         NOT NULL,
    institution_id VARCHAR(64)  NOT NULL,
    discipline     VARCHAR(16)  NOT NULL,
    consult_kind   VARCHAR(16)  NOT NULL,
    consultant_key VARCHAR(128) NOT NULL,
    consults       BIGINT       NOT NULL,
    video_seconds  BIGINT       NOT NULL,
    travel         BIGINT       NOT NULL,
    handover       BIGINT       NOT NULL,
    lost           BIGINT       NOT NULL,
    PRIMARY KEY (consult_day, institution_id, discipline, consult_kind, consultant_key)
);

INSERT INTO report_cell (consult_day, institution_id, discipline, consult_kind, consultant_key, consults,
    video_seconds, travel, handover, lost)
SELECT consult_day, institution_id, discipline, consult_kind, consultant_key, SUM(consults), SUM(video_seconds),
       SUM(travel), SUM(handover), SUM(lost)
FROM (
    SELECT consult_day, institution_id, COALESCE(consultant_discipline, requested_discipline) AS discipline,
           kind AS consult_kind, COALESCE(consultant_id, '') AS consultant_key, 1 AS consults,
           COALESCE(video_seconds, 0) AS video_seconds, 0 AS travel, 0 AS handover, 0 AS lost
    FROM consult WHERE state = 'ENDED' AND consult_day IS NOT NULL AND institution_id IS NOT NULL
    UNION ALL
    SELECT consult_day, institution_id, discipline, consult_kind, COALESCE(consultant_id, ''), 0, 0,
           CASE WHEN entry_kind = 'TRAVEL' THEN minutes ELSE 0 END,
           CASE WHEN entry_kind = 'HANDOVER' THEN minutes ELSE 0 END,
           CASE WHEN entry_kind = 'LOST' THEN minutes ELSE 0 END
    FROM ledger_entry
) facts
GROUP BY consult_day, institution_id, discipline, consult_kind, consultant_key;
