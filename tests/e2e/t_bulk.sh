# Bundles are imported in place, one NSS transaction per object, under
# dsmcert's lock: nothing is copied aside and swapped back.
plan 21
DB="$T/keydb"
# The bundle, and the 120 of many.pem below, in one eccerts.
eccerts bulk 20 0 many 120 1000 | awk -v d="$T" '/BEGIN/ { n++ }
    { print >(n <= 20 ? d "/bundle.pem" : d "/many.pem") }'
mkcert first

dsm -add -server FIRST -file "$T/first.pem" -db "$DB"
expect 0 "a database with one certificate"
ino_cert=$(stat -c %i "$DB/cert9.db")
ino_key=$(stat -c %i "$DB/key4.db")
dsm -add -server BULK -file "$T/bundle.pem" -db "$DB"
expect 0 "a bundle of 20 is imported"
n=$(certutil -L -d "sql:$DB" | grep -c '^BULK')
assert "certutil sees all 20 (has $n)" [ "$n" = 20 ]
assert "the first certificate is still there" \
    sh -c "certutil -L -d sql:$DB | grep -q '^FIRST '"
assert "cert9.db was written in place, not replaced" \
    [ "$(stat -c %i "$DB/cert9.db")" = "$ino_cert" ]
assert "key4.db was written in place, not replaced" \
    [ "$(stat -c %i "$DB/key4.db")" = "$ino_key" ]
for f in cert9.db key4.db; do
	m=$(stat -c %a "$DB/$f")
	assert "$f stays 0600 (is $m)" [ "$m" = 600 ]
done
assert "no temporary files left in the database directory" \
    [ -z "$(ls -A "$DB" | grep '^\.')" ]
dsm -export -label "BULK #20" -file "$T/b20.pem" -db "$DB"
awk "/BEGIN/{n++} n==20" "$T/bundle.pem" >"$T/last.pem"
assert "BULK #20 is the bundle's twentieth certificate" \
    [ "$(fp "$T/b20.pem")" = "$(fp "$T/last.pem")" ]
dsm -list -label "BULK #7" -json -db "$DB"
out_has '"trust": "C,,"' "bundle certificates carry their trust (CA:TRUE, so C,,)"

certlist "$DB" >"$T/before"
dsm -add -server BULK -file "$T/bundle.pem" -db "$DB"
expect 0 "the same bundle again"
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "changes nothing"

# 120 certificates into a password-protected database: logged in once,
# every certificate with its trust.
printf 'bulk-secret\n' >"$T/pw"
chmod 600 "$T/pw"
mkdir "$T/pwdb"
certutil -N -d "sql:$T/pwdb" -f "$T/pw"
dsm -add -server MANY -file "$T/many.pem" -pwfile "$T/pw" -db "$T/pwdb"
expect 0 "a bundle of 120 is imported into a password-protected database"
certlist "$T/pwdb" >"$T/many.list"
n=$(grep -Ec '^MANY( #[0-9]+)? ' "$T/many.list")
assert "certutil sees all 120 (has $n)" [ "$n" = 120 ]
for k in 1 50 51 101 120; do
	assert "MANY #$k has its trust" \
	    grep -Eq "^MANY( #$k)? +C,, *\$" "$T/many.list"
done
dsm -export -label "MANY #120" -file "$T/m120.pem" -db "$T/pwdb"
awk "/BEGIN/{n++} n==120" "$T/many.pem" >"$T/m120.want"
assert "MANY #120 is the bundle's last certificate" \
    [ "$(fp "$T/m120.pem")" = "$(fp "$T/m120.want")" ]
