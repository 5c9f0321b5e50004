#!/bin/bash
# Garbage collection under load (issue #11; BENCHMARKS.md, "Garbage collection"). Against a server
# whose MariaDB database a full-new run of bench/run.sh filled with at least LIVE + STALE hosts:
#   1. the first LIVE hosts report again (full-unchanged); every host that did not is aged 20 days,
#   2. gc --dry-run,
#   3. dpkg-hook reports on the live hosts without gc (the baseline rate),
#   4. a gc run, with the same dpkg-hook reports sent while it runs; server RSS and heap sampled.
# Usage: bench/gc.sh SERVER_DIR DATABASE [LIVE] [REPORTS]
#   SERVER_DIR: the unpacked distribution (bin/client, data/log); its server must be running, with a
#   user of the admin group in etc/users.properties given by GC_USER/GC_PASSWORD, and its ssh port
#   in GC_SSH_PORT (default 8101). BENCH_SERVER: its HTTPS URL (default https://localhost:8443).
set -eu
SRV=$1; DB=$2; LIVE=${3:-8000}; REPORTS=${4:-16000}
cd "$(dirname "$0")/.."
mkdir -p bench/results
SPID=$(pgrep -f "karaf.base=$SRV" | head -1); DPID=$(pgrep mariadbd)
q() { mysql -uroot -h127.0.0.1 -N "$DB" -e "$1"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# bin/client ends the session when its input ends: the sleep keeps that input open (and holds no stderr).
client() { "$SRV/bin/client" -a "${GC_SSH_PORT:-8101}" -h localhost -u "$GC_USER" -p "$GC_PASSWORD" "$1" < <(sleep 3600 2> /dev/null); }
trap 'pkill -P $$ -x sleep || true' EXIT
B="bench/run.sh --server ${BENCH_SERVER:-https://localhost:8443} --server-pid $SPID --database-pid $DPID --warmup 500 --hosts $LIVE --concurrency 4"

echo "== 1. the first $LIVE hosts report; the others become stale"
T0=$(q "select utc_timestamp(3)")
$B --phases full-unchanged --out bench/results/gc-live.json | tail -2
q "update host set modified = utc_timestamp() - interval 20 day where modified < '$T0'"
echo "stale hosts: $(q "select count(*) from host where modified < utc_timestamp() - interval 15 day")"
echo "== 2. dry run"
START=$(now); client "debmonitor:gc --dry-run"; echo "dry run: $(since "$START") s"
echo "== 3. $REPORTS dpkg-hook reports without gc"
$B --phases dpkg-hook --hook-reports "$REPORTS" --out bench/results/gc-baseline.json | tail -2
echo "== 4. gc, and $REPORTS dpkg-hook reports while it runs"
( while kill -0 "$SPID" 2>/dev/null; do
    echo "$(ps -o rss= -p "$SPID") $(jstat -gc "$SPID" | tail -1 | awk '{printf "%.0f", ($3+$4+$6+$8)/1024}')"; sleep 1
  done ) > bench/results/gc-memory.txt &
SAMPLER=$!
( START=$(now); client "debmonitor:gc"; echo "gc: $(since "$START") s" ) > bench/results/gc-run.txt 2>&1 &
GC=$!
sleep 3
$B --phases dpkg-hook --hook-reports "$REPORTS" --out bench/results/gc-during.json | tail -2
wait "$GC"
kill "$SAMPLER"
cat bench/results/gc-run.txt
awk '{ if ($1 > r) r = $1; if ($2 > h) h = $2 } END { printf "peak during gc: %.0f MiB RSS, %d MiB heap used\n", r / 1024, h }' bench/results/gc-memory.txt
