#!/usr/bin/env bash
# `npm test`: type-check, lint, then every jest test (unit, and integration against a real PostgreSQL cluster,
# a real Temporal dev server and the Java time-skipping server). Starts what it needs; DATABASE_URL may
# point at an existing server instead (its user must be allowed to CREATE DATABASE).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/provision-temporal.sh
echo "== typecheck"; npx tsc -p tsconfig.json --noEmit
echo "== typecheck web/ (JSDoc, checkJs)"; npx tsc -p tsconfig.web.json
echo "== lint"; npx eslint .
echo "== docker-compose.yml"
if command -v docker-compose >/dev/null 2>&1; then
  REDRESS_DB_PASSWORD=check TEMPORAL_DB_PASSWORD=check REDRESS_PAYLOAD_KEYS=check:check docker-compose -f docker-compose.yml config -q && echo "docker-compose.yml is valid"
elif [ -n "${CI:-}" ]; then
  echo "docker-compose is missing (apt-get install docker-compose)" >&2; exit 1
else
  echo "docker-compose not installed: compose file not checked (apt-get install docker-compose)"
fi
echo "== jest"
results="$(mktemp /tmp/redress-jest.XXXXXX.json)"
status=0
npx jest --ci --json --outputFile="$results" "$@" || status=$?
node -e '
  const r = require(process.argv[1]);
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$results" || true
exit "$status"
