# Sourced by the bench scripts: unpacks a distribution archive into $SRV, points it at a fresh
# MariaDB database $DB, starts it and waits until it answers; stops it on exit unless KEEP=1.
# Needs ARCHIVE, SRV and DB set; defines q (the mysql client on that server).
q() { mysql -uroot -h127.0.0.1 -N "$@"; }
rm -rf "$SRV"; mkdir -p "$SRV"; tar xzf "$ARCHIVE" -C "$SRV" --strip-components=1
q -e "drop database if exists $DB; create database $DB character set utf8mb4 collate utf8mb4_bin; set global innodb_buffer_pool_size = 4294967296"
cat > "$SRV/etc/org.ops4j.datasource-debmonitor.cfg" <<CFG
osgi.jdbc.driver.name = mariadb
url = jdbc:mariadb://127.0.0.1:3306/$DB?useLocalSessionState=true
user = root
password =
dataSourceName = debmonitor
pool = dbcp2
xa = false
pool.maxTotal = 16
CFG
# A shell user for the scripts that run debmonitor commands.
echo "bench = Bench-Pw-1,_g_:admingroup" >> "$SRV/etc/users.properties"
"$SRV/bin/start"
# KEEP=1 leaves the server running (e.g. for bench/export-memory.sh).
[ "${KEEP:-0}" = 1 ] || trap '"$SRV/bin/stop" || true' EXIT
until [ "$(curl -sk -o /dev/null -w '%{http_code}' https://localhost:8443/healthz)" = 200 ]; do sleep 2; done
