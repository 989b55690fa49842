# Helpers for end-to-end tests; sourced by one.sh inside the test's own
# temporary directory ($T). Each assertion prints "ok" or "not ok" + why.
#
# Plans. Every tests/e2e/t_*.sh says how many assertions it makes, in one
# line after its opening comment:
#
#     plan 53
#
# one.sh checks the count when the script is done: a script without a
# plan fails ("no plan; put "plan N" at the top"), and so does one that
# stops early or makes more assertions than it planned ("planned 53, ran
# 50"). Adding assertions to a script means raising its plan to match;
# for a new script, run it once and the failure says the number.
# Whatever asserts must assert the same number of times on every machine:
# a check that cannot run here says so with skip, never with ok:
#
#     skip N REASON    the next N assertions are skipped, for REASON
#     skip_rest REASON all the rest of the plan is skipped (then return)
#
# Skips print "ok N # skip REASON" (TAP) and are counted apart from the
# passes ("e2e: N passed, N failed, N skipped").
#
# Keys. Generating an RSA key is the dearest thing a test does, so there
# is a pool of them, made once ($E2E_KEYS, read-only: tests/e2e/keys.sh;
# make keeps it in build/tests/keys, run.sh by hand makes one for the
# run), and mkcert, mkca, mkleaf, mkdated and mkdatedkey take the next
# key of the pool: each key goes to one certificate of a script, so no
# two of a script's certificates share a key, as if each had been
# generated. A script that needs a key file of its own takes one with
# poolkey NAME ($T/NAME.key); certutil -S takes one with pool_into.
# Without a pool (or past its end) keys are generated as before.

E2E_N=0
E2E_PLAN=

e2e_finish() { :; }

# plan N: this script makes N assertions (see above).
plan() {
	if [ -n "$E2E_PLAN" ]; then
		nok "plan $1: the plan was given already ($E2E_PLAN)"
		return
	fi
	E2E_PLAN=$1
	echo "1..$1"
}

ok() { E2E_N=$((E2E_N + 1)); echo "ok $E2E_N - $*"; }
nok() { E2E_N=$((E2E_N + 1)); echo "not ok $E2E_N - $*"; }

# skip N REASON: N assertions that cannot run here, and why.
skip() {
	_n=$1
	shift
	while [ "$_n" -gt 0 ]; do
		E2E_N=$((E2E_N + 1))
		echo "ok $E2E_N # skip $*"
		_n=$((_n - 1))
	done
}

# skip_rest REASON: the rest of the plan cannot run here. The script then
# returns (return 0 2>/dev/null || exit 0).
skip_rest() { skip $((${E2E_PLAN:-0} - E2E_N)) "$@"; }

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

# jis DESC FILTER [--arg NAME VALUE | --argjson NAME VALUE]...: the last
# stdout is one JSON document and FILTER holds; jall with one pair. jq
# 1.6 -e passes empty input, hence the count first (in the same jq run).
jis() {
	_jsd=$1 _jsf=$2
	shift 2
	jall "$@" "$_jsd" "$_jsf"
}

# jall [--arg NAME VALUE | --argjson NAME VALUE]... DESC FILTER...: jis
# for each DESC and FILTER pair, in one jq run: the assertions a script
# makes on one output need not start jq once each (35 ms a start). Each
# FILTER holds as it would for jis (the last stdout is one JSON document
# and FILTER's last value on it is neither false nor null), and makes
# its own ok or not ok, in order. The --arg and --argjson options come
# first and are every FILTER's. When jq itself fails (stdout is not
# JSON, a FILTER does not compile or stops with an error), none of its
# answers can be trusted: every pair is not ok.
jall() {
	_jo=0
	while [ "$_jo" -lt "$#" ]; do
		eval "_jw=\${$((_jo + 1))}"
		case $_jw in --arg|--argjson) _jo=$((_jo + 3)) ;; *) break ;; esac
	done
	# One letter per pair, y or n, all on one line: a FILTER that
	# yields no value, or several, cannot shift the others' answers.
	# Each FILTER ends on a line of its own, in case of a # comment.
	_jp='' _ji=0
	for _jw in "$@"; do
		_ji=$((_ji + 1))
		if [ "$_ji" -le "$_jo" ] || [ $(((_ji - _jo) % 2)) -eq 1 ]; then
			continue
		fi
		_jp="$_jp${_jp:+,
}(length == 1 and ([.[0] | (
$_jw
)] | last))"
	done
	_jr=''
	_jall_jq "$_jo" "[$_jp] | map(if . then \"y\" else \"n\" end) | add" \
	    "$@" && read -r _jr <"$T/.jall"
	[ "${#_jr}" -eq $((($# - _jo) / 2)) ] || _jr=
	_ji=0 _jbad=0
	for _jw in "$@"; do
		_ji=$((_ji + 1))
		[ "$_ji" -gt "$_jo" ] || continue
		if [ $(((_ji - _jo) % 2)) -eq 1 ]; then
			_jd=$_jw
			continue
		fi
		_jy=${_jr%"${_jr#?}"}
		_jr=${_jr#?}
		if [ "$_jy" = y ]; then ok "$_jd"; else
			nok "$_jd"
			printf '%s\n' "$_jw" | sed 's/^/#   filter: /'
			_jbad=1
		fi
	done
	if [ $(((_ji - _jo) % 2)) -eq 1 ]; then
		nok "jall: \"$_jd\" has no FILTER"
		_jbad=1
	fi
	[ "$_jbad" -eq 0 ] && return
	[ "$_jo" -eq 0 ] || echo "#   jq options: $_jall_o"
	sed 's/^/#   jq: /' "$T/.jall.err"
	sed 's/^/#   out: /' "$T/out"
}

# _jall_jq N PROGRAM ARGS...: jq -s PROGRAM on the last stdout, with the
# first N of ARGS as its options (the rest are jall's pairs), into
# $T/.jall; the options, on one line, in $_jall_o.
_jall_jq() {
	_jk=$1 _jj=$2
	shift 2
	# The first N go round to the end, in order; then the pairs, now
	# first, are dropped.
	_jm=$(($# - _jk)) _jc=0
	while [ "$_jc" -lt "$_jk" ]; do
		set -- "$@" "$1"
		shift
		_jc=$((_jc + 1))
	done
	shift "$_jm"
	_jall_o=$*
	jq -r -s "$_jj" "$@" "$T/out" >"$T/.jall" 2>"$T/.jall.err"
}

# same FILE1 FILE2 DESC
same() {
	if cmp -s "$1" "$2"; then ok "$3"; else
		nok "$3: $1 and $2 differ"; diff "$1" "$2" | head -20 | sed 's/^/#   /'; fi
}

# poolkey NAME: the next RSA-2048 key of the pool in $T/NAME.key, and
# in $_pk the pool's PKCS#12 of it (the key and a throwaway certificate,
# nickname "pool", empty password), for certutil. The count is kept in a
# file, so that keys taken in subshells are not handed out twice.
poolkey() {
	_i=$(($(cat "$T/.poolnext" 2>/dev/null || echo 0) + 1))
	echo "$_i" >"$T/.poolnext"
	if [ -n "${E2E_KEYS:-}" ] && [ -f "$E2E_KEYS/$_i.key" ]; then
		cp "$E2E_KEYS/$_i.key" "$T/$1.key"
		_pk=$E2E_KEYS/$_i.p12
	else
		[ -z "${E2E_KEYS:-}" ] ||
		    echo "# poolkey $1: the pool has no key $_i; generating one"
		mkpoolkey "$T/$1.key" "$T/.$1.p12"
		_pk=$T/.$1.p12
	fi
}

# mkpoolkey KEY P12: a new key in KEY and its PKCS#12 in P12 (for
# poolkey and run.sh's pool).
mkpoolkey() {
	case $1 in
	*rsa3072.key) _bits=3072 ;;
	*) _bits=2048 ;;
	esac
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$_bits \
	    -out "$1" 2>/dev/null &&
	openssl req -x509 -key "$1" -subj /CN=pool -days 1 2>/dev/null |
	    openssl pkcs12 -export -inkey "$1" -name pool -passout pass: \
	    -out "$2"
}

# poolkey3072 NAME: the pool's one RSA-3072 key in $T/NAME.key (for the
# one script that shows an RSA key of another size than the pool's).
poolkey3072() {
	if [ -n "${E2E_KEYS:-}" ] && [ -f "$E2E_KEYS/rsa3072.key" ]; then
		cp "$E2E_KEYS/rsa3072.key" "$T/$1.key"
	else
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 \
		    -out "$T/$1.key" 2>/dev/null
	fi
}

# pool_into NAME DB [PWFILE]: the next key of the pool (poolkey NAME)
# into the NSS database DB (sql:DIR or dbm:DIR) with a throwaway
# certificate "pool", so that certutil -S -k pool signs with it instead
# of generating a key; certutil -D -n pool then drops the throwaway.
pool_into() {
	poolkey "$1" &&
	pk12util -i "$_pk" -d "$2" ${3:+-k "$3"} -W '' >/dev/null 2>&1
}

# mkcert NAME [openssl req options...]: self-signed RSA-2048 server
# certificate (not a CA) and key in $T/NAME.pem, $T/NAME.key, with the
# subject every vendor server uses.
mkcert() {
	n=$1
	shift
	poolkey "$n" &&
	openssl req -x509 -key "$T/$n.key" -out "$T/$n.pem" -days 365 \
	    -subj "/C=US/O=TSM/OU=TSM Network/CN=TSM Self-Signed Certificate" \
	    -addext "basicConstraints=critical,CA:FALSE" "$@" 2>/dev/null
}

# _certutil_dated NAME SUBJECT WARP MONTHS [certutil options...]: a
# self-signed certificate in $T/NAME.pem, on the key poolkey gives to
# $T/NAME.key, valid from WARP months from now for MONTHS months
# (certutil can date certificates; openssl 3.0 req cannot).
_certutil_dated() {
	_n=$1 _s=$2 _w=$3 _m=$4
	shift 4
	_d="$T/.dated.$_n"
	rm -rf "$_d"
	mkdir -p "$_d"
	certutil -N -d "sql:$_d" --empty-password &&
	pool_into "$_n" "sql:$_d" &&
	# certutil's serial comes from the clock: two made within one
	# second with one subject (the vendor's) would share issuer and
	# serial, which NSS cannot hold both of. A counter in $T makes
	# each one's own.
	_sn=$(($(cat "$T/.dated.serial" 2>/dev/null || echo 1000) + 1))
	echo "$_sn" >"$T/.dated.serial"
	certutil -S -d "sql:$_d" -n "$_n" -s "$_s" -x -t ",," -k pool \
	    -m "$_sn" -w "$_w" -v "$_m" -z "$T/$_n.key" "$@" >/dev/null 2>&1 &&
	certutil -L -d "sql:$_d" -n "$_n" -a >"$T/$_n.pem"
	_rc=$?
	rm -rf "$_d"
	return $_rc
}

# mkdated NAME WARP MONTHS: a self-signed certificate in $T/NAME.pem
# whose validity starts WARP months from now and lasts MONTHS months.
mkdated() { _certutil_dated "$1" "CN=$1,O=Test" "$2" "$3"; }

# mkdatedkey NAME SUBJECT WARP MONTHS: a self-signed certificate (not a
# CA, subjectAltName IP:127.0.0.1) in $T/NAME.pem and its key in
# $T/NAME.key, valid from WARP months from now for MONTHS months.
mkdatedkey() {
	_certutil_dated "$1" "$2" "$3" "$4" --extSAN "ip:127.0.0.1"
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
	poolkey "$1" &&
	openssl req -x509 -key "$T/$1.key" -out "$T/$1.pem" -days 365 -subj "$2" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

# der FILE: the DER that the first PEM certificate in FILE encodes, on
# stdout, as openssl x509 -outform DER writes it, without starting
# openssl (a tenth of the cost); nothing when FILE holds none.
der() {
	tr -d '\r' <"$1" |
	    sed -n '/^-----BEGIN CERTIFICATE-----$/,/^-----END CERTIFICATE-----$/{
		/^-----END/q
		/^-----/!p
	}' | base64 -d 2>/dev/null
}

# fp FILE [sha1]: SHA-256 (or SHA-1) fingerprint of the first PEM
# certificate in FILE as openssl x509 -fingerprint -sha256 (-sha1)
# prints it, without starting openssl (a fifth of the cost): the digest
# of its DER. Nothing when FILE holds no certificate (the digests of
# nothing are left out).
fp() {
	der "$1" | "${2:-sha256}sum" |
	    awk '$1 != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" &&
	    $1 != "da39a3ee5e6b4b0d3255bfef95601890afd80709" {
		h = toupper($1)
		for (i = 1; i < length(h); i += 2)
			printf "%s%s", (i > 1 ? ":" : ""), substr(h, i, 2)
		print ""
	}'
}

# eccerts PREFIX N [FIRST [PREFIX N FIRST]...]: N self-signed EC
# certificates, CN=PREFIX-1 to PREFIX-N with serials FIRST+1 on, as PEM
# on stdout, for each group in turn, all of one key ($T/k.pem, made if
# missing); as openssl req -x509 makes them, in one process (eccerts.py).
eccerts() {
	[ -f "$T/k.pem" ] || openssl ecparam -name prime256v1 -genkey -noout \
	    -out "$T/k.pem" 2>/dev/null
	if [ $# -le 3 ]; then
		python3 "$TOP/tests/e2e/eccerts.py" "$T/k.pem" "$1" "$2" "${3:-0}"
	else
		python3 "$TOP/tests/e2e/eccerts.py" "$T/k.pem" "$@"
	fi
}

# Machines for -policy and -configure, built in $T:
#
# node_files DIR OPTFILE=STANZA...: the directory $T/DIR (0755) with the
# dsm.sys read from standard input and, for each OPTFILE=STANZA, the
# client option file $T/DIR/OPTFILE naming STANZA; all 0644.
node_files() {
	_dir=$T/$1
	shift
	mkdir -p "$_dir" && chmod 755 "$_dir" && cat >"$_dir/dsm.sys" &&
	    chmod 644 "$_dir/dsm.sys" || return 1
	for _o in "$@"; do
		printf 'SErvername %s\n' "${_o#*=}" >"$_dir/${_o%%=*}" &&
		    chmod 644 "$_dir/${_o%%=*}" || return 1
	done
}

# inventory [FILE]: the inventory $T/inv.conf (or FILE): "[dsmcert]
# keydb = $DB", then the sections read from standard input.
inventory() {
	{ printf '[dsmcert]\nkeydb = %s\n' "$DB"; cat; } >"${1:-$T/inv.conf}"
}

# one_node: the smallest machine: node ba, a data mover (ba/dsm.opt,
# stanza S1 at one.example.com), of server S1 (8.1.14, autocert no), in
# $T/inv.conf with keydb $DB.
one_node() {
	node_files ba dsm.opt=S1 <<'SYS' &&
SErvername S1
   TCPServeraddress one.example.com
SYS
	inventory <<'INV'

[ba]
type = node
role = datamover
optfile = ba/dsm.opt
servers = S1

[S1]
type = server
address = one.example.com
version = 8.1.14
autocert = no
INV
}

# two_nodes: the machine most -configure tests start from. Node na, a
# data mover (a/dsm.opt, stanza ldap_a), and node nb, a VMCLI node
# (b/dsm.opt, stanza ldap_b, TCPPort 1500), both of server LDAP at
# ldap.example.com:1500 (8.1.14, autocert no, certfile ldap.pem), in
# $T/inv.conf with keydb $DB.
two_nodes() {
	node_files a dsm.opt=ldap_a <<'SYS' &&
SErvername ldap_a
   TCPServeraddress ldap.example.com
SYS
	node_files b dsm.opt=ldap_b <<'SYS' &&
SErvername ldap_b
   TCPServeraddress ldap.example.com
   TCPPort 1500
SYS
	inventory <<'INV'
[na]
type = node
role = datamover
optfile = a/dsm.opt
[nb]
type = node
role = vmcli
optfile = b/dsm.opt
[LDAP]
type = server
address = ldap.example.com:1500
version = 8.1.14
autocert = no
certfile = ldap.pem
INV
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
	# The three commands' outputs of every inventory first, then one jq
	# for all (each start costs 35 ms): their three views of each
	# inventory, one a line, in turn. Its options, as --slurpfile pN,
	# cN and dN for the Nth inventory, are this function's arguments.
	set --
	_k=0 _confs='' _prog=
	for _conf in $(find "$T" -maxdepth 3 -name '*.conf' -type f 2>/dev/null | sort); do
		grep -Eqi '^[[:space:]]*type[[:space:]]*=[[:space:]]*node' "$_conf" || continue
		_a="$T/.agree.$((_k + 1))"
		"$DSMCERT" -policy -json -config "$_conf" >"$_a.p" 2>/dev/null
		_p=$?
		"$DSMCERT" -check -json -config "$_conf" >"$_a.c" 2>/dev/null
		_c=$?
		"$DSMCERT" -configure -dryrun -json -config "$_conf" >"$_a.d" 2>/dev/null
		_d=$?
		case "$_p.$_d" in 0.0|0.6|6.0|6.6) ;; *) continue ;; esac
		[ "$_c" -le 2 ] || continue
		_k=$((_k + 1))
		_confs="$_confs $_conf"
		set -- "$@" --slurpfile "p$_k" "$_a.p" --slurpfile "c$_k" "$_a.c" \
		    --slurpfile "d$_k" "$_a.d"
		_prog="$_prog${_prog:+,}
		    (\$p${_k}[0] | pv), (\$c${_k}[0] | cv), (\$d${_k}[0] | dv)"
	done
	[ "$_k" -gt 0 ] || return 0
	jq -c -n "$@" '
	    def pv: [.[] | . as $e | ((.certificates[] | select(.in_keydb) |
		[$e.node, $e.server, .label, .sha256, .verdict]),
		(if .certificate_missing then [$e.node, $e.server, null, null,
		"missing"] else empty end))] | unique;
	    def cv: [.certificates[] | [.node, .server, .label, .sha256,
		.state]] | unique;
	    def dv: cv;'"$_prog" >"$T/.agree.all" 2>"$T/.agree.err" || {
		# A jq that failed answers for none of them: each then has
		# empty views, and fails.
		: >"$T/.agree.all"
		sed 's/^/#   jq: /' "$T/.agree.err"
	}
	for _conf in $_confs; do
		_pj= _cj= _dj=
		IFS= read -r _pj
		IFS= read -r _cj
		IFS= read -r _dj
		if [ -n "$_pj" ] && [ "$_pj" = "$_cj" ] && [ "$_pj" = "$_dj" ]; then
			ok "agree: -policy, -check, -configure -dryrun on ${_conf#$T/}"
		else
			nok "agree: -policy, -check, -configure -dryrun on ${_conf#$T/}"
			echo "#   policy:    $_pj"
			echo "#   check:     $_cj"
			echo "#   configure: $_dj"
		fi
	done <"$T/.agree.all"
}
