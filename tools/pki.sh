#!/usr/bin/env bash
# A small development PKI for trying DebMonitor's mutual TLS (not for production keys).
#
#   tools/pki.sh DIR ca                  a CA: DIR/ca.pem (give it to the server as clientCaFile), DIR/ca.key
#   tools/pki.sh DIR server NAME         a server certificate for NAME, localhost and 127.0.0.1:
#                                        DIR/server.p12 (password "debmonitor"), DIR/server.pem, DIR/server.key
#   tools/pki.sh DIR client NAME [DAYS]  a client certificate with CN and DNS SAN NAME: DIR/NAME.pem, DIR/NAME.key
#                                        (PKCS#8), DIR/NAME.p12 (password "debmonitor"); DAYS < 0 makes it expired
#   tools/pki.sh DIR revoke NAME         revokes NAME's certificate and rewrites DIR/crl.pem (the server's crlFile)
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
dir=$1 cmd=$2
mkdir -p "$dir"
cd "$dir"
export OPENSSL_CONF=/dev/null
export SAN=DNS:unused   # openssl.cnf refers to it even when it signs nothing

config() {
  cat > openssl.cnf <<CNF
[ ca ]
default_ca = dev
[ dev ]
dir = .
database = index.txt
new_certs_dir = issued
serial = serial
crlnumber = crlnumber
default_md = sha256
default_crl_days = 3650
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = supplied
[ client ]
basicConstraints = CA:false
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectAltName = \$ENV::SAN
[ server ]
basicConstraints = CA:false
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = \$ENV::SAN
CNF
}

# sign FILE CN PROFILE SAN START END
sign() {
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key.tmp" -subj "/CN=$2" -out "$1.csr" 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -in "$1.key.tmp" -out "$1.key" && rm -f "$1.key.tmp"
  SAN=$4 openssl ca -batch -config openssl.cnf -extensions "$3" -cert ca.pem -keyfile ca.key \
    -startdate "$5" -enddate "$6" -in "$1.csr" -out "$1.pem" 2>/dev/null
  openssl x509 -in "$1.pem" -out "$1.pem"
  rm -f "$1.csr"
}

stamp() { date -u -d "$1" +%Y%m%d%H%M%SZ; }

case "$cmd" in
  ca)
    config
    mkdir -p issued && : > index.txt && echo 1000 > serial && echo 1000 > crlnumber
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 3650 \
      -subj "/CN=DebMonitor development CA" -addext basicConstraints=critical,CA:true \
      -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    openssl ca -batch -config openssl.cnf -gencrl -cert ca.pem -keyfile ca.key -out crl.pem 2>/dev/null
    echo "$dir/ca.pem" ;;
  server)
    name=${3:?server NAME}
    sign server "$name" server "DNS:$name,DNS:localhost,IP:127.0.0.1" "$(stamp '-1 hour')" "$(stamp '+825 days')"
    openssl pkcs12 -export -in server.pem -inkey server.key -name debmonitor -passout pass:debmonitor -out server.p12
    echo "$dir/server.p12" ;;
  client)
    name=${3:?client NAME}; days=${4:-365}
    if [ "$days" -lt 0 ]; then start=$(stamp "$((days - 30)) days"); end=$(stamp "$days days")
    else start=$(stamp '-1 hour'); end=$(stamp "+$days days"); fi
    sign "$name" "$name" client "DNS:$name" "$start" "$end"
    openssl pkcs12 -export -in "$name.pem" -inkey "$name.key" -name "$name" -passout pass:debmonitor -out "$name.p12"
    echo "$dir/$name.pem" ;;
  revoke)
    name=${3:?revoke NAME}
    openssl ca -batch -config openssl.cnf -cert ca.pem -keyfile ca.key -revoke "$name.pem" 2>/dev/null
    openssl ca -batch -config openssl.cnf -gencrl -cert ca.pem -keyfile ca.key -out crl.pem 2>/dev/null
    echo "$dir/crl.pem" ;;
  *) echo "unknown command '$cmd' (ca, server, client, revoke)" >&2; exit 2 ;;
esac
