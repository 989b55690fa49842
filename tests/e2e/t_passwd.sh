# -passwd: the key database password changed with NSS, the stash file
# rewritten atomically, a wrong old password changes nothing.
plan 23
DB="$T/db"
mkcert one
umask 077
printf 'first\n' >"$T/pw1"
printf 'second\n' >"$T/pw2"
printf 'wrong\n' >"$T/bad"
printf 'third\n' >"$T/pw3"
# keys FILE: certutil lists the keys with this password.
keys() { certutil -K -d "sql:$DB" -f "$1" >/dev/null 2>&1; }

dsm -add -server SERVER1 -file "$T/one.pem" -db "$DB"
dsm -ca create -label myca -subject "CN=My CA" -db "$DB"
expect 0 "a database with a key and no password"

dsm -passwd -db "$DB"
expect 1 "-passwd without -newpwfile is a usage error"

dsm -passwd -newpwfile "$T/pw1" -db "$DB"
expect 0 "-passwd sets a first password"
assert "certutil opens the keys with it" keys "$T/pw1"
assert "and not with another" sh -c "! certutil -K -d sql:$DB -f $T/bad >/dev/null 2>&1"
assert "no stash file is made when there was none" [ ! -e "$DB/dsmcert-keydb.pw" ]

certlist "$DB" >"$T/before"
dsm -passwd -pwfile "$T/bad" -newpwfile "$T/pw2" -db "$DB"
expect 3 "a wrong old password is a key database error"
assert "the password is unchanged" keys "$T/pw1"

dsm -passwd -pwfile "$T/pw1" -newpwfile "$T/pw2" -db "$DB"
expect 0 "-pwfile old, -newpwfile new"
assert "the new password opens the keys" keys "$T/pw2"

# With a stash file, it holds the new password afterwards.
cp "$T/pw2" "$DB/dsmcert-keydb.pw"
chmod 600 "$DB/dsmcert-keydb.pw"
ino=$(stat -c %i "$DB/dsmcert-keydb.pw")
dsm -passwd -newpwfile "$T/pw3" -db "$DB"
expect 0 "-passwd reads the old password from the stash file"
out_has "stash file dsmcert-keydb.pw holds the new one" "and says it rewrote it"
assert "the stash holds the new password" [ "$(cat "$DB/dsmcert-keydb.pw")" = third ]
assert "replaced by rename, not written in place" \
    [ "$(stat -c %i "$DB/dsmcert-keydb.pw")" != "$ino" ]
assert "mode 0600" [ "$(stat -c %a "$DB/dsmcert-keydb.pw")" = 600 ]
assert "the key database takes it" keys "$T/pw3"
assert "no temporary file is left" sh -c "! ls -A '$DB' | grep -q dsmcert-keydb.pw."
dsm -list -db "$DB" -label myca
expect 0 "dsmcert opens it with the stash"

cp "$DB/dsmcert-keydb.pw" "$T/stash.before"
dsm -passwd -pwfile "$T/bad" -newpwfile "$T/pw1" -db "$DB"
expect 3 "a wrong -pwfile with a stash changes nothing"
same "$T/stash.before" "$DB/dsmcert-keydb.pw" "the stash is unchanged"
assert "the key database is unchanged" keys "$T/pw3"

chmod 644 "$T/pw1"
dsm -passwd -newpwfile "$T/pw1" -db "$DB"
expect 2 "a new password file readable by others is refused"
err_has "chmod 600" "with what to do"
