#!/bin/bash
# The cost of package history (issue #13; BENCHMARKS.md, "Package history"). Starts the server of
# one distribution archive on a fresh MariaDB database, runs the three ingest phases of bench/run.sh,
# then optionally a simulated week (DAYS more apt runs per host, as dpkg-hook reports), prints the
# size of the history tables, and stops the server. Run it once with an archive built before history
# and once with one built after, on the same machine, to compare the rates.
# Usage: bench/history.sh ARCHIVE LABEL [HOSTS] [DAYS]
#   ARCHIVE: a debmonitor-karaf-assembly-*.tar.gz; unpacked under /var/tmp/debmonitor-bench-LABEL.
#   Results: bench/results/history-LABEL.json (and history-LABEL-week.json with DAYS > 0).
set -eu
ARCHIVE=$(realpath "$1"); LABEL=$2; HOSTS=${3:-1000}; DAYS=${4:-0}
cd "$(dirname "$0")/.."
mkdir -p bench/results
SRV=/var/tmp/debmonitor-bench-$LABEL; DB=bench_history_$LABEL
. bench/mariadb-server.sh
SPID=$(pgrep -f "karaf.base=$SRV" | head -1); DPID=$(pgrep mariadbd)
B="bench/run.sh --server https://localhost:8443 --server-pid $SPID --database-pid $DPID --hosts $HOSTS --concurrency 4 --configure-server $SRV"
$B --out "bench/results/history-$LABEL.json" | tail -6
if [ "$DAYS" -gt 0 ]; then
  echo "== a week: $DAYS apt runs per host, $((DAYS * HOSTS)) dpkg-hook reports"
  $B --phases dpkg-hook --warmup 0 --hook-reports $((DAYS * HOSTS)) --out "bench/results/history-$LABEL-week.json" | tail -3
fi
q "$DB" -e "analyze table host_event" > /dev/null 2>&1 || true
q -e "select table_name, table_rows, round(data_length / 1048576, 1) as data_mib, round(index_length / 1048576, 1) as index_mib
  from information_schema.tables where table_schema = '$DB' and table_name in ('host_event', 'host_package', 'host')"
q "$DB" -e "select count(*) as events, count(distinct host_id) as hosts, sum(event = 'baseline') as baselines from host_event" 2>/dev/null || true
