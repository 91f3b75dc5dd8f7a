#!/usr/bin/env bash
# Provisions the Temporal servers used by tests and by `npm start`, without any download outside the
# package registries:
#   - the Temporal CLI dev server, built from its Go module (pinned) into .tools/bin/temporal;
#   - the Temporal server (go.temporal.io/server at the version that CLI embeds): its cmd/server into
#     .tools/bin/temporal-server and its SQL schema tool into .tools/bin/temporal-sql-tool, for the cluster tests
#     (test/support/cluster.ts) and `npm run bench -- --cluster`;
#   - helm (helm.sh/helm/v3, pinned) into .tools/bin/helm, to lint and render charts/redress;
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

# The server version the CLI embeds, read from the CLI's own go.mod (module cache, else the module proxy).
server_version() {
  local gomod
  gomod="$(go mod download -json "github.com/temporalio/cli@$TEMPORAL_CLI_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')"
  awk '$1 == "go.temporal.io/server" { print $2; exit }' "$gomod"
}

# `go install pkg@version` into a scratch GOBIN, then renamed: both commands are called `server`/`sql` upstream.
go_build() { # module-package@version  target-name
  local scratch
  scratch="$(mktemp -d)"
  CGO_ENABLED=0 GOBIN="$scratch" GOFLAGS=-buildvcs=false go install "$1"
  mv "$scratch/$(basename "${1%@*}")" "$tools/bin/$2"
  rm -rf "$scratch"
}

stamp="$tools/bin/temporal-server.version"
if [ -x "$tools/bin/temporal-server" ] && [ -x "$tools/bin/temporal-sql-tool" ] && [ -f "$stamp" ]; then
  echo "temporal server: $tools/bin/temporal-server $(cat "$stamp") (cached)"
elif command -v go >/dev/null 2>&1; then
  version="$(server_version)"
  [ -n "$version" ] || { echo "temporal server: cannot read go.temporal.io/server from the CLI $TEMPORAL_CLI_VERSION go.mod" >&2; exit 1; }
  echo "temporal server: building go.temporal.io/server@$version (cmd/server, temporal-sql-tool) with Go (several minutes, once)"
  go_build "go.temporal.io/server/cmd/server@$version" temporal-server
  go_build "go.temporal.io/server/cmd/tools/sql@$version" temporal-sql-tool
  echo "$version" > "$stamp"
  echo "temporal server: $tools/bin/temporal-server $version (built)"
else
  echo "temporal server: no Go toolchain; the cluster tests cannot run (install Go, then npm run provision)"
fi

HELM_VERSION="v3.19.0"
if [ -x "$tools/bin/helm" ]; then
  echo "helm: $tools/bin/helm (cached)"
elif command -v go >/dev/null 2>&1; then
  echo "helm: building helm.sh/helm/v3@$HELM_VERSION with Go (a few minutes, once)"
  go_build "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" helm
  echo "helm: $tools/bin/helm (built)"
else
  echo "helm: no Go toolchain; charts/redress is not checked (install Go, then npm run provision)"
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
