#!/usr/bin/env bash
# Prepares one DebMonitor node of the scale-out lab (docs/scale-out.md) from an assembly archive,
# without starting it. Every node gets the same etc/ apart from its name and address:
#   - every listener bound to ADDRESS: HTTPS 8443 (etc/jetty.xml's connector gets a host from the
#     system property debmonitor.https.host), HTTP 8181 (org.ops4j.pax.web.listening.addresses: Pax
#     Web adopts the jetty.xml connector only when host and port both match it), SSH 8101 (sshHost),
#     JMX RMI 1099 and 44444 (rmiRegistryHost, rmiServerHost);
#   - the DataSource on the Galera writer listener 127.0.0.40:3306 (lab/haproxy-db.cfg), dbcp2 pool,
#     connections validated on borrow;
#   - one PKI for all nodes and the edge HAProxy, made once in $LAB/pki by tools/pki.sh: server key
#     pair (etc/debmonitor-server.p12), client CA (clientCaFile) and CRL (crlFile);
#   - trustedProxies = 127.0.0.30, the source address of the edge HAProxy's termination backend;
#   - a graceful stop holds 5 s with /healthz answering 503 "draining" (drainSeconds);
#   - garbage collection in test rhythm: GC_SCHEDULE, batches of 50, a 30 s lease;
#   - a UI and SSH user 'lab' (role admin).
#
#   lab/karaf-node.sh NAME ADDRESS ARCHIVE
#   e.g. lab/karaf-node.sh k1 127.0.0.21 karaf-assembly/target/debmonitor-karaf-assembly-0.1.0-SNAPSHOT.tar.gz
#
# Then: $LAB/NAME/bin/start (pid in $LAB/NAME/karaf.pid, log in $LAB/NAME/data/log/karaf.log),
# $LAB/NAME/bin/stop; lab/galera-lab.sh cleanup stops it too. Re-running replaces the node's folder.
# Environment: LAB (default /var/tmp/debmonitor-lab), DB_PASSWORD (debmonitor), UI_PASSWORD (lab),
# GC_SCHEDULE (default '0 0/2 * * * ?', every two minutes; the watchdog looks every 15 s),
# CLIENT_CA (the CA of the hosts' certificates; default the lab CA, $LAB/pki/ca.pem), CRL_FILE
# (its CRL; default the lab CA's, $LAB/pki/crl.pem; empty: none).
set -euo pipefail
usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -eq 3 ] || usage
name=$1 address=$2 archive=$3
lab=${LAB:-/var/tmp/debmonitor-lab}
repo=$(cd "$(dirname "$0")/.." && pwd)
node=$lab/$name
pki=$lab/pki
marker=.debmonitor-lab

[[ $name =~ ^[a-z0-9][a-z0-9-]*$ ]] || { echo "NAME: lower-case letters, digits and '-', not '$name'" >&2; exit 2; }
[[ $address =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || { echo "ADDRESS: an IPv4 address, not '$address'" >&2; exit 2; }
[ -f "$archive" ] || { echo "no archive $archive" >&2; exit 2; }
if [ -e "$lab" ] && [ ! -f "$lab/$marker" ]; then echo "$lab exists and is not a lab folder ($marker)" >&2; exit 1; fi
if [ -f "$node/karaf.pid" ] && [ "$(cat "/proc/$(tr -dc 0-9 < "$node/karaf.pid")/comm" 2> /dev/null)" = java ]; then
  echo "$name runs (pid $(cat "$node/karaf.pid")); stop it first: $node/bin/stop" >&2
  exit 1
fi

# set_cfg FILE KEY VALUE: sets KEY in a Karaf .cfg/.properties file, appending it when absent.
set_cfg() {
  K=$2 V=$3 awk '
    { line = $0; sub(/^[ \t]+/, "", line) }
    index(line, ENVIRON["K"]) == 1 && substr(line, length(ENVIRON["K"]) + 1) ~ /^[ \t]*=/ {
      print ENVIRON["K"] " = " ENVIRON["V"]; found = 1; next }
    { print }
    END { if (!found) print ENVIRON["K"] " = " ENVIRON["V"] }' "$1" > "$1.tmp"
  mv "$1.tmp" "$1"
}

mkdir -p "$lab"; chmod 755 "$lab"; touch "$lab/$marker"
if [ ! -f "$pki/ca.pem" ]; then
  "$repo/tools/pki.sh" "$pki" ca > /dev/null
  "$repo/tools/pki.sh" "$pki" server debmonitor-lab > /dev/null
  # HAProxy's termination frontend wants certificate and key in one file.
  (umask 077; cat "$pki/server.pem" "$pki/server.key" > "$pki/server-bundle.pem")
fi

rm -rf "$node"
mkdir -p "$node"
tar xzf "$archive" -C "$node" --strip-components=1
etc=$node/etc

set_cfg "$etc/system.properties" karaf.name "$name"
set_cfg "$etc/system.properties" debmonitor.https.host "$address"
if ! grep -q 'name="debmonitor.https.host"' "$etc/jetty.xml"; then
  port_line='<Set name="port"><SystemProperty name="debmonitor.https.port"'
  [ "$(grep -c "$port_line" "$etc/jetty.xml")" = 1 ] || { echo "$etc/jetty.xml: no single HTTPS port line to add a host to" >&2; exit 1; }
  P=$port_line awk 'index($0, ENVIRON["P"]) { indent = $0; sub(/<.*/, "", indent)
      print indent "<Set name=\"host\"><SystemProperty name=\"debmonitor.https.host\"/></Set>" } { print }' \
    "$etc/jetty.xml" > "$etc/jetty.xml.tmp"
  mv "$etc/jetty.xml.tmp" "$etc/jetty.xml"
fi
if command -v xmllint > /dev/null; then xmllint --noout "$etc/jetty.xml"; fi
set_cfg "$etc/org.ops4j.pax.web.cfg" org.ops4j.pax.web.listening.addresses "$address"
set_cfg "$etc/org.apache.karaf.shell.cfg" sshHost "$address"
set_cfg "$etc/org.apache.karaf.management.cfg" rmiRegistryHost "$address"
set_cfg "$etc/org.apache.karaf.management.cfg" rmiServerHost "$address"

cat > "$etc/org.ops4j.datasource-debmonitor.cfg" <<CFG
# The lab's database: MariaDB Galera through the HAProxy writer listener (lab/haproxy-db.cfg).
# Written by lab/karaf-node.sh.
osgi.jdbc.driver.name = mariadb
# innodb_lock_wait_timeout 10 s instead of 50: after a partition heals, a transaction that was
# committing on the cut-off writer can hold its row locks until it fails; the requests waiting
# for them then fail after 10 s and are run again, instead of holding their clients for 50 s.
url = jdbc:mariadb://127.0.0.40:3306/debmonitor?useLocalSessionState=true&sessionVariables=innodb_lock_wait_timeout=10
user = debmonitor
password = ${DB_PASSWORD:-debmonitor}
dataSourceName = debmonitor
pool = dbcp2
xa = false
pool.maxTotal = 16
# A pooled connection whose Galera node failed (HAProxy closes it) is replaced on borrow, instead
# of failing the next transaction that gets it.
pool.testOnBorrow = true
# A second guard against connections that stay on a backup node after a failback.
factory.maxConnLifetimeMillis = 300000
CFG

set_cfg "$etc/io.debmonitor.security.cfg" clientCaFile "${CLIENT_CA:-$pki/ca.pem}"
set_cfg "$etc/io.debmonitor.security.cfg" crlFile "${CRL_FILE-$pki/crl.pem}"
set_cfg "$etc/io.debmonitor.security.cfg" trustedProxies 127.0.0.30
set_cfg "$etc/io.debmonitor.gc.schedule.cfg" scheduler.expression "${GC_SCHEDULE:-0 0/2 * * * ?}"
set_cfg "$etc/io.debmonitor.gc.schedule.cfg" watchdogSeconds 15
set_cfg "$etc/io.debmonitor.rest.cfg" drainSeconds 5
set_cfg "$etc/io.debmonitor.gc.cfg" batchSize 50
set_cfg "$etc/io.debmonitor.gc.cfg" leaseSeconds 30
set_cfg "$etc/users.properties" lab "${UI_PASSWORD:-lab},_g_:admingroup"
# bin/setenv makes a self-signed key pair only when this file is missing.
install -m 600 "$pki/server.p12" "$etc/debmonitor-server.p12"

echo "$name prepared in $node: https://$address:8443/ http://$address:8181/ ssh -p 8101 lab@$address; start: $node/bin/start"
# A process listening on all addresses takes connections to ADDRESS on that port: the node would
# then fail to bind it, and the lab's traffic would reach that other process.
if command -v ss > /dev/null; then
  for port in 8443 8181 8101 1099 44444; do
    if ss -Hltn "sport = :$port" | awk '{print $4}' | grep -Eq "^(0\.0\.0\.0|\*|\[::\]|\[::ffff:0\.0\.0\.0\]):$port$"; then
      echo "warning: a process listens on port $port of every address; $name cannot start until it stops" >&2
    fi
  done
fi
