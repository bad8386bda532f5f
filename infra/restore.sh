#!/usr/bin/env bash
# Restores a dump made by infra/backup.sh into a new, empty database.
#
#   infra/restore.sh <file> [connection-string]
#
# The target is [connection-string], or JT_CONNECTION_STRING (Npgsql connection strings). Its
# database is created when it does not exist (the user needs CREATEDB, or create it first), and
# the restore refuses a database that already holds JusticeTracker's tables: restore into a
# fresh database, check it, then point the app at it (docs/operations.md). The checksum beside
# the dump is verified when present. The restore runs in one transaction: all or nothing.
set -euo pipefail

REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=infra/pg-env.sh
source "$REPO_ROOT/infra/pg-env.sh"

log() { printf 'restore.sh: %s\n' "$*" >&2; }
die() { printf 'restore.sh: error: %s\n' "$*" >&2; exit 1; }

[[ $# -ge 1 ]] || die "usage: infra/restore.sh <file> [connection-string]"
file=$1
target=${2:-${JT_CONNECTION_STRING:-}}
[[ -f $file ]] || die "no such dump: $file"
[[ -n $target ]] || die "give the target connection string, or set JT_CONNECTION_STRING"
npgsql_to_libpq "$target" || die "the target connection string needs at least Host and Database"
PG_RESTORE=$(find_pg_tool pg_restore) || die "pg_restore was not found; install the PostgreSQL client"
PSQL=$(find_pg_tool psql) || die "psql was not found; install the PostgreSQL client"

if [[ -f $file.sha256 ]]; then
    (cd -- "$(dirname -- "$file")" && sha256sum --check --quiet -- "$(basename -- "$file").sha256") \
        || die "the checksum of $file does not match: the dump is damaged or was changed"
    log "checksum verified"
fi

database=$PGDATABASE
# psql quotes the name itself (:'db', :"db"), from stdin: it does not expand variables in -c.
exists=$(PGDATABASE=postgres "$PSQL" -XtAq -v ON_ERROR_STOP=1 -v db="$database" \
    <<<"SELECT 1 FROM pg_database WHERE datname = :'db'" 2>/dev/null || true)
if [[ -z $exists ]]; then
    log "creating database $database"
    PGDATABASE=postgres "$PSQL" -Xq -v ON_ERROR_STOP=1 -v db="$database" <<<'CREATE DATABASE :"db"' \
        || die "could not create database $database; create it first, or use a role with CREATEDB"
else
    tables=$("$PSQL" -XtAq -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'jt'")
    [[ $tables == 0 ]] || die "database $database already holds JusticeTracker's tables; restore into a new, empty database"
fi

log "restoring $file into $database on $PGHOST:${PGPORT:-5432}"
"$PG_RESTORE" --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$database" "$file" \
    || die "pg_restore failed; nothing was restored"
cases=$("$PSQL" -XtAq -c "SELECT count(*) FROM jt.mt_streams" 2>/dev/null || echo "?")
events=$("$PSQL" -XtAq -c "SELECT count(*) FROM jt.mt_events" 2>/dev/null || echo "?")
log "restored: $cases streams, $events events"
