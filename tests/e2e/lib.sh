# Helpers for end-to-end tests; sourced by one.sh inside the test's own
# temporary directory ($T). Each assertion prints "ok" or "not ok" + why.

E2E_N=0

e2e_finish() { :; }

ok() { E2E_N=$((E2E_N + 1)); echo "ok $E2E_N - $*"; }
nok() { E2E_N=$((E2E_N + 1)); echo "not ok $E2E_N - $*"; }

# run CMD...: run, keeping stdout in $T/out, stderr in $T/err, code in $RC.
run() {
	"$@" >"$T/out" 2>"$T/err"
	RC=$?
}

# dsm ARGS...: run the binary under test.
dsm() { run "$DSMCERT" "$@"; }

# expect CODE DESC: the last run exited CODE.
expect() {
	if [ "$RC" -eq "$1" ]; then
		ok "$2"
	else
		nok "$2: exit $RC, wanted $1"
		sed 's/^/#   out: /' "$T/out"
		sed 's/^/#   err: /' "$T/err"
	fi
}

# assert DESC CMD...: CMD succeeds.
assert() {
	d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}

# out_has / err_has PATTERN DESC: grep -E on the last run's output.
out_has() {
	if grep -Eq -- "$1" "$T/out"; then ok "$2"; else
		nok "$2: stdout lacks /$1/"; sed 's/^/#   out: /' "$T/out"; fi
}
err_has() {
	if grep -Eq -- "$1" "$T/err"; then ok "$2"; else
		nok "$2: stderr lacks /$1/"; sed 's/^/#   err: /' "$T/err"; fi
}
out_lacks() {
	if grep -Eq -- "$1" "$T/out"; then
		nok "$2: stdout has /$1/"; sed 's/^/#   out: /' "$T/out"; else ok "$2"; fi
}

# same FILE1 FILE2 DESC
same() {
	if cmp -s "$1" "$2"; then ok "$3"; else
		nok "$3: $1 and $2 differ"; diff "$1" "$2" | head -20 | sed 's/^/#   /'; fi
}

# mkcert NAME [openssl req options...]: self-signed RSA-2048 server
# certificate (not a CA) and key in $T/NAME.pem, $T/NAME.key, with the
# subject every vendor server uses.
mkcert() {
	n=$1
	shift
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/$n.key" \
	    -out "$T/$n.pem" -days 365 \
	    -subj "/C=US/O=TSM/OU=TSM Network/CN=TSM Self-Signed Certificate" \
	    -addext "basicConstraints=critical,CA:FALSE" "$@" 2>/dev/null
}

# mkdated NAME WARP MONTHS: a self-signed certificate in $T/NAME.pem
# whose validity starts WARP months from now and lasts MONTHS months
# (certutil can date certificates; openssl 3.0 req cannot).
mkdated() {
	_d="$T/.dated.$1"
	rm -rf "$_d"
	mkdir -p "$_d"
	certutil -N -d "sql:$_d" --empty-password &&
	head -c 64 /dev/urandom >"$_d/noise" &&
	certutil -S -d "sql:$_d" -n "$1" -s "CN=$1,O=Test" -x -t ",," \
	    -k rsa -g 2048 -w "$2" -v "$3" -z "$_d/noise" >/dev/null 2>&1 &&
	certutil -L -d "sql:$_d" -n "$1" -a >"$T/$1.pem"
	_rc=$?
	rm -rf "$_d"
	return $_rc
}

# mkdatedkey NAME SUBJECT WARP MONTHS: a self-signed certificate (not a
# CA, subjectAltName IP:127.0.0.1) in $T/NAME.pem and its key in
# $T/NAME.key, valid from WARP months from now for MONTHS months
# (certutil dates certificates; openssl 3.0 cannot).
mkdatedkey() {
	_d="$T/.datedkey.$1"
	rm -rf "$_d"
	mkdir -p "$_d"
	certutil -N -d "sql:$_d" --empty-password &&
	head -c 64 /dev/urandom >"$_d/noise" &&
	certutil -S -d "sql:$_d" -n "$1" -s "$2" -x -t ",," -k rsa -g 2048 \
	    -w "$3" -v "$4" -z "$_d/noise" --extSAN "ip:127.0.0.1" \
	    >/dev/null 2>&1 &&
	pk12util -o "$_d/p12" -d "sql:$_d" -n "$1" -W pw >/dev/null 2>&1 &&
	openssl pkcs12 -in "$_d/p12" -passin pass:pw -nodes -nocerts \
	    -out "$T/$1.key" 2>/dev/null &&
	openssl pkcs12 -in "$_d/p12" -passin pass:pw -nokeys -clcerts \
	    -out "$T/$1.pem" 2>/dev/null
	_rc=$?
	rm -rf "$_d"
	return $_rc
}

# mkvendor NAME WARP MONTHS: as mkcert (the vendor's subject), dated as
# mkdatedkey: an expired or expiring server certificate, as a renewal on
# the server leaves one behind.
mkvendor() {
	mkdatedkey "$1" "CN=TSM Self-Signed Certificate,OU=TSM Network,O=TSM,C=US" \
	    "$2" "$3"
}

# mkca NAME SUBJECT: a CA root (basicConstraints CA:TRUE).
mkca() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/$1.key" \
	    -out "$T/$1.pem" -days 365 -subj "$2" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

# fp FILE: SHA-256 fingerprint as openssl prints it.
fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/^.*=//'; }

# eccerts PREFIX N [FIRST]: N self-signed EC certificates, CN=PREFIX-1 to
# PREFIX-N with serials FIRST+1 on, as PEM on stdout, all of one key
# ($T/k.pem, made if missing).
eccerts() {
	[ -f "$T/k.pem" ] || openssl ecparam -name prime256v1 -genkey -noout \
	    -out "$T/k.pem" 2>/dev/null
	_i=1
	while [ "$_i" -le "$2" ]; do
		openssl req -x509 -key "$T/k.pem" -days 30 -subj "/CN=$1-$_i" \
		    -set_serial $((${3:-0} + _i)) 2>/dev/null
		_i=$((_i + 1))
	done
}

# certlist DB: certutil's view of the database, for before/after compares.
certlist() { certutil -L -d "sql:$1" 2>&1; }

# db_unchanged DESC: $DB still lists as $T/before does.
db_unchanged() {
	certlist "$DB" >"$T/after"
	same "$T/before" "$T/after" "$1: database unchanged"
}

# e2e_agree: after each script (one.sh), on every inventory it left in $T,
# -policy -json, -check -json and -configure -dryrun -json must agree on
# every node and server's certificates, their states and labels: one
# model decides for all three. Inventories the commands refuse (the
# scripts of bad input make many) are passed over.
e2e_agree() {
	for _conf in $(find "$T" -maxdepth 3 -name '*.conf' -type f 2>/dev/null | sort); do
		grep -Eqi '^[[:space:]]*type[[:space:]]*=[[:space:]]*node' "$_conf" || continue
		"$DSMCERT" -policy -json -config "$_conf" >"$T/.agree.p" 2>/dev/null
		_p=$?
		"$DSMCERT" -check -json -config "$_conf" >"$T/.agree.c" 2>/dev/null
		_c=$?
		"$DSMCERT" -configure -dryrun -json -config "$_conf" >"$T/.agree.d" 2>/dev/null
		_d=$?
		case "$_p.$_d" in 0.0|0.6|6.0|6.6) ;; *) continue ;; esac
		[ "$_c" -le 2 ] || continue
		_pj=$(jq -c '[.[] | . as $e | ((.certificates[] | select(.in_keydb) |
		    [$e.node, $e.server, .label, .sha256, .verdict]),
		    (if .certificate_missing then [$e.node, $e.server, null, null,
		    "missing"] else empty end))] | unique' "$T/.agree.p")
		_cj=$(jq -c '[.certificates[] | [.node, .server, .label, .sha256,
		    .state]] | unique' "$T/.agree.c")
		_dj=$(jq -c '[.certificates[] | [.node, .server, .label, .sha256,
		    .state]] | unique' "$T/.agree.d")
		if [ -n "$_pj" ] && [ "$_pj" = "$_cj" ] && [ "$_pj" = "$_dj" ]; then
			ok "agree: -policy, -check, -configure -dryrun on ${_conf#$T/}"
		else
			nok "agree: -policy, -check, -configure -dryrun on ${_conf#$T/}"
			echo "#   policy:    $_pj"
			echo "#   check:     $_cj"
			echo "#   configure: $_dj"
		fi
	done
}
