#!/bin/sh
# Benchmarks of dsmcert against NSS's certutil doing the same work, and
# against the least the NSS API needs for it (the limit_* programs).
# Run by hand with `make bench`; never part of `make check`.
#
#   BENCH_RUNS       runs per row (default 5); rows alternate their
#                    commands' order from run to run, medians are shown
#   BENCH_RUNS_SLOW  runs of the bundle row (default 3): 1000 certutil
#                    processes take half a minute each time
#   BENCH_SIZES      "BUNDLE BIG LINES" (default "1000 10000 100000"):
#                    certificates in the bundle and in the small database,
#                    in the big database, lines of dsm.sys (one stanza per
#                    20 lines; the linear check is at half as many), and
#                    of the one stanza that -setopt edits
#   BENCH_ROWS       rows to run (default all): add bundle list query
#                    policy setopt floor
#   BENCH_KEEP       when set, keep the data and raw samples
#
# DSMCERT is the binary under test, BENCH_BIN the directory of the helper
# programs built by make bench.
set -eu

: "${DSMCERT:?DSMCERT: the dsmcert binary}"
: "${BENCH_BIN:?BENCH_BIN: where make bench built the helpers}"
RUNS=${BENCH_RUNS:-5}
RUNS_SLOW=${BENCH_RUNS_SLOW:-3}
ROWS=${BENCH_ROWS:-add bundle list query policy setopt floor}
# shellcheck disable=SC2086
set -- ${BENCH_SIZES:-1000 10000 100000}
NB=$1 NBIG=$2 LINES=$3

# Measured as an administrator runs them: nothing in the environment
# steers either tool: both leave NSS_SDB_USE_CACHE unset, with which NSS
# probes the file system only when it is a network one.
unset NSS_SDB_USE_CACHE DSMCERT_DB DSMCERT_CONF DSM_DIR DSM_CONFIG PASSWORDDIR

D=$(mktemp -d "${TMPDIR:-/tmp}/dsmcert-bench.XXXXXX")
# Scratch space in memory, where the populated databases are built:
# there every transaction's fdatasync is free. They are measured on disk.
S=$(mktemp -d /dev/shm/dsmcert-bench.XXXXXX 2>/dev/null) || S=$(mktemp -d "$D/scratch.XXXXXX")
if [ -n "${BENCH_KEEP:-}" ]; then
	trap 'rm -rf "$S"; echo "bench: data and raw samples kept in $D" >&2' EXIT
else
	trap 'rm -rf "$S" "$D"' EXIT
fi
trap 'exit 130' INT TERM
mkdir "$D/raw" "$D/one"
# A copy, so that a rebuild in the tree cannot change the binary mid-run.
cp "$DSMCERT" "$D/dsmcert"
DSMCERT=$D/dsmcert

say() { echo "bench: $*" >&2; }
want() { case " $ROWS " in *" $1 "*) return 0 ;; esac; return 1; }

# --- data -------------------------------------------------------------

say "making $NB certificates (bundle and single files) and $NBIG more"
"$BENCH_BIN/mkcerts" "$NB" "$D/bundle.pem" "$D/one"
"$BENCH_BIN/mkcerts" "$NBIG" "$D/big.pem"

mkdir "$D/empty"
certutil -N -d "sql:$D/empty" --empty-password

# The populated databases, built with dsmcert itself (one bulk -add, in
# memory, is the quickest way there), copied to disk, checked with
# certutil.
filldb() {
	cp -R "$D/empty" "$S/$1"
	"$DSMCERT" -add -file "$2" -db "$S/$1" -q
	cp -R "$S/$1" "$D/$1"
	rm -rf "${S:?}/$1"
	n=$(certutil -L -d "sql:$D/$1" | grep -c ',,' || :)
	[ "$n" -eq "$3" ] || { say "$1 holds $n certificates, not $3"; exit 1; }
}
if want list || want floor || want policy; then
	say "building a database of $NB certificates"
	filldb db1 "$D/bundle.pem" "$NB"
fi
if want list; then
	say "building a database of $NBIG certificates"
	filldb db2 "$D/big.pem" "$NBIG"
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

# fresh: a copy of the empty database for an import to write into.
fresh() { rm -rf "$D/w" && cp -R "$D/empty" "$D/w"; }

# sample KEY PREP OKRC CMD...: run PREP (untimed), then CMD under
# peakrss, adding "ns kb" to raw/KEY. OKRC: the exit codes that mean the
# command did its work.
sample() {
	key=$1 prep=$2 okrc=$3
	shift 3
	$prep
	rc=0
	"$BENCH_BIN/peakrss" "$D/raw/$key" "$@" >"$D/out" 2>"$D/err" || rc=$?
	case " $okrc " in
	*" $rc "*) ;;
	*)
		say "$key: exit $rc from: $*"
		sed 's/^/bench:   /' "$D/err" >&2
		exit 1 ;;
	esac
}

# rowrun N F...: N runs of the row's commands, each a function (dsmcert,
# certutil, the limit, the floor); each run starts one further along, so
# that no command always runs first, or always right after another's
# writes, and the floor is timed under the same load as the row.
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
CU_LOOP="sh $D/certutil-loop.sh"

# The row list, in print order: key and the work it names.
: >"$D/rows"
row() { printf '%s\t%s\n' "$1" "$2" >>"$D/rows"; }

if want add; then
	say "row: one -add into an empty database, $RUNS runs"
	a() { sample add.a fresh 0 "$DSMCERT" -add -server SERVER1 -file "$ONE" -db "$D/w" -q; }
	b() { sample add.b fresh 0 certutil -A -d "sql:$D/w" -n SERVER1 -t P,, -i "$ONE"; }
	l() { sample add.l fresh 0 "$BENCH_BIN/limit_import" "$D/w" "$ONE"; }
	f() { sample add.f fresh 0 "$BENCH_BIN/limit_init" "$D/w" rw; }
	rowrun "$RUNS" a b l f
	row add "one -add, empty database"
fi

if want bundle; then
	say "row: $NB certificates, one bundle -add against $NB certutil -A, $RUNS_SLOW runs (BENCH_RUNS_SLOW)"
	a() { sample bundle.a fresh 0 "$DSMCERT" -add -file "$D/bundle.pem" -db "$D/w" -q; }
	b() { sample bundle.b fresh 0 $CU_LOOP "$D/w" "$NB" "$D/one"; }
	l() { sample bundle.l fresh 0 "$BENCH_BIN/limit_import" "$D/w" "$D/bundle.pem"; }
	f() { sample bundle.f fresh 0 "$BENCH_BIN/limit_init" "$D/w" rw; }
	rowrun "$RUNS_SLOW" a b l f
	row bundle "-add of $NB in a bundle"
fi

if want list; then
	for db in db1:$NB db2:$NBIG; do
		k=${db%%:*} n=${db#*:}
		say "row: -list over $n certificates, $RUNS runs"
		a() { sample "list$k.a" none 0 "$DSMCERT" -list -db "$D/$k"; }
		j() { sample "listj$k.a" none 0 "$DSMCERT" -list -json -db "$D/$k"; }
		b() { sample "list$k.b" none 0 certutil -L -d "sql:$D/$k"; }
		l() { sample "list$k.l" none 0 "$BENCH_BIN/limit_list" "$D/$k"; }
		f() { sample "list$k.f" none 0 "$BENCH_BIN/limit_init" "$D/$k" ro; }
		rowrun "$RUNS" a j b l f
		for x in b l f; do cp "$D/raw/list$k.$x" "$D/raw/listj$k.$x"; done
		row "list$k" "-list, $n certificates"
		row "listj$k" "-list -json, $n certificates"
	done
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
		# -policy opens the key database read-only; -query does not.
		f() { [ "$cmd" = query ] || sample "$cmd$l.f" none 0 "$BENCH_BIN/limit_init" "$D/db1" ro; }
		rowrun "$RUNS" a f
		row "$cmd$l" "-$cmd, dsm.sys of $l lines"
	done
done

if want setopt; then
	for l in "$HALF" "$LINES"; do
		say "row: -setopt in a stanza of $l lines, a new line and a changed one, $RUNS runs"
		bigcopy() { cp "$D/big/$l.sys" "$D/w.sys"; }
		a() { sample "setopt$l.a" bigcopy 0 "$DSMCERT" -setopt -optfile "$D/w.sys" -server big SSL yes; }
		c() { sample "setoptc$l.a" bigcopy 0 "$DSMCERT" -setopt -optfile "$D/w.sys" -server big TCPPort 1600; }
		rowrun "$RUNS" a c
		row "setopt$l" "-setopt, a new line, stanza of $l lines"
		row "setoptc$l" "-setopt, a changed line, stanza of $l lines"
	done
fi

if want floor; then
	say "row: NSS_Initialize + NSS_Shutdown alone, $RUNS runs"
	ro() { sample floorro.l none 0 "$BENCH_BIN/limit_init" "$D/db1" ro; }
	rw() { sample floorrw.l fresh 0 "$BENCH_BIN/limit_init" "$D/w" rw; }
	pr() { sample floorpr.l none 0 "$BENCH_BIN/limit_init" "$D/db1" ro probe; }
	rowrun "$RUNS" ro rw pr
	row floorro "floor: NSS open+close, read-only"
	row floorrw "floor: NSS open+close, read-write"
	row floorpr "floor, NSS_SDB_USE_CACHE unset"
fi

# --- the table --------------------------------------------------------

# med FILE COLUMN: the median of a column of raw samples, or "-".
med() {
	[ -s "$1" ] || { echo -; return; }
	awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '
		{ v[NR] = $1 }
		END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

{
	printf 'work\tdsmcert\tcertutil\tratio\tlimit\tx floor\tpeak dsmcert\tpeak certutil\tpeak limit\n'
	while IFS='	' read -r key work; do
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$work" \
		    "$(med "$D/raw/$key.a" 1)" "$(med "$D/raw/$key.b" 1)" \
		    "$(med "$D/raw/$key.l" 1)" "$(med "$D/raw/$key.f" 1)" \
		    "$(med "$D/raw/$key.a" 2)" "$(med "$D/raw/$key.b" 2)" \
		    "$(med "$D/raw/$key.l" 2)"
	done <"$D/rows"
} | awk -F '\t' '
	function ms(ns) { return ns == "-" ? "-" : sprintf(ns < 1e10 ? "%.1f ms" : "%.0f ms", ns / 1e6) }
	function mb(kb) { return kb == "-" ? "-" : sprintf("%.1f MiB", kb / 1024) }
	NR == 1 { print "| " $1 " | " $2 " | " $3 " | " $4 " | " $5 " | " $6 " | " $7 " | " $8 " | " $9 " |"
		print "|---|---:|---:|---:|---:|---:|---:|---:|---:|"; next }
	{
		a = $2; b = $3; l = $4; f = $5
		ratio = (a == "-" || b == "-") ? "-" : sprintf("%.2f", a / b)
		if (ratio != "-" && a < b) ratio = ratio sprintf(" (%.1f x faster)", b / a)
		xf = (a == "-" || f == "-" || f == 0) ? "-" : sprintf("%.1f", a / f)
		print "| " $1 " | " ms(a) " | " ms(b) " | " ratio " | " ms(l) " | " xf " | " mb($6) " | " mb($7) " | " mb($8) " |"
	}'
echo
echo "medians of $RUNS runs ($RUNS_SLOW for the bundle row, BENCH_RUNS_SLOW); ratio: dsmcert / certutil;"
echo "x floor: dsmcert / NSS_Initialize+NSS_Shutdown alone, timed in the same runs as the row"
echo "  (read-write for imports, read-only for reads; -query and -setopt open no database);"
echo "limit: the same work with the NSS API alone (bench/limit_*.c), NSS_SDB_USE_CACHE=no (on a local disk, the same as unset)."
