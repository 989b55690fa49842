# Eight writers adding 50 certificates each to one database: the write
# lock serialises them, none fails, all 400 are there afterwards. Under
# the sanitizers each run is several times slower, so that pass checks
# the same with 5 each.
plan 4
DB="$T/keydb"
N=50
[ -n "${SANITIZE:-}" ] && N=5
openssl ecparam -name prime256v1 -genkey -noout -out "$T/k.pem" 2>/dev/null
for w in 1 2 3 4 5 6 7 8; do
	i=1
	while [ $i -le $N ]; do
		openssl req -x509 -key "$T/k.pem" -days 30 -subj "/CN=w$w-c$i" \
		    -set_serial "$((w * 1000 + i))" -out "$T/w$w-c$i.pem" \
		    2>/dev/null || echo "not ok - openssl failed for w$w-c$i"
		i=$((i + 1))
	done
done

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
