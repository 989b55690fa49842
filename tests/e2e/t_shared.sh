# The key database is shared with writers that do not take dsmcert's
# lock: certutil here, the backup client's own certificate acceptance on
# a real machine. A certutil loop adding certificates one by one, and
# adding and deleting one more over and over, runs beside a bundle
# import. Afterwards each program's reports hold: what either said it
# added is there, what certutil deleted is gone, both files pass
# SQLite's integrity check, and certutil's loop stops when told to.
plan 13
DB="$T/db"
N=300
[ -n "${SANITIZE:-}" ] && N=100
CU=20
mkcert first
eccerts bulk "$N" >"$T/bundle.pem"
openssl ecparam -name prime256v1 -genkey -noout -out "$T/cu.key" 2>/dev/null
i=1
while [ $i -le $CU ]; do
	openssl req -x509 -key "$T/cu.key" -days 30 -subj "/CN=cu-$i" \
	    -set_serial $((5000 + i)) -out "$T/cu$i.pem" 2>/dev/null
	i=$((i + 1))
done
openssl req -x509 -key "$T/cu.key" -days 30 -subj "/CN=churn" \
    -set_serial 9999 -out "$T/churn.pem" 2>/dev/null
dsm -add -server FIRST -file "$T/first.pem" -db "$DB"
expect 0 "the database exists"

# certutil's loop: one CU-k per round while they last, then the churn
# certificate in and out, until $T/stop appears. Each outcome is logged.
culoop() {
	k=1
	while [ ! -e "$T/stop" ]; do
		if [ $k -le $CU ]; then
			if certutil -A -d "sql:$DB" -n "CU-$k" -t P,, \
			    -i "$T/cu$k.pem" 2>>"$T/cu.err"; then
				echo "CU-$k added"
			else
				echo "CU-$k failed"
			fi
			k=$((k + 1))
		fi
		if certutil -A -d "sql:$DB" -n CHURN -t P,, -i "$T/churn.pem" \
		    2>>"$T/cu.err"; then
			echo "CHURN added"
		else
			echo "CHURN failed-add"
		fi
		if certutil -D -d "sql:$DB" -n CHURN 2>>"$T/cu.err"; then
			echo "CHURN deleted"
		else
			echo "CHURN failed-delete"
		fi
	done
	echo done
}
culoop >"$T/cu.log" &
cupid=$!
# Let certutil get going before the import starts.
while [ ! -s "$T/cu.log" ]; do sleep 0.1; done
dsm -add -server BULK -file "$T/bundle.pem" -db "$DB"
expect 0 "a $N-certificate bundle imported beside certutil"
# Make sure every CU-k had its turn, then tell the loop to stop.
while ! grep -q "^CU-$CU " "$T/cu.log" && kill -0 $cupid 2>/dev/null; do
	sleep 0.2
done
touch "$T/stop"
t=0
while kill -0 $cupid 2>/dev/null && [ $t -lt 150 ]; do
	sleep 0.1
	t=$((t + 1))
done
if kill -0 $cupid 2>/dev/null; then
	nok "certutil's loop did not stop within 15 s of being told"
	kill -9 $cupid 2>/dev/null
else
	ok "certutil's loop stopped on its own ($((t / 10)) s after being told)"
fi
wait $cupid 2>/dev/null

certlist "$DB" >"$T/final"
n=$(grep -Ec '^BULK( #[0-9]+)? ' "$T/final")
assert "all $N of dsmcert's certificates are there (has $n)" [ "$n" = "$N" ]
dsm -list -server BULK -json -db "$DB"
expect 0 "and recorded for their server"
n=$(grep -c '"label"' "$T/out")
assert "-list -server BULK shows $N (has $n)" [ "$n" = "$N" ]
added=$(grep -c '^CU-[0-9]* added' "$T/cu.log")
lost=0
for c in $(sed -n 's/^\(CU-[0-9]*\) added$/\1/p' "$T/cu.log"); do
	grep -Eq "^$c +P,, *\$" "$T/final" || lost=$((lost + 1))
done
assert "every one of certutil's $added reported additions is there ($lost lost)" \
    [ "$lost" = 0 ]
assert "certutil added some at all ($added)" [ "$added" -gt 0 ]
last=$(grep '^CHURN' "$T/cu.log" | grep -v failed | tail -n 1)
if [ "$last" = "CHURN deleted" ]; then
	assert "the churn certificate, last deleted, is gone" \
	    sh -c "! grep -q '^CHURN ' '$T/final'"
else
	assert "the churn certificate, last added, is there" \
	    grep -q '^CHURN ' "$T/final"
fi
for f in cert9.db key4.db; do
	r=$(sqlite3 "$DB/$f" 'PRAGMA integrity_check' 2>&1)
	assert "$f passes integrity_check ($r)" [ "$r" = ok ]
done
assert "no journal left behind" [ ! -s "$DB/cert9.db-journal" ]
assert "nothing staged beside the database" \
    [ -z "$(ls -A "$DB" | grep '^\.')" ]
