#!/usr/bin/env bash
# Sets up and serves JusticeTracker with synthetic demo data.
#
#   infra/run.sh [extra app arguments]
#
# Starts the project-local PostgreSQL (infra/postgres.sh) unless
# JT_CONNECTION_STRING is already set, then runs the app in Development with
# demo seeding on http://127.0.0.1:${JT_PORT:-5080}.
set -euo pipefail

REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO_ROOT"

die() { printf 'run.sh: error: %s\n' "$*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 \
    || die "the .NET SDK ('dotnet') was not found. Install the .NET 10 SDK (version in global.json): https://dotnet.microsoft.com/download"

if [[ -z ${JT_CONNECTION_STRING:-} ]]; then
    pg_out=$("$REPO_ROOT/infra/postgres.sh")
    line=$(grep '^JT_CONNECTION_STRING=' <<<"$pg_out" | tail -n 1) \
        || die "infra/postgres.sh did not print a connection string"
    JT_CONNECTION_STRING=${line#JT_CONNECTION_STRING=}
else
    echo "run.sh: using the existing server from JT_CONNECTION_STRING" >&2
fi
export JT_CONNECTION_STRING

JT_PORT=${JT_PORT:-5080}
URL="http://127.0.0.1:$JT_PORT"

# Development enables the demo sign-in; Demo__Seed makes the app seed synthetic cases.
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
export ASPNETCORE_URLS=$URL
export Demo__Seed=true
export DOTNET_NOLOGO=${DOTNET_NOLOGO:-1}
export DOTNET_CLI_TELEMETRY_OPTOUT=${DOTNET_CLI_TELEMETRY_OPTOUT:-1}

echo "JusticeTracker will be served at $URL (after the build finishes)"
echo "Development sign-in page: $URL/dev/sign-in"
echo "Stop with Ctrl+C. The database keeps running; stop it with: infra/postgres.sh stop"

exec dotnet run --project src/JusticeTracker/JusticeTracker.csproj -c Release --no-launch-profile -- "$@"
