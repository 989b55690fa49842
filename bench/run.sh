#!/bin/sh
# Benchmarks of dsmcert against its floor, the least the public NSS API
# needs for the same in-place, crash-safe work (bench/limit_*.c), and
# against NSS's certutil doing the same work. Run by hand with
# `make bench`; never part of `make check`. Method and notes: bench/README.
#
#   BENCH_RUNS       runs per row (default 9; the one -add rows three
#                    times as many, -list twice); rows rotate their
#                    commands' order from run to run, medians are shown
#   BENCH_RUNS_SLOW  runs of the bundle row (default 3): its certutil
#                    side is one process per certificate
#   BENCH_SIZES      "BUNDLE LIST LINES" (default "300 1000 100000"):
#                    certificates in the bundle, in the listed database,
#                    lines of dsm.sys (the smaller row has half as many)
#   BENCH_ROWS       rows to run (default all): add bundle list query
#                    policy setopt
#   BENCH_KEEP       when set, keep the data and raw samples
#
# DSMCERT is the binary under test, BENCH_BIN the directory of the helper
# programs built by make bench; TMPDIR (default /tmp) holds the data, on
# the disk the timings are for.
set -eu

: "${DSMCERT:?DSMCERT: the dsmcert binary}"
: "${BENCH_BIN:?BENCH_BIN: where make bench built the helpers}"
RUNS=${BENCH_RUNS:-9}
RUNS_SLOW=${BENCH_RUNS_SLOW:-3}
ROWS=${BENCH_ROWS:-add bundle list query policy setopt}
# shellcheck disable=SC2086
set -- ${BENCH_SIZES:-300 1000 100000}
NB=$1 NLIST=$2 LINES=$3
TOP=$(cd "$(dirname "$0")/.." && pwd)

# Measured as an administrator runs them: nothing in the environment
# steers any of the three.
unset NSS_SDB_USE_CACHE DSMCERT_DB DSMCERT_CONF DSM_DIR DSM_CONFIG PASSWORDDIR

D=$(mktemp -d "${TMPDIR:-/tmp}/dsmcert-bench.XXXXXX")
if [ -n "${BENCH_KEEP:-}" ]; then
	trap 'echo "bench: data and raw samples kept in $D" >&2' EXIT
else
	trap 'rm -rf "$D"' EXIT
fi
trap 'exit 130' INT TERM
mkdir "$D/raw" "$D/one"
# A copy, so that a rebuild in the tree cannot change the binary mid-run.
cp "$DSMCERT" "$D/dsmcert"
DSMCERT=$D/dsmcert

say() { echo "bench: $*" >&2; }
want() { case " $ROWS " in *" $1 "*) return 0 ;; esac; return 1; }
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown; }

LOAD0=$(load)
START=$(date +%s)

# --- data -------------------------------------------------------------

say "making $NB certificates (bundle and single files) and $NLIST more"
"$BENCH_BIN/mkcerts" "$NB" "$D/bundle.pem" "$D/one"
"$BENCH_BIN/mkcerts" "$NLIST" "$D/list.pem"

mkdir "$D/empty"
certutil -N -d "sql:$D/empty" --empty-password

# The listed database, built in place with dsmcert itself and checked
# with certutil. Every import is synced: this takes what an -add of
# NLIST certificates takes.
if want list || want policy; then
	say "building a database of $NLIST certificates in place"
	cp -R "$D/empty" "$D/db1"
	"$DSMCERT" -add -file "$D/list.pem" -db "$D/db1" -q
	n=$(certutil -L -d "sql:$D/db1" | grep -c ',,' || :)
	[ "$n" -eq "$NLIST" ] || { say "db1 holds $n certificates, not $NLIST"; exit 1; }
fi

# dsm.sys: LINES lines in stanzas of 20, the one in use last, so that
# nothing can stop reading early. The inventory has two nodes: one on
# the stanza dsm.opt selects, one on three stanzas spread over the file;
# their servers are current with no automatic distribution, so -policy
# looks up each certificate in the key database.
mksys() {
	awk -v lines="$1" 'BEGIN {
		print "* dsm.sys for benchmarks: " lines " lines"
		print "DEFAULTServer s1"
		n = 2
		for (s = 1; n < lines; s++) {
			print ""
			printf "SErvername  s%d\n", s
			printf "   COMMMethod         TCPip\n"
			printf "   TCPPort            1500\n"
			printf "   TCPServeraddress   host-%d.example.com\n", s
			printf "   NODename           NODE%d\n", s
			printf "   PASSWORDAccess     generate\n"
			printf "   * the rest is what real stanzas carry\n"
			printf "   ERRORLOGName       /var/log/dsm/s%d.err\n", s
			printf "   SCHEDLOGName       /var/log/dsm/s%d.sch\n", s
			printf "   SCHEDLOGRetention  7 D\n"
			printf "   ERRORLOGRetention  7 D\n"
			printf "   MANAGEDServices    schedule webclient\n"
			printf "   TXNBytelimit       25600\n"
			printf "   TCPWindowsize      512\n"
			printf "   TCPBuffsize        512\n"
			printf "   RESOURCEutilization 5\n"
			printf "   INCLEXCL           \"/etc/dsm/inclexcl s%d.txt\"\n", s
			printf "   SSL                NO\n"
			printf "   SSLACCEPTCERTFROMSERV YES\n"
			n += 20
		}
		print "* last stanza: s" s - 1
	}'
}
mkconf() {
	dir=$D/sys$1
	mkdir -p "$dir"
	mksys "$1" >"$dir/dsm.sys"
	last=$(sed -n 's/^\* last stanza: //p' "$dir/dsm.sys")
	n=${last#s}
	mid=$((n / 2))
	printf 'SErvername %s\n' "$last" >"$dir/dsm.opt"
	cat >"$dir/inv.conf" <<-INV
	[dsmcert]
	keydb = $D/db1

	[node1]
	type = node
	role = datamover
	optfile = dsm.opt

	[node2]
	type = node
	role = vmcli
	optfile = dsm.opt
	servers = s1 s$mid $last

	[bench-1]
	type = server
	address = host-1.example.com
	version = 8.1.14
	autocert = no
	certfile = $D/one/1.pem

	[SRVMID]
	type = server
	address = host-$mid.example.com:1500
	version = 7.1.8.300
	autocert = no

	[SRVLAST]
	type = server
	address = host-$n.example.com
	version = 8.1.2
	autocert = no
	certfile = $D/one/2.pem
	INV
}
HALF=$((LINES / 2))
if want query || want policy; then
	say "writing dsm.sys of $HALF and $LINES lines"
	mkconf "$HALF"
	mkconf "$LINES"
fi

# dsm.sys for -setopt: one stanza of LINES lines, nearly all of them an
# include-exclude list, as on a file server; the stanza of another server
# after it. Every run edits a fresh copy.
mkbig() {
	awk -v lines="$1" 'BEGIN {
		print "SErvername  big"
		print "   TCPServeraddress   backup.example.com"
		print "   TCPPort            1500"
		for (i = 3; i < lines; i++)
			printf "   EXCLUDE            /data/d%d/.../*\n", i
		print ""
		print "SErvername  other"
		print "   TCPServeraddress   other.example.com"
	}'
}
if want setopt; then
	say "writing a stanza of $HALF and $LINES lines"
	mkdir "$D/big"
	mkbig "$HALF" >"$D/big/$HALF.sys"
	mkbig "$LINES" >"$D/big/$LINES.sys"
fi

# A loop of certutil -A, one process per certificate, as an admin would
# script an import of the single files.
cat >"$D/certutil-loop.sh" <<'LOOP'
i=1
while [ "$i" -le "$2" ]; do
	certutil -A -d "sql:$1" -n "bench-$i" -t P,, -i "$3/$i.pem" || exit 1
	i=$((i + 1))
done
LOOP

# --- measuring --------------------------------------------------------

# fresh: a copy of the empty database for an import to write into, on
# disk before the clock starts, so that no command pays for the copy's
# writeback.
fresh() {
	rm -rf "$D/w"
	cp -R "$D/empty" "$D/w"
	sync "$D/w"/* "$D/w" "$D"
}

# sample KEY PREP OKRC CMD...: run PREP (untimed), then CMD under
# peakrss, adding "ns kb cpu-ns" to raw/KEY. OKRC: the exit codes that
# mean the command did its work. Output goes to /dev/null, as to a pipe
# that keeps up: a file would add its writeback to whoever prints most.
sample() {
	key=$1 prep=$2 okrc=$3
	shift 3
	$prep
	rc=0
	"$BENCH_BIN/peakrss" "$D/raw/$key" "$@" >/dev/null 2>"$D/err" || rc=$?
	case " $okrc " in
	*" $rc "*) ;;
	*)
		say "$key: exit $rc from: $*"
		sed 's/^/bench:   /' "$D/err" >&2
		exit 1 ;;
	esac
}

# rowrun N F...: N runs of the row's commands, each a function (dsmcert,
# the floor, certutil); each run starts one further along, so that no
# command always runs first, or always right after another's writes.
rowrun() {
	_n=$1
	shift
	while [ "$_n" -gt 0 ]; do
		for _f in "$@"; do $_f; done
		_f=$1
		shift
		set -- "$@" "$_f"
		_n=$((_n - 1))
	done
}
none() { :; }

ONE=$D/one/1.pem

# The row list, in print order: key, the work it names, and its targets:
# the most dsmcert may take over its floor and over certutil (ratios),
# or the most it may take at all (ms); "-" where there is none.
: >"$D/rows"
row() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$D/rows"; }

if want add; then
	# -label is certutil -A -n's work; -server also records the server
	# in dsmcert.servers, one more file replaced and synced.
	say "rows: one -add into an empty database, with -label and -server, $((3 * RUNS)) runs"
	a() { sample add.a fresh 0 "$DSMCERT" -add -label SERVER1 -file "$ONE" -db "$D/w" -q; }
	s() { sample adds.a fresh 0 "$DSMCERT" -add -server SERVER1 -file "$ONE" -db "$D/w" -q; }
	l() { sample add.l fresh 0 "$BENCH_BIN/limit_import" "$D/w" "$ONE"; }
	b() { sample add.b fresh 0 certutil -A -d "sql:$D/w" -n SERVER1 -t P,, -i "$ONE"; }
	rowrun $((3 * RUNS)) a s l b
	cp "$D/raw/add.l" "$D/raw/adds.l"
	cp "$D/raw/add.b" "$D/raw/adds.b"
	row add "one -add -label, empty database" 1.10 1.00 -
	row adds "one -add -server, empty database" 1.10 1.00 -
fi

if want bundle; then
	say "row: a bundle of $NB against $NB certutil -A, $RUNS_SLOW runs (BENCH_RUNS_SLOW)"
	a() { sample bundle.a fresh 0 "$DSMCERT" -add -file "$D/bundle.pem" -db "$D/w" -q; }
	l() { sample bundle.l fresh 0 "$BENCH_BIN/limit_import" "$D/w" "$D/bundle.pem"; }
	b() { sample bundle.b fresh 0 sh "$D/certutil-loop.sh" "$D/w" "$NB" "$D/one"; }
	rowrun "$RUNS_SLOW" a l b
	row bundle "-add of a bundle of $NB" 1.10 0.40 -
fi

if want list; then
	say "row: -list over $NLIST certificates, $((2 * RUNS)) runs"
	a() { sample list.a none 0 "$DSMCERT" -list -db "$D/db1"; }
	l() { sample list.l none 0 "$BENCH_BIN/limit_list" "$D/db1"; }
	b() { sample list.b none 0 certutil -L -d "sql:$D/db1"; }
	rowrun $((2 * RUNS)) a l b
	row list "-list, $NLIST certificates" 1.10 0.50 -
fi

for cmd in query policy; do
	want "$cmd" || continue
	for l in "$HALF" "$LINES"; do
		say "row: -$cmd over $l lines of dsm.sys, $RUNS runs"
		if [ "$cmd" = query ]; then
			a() { sample "$cmd$l.a" none 0 "$DSMCERT" -query -optfile "$D/sys$l/dsm.opt"; }
		else
			# -policy exits 6 while actions are outstanding, as here.
			a() { sample "$cmd$l.a" none "0 6" "$DSMCERT" -policy -config "$D/sys$l/inv.conf"; }
		fi
		rowrun "$RUNS" a
		row "$cmd$l" "-$cmd, dsm.sys of $l lines" - - 100
	done
done

if want setopt; then
	for l in "$HALF" "$LINES"; do
		say "row: -setopt in a stanza of $l lines, a new line and a changed one, $RUNS runs"
		bigcopy() { cp "$D/big/$l.sys" "$D/w.sys"; }
		a() { sample "setopt$l.a" bigcopy 0 "$DSMCERT" -setopt -optfile "$D/w.sys" -server big SSL yes; }
		c() { sample "setoptc$l.a" bigcopy 0 "$DSMCERT" -setopt -optfile "$D/w.sys" -server big TCPPort 1600; }
		rowrun "$RUNS" a c
		row "setopt$l" "-setopt, a new line, stanza of $l lines" - - 100
		row "setoptc$l" "-setopt, a changed line, stanza of $l lines" - - 100
	done
fi

# --- the table --------------------------------------------------------

# med FILE COLUMN: the median of a column of raw samples, or "-".
med() {
	[ -s "$1" ] || { echo -; return; }
	awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '
		{ v[NR] = $1 }
		END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo
echo "$("$DSMCERT" -version 2>/dev/null | head -n 1) at" \
    "$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo unknown)," \
    "$(date -u +%Y-%m-%d)"
echo "$(uname -srm), $(nproc) cores, $(df -PT "$D" | awk 'NR == 2 { print $2 }') under $(dirname "$D")," \
    "NSS $(pkg-config --modversion nss 2>/dev/null || echo ?)," \
    "SQLite $(pkg-config --modversion sqlite3 2>/dev/null || echo ?)"
echo "load average $LOAD0 at the start, $(load) at the end; $(($(date +%s) - START)) s in all"
echo
# table COLUMN CPU: the rows' medians of one column of the raw samples
# (1 wall-clock time, 3 processor time), with their ratios; with CPU 0,
# also the targets and peak memory.
table() {
	while IFS='	' read -r key work tf tc tms; do
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$work" \
		    "$(med "$D/raw/$key.a" "$1")" "$(med "$D/raw/$key.l" "$1")" \
		    "$(med "$D/raw/$key.b" "$1")" \
		    "$(med "$D/raw/$key.a" 2)" "$(med "$D/raw/$key.l" 2)" \
		    "$(med "$D/raw/$key.b" 2)" "$tf" "$tc" "$tms"
	done <"$D/rows" | awk -F '\t' -v cpu="$2" '
	function t(ns) {
		if (ns == "-") return "-"
		return ns < 1e9 ? sprintf("%.1f ms", ns / 1e6) : sprintf("%.2f s", ns / 1e9)
	}
	function mb(kb) { return kb == "-" ? "-" : sprintf("%.1f", kb / 1024) }
	function ratio(x, y) { return (x == "-" || y == "-") ? "-" : sprintf("%.2f", x / y) }
	BEGIN {
		if (cpu) {
			print "| processor time | dsmcert | floor | certutil | / floor | / certutil |"
			print "|---|---:|---:|---:|---:|---:|"
		} else {
			print "| work | dsmcert | floor | certutil | / floor | / certutil | target | met | peak MiB: dsmcert, floor, certutil |"
			print "|---|---:|---:|---:|---:|---:|---|---|---|"
		}
	}
	{
		a = $2; l = $3; b = $4
		rf = ratio(a, l); rc = ratio(a, b)
		if (cpu) {
			print "| " $1 " | " t(a) " | " t(l) " | " t(b) " | " rf " | " rc " |"
			next
		}
		tgt = ""; met = "yes"
		if ($8 != "-") {
			tgt = "<= " $8 " floor"
			if (rf == "-" || rf + 0 > $8 + 0) met = "no"
		}
		if ($9 != "-") {
			tgt = tgt (tgt == "" ? "" : ", ") "<= " $9 " certutil"
			if (rc == "-" || rc + 0 > $9 + 0) met = "no"
		}
		if ($10 != "-") {
			tgt = "< " $10 " ms"
			if (a == "-" || a / 1e6 >= $10) met = "no"
		}
		print "| " $1 " | " t(a) " | " t(l) " | " t(b) " | " rf " | " rc " | " tgt " | " met " | " mb($5) ", " mb($6) ", " mb($7) " |"
	}'
}
table 1 0
echo
table 3 1
echo
echo "medians of $RUNS runs ($((3 * RUNS)) for one -add, $((2 * RUNS)) for -list, $RUNS_SLOW for the bundle);"
echo "floor: the same work with the public NSS API alone (bench/limit_*.c); targets are on"
echo "wall-clock time; peak: resident memory, reported, not a target; processor time: user"
echo "and system, for judging the noise."
