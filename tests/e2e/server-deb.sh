#!/usr/bin/env bash
# End-to-end test of the server package (issue #4): the debmonitor-server .deb installs, its
# systemd unit passes `systemd-analyze verify`, and the installed server starts from the unit's
# own command line and environment (systemd may not be PID 1 here) and answers on both ports.
# Needs root and the .deb from `dpkg-buildpackage -b`; purges the package again at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "E2E FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }
[ "$(id -u)" = 0 ] || fail "must run as root (it installs a package)"
server_deb=$(ls -t "$root"/../debmonitor-server_*_all.deb 2>/dev/null | head -1)
[ -f "$server_deb" ] || fail "no debmonitor-server .deb next to the repository: run dpkg-buildpackage -b -us -uc first"
dpkg -s debmonitor-server >/dev/null 2>&1 && fail "debmonitor-server is already installed here"
unit=/lib/systemd/system/debmonitor-server.service
pid=

cleanup() {
  set +e
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  dpkg -s debmonitor-server >/dev/null 2>&1 && apt-get purge -y -q debmonitor-server >/dev/null 2>&1
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

step "Install $(basename "$server_deb")"
apt-get install -y -q "$server_deb" >/dev/null
[ -f "$unit" ] || unit=/usr/lib/systemd/system/debmonitor-server.service
[ -f "$unit" ] || fail "the package installs no debmonitor-server.service"

step "systemd-analyze verify"
out=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify printed: $out"

step "Start the server from the unit's ExecStart, as its user, with its environment"
http_port=$(free_port); https_port=$(free_port)
sed -i "s/^org.osgi.service.http.port = .*/org.osgi.service.http.port = $http_port/" /etc/debmonitor/org.ops4j.pax.web.cfg
sed -i "s/^debmonitor.https.port = .*/debmonitor.https.port = $https_port/" /etc/debmonitor/system.properties
sed -i "s/^sshPort *= *.*/sshPort = $(free_port)/" /etc/debmonitor/org.apache.karaf.shell.cfg
sed -i "s/^rmiRegistryPort *= *.*/rmiRegistryPort = $(free_port)/; s/^rmiServerPort *= *.*/rmiServerPort = $(free_port)/" \
  /etc/debmonitor/org.apache.karaf.management.cfg
user=$(sed -n 's/^User=//p' "$unit")
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
workdir=$(sed -n 's/^WorkingDirectory=//p' "$unit")
mapfile -t environment < <(sed -n 's/^Environment=//p' "$unit")
(cd "$workdir" && exec setpriv --reuid="$user" --regid="$user" --init-groups env "${environment[@]}" $exec_start \
   > /tmp/debmonitor-server-e2e.out 2>&1) &
pid=$!
status=""
for _ in $(seq 1 120); do
  status=$(curl -sk -o /dev/null -w '%{http_code}' "https://localhost:$https_port/auth-check" || true)
  [ "$status" = 403 ] && break
  sleep 1
done
[ "$status" = 403 ] || fail "the installed server did not answer on HTTPS (last status '$status')"
body=$(curl -s -X DELETE "http://localhost:$http_port/hosts/x")
case "$body" in
  '{"error":"Client certificate validation failed'*) ;;
  *) fail "unexpected answer on HTTP: $body" ;;
esac
[ -f /etc/debmonitor/debmonitor-server.p12 ] || fail "no server keystore in /etc/debmonitor"
ls /var/log/debmonitor/karaf.log >/dev/null || fail "no log in /var/log/debmonitor"
echo "   HTTPS $https_port: 403 JSON without a certificate; HTTP $http_port: $body"
echo "E2E PASS"
