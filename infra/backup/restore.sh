#!/usr/bin/env bash
# Restores a dump made by backup.sh into a NEW, empty database, in one transaction (all
# or nothing). Afterwards: start Beeldzorg on it (Flyway finds the schema current), check
# the audit chain (GET /api/v1/audit/verification as ADMIN, or the
# beeldzorg_audit_chain_intact gauge) and a report against what it showed before.
#
#   createdb -h db.example -U postgres -O beeldzorg beeldzorg_restored
#   PGHOST=db.example PGUSER=beeldzorg PGDATABASE=beeldzorg_restored PGPASSWORD=... \
#     infra/backup/restore.sh /backups/beeldzorg-20261201T020000Z.dump
#
# BackupAndRestoreTests runs this script.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 <dump file>" >&2
  exit 2
fi
in=$1
: "${PGDATABASE:?set PGDATABASE to the new, empty database}"
tables=$(psql --no-psqlrc --tuples-only --no-align --command \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore: $PGDATABASE is not empty ($tables tables); restore into a new database" >&2
  exit 1
fi
pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --dbname "$PGDATABASE" "$in"
echo "restore: $in restored into $PGDATABASE"
