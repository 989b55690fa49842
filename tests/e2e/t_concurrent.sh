# Eight writers adding 12 certificates each to one database: the write
# lock serialises them, none fails, all 96 are there afterwards (eight
# at a time contend for the lock all along; more rounds cost processor
# time and show nothing more). Under the sanitizers each run is several
# times slower, so that pass checks the same with 5 each.
plan 4
DB="$T/keydb"
N=12
[ -n "${SANITIZE:-}" ] && N=5
# Writer w's certificate i is $T/w$w-c$i.pem (CN=w$w-c-$i, serial
# w*1000+i), all made by one eccerts.
set --
for w in 1 2 3 4 5 6 7 8; do
	set -- "$@" "w$w-c" "$N" $((w * 1000))
done
eccerts "$@" | awk -v d="$T" -v n="$N" '/BEGIN/ { c++ }
    { print >(d "/w" int((c - 1) / n) + 1 "-c" (c - 1) % n + 1 ".pem") }'

writer() {
	_i=1
	_fail=0
	while [ $_i -le $N ]; do
		"$DSMCERT" -add -server "W$1-$_i" -file "$T/w$1-c$_i.pem" \
		    -db "$DB" -q >>"$T/w$1.log" 2>&1 || _fail=$((_fail + 1))
		_i=$((_i + 1))
	done
	echo "$_fail" >"$T/w$1.failed"
}
for w in 1 2 3 4 5 6 7 8; do
	writer $w &
done
wait
failed=$(cat "$T"/w*.failed | awk '{s += $1} END {print s}')
assert "no writer failed ($failed failures)" [ "$failed" = 0 ]
[ "$failed" = 0 ] || cat "$T"/w*.log | head -20 | sed 's/^/#   /'
n=$(certutil -L -d "sql:$DB" | grep -c '^W[1-8]-')
assert "all $((8 * N)) certificates present (has $n)" [ "$n" = $((8 * N)) ]
n=$(wc -l <"$DB/dsmcert.servers")
assert "all $((8 * N)) server names kept (has $n)" [ "$n" = $((8 * N)) ]
dsm -list -server "W5-$N" -json -db "$DB"
expect 0 "the last certificate of the fifth writer is listed"
