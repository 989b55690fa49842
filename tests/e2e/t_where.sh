# Where the key database is, and why; passwords.
plan 18
dsm -where
expect 0 "-where works with nothing set"
if [ "$(id -u)" = 0 ]; then
	out_has "keydb: +/etc/dsmcert/keydb \\(default for root" "default for root"
else
	out_has "keydb: +$HOME/.dsmcert/keydb \\(default" "default for a user"
fi
export DSM_DIR="$T/dsmdir"
dsm -where
out_has "keydb: +$T/dsmdir \\(\\\$DSM_DIR" "DSM_DIR"
export PASSWORDDIR="$T/pwdir"
dsm -where
out_has "keydb: +$T/pwdir \\(\\\$PASSWORDDIR" "PASSWORDDIR before DSM_DIR"
printf '[dsmcert]\nkeydb = %s/invdb\n' "$T" >"$T/inv.conf"
dsm -where -config "$T/inv.conf"
out_has "keydb: +$T/invdb \\(inventory" "inventory keydb before PASSWORDDIR"
export DSMCERT_DB="$T/envdb"
dsm -where -config "$T/inv.conf"
out_has "keydb: +$T/envdb \\(\\\$DSMCERT_DB" "DSMCERT_DB before the inventory"
dsm -where -db "$T/flagdb" -json
out_has "\"path\": \"$T/flagdb\"" "-db wins, in JSON"
unset DSMCERT_DB PASSWORDDIR DSM_DIR

# Passwords: from -pwfile or a stash file, never loosely readable.
mkcert p
printf 's3cret\n' >"$T/pw"
chmod 600 "$T/pw"
mkdir -m 700 "$T/pwdb"
certutil -N -d "sql:$T/pwdb" -f "$T/pw"
dsm -add -server P -file "$T/p.pem" -db "$T/pwdb"
expect 3 "a protected database without password"
err_has "password" "says a password is needed"
dsm -add -server P -file "$T/p.pem" -db "$T/pwdb" -pwfile "$T/pw"
expect 0 "with -pwfile"
printf 'wrong\n' >"$T/bad"
chmod 600 "$T/bad"
dsm -add -server Q -file "$T/p.pem" -db "$T/pwdb" -pwfile "$T/bad"
expect 3 "a wrong password"
err_has "wrong password" "says so"
chmod 644 "$T/pw"
dsm -list -db "$T/pwdb" -pwfile "$T/pw"
expect 3 "a world-readable password file is refused"
chmod 600 "$T/pw"
cp "$T/pw" "$T/pwdb/dsmcert-keydb.pw"
mkcert p2
dsm -add -server P2 -file "$T/p2.pem" -db "$T/pwdb"
expect 0 "the stash file gives the password"

mkdir -m 777 "$T/opendb"
dsm -add -server P -file "$T/p.pem" -db "$T/opendb"
expect 3 "a world-writable database directory is refused"

# Option files: -optfile, else $DSM_CONFIG, else $DSM_DIR/dsm.opt.
mkdir -p "$T/ba"
printf 'SErvername SERVER1\n' >"$T/ba/dsm.opt"
printf 'SErvername SERVER1\n  TCPServeraddress b.example\n' >"$T/ba/dsm.sys"
DSM_CONFIG="$T/ba/dsm.opt" dsm -where
out_has "dsm.opt: +$T/ba/dsm.opt \\(\\\$DSM_CONFIG\\)" "dsm.opt from DSM_CONFIG"
out_has "dsm.sys: +$T/ba/dsm.sys \\(beside dsm.opt\\)" "dsm.sys beside it"
dsm -where -optfile "$T/ba/dsm.opt" -json
out_has "\"why\": \"-optfile\"" "-optfile in JSON"
