-- A realistic programme year for the report benchmark: :consults consults across the seven
-- institutions of the Apeldoorn-Zutphen programme, with outcomes and ledger entries valued
-- as the backend values them. Runs after the backend has migrated (and seeded) the schema.

INSERT INTO institution (id, name)
SELECT v.id, v.name FROM (VALUES ('nusantara', 'Nusantara'), ('wzu-veluwe', 'WZU Veluwe'), ('sensire', 'Sensire'),
    ('den-bouw', 'Den Bouw'), ('szmk', 'SZMK')) AS v(id, name)
WHERE NOT EXISTS (SELECT 1 FROM institution i WHERE i.id = v.id);

INSERT INTO location (id, institution_id, name, subregion, latitude, longitude)
SELECT i.id || '-loc-' || n, i.id, 'Locatie ' || n, 'subregio-' || (n % 3), 52.0 + random() * 0.4, 5.8 + random() * 0.5
FROM institution i, generate_series(1, 6) n
WHERE NOT EXISTS (SELECT 1 FROM location l WHERE l.id = i.id || '-loc-' || n);

INSERT INTO practitioner (user_id, name, discipline, institution_id, last_seen_at)
SELECT 'gen-' || i.id || '-' || d || '-' || n, 'Behandelaar ' || d || ' ' || n, d, i.id, now()
FROM institution i, unnest(ARRAY['SO', 'BA', 'VS', 'PA', 'GZP']) d, generate_series(1, 6) n
ON CONFLICT DO NOTHING;

CREATE TEMP TABLE gen AS
SELECT g AS n,
       (ARRAY['zga', 'zga', 'atlant', 'atlant', 'nusantara', 'wzu-veluwe', 'sensire', 'sensire', 'den-bouw', 'szmk'])[1 + floor(random() * 10)::int] AS institution,
       (ARRAY['SO', 'SO', 'SO', 'SO', 'BA', 'BA', 'VS', 'VS', 'PA', 'GZP'])[1 + floor(random() * 10)::int] AS discipline,
       (ARRAY['BEDSIDE', 'BEDSIDE', 'BEDSIDE', 'BEDSIDE', 'BEDSIDE', 'BEDSIDE', 'ANW', 'ANW', 'ANW', 'EXPERT'])[1 + floor(random() * 10)::int] AS kind,
       timestamptz '2025-10-01 00:00:00+00' + random() * interval '365 days' AS created_at,
       random() AS fate, random() AS r1, random() AS r2, 1 + floor(random() * 6)::int AS who,
       1 + floor(random() * 6)::int AS loc, 8 + floor(random() * 32)::int AS travel,
       60 + floor(random() * 1500)::int AS video, 1500 + floor(random() * 20000)::int AS connect
FROM generate_series(1, :consults) g;

INSERT INTO consult (id, kind, state, version, institution_id, location_id, client_ref, urgency, requested_discipline,
    requested_by, requested_by_discipline, consultant_id, consultant_discipline, created_at, accepted_at, connected_at,
    ended_at, consult_day, video_seconds, connect_millis)
SELECT md5('gen' || n)::uuid, kind,
       CASE WHEN fate < 0.05 THEN 'MISSED' WHEN fate < 0.09 THEN 'CANCELLED' ELSE 'ENDED' END, 2,
       institution, institution || '-loc-' || loc, 'G-' || n, 'URGENT', discipline,
       'gen-nurse-' || institution, 'NURSE',
       CASE WHEN fate < 0.09 THEN NULL ELSE 'gen-' || institution || '-' || discipline || '-' || who END,
       CASE WHEN fate < 0.09 THEN NULL ELSE discipline END,
       created_at,
       CASE WHEN fate < 0.09 THEN NULL ELSE created_at + interval '40 seconds' END,
       CASE WHEN fate < 0.12 THEN NULL ELSE created_at + interval '40 seconds' + connect * interval '1 millisecond' END,
       created_at + interval '40 seconds' + video * interval '1 second',
       (created_at AT TIME ZONE 'Europe/Amsterdam')::date,
       CASE WHEN fate < 0.12 THEN 0 ELSE video END,
       CASE WHEN fate < 0.12 THEN NULL ELSE connect END
FROM gen;

INSERT INTO consult_outcome (consult_id, version, resolution, without_video, handover_minutes, recorded_by, recorded_at)
SELECT md5('gen' || n)::uuid, 1,
       CASE WHEN r1 < 0.7 THEN 'RESOLVED_REMOTELY' WHEN r1 < 0.9 THEN 'VISIT_STILL_NEEDED' ELSE 'REFERRED' END,
       CASE WHEN r2 < 0.6 THEN 'PHYSICAL_VISIT' WHEN r2 < 0.85 THEN 'PHONE_CALL' WHEN r2 < 0.95 THEN 'NEXT_REGULAR_VISIT' ELSE 'NOTHING' END,
       NULL, 'gen-' || institution || '-' || discipline || '-' || who, created_at + interval '1 hour'
FROM gen WHERE fate >= 0.09;

-- TRAVEL: the round trip, when the SO would have driven and did not have to.
INSERT INTO ledger_entry (id, consult_id, outcome_version, entry_kind, minutes, institution_id, consult_day,
    consult_kind, discipline, consultant_id, rule_version, estimated, basis, recorded_at)
SELECT md5('gen-travel' || n)::uuid, md5('gen' || n)::uuid, 1, 'TRAVEL', 2 * travel, institution,
       (created_at AT TIME ZONE 'Europe/Amsterdam')::date, kind, discipline,
       'gen-' || institution || '-' || discipline || '-' || who, 0, false,
       'generated: round trip 2 x ' || travel || ' min', created_at + interval '1 hour'
FROM gen WHERE fate >= 0.12 AND r2 < 0.6 AND (r1 < 0.7 OR r1 >= 0.9);

-- HANDOVER: the norm of the consult kind, unless nothing would have happened.
INSERT INTO ledger_entry (id, consult_id, outcome_version, entry_kind, minutes, institution_id, consult_day,
    consult_kind, discipline, consultant_id, rule_version, estimated, basis, recorded_at)
SELECT md5('gen-handover' || n)::uuid, md5('gen' || n)::uuid, 1, 'HANDOVER',
       CASE kind WHEN 'BEDSIDE' THEN 15 WHEN 'ANW' THEN 20 ELSE 10 END, institution,
       (created_at AT TIME ZONE 'Europe/Amsterdam')::date, kind, discipline,
       'gen-' || institution || '-' || discipline || '-' || who, 0, false, 'generated: handover norm',
       created_at + interval '1 hour'
FROM gen WHERE fate >= 0.12 AND r2 < 0.95;

-- LOST: the requester's waiting time of consults that failed.
INSERT INTO ledger_entry (id, consult_id, outcome_version, entry_kind, minutes, institution_id, consult_day,
    consult_kind, discipline, consultant_id, rule_version, estimated, basis, recorded_at)
SELECT md5('gen-lost' || n)::uuid, md5('gen' || n)::uuid, 0, 'LOST', 1 + floor(video / 60.0)::int, institution,
       (created_at AT TIME ZONE 'Europe/Amsterdam')::date, kind, discipline, NULL, 0, false,
       'generated: requester waited', created_at + interval '1 hour'
FROM gen WHERE fate < 0.12;

-- Media truth (v1.1): every accepted consult's two parties reported their media; the
-- connected ones sent stats (one sample per party here: the rollup's size does not grow
-- with samples, only its rebuild does); about 1 in 13 went through a TURN relay, 1 in 17
-- had the nurse's media drop and come back.
UPDATE consult SET media_relay = TRUE
WHERE connected_at IS NOT NULL AND ('x' || substr(id::text, 1, 8))::bit(32)::int % 13 = 0;

INSERT INTO media_party (consult_id, user_id, first_reported_at, first_connected_at, millis_to_media, state, state_at,
    dropped, reconnections, disconnections, failures, samples, last_rtt_ms, last_loss_pct, last_kbps_in, last_kbps_out,
    last_width, last_height, relay_used)
SELECT md5('gen' || n)::uuid, p.user_id, created_at + interval '41 seconds',
       CASE WHEN fate < 0.12 THEN NULL ELSE created_at + interval '40 seconds' + connect * interval '1 millisecond' END,
       CASE WHEN fate < 0.12 THEN NULL ELSE connect END,
       CASE WHEN fate < 0.12 THEN 'failed' ELSE 'connected' END, created_at + interval '60 seconds', false,
       CASE WHEN p.nurse AND n % 17 = 0 THEN 1 ELSE 0 END, CASE WHEN p.nurse AND n % 17 = 0 THEN 1 ELSE 0 END,
       CASE WHEN fate < 0.12 THEN 1 ELSE 0 END, CASE WHEN fate < 0.12 THEN 0 ELSE 1 END,
       CASE WHEN fate < 0.12 THEN NULL ELSE 15 + r1 * 120 END, CASE WHEN fate < 0.12 THEN NULL ELSE r2 * r2 * 4 END,
       CASE WHEN fate < 0.12 THEN NULL ELSE 600 + r1 * 900 END, CASE WHEN fate < 0.12 THEN NULL ELSE 500 + r2 * 900 END,
       CASE WHEN fate < 0.12 THEN NULL ELSE 1280 END, CASE WHEN fate < 0.12 THEN NULL ELSE 720 END, false
FROM gen, LATERAL (VALUES ('gen-nurse-' || institution, true),
    ('gen-' || institution || '-' || discipline || '-' || who, false)) AS p(user_id, nurse)
WHERE fate >= 0.09;

INSERT INTO media_sample (consult_id, user_id, seq, sampled_at, rtt_ms, loss_pct, kbps_in, kbps_out, width, height,
    relay)
SELECT consult_id, user_id, 1, first_connected_at + interval '10 seconds', last_rtt_ms, last_loss_pct, last_kbps_in,
       last_kbps_out, last_width, last_height, false
FROM media_party WHERE samples = 1;

-- The report cells are then rebuilt with the backend's own migration V3 statement
-- (ReportBench reads it from the backend jar), so the two can never differ; likewise the
-- connection-quality cells with migration V11's.
