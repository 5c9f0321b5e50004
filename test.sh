#!/usr/bin/env bash
# The whole test suite: unit and integration tests (Maven; the integration tests boot the
# assembled distribution on H2 and on MariaDB), then, as root, the Debian packages and the
# end-to-end tests of the host client's apt hooks and of the server package, and the scale-out
# lab's smoke test (two Karaf nodes on a three-node Galera cluster, one node killed under load).
set -euo pipefail
cd "$(dirname "$0")"
mvn -B clean install
if [ "$(id -u)" != 0 ]; then
  echo "NOTE: the package end-to-end tests install packages and need root: run 'sudo ./test.sh' for them." >&2
  exit 0
fi
dpkg-buildpackage -b -us -uc
bash tests/e2e/apt-hook.sh
bash tests/e2e/server-deb.sh
bash tests/e2e/image-reporter-deb.sh
bash lab/faults.sh --smoke
