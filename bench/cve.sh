#!/bin/bash
# CVE correlation at fleet scale (issue #12; BENCHMARKS.md, "CVE correlation"). Starts the server of
# one distribution archive on a fresh MariaDB database, loads HOSTS hosts with bench/run.sh's
# full-new phase, writes a feed of ENTRIES (source, issue) entries for the fleet's package universe
# (bench CveFeed), imports it with debmonitor:cve-import while sampling the heap, waits for the
# refresher to store every host's findings, then times the CVE pages (bench/run.sh's pages phase).
# Usage: bench/cve.sh ARCHIVE [HOSTS] [ENTRIES]
#   ARCHIVE: a debmonitor-karaf-assembly-*.tar.gz; unpacked under /var/tmp/debmonitor-bench-cve.
#   Results: bench/results/cve-*.txt|json. KEEP=1 leaves the server running.
set -eu
ARCHIVE=$(realpath "$1"); HOSTS=${2:-10000}; ENTRIES=${3:-50000}
cd "$(dirname "$0")/.."
mkdir -p bench/results
SRV=/var/tmp/debmonitor-bench-cve; DB=bench_cve
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc | xargs printf '%.1f'; }
. bench/mariadb-server.sh
SPID=$(pgrep -f "karaf.base=$SRV" | head -1); DPID=$(pgrep mariadbd)
B="bench/run.sh --server https://localhost:8443 --server-pid $SPID --database-pid $DPID --hosts $HOSTS --configure-server $SRV"
$B --concurrency 4 --phases full-new --out bench/results/cve-load.json | tail -3

FEED=/var/tmp/debmonitor-bench-cve-feed.json
java -cp "bench/target/classes:bench/target/lib/*" io.debmonitor.bench.CveFeed "$FEED" "$ENTRIES"
# bin/client ends the session when its input ends: the sleep keeps that input open.
client() { "$SRV/bin/client" -h localhost -u bench -p Bench-Pw-1 "$1" < <(sleep 3600 2> /dev/null); }
until client "debmonitor:cve-feed" > /dev/null 2>&1; do sleep 2; done
heap() { jstat -gc "$SPID" | tail -1 | awk '{printf "%.1f", ($3 + $4 + $6 + $8) / 1024}'; }
jcmd "$SPID" GC.run > /dev/null; sleep 1
echo "before the import, after a full GC: heap used $(heap) MiB"
( while true; do heap; echo; sleep 0.25; done ) > /tmp/cve-heap.txt &
SAMPLER=$!
START=$(now)
client "debmonitor:cve-import $FEED" | tee bench/results/cve-import.txt
IMPORT=$(since "$START")
kill $SAMPLER
echo "import: $IMPORT s; heap used max $(sort -n /tmp/cve-heap.txt | tail -1) MiB over $(wc -l < /tmp/cve-heap.txt) samples" | tee -a bench/results/cve-import.txt
jcmd "$SPID" GC.run > /dev/null; sleep 1
echo "after the import, after a full GC: heap used $(heap) MiB" | tee -a bench/results/cve-import.txt

# The refresher stores every host's findings (it logs its progress in data/log/karaf.log).
START=$(now)
while [ "$(q $DB -e 'select count(*) from host where cve_pending > 0')" != 0 ]; do sleep 5; done
echo "refresh of $HOSTS hosts: $(since "$START") s" | tee -a bench/results/cve-import.txt
q $DB -e "select count(*) as findings, count(distinct host_id) as hosts, round(count(*) / count(distinct host_id)) as per_host from host_cve" \
  | tee -a bench/results/cve-import.txt
q -e "select table_name, table_rows, round(data_length / 1048576, 1) as data_mib, round(index_length / 1048576, 1) as index_mib
  from information_schema.tables where table_schema = '$DB' and table_name in ('host_cve', 'cve_entry', 'host_package')" \
  | tee -a bench/results/cve-import.txt

HOST=$(q $DB -e "select name from host order by cve_counted desc limit 1")
ISSUE=$(q $DB -e "select issue from host_cve where primary_row group by issue order by count(*) desc limit 1")
$B --concurrency 2 --phases pages --page-requests 100 --warmup 20 \
  --page-list "/cves/,/cves/?urgency=high,/cves/?q=lib,/cves/$ISSUE,/hosts/$HOST?tab=cves,/hosts/?sort=cves&dir=desc,/" \
  --out bench/results/cve-pages.json | tail -12
