#!/usr/bin/env bash
# Makes a logical backup of the JusticeTracker database with pg_dump.
#
#   infra/backup.sh [file]
#
# The database is the one in JT_CONNECTION_STRING (an Npgsql connection string), or the local
# development database that infra/postgres.sh starts. The dump is pg_dump's custom format
# (compressed; restore it with infra/restore.sh), written to [file] or to
# .local/backups/justicetracker-<UTC time>.dump, with a .sha256 checksum beside it. Only the
# dump's path goes to stdout.
#
# A dump holds every case: keep it encrypted, in the same jurisdiction, and delete it when the
# retention period ends (docs/operations.md, docs/data-protection.md).
set -euo pipefail

REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=infra/pg-env.sh
source "$REPO_ROOT/infra/pg-env.sh"

log() { printf 'backup.sh: %s\n' "$*" >&2; }
die() { printf 'backup.sh: error: %s\n' "$*" >&2; exit 1; }

if [[ -z ${JT_CONNECTION_STRING:-} ]]; then
    line=$("$REPO_ROOT/infra/postgres.sh" | grep '^JT_CONNECTION_STRING=') || die "set JT_CONNECTION_STRING, or let infra/postgres.sh start the local database"
    JT_CONNECTION_STRING=${line#JT_CONNECTION_STRING=}
fi
npgsql_to_libpq "$JT_CONNECTION_STRING" || die "JT_CONNECTION_STRING needs at least Host and Database"
PG_DUMP=$(find_pg_tool pg_dump) || die "pg_dump was not found; install the PostgreSQL client (apt-get install postgresql-client)"

file=${1:-$REPO_ROOT/.local/backups/justicetracker-$(date -u +%Y%m%dT%H%M%SZ).dump}
mkdir -p -- "$(dirname -- "$file")"
umask 077

log "dumping database $PGDATABASE on $PGHOST:${PGPORT:-5432} with $PG_DUMP"
# --no-owner/--no-privileges: the restore target's roles decide ownership and grants.
"$PG_DUMP" --format=custom --compress=6 --no-owner --no-privileges --file="$file.partial" \
    || { rm -f -- "$file.partial"; die "pg_dump failed"; }
mv -- "$file.partial" "$file"
(cd -- "$(dirname -- "$file")" && sha256sum -- "$(basename -- "$file")" >"$(basename -- "$file").sha256")
log "wrote $file ($(du -h -- "$file" | cut -f1)) and its checksum"
printf '%s\n' "$file"
