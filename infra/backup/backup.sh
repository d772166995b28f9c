#!/usr/bin/env bash
# Backs up the Beeldzorg database: one pg_dump in PostgreSQL's custom format (compressed,
# restorable table by table), then checks that the file can be read back.
#
#   PGHOST=db.example PGUSER=beeldzorg PGDATABASE=beeldzorg PGPASSWORD=... \
#     infra/backup/backup.sh /backups/beeldzorg-$(date -u +%Y%m%dT%H%M%SZ).dump
#
# Any libpq variable works (PGPORT, PGSSLMODE, PGPASSFILE...). Consistent while the
# application runs (pg_dump reads one snapshot). BackupAndRestoreTests runs this script.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 <dump file>" >&2
  exit 2
fi
out=$1
pg_dump --format=custom --no-owner --no-privileges --file "$out"
# A dump that pg_restore cannot list is no backup.
pg_restore --list "$out" >/dev/null
echo "backup: wrote $out ($(stat -c %s "$out") bytes)"
