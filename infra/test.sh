#!/usr/bin/env bash
# Runs every test in the solution against a real PostgreSQL.
#
#   infra/test.sh [extra dotnet test arguments]   e.g. --filter FullyQualifiedName~Decision
#
# Starts the project-local PostgreSQL (infra/postgres.sh), recreates its empty
# database justicetracker_test and points the tests at it, unless JT_CONNECTION_STRING is already
# set, in which case that connection string is used unchanged (so make it
# point at a database the tests may write to).
set -euo pipefail

REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO_ROOT"

log() { printf 'test.sh: %s\n' "$*" >&2; }
die() { printf 'test.sh: error: %s\n' "$*" >&2; exit 1; }

# Browser tests drive Debian's Chromium. Installs it when missing.
ensure_chromium() {
    [[ -x /usr/bin/chromium ]] && return 0
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            die "/usr/bin/chromium is missing and cannot be installed without root; run: sudo apt-get install -y chromium"
        fi
    fi
    log "installing chromium with apt-get (needed by the browser tests)"
    { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q \
        && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } >&2 \
        || die "apt-get install chromium failed"
}

# The browser tests' accessibility check injects axe-core, installed from npm into a git-ignored folder.
ensure_axe() {
    [[ -f .local/axe/node_modules/axe-core/axe.min.js ]] && return 0
    command -v npm >/dev/null 2>&1 \
        || die "npm is missing; the browser tests need it to install axe-core. Install Node.js 20 or later."
    log "installing axe-core from npm into .local/axe (needed by the browser tests)"
    npm install --prefix .local/axe --no-save --no-audit --no-fund --loglevel=error axe-core@4 >&2 \
        || die "npm install axe-core failed"
}

command -v dotnet >/dev/null 2>&1 \
    || die "the .NET SDK ('dotnet') was not found. Install the .NET 10 SDK (version in global.json): https://dotnet.microsoft.com/download"

if [[ -z ${JT_CONNECTION_STRING:-} ]]; then
    pg_out=$("$REPO_ROOT/infra/postgres.sh" fresh-test-database)
    line=$(grep '^JT_CONNECTION_STRING=' <<<"$pg_out" | tail -n 1) \
        || die "infra/postgres.sh did not print a connection string"
    cs=${line#JT_CONNECTION_STRING=}
    # Same server, test database.
    JT_CONNECTION_STRING=$(sed -E 's/(^|;)Database=[^;]*/\1Database=justicetracker_test/' <<<"$cs")
else
    log "using the existing server from JT_CONNECTION_STRING"
fi
export JT_CONNECTION_STRING

if [[ -d tests/JusticeTracker.BrowserTests ]]; then
    ensure_chromium
    ensure_axe
fi

export DOTNET_NOLOGO=${DOTNET_NOLOGO:-1}
export DOTNET_CLI_TELEMETRY_OPTOUT=${DOTNET_CLI_TELEMETRY_OPTOUT:-1}

target=()
if [[ -f JusticeTracker.sln ]]; then
    target=(JusticeTracker.sln)
elif [[ -f JusticeTracker.slnx ]]; then
    target=(JusticeTracker.slnx)
fi

args=(test "${target[@]}" -c Release
    --logger "console;verbosity=normal"
    --logger "trx"
    --results-directory "$REPO_ROOT/.local/TestResults")
if [[ ${CI:-} == true ]]; then
    args+=(--nologo)
fi

# Style is part of the build: the same formatting everywhere, checked before the tests.
if [[ ${JT_SKIP_FORMAT:-} != true ]]; then
    log "checking formatting (dotnet format --verify-no-changes)"
    dotnet format "${target[@]}" --verify-no-changes \
        || die "the code is not formatted; run: dotnet format ${target[*]}"
fi

set +e
dotnet "${args[@]}" "$@"
rc=$?
set -e
exit "$rc"
