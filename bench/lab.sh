#!/usr/bin/env bash
# Runs the scale-out lab driver (issue #14; io.debmonitor.bench.lab.LabDriver), e.g.
#   bench/lab.sh load --server https://127.0.0.30:8443 --hosts 200 --concurrency 8 --seconds 300 --state /tmp/lab-run
#   bench/lab.sh reconcile --server https://127.0.0.30:8443 --state /tmp/lab-run
#   bench/lab.sh ui --server https://127.0.0.30:8443 --user karaf --password karaf --seconds 300 --state /tmp/lab-run
#   bench/lab.sh ui-logout-check --login-server https://127.0.0.21:8443 --check-server https://127.0.0.22:8443 --user karaf --password karaf
# `bench/lab.sh --help` lists the options. Needs the module built (`mvn -B -pl bench package`).
# JVM options: BENCH_JAVA_OPTS; another JVM: BENCH_JAVA.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
classes="$here/target/classes"
if [ ! -f "$classes/io/debmonitor/bench/lab/LabDriver.class" ] || [ ! -d "$here/target/lib" ]; then
  echo "bench/lab.sh: $classes is not built; run 'mvn -B -pl bench package' first" >&2
  exit 2
fi
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
exec "${BENCH_JAVA:-java}" ${BENCH_JAVA_OPTS:-} -Dbench.home="$here" -cp "$classes:$here/target/lib/*" io.debmonitor.bench.lab.LabDriver "$@"
