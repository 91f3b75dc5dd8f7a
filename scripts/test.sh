#!/usr/bin/env bash
# `npm test`: type-check, lint, then every jest test (unit, and integration against a real PostgreSQL cluster,
# a real Temporal dev server and the Java time-skipping server). Starts what it needs; DATABASE_URL may
# point at an existing server instead (its user must be allowed to CREATE DATABASE).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/provision-temporal.sh
echo "== typecheck"; npx tsc -p tsconfig.json --noEmit
# The production image compiles this set alone (Dockerfile): no tests, no benchmarks.
npx tsc -p tsconfig.build.json --noEmit
echo "== typecheck web/ (JSDoc, checkJs)"; npx tsc -p tsconfig.web.json

echo "== lint"; npx eslint .
echo "== docker-compose.yml"
if command -v docker-compose >/dev/null 2>&1; then
  REDRESS_DB_PASSWORD=check TEMPORAL_DB_PASSWORD=check REDRESS_PAYLOAD_KEYS=check:check REDRESS_CHECKPOINT_KEY=check REDRESS_CHECKPOINT_PUBLIC_KEY=check \
    docker-compose -f docker-compose.yml config -q && echo "docker-compose.yml is valid"
elif [ -n "${CI:-}" ]; then
  echo "docker-compose is missing (apt-get install docker-compose)" >&2; exit 1
else
  echo "docker-compose not installed: compose file not checked (apt-get install docker-compose)"
fi
echo "== charts/redress"
helm="${REDRESS_TOOLS_DIR:-.tools}/bin/helm"
[ -x "$helm" ] || helm="$(command -v helm || true)"
if [ -n "$helm" ]; then
  "$helm" lint --strict charts/redress
  # Rendered with the defaults, and with mTLS, an API key (Temporal Cloud) and an ingress.
  "$helm" template redress charts/redress >/dev/null
  "$helm" template redress charts/redress --set temporal.tls.enabled=true --set temporal.tls.secretName=temporal-tls \
    --set temporal.apiKey.secretName=temporal-cloud --set api.ingress.enabled=true --set api.ingress.tlsSecretName=redress-tls >/dev/null
  echo "charts/redress lints and renders"
elif [ -n "${CI:-}" ]; then
  echo "helm is missing (npm run provision builds it with Go)" >&2; exit 1
else
  echo "helm not provisioned: chart not checked (npm run provision)"
fi
echo "== jest"
results="$(mktemp /tmp/redress-jest.XXXXXX.json)"
status=0
# --forceExit: a handle some library leaves open must not hold CI after every result is in (the results are
# written first; a leak is looked for with --detectOpenHandles, not waited out).
npx jest --ci --forceExit --json --outputFile="$results" "$@" || status=$?
node -e '
  const r = require(process.argv[1]);
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$results" || true
exit "$status"
