#!/usr/bin/env bash
# End-to-end test of the host side (issue #4): install the debmonitor-client .deb, point it at a
# real server from this repository over mutual TLS, and check that `apt-get install` and
# `apt-get remove` of a small real package change the host's stored state through the dpkg hook
# alone. Then stop the server and check apt still succeeds, measuring what the hook adds.
# Needs root, the .debs from `dpkg-buildpackage -b` (../ of the repository) and the server tarball
# from `mvn install`; leaves the machine as it found it (client purged, hooks gone).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pkg=${E2E_PACKAGE:-hello}
host=e2e-host.example.org
db=debmonitor_e2e
work=$(mktemp -d /tmp/debmonitor-e2e.XXXXXX)
server=$work/server

fail() { echo "E2E FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }
[ "$(id -u)" = 0 ] || fail "must run as root (it installs packages)"
client_deb=$(ls -t "$root"/../debmonitor-client_*_all.deb 2>/dev/null | head -1)
tarball=$root/karaf-assembly/target/debmonitor-karaf-assembly-0.1.0-SNAPSHOT.tar.gz
[ -f "$client_deb" ] || fail "no debmonitor-client .deb next to the repository: run dpkg-buildpackage -b -us -uc first"
[ -f "$tarball" ] || fail "no server tarball: run mvn install first"
dpkg -s "$pkg" >/dev/null 2>&1 && fail "$pkg is already installed; the test needs a package it can add and remove"

cleanup() {
  set +e
  [ -f "$server/bin/stop" ] && "$server/bin/stop" >/dev/null 2>&1
  pkill -f "$server" >/dev/null 2>&1
  dpkg -s debmonitor-client >/dev/null 2>&1 && apt-get purge -y -q debmonitor-client >/dev/null 2>&1
  dpkg -s "$pkg" >/dev/null 2>&1 && apt-get remove -y -q "$pkg" >/dev/null 2>&1
  rm -f /etc/debmonitor.conf
  mariadb -h 127.0.0.1 -uroot -e "drop database if exists $db" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rows() {
  mariadb -h 127.0.0.1 -uroot -N -e "select concat(p.name, '=', v.version) from $db.host_package r
    join $db.host h on h.id = r.host_id join $db.package p on p.id = r.package_id
    join $db.package_version v on v.id = r.installed_version_id where h.name = '$host' and p.name = '$pkg'"
}
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }

step "PKI (tools/pki.sh): a CA, the server's certificate for localhost, the host's certificate"
"$root/tools/pki.sh" "$work/pki" ca >/dev/null
"$root/tools/pki.sh" "$work/pki" server localhost >/dev/null
"$root/tools/pki.sh" "$work/pki" client "$host" >/dev/null

step "Server from this repository, on MariaDB database $db"
mariadb -h 127.0.0.1 -uroot -e "drop database if exists $db; create database $db character set utf8mb4 collate utf8mb4_bin;
  create user if not exists 'debmonitor_e2e'@'127.0.0.1' identified by 'e2e'; grant all on $db.* to 'debmonitor_e2e'@'127.0.0.1'"
mkdir -p "$server"
tar xzf "$tarball" -C "$server" --strip-components=1
http_port=$(free_port); https_port=$(free_port)
sed -i "s/^org.osgi.service.http.port = .*/org.osgi.service.http.port = $http_port/" "$server/etc/org.ops4j.pax.web.cfg"
sed -i "s/^debmonitor.https.port = .*/debmonitor.https.port = $https_port/" "$server/etc/system.properties"
sed -i "s/^sshPort *= *.*/sshPort = $(free_port)/" "$server/etc/org.apache.karaf.shell.cfg"
sed -i "s/^rmiRegistryPort *= *.*/rmiRegistryPort = $(free_port)/; s/^rmiServerPort *= *.*/rmiServerPort = $(free_port)/" "$server/etc/org.apache.karaf.management.cfg"
cp "$work/pki/server.p12" "$server/etc/debmonitor-server.p12"
sed -i "s#^clientCaFile =.*#clientCaFile = $work/pki/ca.pem#" "$server/etc/io.debmonitor.security.cfg"
cat > "$server/etc/org.ops4j.datasource-debmonitor.cfg" <<CFG
osgi.jdbc.driver.name = mariadb
url = jdbc:mariadb://127.0.0.1:3306/$db?useLocalSessionState=true
user = debmonitor_e2e
password = e2e
dataSourceName = debmonitor
pool = dbcp2
xa = false
CFG
"$server/bin/start"
for _ in $(seq 1 120); do
  [ "$(curl -sk -o /dev/null -w '%{http_code}' "https://localhost:$https_port/auth-check")" = 403 ] && break
  sleep 1
done
[ "$(curl -sk -o /dev/null -w '%{http_code}' --cert "$work/pki/$host.pem" --key "$work/pki/$host.key" \
      "https://localhost:$https_port/auth-check")" = 200 ] || fail "server did not come up on $https_port"

step "Install $(basename "$client_deb") and configure it for the server"
apt-get install -y -q "$client_deb" >/dev/null
mkdir -p /etc/debmonitor-e2e
install -m 0644 "$work/pki/$host.pem" "$work/pki/ca.pem" /etc/debmonitor-e2e/
install -m 0640 -g debmonitor "$work/pki/$host.key" /etc/debmonitor-e2e/
cat > /etc/debmonitor.conf <<CONF
[DEFAULT]
server = localhost
port = $https_port
cert = /etc/debmonitor-e2e/$host.pem
key = /etc/debmonitor-e2e/$host.key
ca = /etc/debmonitor-e2e/ca.pem
hostname = $host
CONF
trap 'rm -rf /etc/debmonitor-e2e; cleanup' EXIT

step "apt-get install $pkg: the dpkg hook reports it"
apt-get install -y -q "$pkg" >/dev/null
installed=$(rows)
[ -n "$installed" ] || fail "after apt-get install $pkg the server has no row for it"
echo "   stored: $installed"

step "apt-get remove $pkg: the dpkg hook reports the removal"
apt-get remove -y -q "$pkg" >/dev/null
[ -z "$(rows)" ] || fail "after apt-get remove $pkg the server still has $(rows)"
echo "   stored: (no row)"

step "Server stopped: apt still succeeds; the hook adds at most its deadline"
"$server/bin/stop"
for _ in $(seq 1 60); do curl -sk -o /dev/null "https://localhost:$https_port/" || break; sleep 1; done
start=$(now); apt-get install -y -q "$pkg" >/dev/null || fail "apt-get install failed with the server down"
with_hook_install=$(elapsed "$start")
start=$(now); apt-get remove -y -q "$pkg" >/dev/null || fail "apt-get remove failed with the server down"
with_hook_remove=$(elapsed "$start")

step "Purge the client: hooks gone"
apt-get purge -y -q debmonitor-client >/dev/null
grep -rqs debmonitor /etc/apt/apt.conf.d/ && fail "an apt snippet of debmonitor is still in /etc/apt/apt.conf.d"
start=$(now); apt-get install -y -q "$pkg" >/dev/null; without_hook_install=$(elapsed "$start")
start=$(now); apt-get remove -y -q "$pkg" >/dev/null; without_hook_remove=$(elapsed "$start")
printf 'apt-get install %s: %.2f s with the hook (server down), %.2f s without\n' "$pkg" "$with_hook_install" "$without_hook_install"
printf 'apt-get remove %s:  %.2f s with the hook (server down), %.2f s without\n' "$pkg" "$with_hook_remove" "$without_hook_remove"
overhead=$(echo "$with_hook_install - $without_hook_install" | bc)
[ "$(echo "$overhead < 15" | bc)" = 1 ] || fail "the hook added ${overhead}s, more than hook_timeout + 5 s"
echo "E2E PASS"
