#!/usr/bin/env bash
# Benchmark of debmonitor-image-reporter (io.debmonitor.itests.ImageRegistryBench in itests' test classes):
# builds N images from a seed (a shared 20 MiB Debian 12 base layer with ~300 packages, and per image a
# layer of its own with a few dozen changed or added packages and --layer-mib MiB of incompressible
# filler; every 15th image is an amd64 + arm64 index), pushes them with skopeo to a docker-registry it
# starts on loopback (TLS, its own CA), then runs the reporter's jar twice against it and a running
# DebMonitor. It prints and writes as JSON (--out, default bench/results/images-<timestamp>.json): the first
# walk's images/s and MiB of layers read/s, and the time and counts of the second walk (0 reported).
# Rates are per wall second of the reporter's process, JVM start included. Exit status: 0 as expected,
# 1 when a walk failed or its counts are off, 2 for bad options. Options: bench/images.sh --help.
# Needs skopeo and docker-registry (Debian packages), and the reporter built:
#   mvn -o -q -pl image-reporter package -DskipTests
# Each run stores N new images on the server (their names start with a new --registry-name each run).
#
# A server to measure (as bench/README.md, "Preparing the server"), from this repository's distribution:
#   srv=/tmp/debmonitor-bench pki=$PWD/bench/target/image-pki
#   mkdir -p $srv && tar xzf karaf-assembly/target/debmonitor-karaf-assembly-0.1.0-SNAPSHOT.tar.gz -C $srv --strip-components=1
#   tools/pki.sh $pki ca                                   # the client CA: clientCaFile
#   tools/pki.sh $pki server localhost                     # a server keystore the reporter's --ca verifies
#   tools/pki.sh $pki client image-bench.example.org       # the uploader's certificate and key
#   cp $pki/server.p12 $srv/etc/debmonitor-server.p12      # password "debmonitor", the default
#   sed -i -e "s#^clientCaFile =.*#clientCaFile = $pki/ca.pem#" \
#          -e "s#^imageUploaders =.*#imageUploaders = image-bench.example.org#" $srv/etc/io.debmonitor.security.cfg
#   $srv/bin/start                                         # H2; for MariaDB see README.md; stop: $srv/bin/stop
# (or ./run.sh, with target/server as $srv: its keystore and security config take the same changes). Then:
#   bench/images.sh --images 60 --server https://localhost:8443 --cert $pki/image-bench.example.org.pem \
#     --key $pki/image-bench.example.org.key --ca $pki/ca.pem --concurrency 4 --layer-mib 8
# `bench/images.sh --build-only` builds and pushes the images only (no server needed).
set -euo pipefail
cd "$(dirname "$0")/.."
classpath=itests/target/image-bench.classpath
flock /tmp/mvn.lock mvn -B -o -q -pl itests test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/$classpath"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
exec java ${BENCH_JAVA_OPTS:-} -cp "itests/target/test-classes:$(cat "$classpath")" io.debmonitor.itests.ImageRegistryBench "$@"
