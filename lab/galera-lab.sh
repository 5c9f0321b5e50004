#!/usr/bin/env bash
# The scale-out lab's processes on loopback (docs/scale-out.md): a three-node MariaDB Galera
# cluster (node N on 127.0.0.1N: SQL 3306, gcomm 4567, IST 4568, SST 4444) and the HAProxy
# instances of lab/haproxy-db.cfg and lab/haproxy-edge.cfg. Run as root. State lives in $LAB
# (default /var/tmp/debmonitor-lab), which must stay traversable by everyone: mariadbd runs as mysql.
# Debian 12 packages: mariadb-server galera-4 rsync socat iptables haproxy.
#
#   lab/galera-lab.sh init              my.cnf and data folders of nodes 1-3; system tables on node 1 only
#   lab/galera-lab.sh bootstrap         starts node 1 as a new cluster (first start, or after a clean stop
#                                       of all three, node 1 last); creates the debmonitor database and users
#   lab/galera-lab.sh start N           starts node N from its recovered position, waits until it is Synced
#   lab/galera-lab.sh start-all         starts nodes 1-3 that way (after all three crashed)
#   lab/galera-lab.sh stop N            stops node N cleanly and waits until it has exited
#   lab/galera-lab.sh kill9 N           kills node N with SIGKILL
#   lab/galera-lab.sh isolate N 1|0     cuts node N off the cluster (gmcast.isolate), or lets it back in
#   lab/galera-lab.sh partition N       drops node N's gcomm, IST and SST traffic with iptables (SQL still connects)
#   lab/galera-lab.sh heal N            removes node N's partition rules
#   lab/galera-lab.sh status            each node's state, cluster status, size and state UUID
#   lab/galera-lab.sh sql N ARGS...     the mariadb client on node N's socket, as root
#   lab/galera-lab.sh haproxy db|edge   checks and starts HAProxy with lab/haproxy-db.cfg or lab/haproxy-edge.cfg
#   lab/galera-lab.sh haproxy-stop db|edge
#   lab/galera-lab.sh cleanup           stops every lab process by its pid file (Karaf nodes too), removes
#                                       every partition rule, then deletes $LAB
#
# DB_PASSWORD (default debmonitor) is the password bootstrap gives the database user debmonitor.
set -euo pipefail
lab=${LAB:-/var/tmp/debmonitor-lab}
here=$(cd "$(dirname "$0")" && pwd)
galera=$lab/galera
db_password=${DB_PASSWORD:-debmonitor}
peers=127.0.0.11:4567,127.0.0.12:4567,127.0.0.13:4567
# Marks a folder this script (or lab/karaf-node.sh) created, so cleanup never deletes anything else.
marker=.debmonitor-lab

usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
address() { echo "127.0.0.1$1"; }
node() { case "${1:-}" in 1|2|3) ;; *) echo "node must be 1, 2 or 3, not '${1:-}'" >&2; exit 2 ;; esac; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# alive PIDFILE COMM: prints the pid when the file names a running process called COMM whose
# command line mentions $LAB (every lab process's does), so a reused pid is never taken for ours.
alive() {
  local pid
  [ -f "$1" ] || return 1
  pid=$(tr -dc 0-9 < "$1")
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2> /dev/null)" = "$2" ] \
    && tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null | grep -qF -- "$lab/" && echo "$pid"
}

# terminate PID NAME SECONDS: SIGTERM, then SIGKILL if it still runs after SECONDS.
terminate() {
  local i
  kill "$1" 2> /dev/null || true
  for ((i = 0; i < $3 * 10; i++)); do
    [ -d "/proc/$1" ] || return 0
    sleep 0.1
  done
  echo "$2 $1 still runs after $3 s: SIGKILL" >&2
  kill -9 "$1" 2> /dev/null || true
}

# stop_pid PIDFILE COMM SECONDS: terminates the process the file names, if it runs.
stop_pid() {
  local pid
  if pid=$(alive "$1" "$2"); then terminate "$pid" "$2" "$3"; fi
}

cnf() {
  local n=$1 ip d provider
  ip=$(address "$n"); d=$galera/node$n
  provider=$(dpkg -L galera-4 | grep '/galera/libgalera_smm\.so$')
  mkdir -p "$d/data" "$d/tmp"
  cat > "$d/my.cnf" <<CNF
[mysqld]
user=mysql
datadir=$d/data
tmpdir=$d/tmp
socket=$d/mysqld.sock
pid-file=$d/mysqld.pid
log-error=$d/error.log
bind-address=$ip
port=3306
skip-name-resolve
character-set-server=utf8mb4
innodb_buffer_pool_size=128M
innodb_flush_log_at_trx_commit=1
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=$provider
wsrep_cluster_name=debmonitor-lab
wsrep_cluster_address=gcomm://$peers
wsrep_node_name=node$n
wsrep_node_address=$ip
wsrep_provider_options="gmcast.listen_addr=tcp://$ip:4567;ist.recv_addr=$ip:4568;gcache.size=128M"
wsrep_sst_method=rsync
wsrep_sst_receive_address=$ip:4444
wsrep_mode=REQUIRED_PRIMARY_KEY,STRICT_REPLICATION
wsrep_slave_threads=2
CNF
  chown -R mysql:mysql "$d"
}

sql() { local n=$1; shift; mariadb -S "$galera/node$n/mysqld.sock" -uroot -N -B "$@"; }
state() { sql "$1" -e "SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2; }

launch() {
  local n=$1; shift
  setsid mariadbd --defaults-file="$galera/node$n/my.cnf" "$@" < /dev/null > /dev/null 2>&1 &
  # mariadbd writes its own pid file only once it is up; cleanup must find it before that too.
  echo $! > "$galera/node$n/launch.pid"
}

wait_synced() {
  local n=$1 pid i
  pid=$(alive "$galera/node$n/launch.pid" mariadbd) || true
  for ((i = 0; i < 1800; i++)); do
    [ "$(state "$n")" = Synced ] && return 0
    if [ -n "$pid" ] && [ ! -d "/proc/$pid" ]; then
      echo "node$n exited while starting; see $galera/node$n/error.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "node$n is not Synced after 180 s; see $galera/node$n/error.log" >&2
  return 1
}

# What Debian's galera_recovery does before a start: without the recovered position, a node
# restarted after a crash of the whole cluster reports a zero state UUID and later SSTs fail.
recovered_position() {
  local n=$1 log
  log=$galera/node$n/recover.log
  rm -f "$log"
  mariadbd --defaults-file="$galera/node$n/my.cnf" --wsrep-recover --log-error="$log" > /dev/null 2>&1 || true
  grep -o 'Recovered position: [^ ]*' "$log" 2>/dev/null | tail -n1 | awk '{print $3}'
}

start() {
  local n=$1 position=""
  not_running "$n"
  if [ -f "$galera/node$n/data/grastate.dat" ]; then position=$(recovered_position "$n"); fi
  if [ -n "$position" ]; then launch "$n" --wsrep_start_position="$position"; else launch "$n"; fi
}

mariadbd_pid() {
  alive "$galera/node$1/mysqld.pid" mariadbd || alive "$galera/node$1/launch.pid" mariadbd \
    || { echo "node$1 is not running" >&2; return 1; }
}

not_running() {
  if mariadbd_pid "$1" > /dev/null 2>&1; then echo "node$1 is already running" >&2; exit 1; fi
}

rule() { # rule -I|-C|-D -s|-d N: one of node N's two partition rules (both carry one comment)
  local ip; ip=$(address "$3")
  iptables "$1" INPUT -p tcp "$2" "$ip" -m multiport --ports 4567,4568,4444 -m comment --comment "debmonitor-lab-node$3" -j DROP
}

haproxy_cfg() {
  case "${1:-}" in db|edge) ;; *) echo "haproxy: db or edge, not '${1:-}'" >&2; exit 2 ;; esac
  echo "$here/haproxy-$1.cfg"
}

cleanup() {
  local f rule
  for f in "$lab"/*/karaf.pid; do stop_pid "$f" java 60; done
  for f in "$lab"/haproxy-*.pid; do stop_pid "$f" haproxy 10; done
  for f in "$galera"/node*/mysqld.pid "$galera"/node*/launch.pid; do stop_pid "$f" mariadbd 60; done
  # An SST interrupted by a kill leaves its rsync daemon behind.
  for f in "$galera"/node*/data/rsync_sst.pid; do stop_pid "$f" rsync 10; done
  if command -v iptables > /dev/null; then
    { iptables -S INPUT | grep -- '--comment debmonitor-lab-node' || true; } | sed 's/^-A /-D /' | while read -r rule; do
      # shellcheck disable=SC2086 # the rule's words, none of which holds a space
      iptables $rule
    done
  fi
  if [ -f "$lab/$marker" ]; then
    rm -rf "$lab"
  elif [ -e "$lab" ]; then
    echo "$lab has no $marker file: not deleting it" >&2
  fi
}

case "${1:-}" in
  init)
    if [ -e "$lab" ] && [ ! -f "$lab/$marker" ]; then echo "$lab exists and is not a lab folder ($marker)" >&2; exit 1; fi
    if [ -e "$galera" ]; then echo "$galera exists; run '$0 cleanup' first" >&2; exit 1; fi
    mkdir -p "$lab"; chmod 755 "$lab"; touch "$lab/$marker"
    for n in 1 2 3; do cnf "$n"; done
    mariadb-install-db --defaults-file="$galera/node1/my.cnf" > "$galera/node1/install.log" 2>&1 ;;
  bootstrap)
    not_running 1; t=$(now)
    launch 1 --wsrep-new-cluster
    wait_synced 1
    # DDL and users replicate (TOI), so nodes 2 and 3 get them too.
    sql 1 -e "CREATE DATABASE IF NOT EXISTS debmonitor CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
      CREATE USER IF NOT EXISTS 'debmonitor'@'127.%' IDENTIFIED BY '$db_password';
      GRANT ALL ON debmonitor.* TO 'debmonitor'@'127.%';
      CREATE USER IF NOT EXISTS 'haproxy'@'127.%';"
    echo "node1 bootstrapped, Synced after $(since "$t")" ;;
  start)
    node "${2:-}"; t=$(now)
    start "$2"; wait_synced "$2"
    echo "node$2 Synced after $(since "$t")" ;;
  start-all)
    t=$(now)
    for n in 1 2 3; do start "$n"; done
    for n in 1 2 3; do wait_synced "$n"; done
    echo "nodes 1-3 Synced after $(since "$t")" ;;
  stop)
    node "${2:-}"; pid=$(mariadbd_pid "$2")
    terminate "$pid" mariadbd 120 ;;
  kill9)
    node "${2:-}"; pid=$(mariadbd_pid "$2")
    kill -9 "$pid"
    while [ -d "/proc/$pid" ]; do sleep 0.05; done ;;
  isolate)
    node "${2:-}"
    case "${3:-}" in 0|1) ;; *) usage ;; esac
    sql "$2" -e "SET GLOBAL wsrep_provider_options='gmcast.isolate=$3'" ;;
  partition)
    node "${2:-}"
    for way in -s -d; do rule -C "$way" "$2" 2> /dev/null || rule -I "$way" "$2"; done ;;
  heal)
    node "${2:-}"
    for way in -s -d; do while rule -C "$way" "$2" 2> /dev/null; do rule -D "$way" "$2"; done; done ;;
  status)
    for n in 1 2 3; do
      printf 'node%s ' "$n"
      sql "$n" -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment','wsrep_cluster_status',
          'wsrep_cluster_size','wsrep_cluster_state_uuid')" 2> /dev/null | tr '\n\t' ' =' || printf down
      echo
    done ;;
  sql)
    node "${2:-}"; n=$2; shift 2
    sql "$n" "$@" ;;
  haproxy)
    cfg=$(haproxy_cfg "${2:-}")
    if alive "$lab/haproxy-$2.pid" haproxy > /dev/null; then echo "haproxy $2 is already running" >&2; exit 1; fi
    export LAB=$lab LAB_BIN=$here
    haproxy -c -q -f "$cfg"
    haproxy -D -p "$lab/haproxy-$2.pid" -f "$cfg" ;;
  haproxy-stop)
    haproxy_cfg "${2:-}" > /dev/null
    stop_pid "$lab/haproxy-$2.pid" haproxy 10 ;;
  cleanup) cleanup ;;
  *) usage ;;
esac
