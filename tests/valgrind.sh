#!/bin/sh
# make valgrind: the everyday commands under memcheck. Any error, or a
# definite leak, fails. tests/valgrind.supp holds only NSS's own one-time
# allocations, each explained there.
set -u
DSMCERT=${1:?usage: valgrind.sh BINARY}
top=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/dsmcert-vg.XXXXXX")
trap 'rm -rf "$T"' EXIT
export HOME="$T"
unset DSMCERT_DB DSMCERT_CONF DSM_DIR DSM_CONFIG PASSWORDDIR

openssl req -x509 -newkey rsa:2048 -nodes -days 30 -keyout "$T/s.key" \
    -out "$T/s.pem" -subj "/O=TSM/CN=TSM Self-Signed Certificate" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -keyout "$T/t.key" \
    -out "$T/t.pem" -subj "/O=TSM/CN=TSM Self-Signed Certificate" 2>/dev/null
cat "$T/s.pem" "$T/t.pem" >"$T/bundle.pem"
head -c 2000 /dev/urandom >"$T/junk"
printf 'SErvername S1\n  TCPServeraddress a.example\n  SSL YES\n' >"$T/dsm.sys"
printf 'SErvername S1\n' >"$T/dsm.opt"

pass=0
fail=0
vg() {
	want=$1
	shift
	valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
	    --suppressions="$top/tests/valgrind.supp" \
	    --log-file="$T/vg.log" "$DSMCERT" "$@" >/dev/null 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ] && [ ! -s "$T/vg.log" ]; then
		pass=$((pass + 1))
		echo "ok - $*"
	else
		fail=$((fail + 1))
		echo "not ok - $* (exit $rc, wanted $want)"
		sed 's/^/#   /' "$T/vg.log"
	fi
}

vg 0 -add -server S1 -file "$T/s.pem" -db "$T/db"
vg 0 -add -server S1 -file "$T/s.pem" -db "$T/db"
vg 5 -add -server S1 -file "$T/t.pem" -db "$T/db"
vg 0 -add -server B -file "$T/bundle.pem" -db "$T/db2"
vg 2 -add -server X -file "$T/junk" -db "$T/db"
vg 0 -list -db "$T/db"
vg 0 -list -json -db "$T/db"
vg 0 -export -label S1 -file "$T/out.pem" -db "$T/db"
vg 0 -delete -label S1 -db "$T/db"
vg 4 -delete -label S1 -db "$T/db"
vg 0 -where -json
vg 0 -query -optfile "$T/dsm.opt"
vg 0 -setopt -optfile "$T/dsm.opt" SSLACCEPTCERTFROMSERV NO
vg 1 -bogus
vg 0 -help
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
