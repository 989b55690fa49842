# A killed import leaves nothing but what SQLite recovers from itself;
# copies an older version left beside the database are removed under
# the lock.
plan 11
DB="$T/db"
N=150
[ -n "${SANITIZE:-}" ] && N=100
mkcert first
eccerts bulk "$N" >"$T/bundle.pem"
dsm -add -server FIRST -file "$T/first.pem" -db "$DB"
expect 0 "a database"

# What an older dsmcert, killed while putting a staged import back, left.
cp "$DB/key4.db" "$DB/.key4.db.Ab12Cd"
cp "$DB/cert9.db" "$DB/.cert9.db.XyZ123"
: >"$DB/.pkcs11.txt.q1w2e3"
: >"$DB/.cert9.db.keep"	# not of that form: left alone
mkcert second
dsm -add -server SECOND -file "$T/second.pem" -db "$DB"
expect 0 "a write"
assert "the old copies (one with private keys) are gone" \
    [ -z "$(ls -A "$DB" | grep -E '^\.(key4\.db|cert9\.db|pkcs11\.txt)\.[A-Za-z0-9]{6}$')" ]
assert "a file of another form is left alone" [ -e "$DB/.cert9.db.keep" ]
rm -f "$DB/.cert9.db.keep"

# Killed part way through a bundle.
"$DSMCERT" -add -server BULK -file "$T/bundle.pem" -db "$DB" >/dev/null 2>&1 &
pid=$!
t=0
while [ "$(certutil -L -d "sql:$DB" 2>/dev/null | grep -c '^BULK')" -lt 5 ] &&
    kill -0 $pid 2>/dev/null && [ $t -lt 300 ]; do
	sleep 0.1
	t=$((t + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
extra=$(ls -A "$DB" | grep -Ev '^(cert9\.db|key4\.db|pkcs11\.txt|dsmcert\.lock|dsmcert\.servers)(-journal)?$')
assert "nothing but the database's own files is left ($extra)" [ -z "$extra" ]
dsm -list -db "$DB"
expect 0 "the database opens after the kill"
for f in cert9.db key4.db; do
	r=$(sqlite3 "$DB/$f" 'PRAGMA integrity_check' 2>&1)
	assert "$f passes integrity_check ($r)" [ "$r" = ok ]
done
dsm -add -server BULK -file "$T/bundle.pem" -db "$DB"
expect 0 "running the same -add again"
n=$(certutil -L -d "sql:$DB" | grep -Ec '^BULK( #[0-9]+)? ')
assert "completes the bundle: all $N (has $n)" [ "$n" = "$N" ]
dsm -list -server BULK -json -db "$DB"
n=$(jq length "$T/out")
assert "all recorded for BULK (has $n)" [ "$n" = "$N" ]
