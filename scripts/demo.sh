#!/bin/sh
# make demo: a worked example under ./demo/, never /etc. Generates a
# server certificate as a backup server would, imports it the vendor
# way, and shows the result.
set -eu
DSMCERT=${1:-bin/dsmcert}
top=$(cd "$(dirname "$0")/.." && pwd)
demo="${DEMO_DIR:-$top/demo}"

rm -rf "$demo"
mkdir -p "$demo/server"
export DSMCERT_DB="$demo/keydb"
unset DSMCERT_CONF DSM_DIR DSM_CONFIG PASSWORDDIR

say() { printf '\n$ %s\n' "$*"; }
run() { say "dsmcert $*"; "$DSMCERT" "$@"; }

printf '== A backup server issues its self-signed certificate (cert256.arm)\n'
openssl req -x509 -newkey rsa:2048 -nodes -days 365 \
    -keyout "$demo/server/cert256.key" -out "$demo/server/cert256.arm" \
    -subj "/C=US/O=TSM/OU=TSM Network/CN=TSM Self-Signed Certificate" \
    -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null
echo "wrote $demo/server/cert256.arm"

printf '\n== The node imports it, with the vendor command line\n'
run -add -server SERVER1 -file "$demo/server/cert256.arm"
printf '\n== Running it again changes nothing\n'
run -add -server SERVER1 -file "$demo/server/cert256.arm"
printf '\n== What the key database holds, and where it is\n'
run -list
run -where
printf '\n== certutil sees the same\n'
say "certutil -L -d sql:$DSMCERT_DB"
certutil -L -d "sql:$DSMCERT_DB"
