#!/usr/bin/env bash
# Builds the distribution if needed, then starts DebMonitor in the foreground on the embedded H2
# database. The unpacked server (config in etc/, logs and data in data/) stays in target/server,
# so a second start keeps its data; `./run.sh --fresh` starts from a clean copy.
set -euo pipefail
cd "$(dirname "$0")"
archive=karaf-assembly/target/debmonitor-karaf-assembly-0.1.0-SNAPSHOT.tar.gz
server=target/server

newest_source=$(find pom.xml bundles features karaf-assembly/src karaf-assembly/pom.xml -path "*/target" -prune -o -type f -newer "$archive" -print -quit 2>/dev/null || true)
if [ ! -f "$archive" ] || [ -n "$newest_source" ]; then
  echo "Building the DebMonitor distribution (tests skipped; run 'mvn -B install' for them)..."
  mvn -B -q install -DskipTests -pl karaf-assembly -am
fi
if [ "${1:-}" = "--fresh" ] || [ ! -d "$server" ] || [ "$archive" -nt "$server/.unpacked" ]; then
  rm -rf "$server"
  mkdir -p "$server"
  tar xzf "$archive" -C "$server" --strip-components=1
  touch "$server/.unpacked"
fi
port=$(sed -n 's/^org.osgi.service.http.port *= *//p' "$server/etc/org.ops4j.pax.web.cfg")
https_port=$(sed -n "s/^debmonitor.https.port *= *//p" "$server/etc/system.properties")
echo "Starting DebMonitor: https://localhost:${https_port:-8443}/ and http://localhost:${port:-8181}/  (logs: $server/data/log/karaf.log, Ctrl-D or 'shutdown' to stop)"
exec "$server/bin/karaf"
