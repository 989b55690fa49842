# A legacy NSS dbm: database (cert8.db, key3.db) is never shadowed by a
# new cert9.db beside it: read as it is, migrated by the first write
# with every certificate and key, or refused with what to do.
plan 62

# mklegacy DIR [PWFILE]: a dbm database made by NSS's own certutil: a CA
# and a server certificate with their keys, and a CA without a key.
mklegacy() {
	mkdir -p -m 700 "$1"
	if [ -n "${2:-}" ]; then
		certutil -N -d "dbm:$1" -f "$2"
	else
		certutil -N -d "dbm:$1" --empty-password
	fi
	head -c 64 /dev/urandom >"$T/noise"
	pool_into oldca "dbm:$1" ${2:+"$2"}
	certutil -S -d "dbm:$1" ${2:+-f "$2"} -n oldca -s "CN=Old CA,O=Test" \
	    -x -t "C,," -k pool -v 12 -z "$T/noise" -2 >/dev/null 2>&1 \
	    <<EOF
y
0
y
EOF
	certutil -D -d "dbm:$1" -n pool
	pool_into oldsrv "dbm:$1" ${2:+"$2"}
	certutil -S -d "dbm:$1" ${2:+-f "$2"} -n oldsrv -s "CN=old.example" \
	    -x -t "P,," -k pool -v 12 -z "$T/noise" >/dev/null 2>&1
	certutil -D -d "dbm:$1" -n pool
	poolkey nokey
	openssl req -x509 -key "$T/nokey.key" \
	    -out "$T/nokey.pem" -days 30 -subj "/CN=Keyless CA" \
	    -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
	certutil -A -d "dbm:$1" -n keyless -t "C,," -i "$T/nokey.pem"
}

# What certutil sees: "label trust" lines, and key ids.
certs_of() {
	certutil -L -d "$1" | tail -n +5 | awk '{ print $1, $2 }' | sort
}
keys_of() {
	certutil -K -d "$1" ${2:+-f "$2"} </dev/null 2>/dev/null |
	    sed -n 's/^<[ 0-9]*> *[a-z]* *\([0-9a-f]*\) .*/\1/p' | sort
}

mklegacy "$T/old"
certs_of "dbm:$T/old" >"$T/want.certs"
keys_of "dbm:$T/old" >"$T/want.keys"
assert "the legacy database has three certificates" \
    [ "$(wc -l <"$T/want.certs")" = 3 ]
assert "and two keys" [ "$(wc -l <"$T/want.keys")" = 2 ]
cp -p "$T/old/cert8.db" "$T/cert8.orig"
cp -p "$T/old/key3.db" "$T/key3.orig"

# A reader reads it as it is and writes nothing.
dsm -list -db "$T/old"
expect 0 "-list of a legacy database"
out_has "^oldca" "lists the CA"
out_has "^oldsrv" "lists the server certificate"
out_has "^keyless" "lists the CA without a key"
err_has "cert8\\.db" "says it is a legacy database"
assert "a reader makes no cert9.db" test ! -e "$T/old/cert9.db"
same "$T/cert8.orig" "$T/old/cert8.db" "cert8.db untouched by a reader"
dsm -where -db "$T/old"
expect 0 "-where with a legacy database"
out_has "^legacy: +$T/old/cert8\\.db " "-where names it"
dsm -where -db "$T/old" -json
cp "$T/out" "$T/where.json"
run jq -r '.legacy_keydb.state' "$T/where.json"
out_has "^unmigrated\$" "-where -json says it is not migrated yet"

# The first write migrates it, keeping every certificate and key.
mkcert s1
dsm -add -server S1 -file "$T/s1.pem" -db "$T/old"
expect 0 "-add to a legacy database"
err_has "migrated" "says it migrated the database"
assert "cert9.db made" test -f "$T/old/cert9.db"
assert "key4.db made" test -f "$T/old/key4.db"
certs_of "sql:$T/old" | grep -v '^S1 ' >"$T/got.certs"
same "$T/want.certs" "$T/got.certs" "every certificate kept, with its trust"
keys_of "sql:$T/old" >"$T/got.keys"
same "$T/want.keys" "$T/got.keys" "every key kept"
run certutil -L -d "sql:$T/old" -n S1
expect 0 "the new certificate is in the migrated database"
mkdir -m 700 "$T/old.orig"
cp -p "$T/cert8.orig" "$T/old.orig/cert8.db"
cp -p "$T/key3.orig" "$T/old.orig/key3.db"
for l in oldca oldsrv keyless; do
	certutil -L -d "dbm:$T/old.orig" -n $l -r >"$T/want.der"
	certutil -L -d "sql:$T/old" -n $l -r >"$T/got.der"
	same "$T/want.der" "$T/got.der" "$l is the same certificate"
done
same "$T/cert8.orig" "$T/old/cert8.db.migrated" \
    "the old cert8.db is kept as cert8.db.migrated"
same "$T/key3.orig" "$T/old/key3.db.migrated" \
    "the old key3.db is kept as key3.db.migrated"
assert "cert8.db no longer stands beside cert9.db" test ! -e "$T/old/cert8.db"
m=$(stat -c %a "$T/old/cert9.db" "$T/old/key4.db" | sort -u)
assert "the new files are 0600 ($m)" [ "$m" = 600 ]
dsm -list -db "$T/old"
expect 0 "-list after the migration"
assert "no message about a legacy database any more" [ ! -s "$T/err" ]
run sh -c "ls -a '$T/old' | grep '^\\.new\\.'"
assert "no scratch directory left" [ "$RC" != 0 ]

# A password: the migration needs it, and the database keeps it.
printf 'oldpw\n' >"$T/pw"
chmod 600 "$T/pw"
printf 'wrong\n' >"$T/bad"
chmod 600 "$T/bad"
mklegacy "$T/pwold" "$T/pw"
keys_of "dbm:$T/pwold" "$T/pw" >"$T/want.keys"
assert "the protected legacy database has two keys" \
    [ "$(wc -l <"$T/want.keys")" = 2 ]
dsm -list -db "$T/pwold"
expect 0 "-list of a protected legacy database needs no password"
out_has "^oldsrv" "lists it"
dsm -add -server S1 -file "$T/s1.pem" -db "$T/pwold"
expect 3 "no password: not migrated"
err_has "password" "says a password is needed"
assert "no cert9.db without the password" test ! -e "$T/pwold/cert9.db"
dsm -add -server S1 -file "$T/s1.pem" -db "$T/pwold" -pwfile "$T/bad"
expect 3 "a wrong password: not migrated"
err_has "wrong password" "says so"
assert "no cert9.db with a wrong password" test ! -e "$T/pwold/cert9.db"
cp -p "$T/pw" "$T/pwold/dsmcert-keydb.pw"
dsm -add -server S1 -file "$T/s1.pem" -db "$T/pwold"
expect 0 "migrated with the stash file's password"
keys_of "sql:$T/pwold" "$T/pw" >"$T/got.keys"
same "$T/want.keys" "$T/got.keys" "every key kept under the password"
run certutil -K -d "sql:$T/pwold" -f "$T/bad"
assert "the database keeps its password" [ "$RC" != 0 ]

# A cert8.db NSS cannot read (damaged, half a database, or an NSS built
# without dbm support, as some distributions' are): refused, unchanged.
# A real file cannot be damaged on purpose reproducibly; these bytes
# stand for one.
mkdir -m 700 "$T/bad8"
printf 'not a Berkeley DB file\n' >"$T/bad8/cert8.db"
chmod 600 "$T/bad8/cert8.db"
cp -p "$T/bad8/cert8.db" "$T/bad8.orig"
dsm -list -db "$T/bad8"
expect 3 "-list of an unreadable legacy database is refused"
err_has "cert8\\.db" "names the file"
err_has "certutil" "says what to do"
out_lacks "." "lists nothing"
dsm -add -server S1 -file "$T/s1.pem" -db "$T/bad8"
expect 3 "-add beside an unreadable legacy database is refused"
err_has "cert8\\.db" "names the file"
assert "no cert9.db beside it" test ! -e "$T/bad8/cert9.db"
same "$T/bad8.orig" "$T/bad8/cert8.db" "cert8.db untouched"
# key3.db without cert8.db is half a legacy database too.
mkdir -m 700 "$T/half"
cp -p "$T/key3.orig" "$T/half/key3.db"
dsm -add -server S1 -file "$T/s1.pem" -db "$T/half"
expect 3 "key3.db alone is refused"
err_has "key3\\.db" "names the file"
assert "no cert9.db beside key3.db" test ! -e "$T/half/cert9.db"

# Shadowed already: an earlier dsmcert made cert9.db beside cert8.db.
# The legacy database is not used; every command says so and how to
# bring it in, and the way it gives works.
# (certutil -N beside a dbm database does not return; a database made
# elsewhere and moved in is what an earlier dsmcert did.)
mklegacy "$T/shadow"
mkdir -m 700 "$T/fresh"
certutil -N -d "sql:$T/fresh" --empty-password
cp -p "$T/fresh/cert9.db" "$T/fresh/key4.db" "$T/fresh/pkcs11.txt" \
    "$T/shadow/"
dsm -add -server S1 -file "$T/s1.pem" -db "$T/shadow"
expect 0 "-add with a shadowed legacy database"
err_has "cert8\\.db.*not used" "warns that it is not used"
err_has "certutil --upgrade-merge" "says how to merge it"
dsm -where -db "$T/shadow" -json
cp "$T/out" "$T/where.json"
run jq -r '.legacy_keydb.state' "$T/where.json"
out_has "^shadowed\$" "-where -json says it is shadowed"
certutil --upgrade-merge -d "sql:$T/shadow" --source-dir "$T/shadow" \
    --upgrade-id dsmcert-legacy --upgrade-token-name legacy \
    </dev/null >/dev/null 2>&1
mv "$T/shadow/cert8.db" "$T/shadow/cert8.db.migrated"
mv "$T/shadow/key3.db" "$T/shadow/key3.db.migrated"
dsm -list -db "$T/shadow"
expect 0 "-list after the merge the man page gives"
out_has "^oldca" "the legacy certificates are in"
out_has "^S1" "beside the new one"
assert "no warning any more" [ ! -s "$T/err" ]
keys_of "sql:$T/shadow" >"$T/got.keys"
assert "both keys merged" [ "$(wc -l <"$T/got.keys")" = 2 ]

# A migration killed at any moment leaves the legacy database as it was,
# or the whole new one; the next write finishes the job, losing nothing.
mklegacy "$T/tpl"
certs_of "dbm:$T/tpl" >"$T/want.certs"
TRIALS=30
[ -n "${SANITIZE:-}" ] && TRIALS=10
bad=0
i=0
while [ $i -lt $TRIALS ]; do
	rm -rf "$T/cut"
	cp -a "$T/tpl" "$T/cut"
	"$DSMCERT" -add -server S1 -file "$T/s1.pem" -db "$T/cut" \
	    >/dev/null 2>&1 &
	sleep "0.0$((i % 8))$((i % 10))"
	kill -9 $! 2>/dev/null
	wait $! 2>/dev/null
	"$DSMCERT" -add -server S1 -file "$T/s1.pem" -db "$T/cut" \
	    >/dev/null 2>"$T/cut.err" || { bad=$((bad + 1)); cat "$T/cut.err"; }
	certs_of "sql:$T/cut" | grep -v '^S1 ' >"$T/got.certs"
	cmp -s "$T/want.certs" "$T/got.certs" || {
		bad=$((bad + 1)); echo "# trial $i lost certificates"; }
	ls -a "$T/cut" | grep -q '^\.new\.' && {
		bad=$((bad + 1)); echo "# trial $i left a scratch directory"; }
	i=$((i + 1))
done
assert "$TRIALS killed migrations: the next write completes them ($bad bad)" \
    [ "$bad" = 0 ]
