#!/usr/bin/env bash
# Runs the DebMonitor load benchmark (see bench/README.md), e.g.
#   bench/run.sh --hosts 1000 --concurrency 4 --server https://localhost:8443 --out bench/results/run.json
# Needs the module built: `mvn -B -pl bench -am install -DskipTests` puts the classes in
# bench/target/classes and the libraries in bench/target/lib. JVM options: BENCH_JAVA_OPTS;
# another JVM for the load generator: BENCH_JAVA (the server it measures is not affected).
# `bench/run.sh queries JDBC_URL USER PASSWORD [ITERATIONS]` times core-model's read queries instead.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
classes="$here/target/classes"
if [ ! -f "$classes/io/debmonitor/bench/Main.class" ] || [ ! -d "$here/target/lib" ]; then
  echo "bench/run.sh: $classes is not built; run 'mvn -B -pl bench package' first" >&2
  exit 2
fi
libs="$here/target/lib/*"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
main=io.debmonitor.bench.Main
if [ "${1:-}" = queries ]; then
  main=io.debmonitor.bench.queries.QueryBench
  shift
fi
exec "${BENCH_JAVA:-java}" ${BENCH_JAVA_OPTS:-} -Dbench.home="$here" -cp "$classes:$libs" "$main" "$@"
