#!/usr/bin/env bash
# End-to-end test of the image reporter package (issue #10): the debmonitor-image-reporter .deb
# installs, its command starts from the installed jar and libraries, turns a kubectl pod list into
# the kubernetes snapshot it would post (--dry-run), and refuses a bad option with exit 2 and one
# line. The registry walk itself is tested by itests' ImageReporterIT. Needs root and the .deb from
# `dpkg-buildpackage -b`; purges the package again at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "E2E FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }
[ "$(id -u)" = 0 ] || fail "must run as root (it installs a package)"
deb=$(ls -t "$root"/../debmonitor-image-reporter_*_all.deb 2>/dev/null | head -1)
[ -f "$deb" ] || fail "no debmonitor-image-reporter .deb next to the repository: run dpkg-buildpackage -b -us -uc first"
dpkg -s debmonitor-image-reporter >/dev/null 2>&1 && fail "debmonitor-image-reporter is already installed here"
work=$(mktemp -d)
cleanup() {
  set +e
  rm -rf "$work"
  dpkg -s debmonitor-image-reporter >/dev/null 2>&1 && apt-get purge -y -q debmonitor-image-reporter >/dev/null 2>&1
}
trap cleanup EXIT

step "Install $(basename "$deb")"
apt-get install -y -q "$deb" >/dev/null
command -v debmonitor-image-reporter >/dev/null || fail "no debmonitor-image-reporter on the PATH"

step "--help"
debmonitor-image-reporter --help > "$work/help" 2>&1 || fail "--help exited non-zero: $(cat "$work/help")"
grep -q 'kubernetes' "$work/help" || fail "--help does not mention the kubernetes command"

step "kubernetes --dry-run from a kubectl pod list"
cat > "$work/pods.json" <<'JSON'
{"items": [
 {"metadata": {"namespace": "web", "name": "web-1"},
  "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
  "status": {"phase": "Running", "containerStatuses": [{"name": "nginx", "imageID": "docker.io/library/nginx@sha256:0000000000000000000000000000000000000000000000000000000000000001"}]}},
 {"metadata": {"namespace": "web", "name": "web-2"},
  "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
  "status": {"phase": "Running", "containerStatuses": [{"name": "nginx", "imageID": "docker.io/library/nginx@sha256:0000000000000000000000000000000000000000000000000000000000000001"}]}},
 {"metadata": {"namespace": "jobs", "name": "done"},
  "spec": {"containers": [{"name": "x", "image": "busybox"}]},
  "status": {"phase": "Succeeded"}}
]}
JSON
out=$(debmonitor-image-reporter --dry-run kubernetes --cluster e2e "$work/pods.json" 2>"$work/err") \
  || fail "kubernetes --dry-run failed: $(cat "$work/err")"
echo "$out" | python3 -c '
import json, sys
snapshot = json.load(sys.stdin)
want = {"cluster": "e2e", "images": {"docker.io/library/nginx:1.25@sha256:" + "0" * 63 + "1": {"web": 2}}}
sys.exit(0 if snapshot == want else "unexpected snapshot: %s" % snapshot)' || fail "the dry-run snapshot is not the expected one: $out"

step "A bad option: exit 2 and one line"
set +e
debmonitor-image-reporter --no-such-option registry > "$work/out" 2> "$work/err"
status=$?
set -e
[ "$status" = 2 ] || fail "a bad option exited $status, not 2"
[ "$(wc -l < "$work/err")" = 1 ] || fail "a bad option printed more than one line: $(cat "$work/err")"

step "Purge"
apt-get purge -y -q debmonitor-image-reporter >/dev/null
[ ! -e /usr/share/debmonitor-image-reporter ] || fail "/usr/share/debmonitor-image-reporter is left after purge"
echo "E2E OK: debmonitor-image-reporter package"
