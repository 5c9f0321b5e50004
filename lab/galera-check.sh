#!/bin/sh
# HAProxy external check of a Galera node (lab/haproxy-db.cfg): healthy only while the node is
# Synced (wsrep_local_state 4). A node outside the primary component still accepts connections
# and answers every query with error 1047, so a plain TCP or mysql-check would keep it in.
# HAProxy passes: <proxy address> <proxy port> <server address> <server port>. The database user
# 'haproxy'@'127.%' needs no password and no grant (lab/galera-lab.sh bootstrap creates it).
state=$(mariadb -h "$3" -P "$4" -u haproxy --connect-timeout=2 -N -B \
  -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE'" 2> /dev/null)
[ "$state" = 4 ]
