# The server record (dsmcert.servers): read under the lock that guards
# its write, also when the first write creates the lock; a record that
# cannot be read is an error, never "no links"; it keeps its owner and
# mode; and a killed writer's temporary files go with the next lock.
plan 29
mkcert ldap
mkcert other
mkdir -p "$T/a"
chmod 755 "$T" "$T/a"
printf 'SErvername ldap_a\n   TCPServeraddress ldap.example.com\n' >"$T/a/dsm.sys"
printf 'SErvername ldap_a\n' >"$T/a/dsm.opt"
chmod 644 "$T"/a/*
inv() {	# inv DB: an inventory whose one node needs LDAP
	cat >"$T/inv.conf" <<INV
[dsmcert]
keydb = $1
[na]
type = node
role = datamover
optfile = a/dsm.opt
[LDAP]
type = server
address = ldap.example.com
version = 8.1.14
autocert = no
certfile = ldap.pem
INV
}

# 5. -configure into a key database directory that does not exist yet,
# beside -add -server OTHER: both links are there after, every time.
lost=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	DB="$T/db$i"
	inv "$DB"
	"$DSMCERT" -configure -config "$T/inv.conf" -q >"$T/c.out" 2>&1 &
	c=$!
	"$DSMCERT" -add -server OTHER -file "$T/other.pem" -db "$DB" -q \
	    >"$T/a.out" 2>&1
	wait "$c"
	"$DSMCERT" -list -server OTHER -db "$DB" >/dev/null 2>&1 || lost=$((lost + 1))
done
assert "OTHER's link survives a concurrent first -configure (lost $lost of 10)" \
    [ "$lost" = 0 ]

# 6. A key database owned by a node's user: root's -add keeps the
# record the owner's, so the owner's next -add keeps every link.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	DB="$T/udb"
	mkdir "$DB" && chown nobody "$DB" && chmod 700 "$DB"
	runuser -u nobody -- "$DSMCERT" -add -server OTHER -file "$T/other.pem" \
	    -db "$DB" -q >/dev/null 2>&1
	dsm -add -server LDAP -file "$T/ldap.pem" -db "$DB"
	expect 0 "root adds to nobody's database"
	assert "the record is still nobody's" \
	    [ "$(stat -c %U "$DB/dsmcert.servers")" = nobody ]
	mkcert third
	cp "$T/third.pem" "$T/third.pub" && chmod 644 "$T/third.pub"
	run runuser -u nobody -- "$DSMCERT" -add -server THIRD -file "$T/third.pub" \
	    -db "$DB"
	expect 0 "nobody adds again"
	for s in OTHER LDAP THIRD; do
		dsm -list -server $s -db "$DB"
		expect 0 "$s's link is there"
	done
	# A record the user cannot read: an error naming why, nothing lost.
	chown root "$DB/dsmcert.servers" && chmod 600 "$DB/dsmcert.servers"
	cp "$DB/dsmcert.servers" "$T/record.before"
	run runuser -u nobody -- "$DSMCERT" -add -server FOURTH -file "$T/third.pub" \
	    -db "$DB"
	expect 3 "nobody's -add with a record it cannot read: exit 3"
	err_has 'dsmcert.servers: cannot read the server record: Permission denied' \
	    "naming the record and the permission"
	same "$T/record.before" "$DB/dsmcert.servers" "the record is as it was"
else
	skip 9 "needs root and the user nobody"
fi

# 8. A FIFO in place of the record: refused at once, never waited on.
DB="$T/fdb"
dsm -add -server LDAP -file "$T/ldap.pem" -db "$DB"
expect 0 "a database"
rm "$DB/dsmcert.servers"
mkfifo "$DB/dsmcert.servers"
run timeout 20 "$DSMCERT" -list -db "$DB"
assert "-list with a FIFO as the record fails, does not hang (exit $RC)" \
    [ "$RC" = 3 ]
err_has 'dsmcert.servers: cannot read the server record: not a regular file' \
    "saying what it is"
run timeout 20 "$DSMCERT" -add -server OTHER -file "$T/other.pem" -db "$DB"
assert "-add fails too, without hanging (exit $RC)" [ "$RC" = 3 ]
assert "and it is still a FIFO" [ -p "$DB/dsmcert.servers" ]
run timeout 20 "$DSMCERT" -list -db "$DB"
assert "the lock was not left held (exit $RC)" [ "$RC" = 3 ]

# 9. A killed writer's temporary files, whatever they are named, are
# removed by the next command that takes the write lock.
DB="$T/kdb"
dsm -add -server LDAP -file "$T/ldap.pem" -db "$DB"
expect 0 "a database"
printf 'x\n' >"$DB/.dsmcert.servers.dsmcert.AbC123"
printf 'x\n' >"$DB/.dsmcert.servers.dsmcert.zz9ZZ9"
dsm -list -db "$DB"
expect 0 "a reader"
assert "a reader leaves them (it holds no lock)" \
    [ -e "$DB/.dsmcert.servers.dsmcert.AbC123" ]
dsm -add -server OTHER -file "$T/other.pem" -db "$DB"
expect 0 "a writer"
assert "the writer removed them" \
    [ -z "$(ls -A "$DB" | grep '\.dsmcert\.')" ]

# 7. A legacy dbm database of a node's user, migrated by root's first
# write: the new files keep the old files' owner and mode, so the owner
# still reads it, with dsmcert and with certutil.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	L="$T/legacy"
	mkdir -m 700 "$L"
	certutil -N -d "dbm:$L" --empty-password
	certutil -A -d "dbm:$L" -n old -t "C,," -i "$T/other.pem"
	chown -R nobody "$L"
	chmod 600 "$L"/*.db
	dsm -add -server LDAP -file "$T/ldap.pem" -db "$L"
	expect 0 "root's -add migrates nobody's legacy database"
	assert "cert9.db is nobody's" [ "$(stat -c %U "$L/cert9.db")" = nobody ]
	assert "key4.db is nobody's" [ "$(stat -c %U "$L/key4.db")" = nobody ]
	assert "the record is nobody's" \
	    [ "$(stat -c %U "$L/dsmcert.servers")" = nobody ]
	run runuser -u nobody -- "$DSMCERT" -list -db "$L"
	expect 0 "nobody's -list reads it"
	out_has '^LDAP' "with root's import"
	run runuser -u nobody -- certutil -L -d "sql:$L"
	expect 0 "and so does nobody's certutil -L"
else
	skip 7 "needs root and the user nobody"
fi
