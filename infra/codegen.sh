#!/usr/bin/env bash
# Writes Wolverine's handler and endpoint code into src/JusticeTracker/Internal/Generated.
#
#   infra/codegen.sh
#
# The app loads these classes as compiled code (TypeLoadMode.Static, ADR 14) instead of compiling
# them with Roslyn at run time. Run this after adding or changing an HTTP endpoint or a message
# handler's signature, then commit what it wrote; the test suite fails while the committed code
# differs from what Wolverine would generate (GeneratedCodeTests). No database is needed.
set -euo pipefail

REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO_ROOT"

log() { printf 'codegen.sh: %s\n' "$*" >&2; }
die() { printf 'codegen.sh: error: %s\n' "$*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK ('dotnet') was not found; install the .NET 10 SDK"

# The old code goes first: after a signature change it no longer compiles, and the app builds
# without it (it is only loaded when the app runs).
rm -rf src/JusticeTracker/Internal/Generated
log "building (Debug)"
dotnet build src/JusticeTracker -nologo -v quiet -clp:ErrorsOnly >&2 || die "the build failed"

# Development with the development sign-in, so the app configures itself without Entra ID; the
# connection string is never opened by the codegen command.
export ASPNETCORE_ENVIRONMENT=Development DevSignIn__Enabled=true
export JT_CONNECTION_STRING=${JT_CONNECTION_STRING:-"Host=127.0.0.1;Database=codegen;Username=codegen"}
cd src/JusticeTracker
dotnet bin/Debug/net10.0/JusticeTracker.dll codegen write >&2 || die "codegen write failed"
log "wrote $(find Internal/Generated -name '*.cs' | wc -l) files into src/JusticeTracker/Internal/Generated; build again and commit them"
