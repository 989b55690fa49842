# "Cannot read" is never "empty": a key database that is there but
# cannot be read (permission, damage on any page) is an error naming the
# real cause, for every command, and -check says UNKNOWN; only a
# database that does not exist is empty.
plan 21
DB="$T/db"
for i in 1 2 3 4 5 6; do
	mkcert c$i -subj "/CN=c$i/O=Test"
	dsm -add -server S$i -file "$T/c$i.pem" -db "$DB"
	expect 0 "certificate $i"
done
cp -r "$DB" "$T/good"

# 10. Damage in the last table page: SQLite's integrity check fails
# there, while NSS would still read five certificates of six.
page=$(sqlite3 "$DB/cert9.db" \
    "select max(pageno) from dbstat where name='nssPublic' and pagetype='leaf'")
python3 - "$DB/cert9.db" "$page" <<'PY'
import struct, sys
f = open(sys.argv[1], "r+b")
base = (int(sys.argv[2]) - 1) * 4096
f.seek(base + 8)
off = struct.unpack(">H", f.read(2))[0]
f.seek(base + off)
f.write(b"\x9f\xff\xff\x7f")	# the first cell's payload size
PY
r=$(sqlite3 "$DB/cert9.db" 'PRAGMA integrity_check' 2>&1 | head -n 1)
assert "cert9.db fails SQLite's integrity check ($r)" [ "$r" != ok ]
cp "$DB/cert9.db" "$T/damaged"
dsm -list -db "$DB"
expect 3 "-list of it: exit 3"
err_has 'cert9.db is damaged' "naming the damaged file"
assert "and no partial listing" [ ! -s "$T/out" ]
mkcert seven
dsm -add -server S7 -file "$T/seven.pem" -db "$DB"
expect 3 "-add into it: exit 3"
same "$T/damaged" "$DB/cert9.db" "nothing was written to it"

# 11. A database the user cannot read (0700 root, as dsmcert makes it).
if [ "$(id -u)" != 0 ] || ! id nobody >/dev/null 2>&1; then
	skip_rest "needs root and the user nobody"
	return 0 2>/dev/null || exit 0
fi
rm -rf "$DB" && cp -r "$T/good" "$DB" && chmod 700 "$DB"
chmod 755 "$T"
one_node
chmod 644 "$T/inv.conf" "$T/ba/dsm.sys" "$T/ba/dsm.opt"
asnobody() { run runuser -u nobody -- "$DSMCERT" "$@"; }
asnobody -check -config "$T/inv.conf"
expect 3 "-check as a user who cannot read the database: UNKNOWN"
assert "first line says UNKNOWN and why" \
    grep -q '^DSMCERT UNKNOWN - .*cannot read the key database: permission denied' "$T/out"
asnobody -list -db "$DB"
expect 3 "-list: exit 3, not an empty listing"
err_has 'cannot read the key database: permission denied \(it belongs to root, mode 0700\)' \
    "naming the permission and the owner"
asnobody -policy -config "$T/inv.conf"
expect 3 "-policy plans nothing"
out_lacks 'import' "no import is planned"
# A cert9.db the user cannot read in a directory it can.
chmod 755 "$DB"
asnobody -list -db "$DB"
expect 3 "-list with cert9.db unreadable: exit 3"
err_has 'cert9.db: cannot read the key database: permission denied' "naming the file"
