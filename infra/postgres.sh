#!/usr/bin/env bash
# Starts (or reuses) a project-local PostgreSQL cluster for development and tests.
#
#   infra/postgres.sh          start the cluster if needed, ensure role and databases,
#                              print one line: JT_CONNECTION_STRING=...
#   infra/postgres.sh stop     stop the cluster (fast shutdown)
#   infra/postgres.sh status   say whether the cluster runs
#   infra/postgres.sh fresh-test-database
#                              as start, then drop and create the test database
#                              (infra/test.sh does this before every run)
#
# Environment:
#   JT_CONNECTION_STRING  if set, an existing server is used and nothing is started
#   JT_PG_PORT            TCP port on 127.0.0.1 (default 55432)
#
# Only the connection-string line goes to stdout; progress messages go to stderr.
# The cluster lives in <repo>/.local/pgdata (git-ignored). When run as root the
# server runs as the `postgres` user (PostgreSQL refuses root); if `postgres`
# cannot reach the repo, the cluster lives in /var/tmp/justicetracker-<hash>/.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/.." && pwd -P)
PORT=${JT_PG_PORT:-55432}
ACTION=${1:-start}

APP_USER=justicetracker
APP_PASSWORD=justicetracker
APP_DB=justicetracker
TEST_DB=justicetracker_test

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { printf 'postgres.sh: error: %s\n' "$*" >&2; exit 1; }

IS_ROOT=false
[[ $(id -u) -eq 0 ]] && IS_ROOT=true

[[ $PORT =~ ^[0-9]+$ ]] || die "JT_PG_PORT must be a port number, got '$PORT'"

# Short, stable id for this checkout (used for fallback paths).
REPO_HASH=$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-10)

# Run a command as the user owning the cluster: `postgres` when we are root,
# ourselves otherwise. `cd /` so a cwd `postgres` cannot enter (e.g. /root)
# does not produce warnings.
as_pg() {
    if $IS_ROOT; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# --- server binaries ----------------------------------------------------------

find_bindir() {
    local d best=""
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null || true)
        if [[ -n $d && -x $d/initdb && -x $d/pg_ctl ]]; then
            printf '%s\n' "$d"
            return 0
        fi
    fi
    # Highest version under /usr/lib/postgresql that has initdb.
    while IFS= read -r d; do
        [[ -x $d/initdb && -x $d/pg_ctl ]] && best=$d
    done < <(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V)
    [[ -n $best ]] || return 1
    printf '%s\n' "$best"
}

install_postgres() {
    local sudo=()
    if ! $IS_ROOT; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            die "PostgreSQL server binaries (initdb, pg_ctl) not found and cannot install them without root.
  Install PostgreSQL (e.g. 'sudo apt-get install -y postgresql'),
  or point the app at an existing server: export JT_CONNECTION_STRING='Host=...;Port=...;Database=...;Username=...;Password=...'"
        fi
    fi
    command -v apt-get >/dev/null 2>&1 \
        || die "PostgreSQL not found and apt-get is unavailable; install PostgreSQL or set JT_CONNECTION_STRING"
    log "PostgreSQL server not found; installing it with apt-get (this may take a minute)"
    # Note: Debian's package may start its own system cluster on port 5432; we do not use it.
    { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q \
        && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; } >&2 \
        || die "apt-get install postgresql failed"
}

ensure_bindir() {
    if ! BINDIR=$(find_bindir); then
        install_postgres
        BINDIR=$(find_bindir) || die "PostgreSQL was installed but initdb was not found"
    fi
}

# --- locations ----------------------------------------------------------------

# Sets BASE (folder holding pgdata, the socket folder and the log), PGDATA,
# SOCKDIR and LOGFILE. With $1 = create, creates and prepares the folders.
resolve_paths() {
    local create=${1:-}
    BASE=$REPO_ROOT/.local
    if $IS_ROOT; then
        id -u postgres >/dev/null 2>&1 \
            || die "running as root but there is no 'postgres' user to run the server as"
        command -v runuser >/dev/null 2>&1 || die "runuser (util-linux) is required when running as root"
        local reachable=false
        # `test -x` as postgres fails if any parent folder is not traversable.
        if as_pg test -x "$REPO_ROOT" 2>/dev/null; then
            reachable=true
            if [[ $create == create ]]; then
                mkdir -p "$BASE"
                # The server user only needs to traverse .local (our own folder).
                chmod go+x "$BASE" 2>/dev/null || true
            fi
            if [[ -e $BASE ]] && ! as_pg test -x "$BASE" 2>/dev/null; then
                reachable=false
            fi
        fi
        if ! $reachable; then
            BASE=/var/tmp/justicetracker-$REPO_HASH
            if [[ $create == create ]]; then
                log "user 'postgres' cannot reach $REPO_ROOT; using $BASE for the cluster instead"
                if [[ -e $BASE && ! -O $BASE ]]; then
                    die "$BASE exists but is not owned by root; remove it or set JT_CONNECTION_STRING"
                fi
                mkdir -p "$BASE"
                chmod 755 "$BASE"
            fi
        fi
    elif [[ $create == create ]]; then
        mkdir -p "$BASE"
    fi

    PGDATA=$BASE/pgdata
    LOGFILE=$BASE/postgres.log
    SOCKDIR=$BASE/pgsocket
    # Unix socket paths are limited to ~107 bytes; keep a margin.
    if (( ${#SOCKDIR} + ${#PORT} + 10 > 100 )); then
        SOCKDIR=/tmp/justicetracker-pg-$REPO_HASH
    fi

    [[ $create == create ]] || return 0

    if [[ ! -d $PGDATA ]]; then
        mkdir -m 700 "$PGDATA"
    fi
    if [[ ! -d $SOCKDIR ]]; then
        mkdir -m 700 "$SOCKDIR"
    elif ! $IS_ROOT && [[ ! -O $SOCKDIR ]]; then
        die "socket folder $SOCKDIR belongs to another user; remove it"
    fi
    [[ -e $LOGFILE ]] || : >"$LOGFILE"

    if $IS_ROOT; then
        if [[ $(stat -c %U "$PGDATA") != postgres ]]; then
            chown -R postgres:postgres "$PGDATA"
        fi
        chown postgres:postgres "$SOCKDIR" "$LOGFILE"
        chmod 700 "$SOCKDIR"
    elif [[ ! -O $PGDATA ]]; then
        die "$PGDATA belongs to $(stat -c %U "$PGDATA") (created by an earlier run as root?).
  Remove it, run as that user, or set JT_CONNECTION_STRING"
    fi
}

# --- state of the cluster -----------------------------------------------------

# Reads postmaster.pid into PM_PID, PM_PORT, PM_SOCKDIR. Returns 1 if absent.
read_pidfile() {
    local content
    content=$(as_pg cat "$PGDATA/postmaster.pid" 2>/dev/null) || return 1
    PM_PID=$(sed -n 1p <<<"$content")
    PM_PORT=$(sed -n 4p <<<"$content")
    PM_SOCKDIR=$(sed -n 5p <<<"$content")
    [[ $PM_PID =~ ^[0-9]+$ ]]
}

# True if the postmaster of *this* data folder is alive. Checks that the pid in
# postmaster.pid is a postgres process whose working folder is our PGDATA, so a
# stale pid file (after kill -9) whose pid was reused is not mistaken for a server.
cluster_running() {
    read_pidfile || return 1
    is_live_postgres "$PM_PID" || return 1
    local cwd
    cwd=$(readlink "/proc/$PM_PID/cwd" 2>/dev/null || true)
    [[ -z $cwd || $cwd == "$(pgdata_physical)" ]]
}

pgdata_physical() {
    (cd "$PGDATA" 2>/dev/null && pwd -P) || printf '%s' "$PGDATA"
}

# A running (not zombie) process named postgres. A killed postmaster can stay a
# zombie for a while when PID 1 is slow to reap it (containers, CI VMs).
is_live_postgres() {
    local pid=$1 comm state
    [[ -r /proc/$pid/status ]] || return 1
    comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
    [[ $comm == postgres || $comm == postmaster ]] || return 1
    state=$(awk '/^State:/ { print $2; exit }' "/proc/$pid/status" 2>/dev/null || true)
    [[ -n $state && $state != Z && $state != X ]]
}

# Pids of live postgres processes working in our data folder (orphaned
# backends of a killed postmaster still shut down on their own).
leftover_processes() {
    local d pid want
    want=$(pgdata_physical)
    for d in /proc/[0-9]*; do
        pid=${d#/proc/}
        is_live_postgres "$pid" || continue
        [[ $(readlink "$d/cwd" 2>/dev/null || true) == "$want" ]] && printf '%s ' "$pid"
    done
    return 0
}

# Before starting after a crash (e.g. kill -9): wait for orphaned server
# processes to exit, then drop the stale postmaster.pid. PostgreSQL itself
# refuses to start while the pid in that file exists, which includes a zombie.
clear_stale_state() {
    local i left
    for ((i = 0; i < 30; i++)); do
        left=$(leftover_processes)
        [[ -z $left ]] && break
        ((i == 0)) && log "waiting for leftover server processes to exit: $left"
        sleep 1
    done
    [[ -z $left ]] || die "old server processes still use $PGDATA: $left (stop them first)"
    if as_pg test -e "$PGDATA/postmaster.pid"; then
        log "removing stale $PGDATA/postmaster.pid (server is not running)"
        as_pg rm -f "$PGDATA/postmaster.pid"
    fi
}

pg_psql() {
    # Superuser access through the Unix socket (local auth is trust).
    as_pg "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$1" -p "$2" -U postgres -d postgres "${@:3}"
}

wait_ready() {
    local host=$1 port=$2 i
    for ((i = 0; i < 60; i++)); do
        if "$BINDIR/pg_isready" -q -h "$host" -p "$port" -t 2; then
            return 0
        fi
        sleep 1
    done
    return 1
}

connection_line() {
    printf 'JT_CONNECTION_STRING=Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s\n' \
        "$1" "$APP_DB" "$APP_USER" "$APP_PASSWORD"
}

# --- configuration ------------------------------------------------------------

init_cluster() {
    local locale=C
    if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then
        locale=C.UTF-8
    fi
    log "initialising a new cluster in $PGDATA (locale $locale)"
    as_pg "$BINDIR/initdb" -D "$PGDATA" -U postgres --encoding=UTF8 --locale="$locale" \
        --auth-host=scram-sha-256 --auth-local=trust >/dev/null \
        || die "initdb failed"
}

write_config() {
    local conf=$PGDATA/postgresql.conf
    # Written on every start so port / socket changes take effect.
    as_pg tee "$PGDATA/justicetracker.conf" >/dev/null <<EOF
# Managed by infra/postgres.sh; rewritten on every start. Local dev/test cluster only.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCKDIR'
unix_socket_permissions = 0700
max_connections = 200
shared_buffers = 256MB
# Durability is switched off for speed: this is a throwaway local dev/test
# cluster that can be recreated at any time. NEVER use these three in production.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    if ! as_pg grep -q "^include_if_exists = 'justicetracker.conf'" "$conf"; then
        printf "\n# Project settings (infra/postgres.sh)\ninclude_if_exists = 'justicetracker.conf'\n" \
            | as_pg tee -a "$conf" >/dev/null
    fi
}

ensure_role_and_databases() {
    local sock=$1 port=$2
    pg_psql "$sock" "$port" <<SQL >/dev/null || die "could not create role/databases (see $LOGFILE)"
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$APP_USER') THEN
    CREATE ROLE $APP_USER LOGIN CREATEDB PASSWORD '$APP_PASSWORD';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $APP_DB OWNER $APP_USER'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$APP_DB') \gexec
SELECT 'CREATE DATABASE $TEST_DB OWNER $APP_USER'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$TEST_DB') \gexec
SQL
}

# Another server (not our data folder) answers on the port: reuse it only if our
# role and both databases work there.
try_foreign_server() {
    local n
    n=$(PGPASSWORD=$APP_PASSWORD PGCONNECT_TIMEOUT=5 "$BINDIR/psql" -X -q -t -A \
        -h 127.0.0.1 -p "$PORT" -U "$APP_USER" -d "$APP_DB" \
        -c "SELECT count(*) FROM pg_database WHERE datname IN ('$APP_DB', '$TEST_DB')" 2>/dev/null || true)
    [[ $n == 2 ]]
}

start_server() {
    local attempt
    for attempt in 1 2 3; do
        if as_pg "$BINDIR/pg_ctl" -D "$PGDATA" -l "$LOGFILE" -w -t 60 start >/dev/null 2>&1; then
            return 0
        fi
        # After a kill -9 the old backends may still hold shared memory for a moment.
        if cluster_running; then return 0; fi
        (( attempt < 3 )) && { log "start failed, retrying in 3s (attempt $attempt)"; sleep 3; }
    done
    log "last lines of $LOGFILE:"
    as_pg tail -n 20 "$LOGFILE" >&2 || true
    die "could not start PostgreSQL"
}

# --- actions ------------------------------------------------------------------

do_start() {
    if [[ -n ${JT_CONNECTION_STRING:-} ]]; then
        log "JT_CONNECTION_STRING is set; using the existing server from JT_CONNECTION_STRING (nothing started)"
        exit 0
    fi
    ensure_bindir
    resolve_paths create

    local port=$PORT sock=$SOCKDIR
    if cluster_running; then
        port=$PM_PORT
        sock=${PM_SOCKDIR:-$SOCKDIR}
        [[ $port == "$PORT" ]] || log "note: cluster already runs on port $port (not $PORT); stop it to change the port"
        log "reusing running cluster (pid $PM_PID, port $port, data $PGDATA)"
    else
        if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 3 \
            || [[ $? -eq 1 ]]; then
            if try_foreign_server; then
                log "another PostgreSQL server on port $PORT already has role $APP_USER and both databases; reusing it"
                READY_PORT=$PORT
                connection_line "$PORT"
                return 0
            fi
            die "port $PORT is used by another server. Set JT_PG_PORT to a free port, or JT_CONNECTION_STRING to use that server"
        fi
        if ! as_pg test -f "$PGDATA/PG_VERSION"; then
            init_cluster
        fi
        clear_stale_state
        write_config
        log "starting PostgreSQL on 127.0.0.1:$PORT (data $PGDATA, log $LOGFILE)"
        start_server
    fi
    wait_ready 127.0.0.1 "$port" || die "PostgreSQL on port $port did not become ready (see $LOGFILE)"
    ensure_role_and_databases "$sock" "$port"
    READY_PORT=$port
    connection_line "$port"
}

# A test run starts from an empty database. Resetting Marten's data is not enough: the audit log
# is append-only (a trigger refuses DELETE and TRUNCATE), so it would carry every earlier run's
# lines, and a test reading it by a case reference could meet an older case drawn with the same
# reference. The role owns the test database and may create databases, so no superuser is needed.
do_fresh_test_database() {
    READY_PORT=""
    do_start
    [[ -n $READY_PORT ]] || die "the server did not start"
    PGPASSWORD=$APP_PASSWORD PGCONNECT_TIMEOUT=10 "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$READY_PORT" -U "$APP_USER" -d "$APP_DB" \
        -c "DROP DATABASE IF EXISTS $TEST_DB WITH (FORCE)" \
        -c "CREATE DATABASE $TEST_DB OWNER $APP_USER" >&2 \
        || die "could not recreate the test database $TEST_DB"
    log "recreated the empty test database $TEST_DB"
}

do_stop() {
    BINDIR=$(find_bindir) || die "PostgreSQL binaries not found"
    resolve_paths
    if cluster_running; then
        as_pg "$BINDIR/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null || die "pg_ctl stop failed"
        log "stopped cluster in $PGDATA"
    else
        log "no cluster running in $PGDATA"
    fi
}

do_status() {
    BINDIR=$(find_bindir 2>/dev/null) || BINDIR=""
    resolve_paths
    if [[ -n $BINDIR ]] && cluster_running; then
        echo "running: pid $PM_PID, port $PM_PORT, data $PGDATA, log $LOGFILE"
        connection_line "$PM_PORT"
    else
        echo "not running (data $PGDATA)"
        exit 3
    fi
}

case $ACTION in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    fresh-test-database) do_fresh_test_database ;;
    -h|--help|help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown action '$ACTION' (use: start, stop, status, fresh-test-database)" ;;
esac
