#!/usr/bin/env bash
# The scale-out lab's fault runner (docs/scale-out.md, RELIABILITY.md): brings up three Galera
# nodes, the database HAProxy, two Karaf nodes from an assembly archive and the edge HAProxy on
# loopback, loads them through the edge with bench/lab.sh, injects faults and checks the
# invariants of SCALEOUT.md §4.1, then stops everything and deletes the lab's state.
#
#   lab/faults.sh                  the 15-minute subset: F1 F3 F7 F11 F12 (SCALEOUT.md §4.3)
#   lab/faults.sh --smoke          bring-up, one Karaf node killed under load, one GC slot (CI; about 3 min)
#   lab/faults.sh --rates          ingest rates through the edge (bench/run.sh) with two Karaf nodes, then one
#   lab/faults.sh F2 F3            the named scenarios only
#
# Scenarios (SCALEOUT.md §4.2): F1 Karaf node killed (kill -9 k1, restarted), F2 graceful stop
# (bin/stop k1: /healthz drains first, then started again), F3 Galera writer killed (kill -9 g1,
# restarted), F4 a non-writer killed (g3), F5 the writer partitioned (iptables), F6 a non-writer
# partitioned, F7 writer cut off the cluster (gmcast.isolate, no netfilter needed), F8 quorum lost
# (g2 and g3 killed), F10 the edge HAProxy killed, F11 the node running GC killed mid-run (the other
# node's watchdog resumes the slot), F12 manual `debmonitor:gc` on both nodes at once, F14 rolling
# Galera maintenance (g3, g2, g1 stopped and started in turn). The subset is F1 F3 F7 F11 F12. Each scenario runs the load with a UI session polling through the edge,
# injects its fault, recovers, sends one full report per host (the reconcile pass) and checks:
#   I1 every host's stored packages equal its last full report      I2 no half-applied report, sampled
#   I5 no 500, every 503 with Retry-After                          on every Galera node every 0.5 s
#   I8 the UI session survives (no redirect to /login)
# and at the end: I3 the three Galera nodes identical and Synced, I4 each GC slot done exactly once,
# no two GC runs at once. Results: $OUT (default lab/results/<time>): run.log, summary.md, and per
# scenario the driver's CSV and JSON files. Exit status 0 when every check passed.
#
# Run as root on Debian 12 with mariadb-server galera-4 rsync socat iptables haproxy curl, after
# `mvn -B install` (the archive and bench/target). Environment: LAB (default /var/tmp/debmonitor-lab),
# ARCHIVE (default karaf-assembly/target/debmonitor-karaf-assembly-*.tar.gz), HOSTS (200),
# CONCURRENCY (4), KEEP=1 leaves the lab running at the end (stop it with lab/galera-lab.sh cleanup).
set -euo pipefail
export LC_ALL=C # sort and join agree on the order
repo=$(cd "$(dirname "$0")/.." && pwd)
export LAB=${LAB:-/var/tmp/debmonitor-lab}
galera="$repo/lab/galera-lab.sh"
driver="$repo/bench/lab.sh"
hosts=${HOSTS:-200}
concurrency=${CONCURRENCY:-4}
edge=https://127.0.0.30:8443
declare -A node_address=([k1]=127.0.0.21 [k2]=127.0.0.22)

usage() { sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
smoke=0
rates=0
scenarios=()
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=1 ;;
    --rates) rates=1 ;;
    F1|F2|F3|F4|F5|F6|F7|F8|F10|F11|F12|F14) scenarios+=("$arg") ;;
    *) usage ;;
  esac
done
if [ $((smoke + rates)) -gt 1 ] || { [ $((smoke + rates)) = 1 ] && [ ${#scenarios[@]} -gt 0 ]; }; then usage; fi
[ ${#scenarios[@]} -gt 0 ] || scenarios=(F1 F3 F7 F11 F12)
[ "$(id -u)" = 0 ] || { echo "lab/faults.sh runs as root (the Galera nodes switch to the mysql user)" >&2; exit 2; }
for tool in mariadbd haproxy rsync socat curl java; do
  command -v "$tool" > /dev/null || { echo "lab/faults.sh needs $tool (apt-get install mariadb-server galera-4 rsync socat iptables haproxy curl)" >&2; exit 2; }
done
dpkg -s galera-4 > /dev/null 2>&1 || { echo "lab/faults.sh needs galera-4 (apt-get install galera-4)" >&2; exit 2; }
archive=${ARCHIVE:-$(ls "$repo"/karaf-assembly/target/debmonitor-karaf-assembly-*.tar.gz 2> /dev/null | head -n1)}
[ -f "${archive:-}" ] || { echo "no assembly archive: run 'mvn -B install' first or set ARCHIVE" >&2; exit 2; }
[ -x "$driver" ] && [ -d "$repo/bench/target/lib" ] || { echo "bench is not built: run 'mvn -B install' first" >&2; exit 2; }

out=${OUT:-$repo/lab/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
failures=0
t0=$(date +%s)

log() { printf '%s +%ss %s\n' "$(date -u +%H:%M:%S)" "$(($(date +%s) - t0))" "$*" | tee -a "$out/run.log"; }
fail() { log "FAIL: $*"; failures=$((failures + 1)); echo "- FAIL: $*" >> "$out/summary.md"; }
pass() { log "pass: $*"; echo "- pass: $*" >> "$out/summary.md"; }

finish() {
  local status=$?
  for pid in "${sampler:-}" "${load_pid:-}" "${ui_pid:-}"; do [ -z "$pid" ] || kill "$pid" 2> /dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then
    log "KEEP=1: the lab keeps running in $LAB; stop it with lab/galera-lab.sh cleanup"
  else
    for n in k1 k2; do [ ! -f "$LAB/$n/data/log/karaf.log" ] || cp "$LAB/$n/data/log/karaf.log" "$out/karaf-$n.log"; done
    "$galera" cleanup > /dev/null 2>&1 || true
  fi
  exit $status
}
trap finish EXIT
trap 'exit 130' INT TERM

sql() { "$galera" sql "$@"; }
# The writer's view through the database HAProxy, as the application sees it.
writer_sql() { mariadb -h 127.0.0.40 -P 3306 -u debmonitor -p"${DB_PASSWORD:-debmonitor}" -N -B debmonitor -e "$1"; }

wait_healthy() { # URL SECONDS: until /healthz says ready (not degraded)
  local i
  for ((i = 0; i < $2; i++)); do
    curl -sk --max-time 5 "$1/healthz" 2> /dev/null | grep -q '"status":"ready"' && return 0
    sleep 1
  done
  return 1
}

karaf_start() { JAVA_MAX_MEM=512m "$LAB/$1/bin/start"; }
karaf_pid() { tr -dc 0-9 < "$LAB/$1/karaf.pid"; }
karaf_kill() { local pid; pid=$(karaf_pid "$1"); kill -9 "$pid"; while [ -d "/proc/$pid" ]; do sleep 0.1; done; }
karaf_shell() { # NODE COMMAND: the command's output; the client needs stdin open until it answers
  "$LAB/$1/bin/client" -h "${node_address[$1]}" -a 8101 -u lab -p lab -r 3 "$2" < <(sleep 60) 2>&1
}
karaf_up() { # NODE: starts it (once its previous process has exited) and waits until /healthz says ready
  local i pid
  pid=$(karaf_pid "$1")
  for ((i = 0; i < 600 && ${#pid} > 0; i++)); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
  karaf_start "$1"
  wait_healthy "https://${node_address[$1]}:8443" 180 || { fail "$1 not healthy 180 s after its start"; return 1; }
}

# I2: a host whose tagged packages do not all carry the report number of its marker package.
i2_sql="select count(distinct m.host_id) from host_package m
  join package mp on mp.id = m.package_id and mp.name = 'zz-dm-seq'
  join package_version mv on mv.id = m.installed_version_id
  join host_package t on t.host_id = m.host_id
  join package tp on tp.id = t.package_id and tp.name like 'zz-dm-tag-%'
  join package_version tv on tv.id = t.installed_version_id
  where tv.version not like concat('%+r', substring_index(mv.version, '.', -1))"
sampler_start() { # DIR: samples I2 on every Galera node every 0.5 s into DIR/i2.tsv
  ( while true; do
      for n in 1 2 3; do
        v=$(sql "$n" debmonitor -e "$i2_sql" 2> /dev/null) || v=down
        printf '%s\t%s\t%s\n' "$(date +%s.%N)" "$n" "$v"
      done
      sleep 0.5
    done > "$1/i2.tsv" ) &
  sampler=$!
}
sampler_stop() { # DIR
  kill "$sampler" 2> /dev/null || true; wait "$sampler" 2> /dev/null || true; sampler=
  local bad samples
  samples=$(awk -F'\t' '$3 != "down"' "$1/i2.tsv" | wc -l)
  bad=$(awk -F'\t' '$3 != "down" && $3 != 0' "$1/i2.tsv" | wc -l)
  if [ "$bad" = 0 ] && [ "$samples" -gt 0 ]; then pass "$2 I2: $samples samples on the Galera nodes, 0 half-applied hosts"
  else fail "$2 I2: $bad of $samples samples found half-applied hosts (see $1/i2.tsv)"; fi
}

bring_up() {
  log "bring-up: Galera"
  "$galera" cleanup > /dev/null 2>&1 || true
  "$galera" init
  "$galera" bootstrap | tee -a "$out/run.log"
  "$galera" start 2 | tee -a "$out/run.log"
  "$galera" start 3 | tee -a "$out/run.log"
  "$galera" haproxy db
  log "bring-up: Karaf nodes"
  local schedule=${GC_SCHEDULE:-0 0/2 * * * ?}
  for n in k1 k2; do
    GC_SCHEDULE=$schedule CLIENT_CA="$LAB/bench-pki/ec/ca.pem" CRL_FILE= "$repo/lab/karaf-node.sh" "$n" "${node_address[$n]}" "$archive" > /dev/null
  done
  "$driver" pki --pki "$LAB/bench-pki" > /dev/null
  # Both at once: one migrates the schema under the lock, the other waits for it.
  karaf_start k1; karaf_start k2
  wait_healthy https://127.0.0.21:8443 240 || { fail "k1 not healthy after 240 s"; return 1; }
  wait_healthy https://127.0.0.22:8443 240 || { fail "k2 not healthy after 240 s"; return 1; }
  "$galera" haproxy edge
  wait_healthy "$edge" 30 || { fail "the edge does not answer"; return 1; }
  log "bring-up done: $("$galera" status | tr '\n' ' ')"
}

load() { # DIR SECONDS: the load and the UI session, in the background; waits with load_wait
  "$driver" load --server "$edge" --hosts "$hosts" --concurrency "$concurrency" --seconds "$2" \
    --state "$LAB/fleet" --pki "$LAB/bench-pki" --out "$1" > "$1/load.log" 2>&1 &
  load_pid=$!
  "$driver" ui --server "$edge" --user lab --password lab --seconds "$2" --out "$1" > "$1/ui.log" 2>&1 &
  ui_pid=$!
}
# The scenario's figures from the driver's summary, one line for summary.md.
figures() { # DIR
  python3 - "$1/load-summary.json" << 'PY'
import json, sys
d = json.load(open(sys.argv[1]))
k = d["by_kind"]
print(f"{d['requests']} requests in {d['seconds']:.0f} s: {k['201']} × 201, {k['503_with_retry_after']} × 503 with Retry-After, "
      f"{k['connection_error']} connection errors, {k['503_without_retry_after'] + k['4xx'] + k['5xx_other_than_503'] + k['other_status']} other; "
      f"{d['reports_failed_after_retries']} reports failed after retries; max latency {d['max_latency_ms']} ms; "
      f"longest window without a 201 {d['longest_window_without_success_ms']} ms; retries per report mean {d['retries_per_report_mean']}, max {d['retries_per_report_max']}")
PY
}

load_wait() { # DIR NAME
  if wait "$load_pid"; then pass "$2 I5: $(tail -n1 "$1/load.log")"; else fail "$2 I5: $(tail -n3 "$1/load.log" | tr '\n' ' ')"; fi
  [ ! -f "$1/load-summary.json" ] || { log "$2 figures: $(figures "$1")"; echo "- figures: $(figures "$1")" >> "$out/summary.md"; }
  acknowledged_check "$1" "$2"
  if wait "$ui_pid"; then pass "$2 I8: $(tail -n1 "$1/ui.log")"; else fail "$2 I8: $(tail -n3 "$1/ui.log" | tr '\n' ' ')"; fi
  if "$driver" reconcile --server "$edge" --state "$LAB/fleet" --pki "$LAB/bench-pki" --out "$1" > "$1/reconcile.log" 2>&1; then
    pass "$2 I1: $(tail -n1 "$1/reconcile.log")"
  else
    fail "$2 I1: $(tail -n3 "$1/reconcile.log" | tr '\n' ' ')"
  fi
}

# I1, first half, before the reconcile pass rewrites every host: each host's stored report number
# (its marker package) is at least the last one the server acknowledged with 201. It may be higher:
# a later report whose answer was lost can have been stored.
acknowledged_check() { # DIR NAME
  local lost
  awk -F, 'NR > 1 && $5 == 201 && $3 > k[$2] { k[$2] = $3 } END { for (h in k) print h "\t" k[h] }' "$1/reports.csv" | sort > "$1/acknowledged.tsv"
  writer_sql "select h.name, substring_index(v.version, '.', -1) from host h join host_package m on m.host_id = h.id
      join package p on p.id = m.package_id and p.name = 'zz-dm-seq' join package_version v on v.id = m.installed_version_id" \
    | sort > "$1/stored.tsv"
  lost=$(join -t "$(printf '\t')" -a 1 "$1/acknowledged.tsv" "$1/stored.tsv" | awk -F'\t' 'NF < 3 || $3 + 0 < $2 + 0' | tee "$1/lost.tsv" | wc -l)
  if [ -s "$1/acknowledged.tsv" ] && [ "$lost" = 0 ]; then
    pass "$2 I1: every acknowledged report stored ($(wc -l < "$1/acknowledged.tsv") hosts: stored report ≥ last 201)"
  else
    fail "$2 I1: $lost hosts lost an acknowledged report (see $1/lost.tsv)"
  fi
}

# scenario NAME LOAD_SECONDS FAULT_AT INJECT RECOVER_AT RECOVER
scenario() {
  local name=$1 seconds=$2 at=$3 inject=$4 recover_at=$5 recover=$6 dir="$out/$1" start
  mkdir -p "$dir"
  log "$name: load for $seconds s; at +$at s: $inject; at +$recover_at s: $recover"
  echo "### $name" >> "$out/summary.md"
  sampler_start "$dir"
  load "$dir" "$seconds"
  start=$(date +%s)
  sleep "$at"; log "$name: $inject"; eval "$inject"
  sleep $((recover_at - ($(date +%s) - start) > 0 ? recover_at - ($(date +%s) - start) : 0))
  log "$name: $recover"; eval "$recover"
  load_wait "$dir" "$name"
  sampler_stop "$dir" "$name"
}

drained() { # NODE: /healthz said "draining" during its graceful stop
  local i
  for ((i = 0; i < 50; i++)); do
    if curl -sk --max-time 1 "https://${node_address[$1]}:8443/healthz" 2> /dev/null | grep -q '"status":"draining"'; then
      pass "F2: $1's /healthz answered draining while it stopped"
      return
    fi
    sleep 0.1
  done
  fail "F2: $1's /healthz never answered draining"
}

# F11: stale hosts for a GC run long enough to be hit, then the run's node killed mid-run.
f11() {
  local dir="$out/F11" holder pid victim i stale slot
  mkdir -p "$dir"; echo "### F11" >> "$out/summary.md"
  log "F11: 12 stale hosts for the next GC slot"
  "$repo/bench/run.sh" --server "$edge" --hosts 12 --concurrency "$concurrency" --domain stale.lab.example --phases full-new \
    --pki "$LAB/bench-pki" --warmup 0 --out "$dir/stale.json" > "$dir/stale.log" 2>&1 || { fail "F11: could not load the stale hosts"; return; }
  writer_sql "update host set modified = modified - interval 30 day where name like '%.stale.lab.example'"
  for ((i = 0; i < 300; i++)); do
    holder=$(writer_sql "select holder from job_lease where name = 'gc' and holder is not null") || true
    stale=$(writer_sql "select count(*) from host where name like '%.stale.lab.example'") || true
    if [ -n "$holder" ] && [ "${stale:-12}" -lt 12 ]; then break; fi
    sleep 0.5
  done
  [ -n "$holder" ] || { fail "F11: no GC run started within 150 s"; return; }
  pid=${holder%%@*}
  victim=
  for n in k1 k2; do if [ "$(karaf_pid $n)" = "$pid" ]; then victim=$n; fi; done
  [ -n "$victim" ] || { fail "F11: the lease holder $holder is no lab node"; return; }
  slot=$(writer_sql "select last_slot from job_lease where name = 'gc'")
  log "F11: $victim ($holder) runs slot $slot, $stale stale hosts left: kill -9"
  karaf_kill "$victim"
  if [ "$(writer_sql "select count(*) from job_lease where name = 'gc' and holder = '$holder' and (slot_done is null or slot_done < last_slot)")" != 1 ]; then
    fail "F11: the run of slot $slot ended before the kill; nothing to take over"
    karaf_up "$victim"
    return
  fi
  for ((i = 0; i < 300; i++)); do
    [ "$(writer_sql "select count(*) from job_lease where name = 'gc' and slot_done >= '$slot'")" = 1 ] && break
    sleep 1
  done
  stale=$(writer_sql "select count(*) from host where name like '%.stale.lab.example'")
  local resumed survivor
  survivor=$([ "$victim" = k1 ] && echo k2 || echo k1)
  resumed=$(grep -h "gc: resuming slot $(date -u -d "$slot" +%Y-%m-%dT%H:%M:%SZ) as $(karaf_pid "$survivor")@" "$LAB/$survivor/data/log/karaf.log" \
    | tail -n1 | sed 's/.*| gc: //' || true)
  if [ -z "$resumed" ]; then
    fail "F11: $survivor did not resume slot $slot ($stale stale hosts left)"
  elif [ "$i" -lt 300 ] && [ "$stale" = 0 ]; then pass "F11: slot $slot finished $i s after the kill by the other node ($resumed), 0 stale hosts left"
  else fail "F11: slot $slot not finished 300 s after the kill ($stale stale hosts left)"; fi
  karaf_up "$victim" && log "F11: $victim back"
}

# F12: a manual run on both nodes at once: never two runs at the same time (checked at the end).
f12() {
  local dir="$out/F12"
  mkdir -p "$dir"; echo "### F12" >> "$out/summary.md"
  gc_quiet
  karaf_shell k1 "debmonitor:gc" > "$dir/k1.txt" &
  local a=$!
  karaf_shell k2 "debmonitor:gc" > "$dir/k2.txt" &
  wait $a || true; wait $! || true
  local refused ran
  refused=$(cat "$dir/k1.txt" "$dir/k2.txt" | grep -c 'gc already running' || true)
  ran=$(cat "$dir/k1.txt" "$dir/k2.txt" | grep -c 'history events' || true)
  if [ $((refused + ran)) = 2 ] && [ "$ran" -ge 1 ]; then
    pass "F12: manual runs on k1 and k2 at once: $ran ran, $refused refused with 'gc already running' (overlaps are checked at the end)"
  else
    fail "F12: expected each manual run to run or say 'gc already running': $(cat "$dir/k1.txt" "$dir/k2.txt" | tr '\n' ' ')"
  fi
}

gc_quiet() { # waits until no GC run holds the lease (at most 5 minutes)
  local i
  for ((i = 0; i < 300; i++)); do
    [ "$(writer_sql "select count(*) from job_lease where name = 'gc' and holder is not null")" = 0 ] && return 0
    sleep 1
  done
  log "a GC run still holds the lease after 300 s"
}

# I4: each slot done once; no two runs (scheduled or manual) overlapping, from the audit trail.
gc_checks() {
  local logs=() n
  echo "### GC" >> "$out/summary.md"
  for n in k1 k2; do logs+=("$LAB/$n/data/log/karaf.log"); done
  grep -h 'gc: slot .* done by' "${logs[@]}" | sed 's/.*gc: slot \([^ ]*\) done by.*/\1/' | sort | uniq -c > "$out/gc-slots.txt" || true
  if [ ! -s "$out/gc-slots.txt" ]; then fail "I4: no GC slot was done"; return; fi
  if awk '$1 != 1 { bad = 1 } END { exit bad }' "$out/gc-slots.txt"; then
    pass "I4: $(wc -l < "$out/gc-slots.txt") GC slots, each done exactly once"
  else
    fail "I4: a slot done more than once: $(awk '$1 != 1' "$out/gc-slots.txt" | tr '\n' ' ')"
  fi
  writer_sql "select timestamp(created) - interval cast(regexp_substr(detail, '[0-9]+(?= ms)') as unsigned) * 1000 microsecond, created, actor
      from audit_event where action = 'GC_RUN' order by created" > "$out/gc-runs.tsv"
  if awk -F'\t' 'NR > 1 && $1 < last { bad = 1 } { last = $2 } END { exit bad }' "$out/gc-runs.tsv"; then
    pass "I4: $(wc -l < "$out/gc-runs.tsv") GC runs in the audit trail, none overlapping another"
  else
    fail "I4: GC runs overlapped (see $out/gc-runs.tsv)"
  fi
}

# I3: the three nodes hold the same data and form one healthy cluster. Each node first catches up
# with the cluster (wsrep_sync_wait); writes still under way (a session's last_seen, a lease) can
# differ for a moment, so the comparison is tried up to five times.
galera_checks() {
  local n tables try status
  tables=$(sql 1 debmonitor -e "select group_concat(table_name) from information_schema.tables where table_schema = 'debmonitor'")
  for ((try = 1; try <= 5; try++)); do
    for n in 1 2 3; do
      sql "$n" debmonitor -e "set session wsrep_sync_wait = 1; checksum table ${tables//,/, }" > "$out/checksums-node$n.tsv"
    done
    cmp -s "$out/checksums-node1.tsv" "$out/checksums-node2.tsv" && cmp -s "$out/checksums-node1.tsv" "$out/checksums-node3.tsv" && break
    sleep 1
  done
  status=$("$galera" status)
  if [ "$try" -le 5 ] && [ "$(awk '/=Synced/ && /wsrep_cluster_size=3/ && /=Primary/' <<< "$status" | wc -l)" = 3 ] \
      && ! grep -q 'uuid=00000000-0000-0000-0000-000000000000' <<< "$status"; then
    pass "I3: the checksums of all $(wc -l < "$out/checksums-node1.tsv") tables equal on the three nodes; all Synced, Primary, size 3, one non-zero state UUID"
  else
    fail "I3: tables differing: $(diff "$out/checksums-node1.tsv" "$out/checksums-node2.tsv" | grep '^[<>]' | tr '\n\t' '  ') $(diff "$out/checksums-node1.tsv" "$out/checksums-node3.tsv" | grep '^[<>]' | tr '\n\t' '  '); $(tr '\n' ' ' <<< "$status")"
  fi
}

# Ingest rates through the edge: bench/run.sh's three phases on a fresh fleet with both nodes,
# then with k2 stopped (a fresh fleet again, so that first reports are first reports).
rates() {
  local n hosts=${RATE_HOSTS:-300}
  echo "### Ingest rates ($hosts hosts, concurrency $concurrency, through the edge)" >> "$out/summary.md"
  for n in 2 1; do
    if [ $n = 1 ]; then
      "$LAB/k2/bin/stop"
      while [ -d "/proc/$(karaf_pid k2)" ]; do sleep 0.5; done
      sleep 5 # the edge's check marks k2 down
    fi
    log "rates: $n node(s)"
    "$repo/bench/run.sh" --server "$edge" --hosts "$hosts" --concurrency "$concurrency" --domain "n$n.rates.lab" \
      --phases full-new,full-unchanged,dpkg-hook --pki "$LAB/bench-pki" --warmup 300 --out "$out/rates-$n.json" > "$out/rates-$n.log" 2>&1 \
      || { fail "rates: bench/run.sh with $n node(s) failed: $(tail -n3 "$out/rates-$n.log" | tr '\n' ' ')"; continue; }
    python3 - "$out/rates-$n.json" "$n" >> "$out/summary.md" << 'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["phases"]:
    l = p["latency_ms"]
    print(f"- {sys.argv[2]} node(s), {p['name']}: {p['reports_per_second']:.1f} reports/s, p50 {l.get('p50')} ms, p95 {l.get('p95')} ms, {p['errors']} errors")
PY
  done
  log "rates: $(grep -c 'reports/s' "$out/summary.md") figures in $out/summary.md"
}

echo "# Lab run $(date -u +%Y-%m-%dT%H:%M:%SZ): $([ $smoke = 1 ] && echo smoke || { [ $rates = 1 ] && echo rates; } || echo "${scenarios[*]}")" > "$out/summary.md"
echo "3 Galera + 2 Karaf nodes + 2 HAProxy on $(nproc) shared cores: failure behaviour, not capacity. $hosts hosts, concurrency $concurrency." >> "$out/summary.md"
if [ $smoke = 1 ]; then GC_SCHEDULE='0 * * * * ?'; fi
bring_up
log "the logout of a UI session on k1 holds on k2"
if "$driver" ui-logout-check --login-server https://127.0.0.21:8443 --check-server https://127.0.0.22:8443 --user lab --password lab > "$out/logout.log" 2>&1; then
  pass "I8: a logout on k1 ends the session on k2"
else
  fail "I8: logout on k1 did not end the session on k2: $(tail -n2 "$out/logout.log" | tr '\n' ' ')"
fi

if [ $rates = 1 ]; then
  rates
  log "$failures failed checks; summary in $out/summary.md"
  exit $((failures > 0))
elif [ $smoke = 1 ]; then
  scenario smoke 40 10 'killed=$(date -u "+%F %T"); karaf_kill k1' 20 'true'
  log "smoke: waiting for a GC slot after the kill ($killed UTC), which only k2 can run"
  for ((i = 0; i < 90; i++)); do
    [ "$(writer_sql "select count(*) from job_lease where name = 'gc' and slot_done > '$killed'")" = 1 ] && break
    sleep 1
  done
  if [ "$i" -lt 90 ]; then pass "smoke: the GC slot $(writer_sql "select slot_done from job_lease where name = 'gc'") done by k2"
  else fail "smoke: no GC slot done within 90 s of the kill"; fi
else
  for s in "${scenarios[@]}"; do
    case $s in
      F1) scenario F1 60 15 'karaf_kill k1' 30 'karaf_up k1' ;;
      F2) scenario F2 60 15 '"$LAB/k1/bin/stop"; drained k1' 30 'karaf_up k1' ;;
      F3) scenario F3 60 15 '"$galera" kill9 1' 30 '"$galera" start 1 | tee -a "$out/run.log"' ;;
      F4) scenario F4 60 15 '"$galera" kill9 3' 30 '"$galera" start 3 | tee -a "$out/run.log"' ;;
      F5) scenario F5 60 15 '"$galera" partition 1' 30 '"$galera" heal 1' ;;
      F6) scenario F6 60 15 '"$galera" partition 3' 30 '"$galera" heal 3' ;;
      # The survivor of a lost quorum stays non-Primary: it is made the new primary component first
      # (docs/scale-out.md), then the others rejoin it.
      F8) scenario F8 60 15 '"$galera" kill9 2; "$galera" kill9 3' 30 \
            '"$galera" sql 1 -e "SET GLOBAL wsrep_provider_options='"'"'pc.bootstrap=YES'"'"'"; "$galera" start 2 | tee -a "$out/run.log"; "$galera" start 3 | tee -a "$out/run.log"' ;;
      F10) scenario F10 60 15 'kill -9 "$(cat "$LAB/haproxy-edge.pid")"' 25 '"$galera" haproxy edge' ;;
      F14) scenario F14 90 15 'for n in 3 2 1; do "$galera" stop $n; "$galera" start $n | tee -a "$out/run.log"; done' 16 'true' ;;
      F7) scenario F7 60 15 '"$galera" isolate 1 1' 30 '"$galera" isolate 1 0' ;;
      F11) f11 ;;
      F12) f12 ;;
    esac
  done
fi
gc_quiet
gc_checks
galera_checks
log "$failures failed checks; summary in $out/summary.md"
[ "$failures" = 0 ]
