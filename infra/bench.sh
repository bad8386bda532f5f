#!/usr/bin/env bash
# The benchmark: one command, one run, every figure in docs/performance.md.
#
#   infra/bench.sh                 10,000 then 100,000 synthetic cases (about 1.1 million events)
#   infra/bench.sh --smoke         tiny sizes, to check that it runs (the test suite does this)
#   infra/bench.sh --cases-small N --cases-large N --seconds S --out FILE
#   infra/bench.sh --only recording,pages   some phases (checks, limits, sizes, rebuild, recording, pages, import);
#                                           the table goes to the console unless --out names a file
#   infra/bench.sh --only checks            the personal-data check alone, in process: touches no database
#
# Starts the project-local PostgreSQL (infra/postgres.sh) unless JT_CONNECTION_STRING is set,
# builds the solution in Release, and runs tests/JusticeTracker.Performance, which works in a
# database of its own (the given one's name + _bench, e.g. justicetracker_bench) and rewrites the measured part of
# docs/performance.md (between its bench:begin and bench:end markers).
set -euo pipefail

REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO_ROOT"

log() { printf 'bench.sh: %s\n' "$*" >&2; }
die() { printf 'bench.sh: error: %s\n' "$*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK ('dotnet') was not found; install the .NET 10 SDK"

if [[ -z ${JT_CONNECTION_STRING:-} ]]; then
    line=$("$REPO_ROOT/infra/postgres.sh" | grep '^JT_CONNECTION_STRING=') || die "infra/postgres.sh did not print a connection string"
    export JT_CONNECTION_STRING=${line#JT_CONNECTION_STRING=}
fi

log "building (Release)"
dotnet build JusticeTracker.sln -c Release -nologo -v quiet -clp:ErrorsOnly >&2 || die "the build failed"
log "running the benchmark"
exec dotnet tests/JusticeTracker.Performance/bin/Release/net10.0/JusticeTracker.Performance.dll "$@"
