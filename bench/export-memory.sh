#!/bin/bash
# Exports under load (issue #13; BENCHMARKS.md, "Package history"). Usage: bench/export-memory.sh SERVER_PID HOSTS, against
# a server that bench/run.sh filled with HOSTS hosts (its certificates are in bench/target/pki).
# Four concurrent, rate-limited downloads of every host as CSV, and a fifth that must get 503;
# the server's old generation sampled every 0.5 s (jstat OU) against its level after a full GC.
SPID=$1; HOSTS=$2
CERT=$(mktemp); awk '/BEGIN CERT/{p=1} p{print} /END CERT/{exit}' bench/target/pki/ec/hosts-s1-n$HOSTS-example.org.pem > "$CERT"
KEY=bench/target/pki/ec/client.key
jcmd "$SPID" GC.run > /dev/null; sleep 1
old() { jstat -gc "$SPID" | tail -1 | awk '{printf "%.1f", $8 / 1024}'; }
heap() { jstat -gc "$SPID" | tail -1 | awk '{printf "%.1f", ($6 + $8) / 1024}'; }
echo "after a full GC: old gen $(old) MiB, heap used $(heap) MiB"
( while true; do echo "$(old) $(heap)"; sleep 0.5; done ) > /tmp/export-mem.txt &
SAMPLER=$!
for i in 1 2 3 4; do
  curl -sk --cert "$CERT" --key "$KEY" --limit-rate 100k -o /tmp/export-$i.csv "https://localhost:8443/hosts/?format=csv" &
done
sleep 2
echo "fifth concurrent download: HTTP $(curl -sk --cert "$CERT" --key "$KEY" -o /dev/null -w '%{http_code}' "https://localhost:8443/hosts/?format=jsonl")"
wait $(jobs -p | grep -v "^$SAMPLER$") 2>/dev/null
kill $SAMPLER
for i in 1 2 3 4; do echo "download $i: $(wc -l < /tmp/export-$i.csv) lines, $(sort -u /tmp/export-$i.csv | wc -l) distinct"; done
awk '{ if ($1 > o) o = $1; if ($2 > h) h = $2 } END { printf "during the downloads (%d samples): old gen max %.1f MiB, heap used max %.1f MiB\n", NR, o, h }' /tmp/export-mem.txt
jcmd "$SPID" GC.run > /dev/null; sleep 1
echo "after, a full GC: old gen $(old) MiB"
rm -f "$CERT"
