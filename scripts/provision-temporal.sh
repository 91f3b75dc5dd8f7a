#!/usr/bin/env bash
# Provisions the Temporal servers used by tests and by `npm start`, without any download outside the
# package registries:
#   - the Temporal CLI dev server, built from its Go module (pinned) into .tools/bin/temporal;
#   - the Java time-skipping test server, its jars fetched from Maven Central into .tools/java-test-server/.
# Each is reused when present. TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH, or a `temporal` on PATH, win.
# With neither Go nor Maven, nothing is built and the Temporal SDK downloads its own binaries at test time
# (that needs internet access, as on a developer's laptop).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# REDRESS_TOOLS_DIR lets CI keep the built binaries across fresh clones.
tools="${REDRESS_TOOLS_DIR:-$root/.tools}"
TEMPORAL_CLI_VERSION="v1.5.1" # later tags carry a go.mod `replace` that `go install` refuses
mkdir -p "$tools/bin"

if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  echo "temporal CLI: $TEMPORAL_CLI_PATH (from TEMPORAL_CLI_PATH)"
elif [ -x "$tools/bin/temporal" ]; then
  echo "temporal CLI: $tools/bin/temporal (cached)"
elif command -v temporal >/dev/null 2>&1; then
  echo "temporal CLI: $(command -v temporal) (on PATH)"
elif command -v go >/dev/null 2>&1; then
  echo "temporal CLI: building github.com/temporalio/cli@$TEMPORAL_CLI_VERSION with Go (a few minutes, once)"
  CGO_ENABLED=0 GOBIN="$tools/bin" GOFLAGS=-buildvcs=false \
    go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
  echo "temporal CLI: $tools/bin/temporal (built)"
else
  echo "temporal CLI: no Go toolchain; tests will let the Temporal SDK download the dev server"
fi

wrapper="$tools/java-test-server/test-server"
if [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then
  echo "test server: $TEMPORAL_TEST_SERVER_PATH (from TEMPORAL_TEST_SERVER_PATH)"
elif [ -x "$wrapper" ] && ls "$tools/java-test-server/lib/"temporal-test-server-*.jar >/dev/null 2>&1; then
  echo "test server: $wrapper (cached)"
elif command -v mvn >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
  echo "test server: fetching io.temporal:temporal-test-server and its dependencies from Maven Central"
  mvn -q -B -f "$root/tools/java-test-server/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$tools/java-test-server/lib" -DincludeScope=runtime
  # The SDK runs `<path> <port>`; exec so that stopping the wrapper stops the JVM.
  cat > "$wrapper" <<WRAP
#!/usr/bin/env bash
exec java -Xshare:auto -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$tools/java-test-server/lib/*" io.temporal.testserver.TestServer "\$@"
WRAP
  chmod +x "$wrapper"
  echo "test server: $wrapper (fetched)"
else
  echo "test server: no Java/Maven; tests will let the Temporal SDK download the test server"
fi
