# A damaged key database is an error (exit 3) for every command that
# reads it, never an empty listing; nothing is written to it.
plan 12
DB="$T/db"
mkcert one
mkcert two
dsm -add -server ONE -file "$T/one.pem" -db "$DB"
expect 0 "a database with a certificate"
cp -r "$DB" "$T/good"
damage() {	# damage FILE: overwrite its second page
	python3 -c "
import sys
f = open(sys.argv[1], 'r+b'); f.seek(4096); f.write(b'\xff' * 4096)" "$1"
}
damage "$DB/cert9.db"
r=$(sqlite3 "$DB/cert9.db" 'PRAGMA integrity_check' 2>&1 | head -n 1)
assert "cert9.db fails SQLite's integrity check ($r)" [ "$r" != ok ]
cp "$DB/cert9.db" "$T/damaged"
dsm -list -db "$DB"
expect 3 "-list of a damaged database"
err_has 'cannot be read.*damaged' "says it is damaged"
dsm -list -json -db "$DB"
expect 3 "-list -json too"
assert "and prints no empty list" [ ! -s "$T/out" ]
dsm -list -server ONE -db "$DB"
expect 3 "-list -server: 3, not 'not found'"
dsm -export -label ONE -file "$T/x.pem" -db "$DB"
expect 3 "-export"
dsm -delete -label ONE -db "$DB"
expect 3 "-delete"
dsm -add -server TWO -file "$T/two.pem" -db "$DB"
expect 3 "-add"
same "$T/damaged" "$DB/cert9.db" "cert9.db is left as it was"

rm -rf "$DB" && cp -r "$T/good" "$DB"
damage "$DB/key4.db"
dsm -list -db "$DB"
expect 3 "-list with a damaged key4.db"
