# Bundles of 8 certificates or more are staged on a copy and swapped in.
DB="$T/keydb"
mkdir -m 700 "$T/stage"
eccerts bulk 20 >"$T/bundle.pem"
mkcert first

dsm -add -server FIRST -file "$T/first.pem" -db "$DB"
expect 0 "a database with one certificate"
DSMCERT_STAGE_DIR="$T/stage" dsm -add -server BULK -file "$T/bundle.pem" -db "$DB"
expect 0 "a bundle of 20 is imported staged"
n=$(certutil -L -d "sql:$DB" | grep -c '^BULK')
assert "certutil sees all 20 (has $n)" [ "$n" = 20 ]
assert "the first certificate is still there" \
    sh -c "certutil -L -d sql:$DB | grep -q '^FIRST '"
assert "the stage is cleaned up" [ -z "$(ls -A "$T/stage")" ]
for f in cert9.db key4.db; do
	m=$(stat -c %a "$DB/$f")
	assert "$f stays 0600 after the swap (is $m)" [ "$m" = 600 ]
done
assert "no temporary files left in the database directory" \
    [ -z "$(ls -A "$DB" | grep '^\.')" ]
dsm -export -label "BULK #20" -file "$T/b20.pem" -db "$DB"
awk "/BEGIN/{n++} n==20" "$T/bundle.pem" >"$T/last.pem"
assert "BULK #20 is the bundle's twentieth certificate" \
    [ "$(fp "$T/b20.pem")" = "$(fp "$T/last.pem")" ]
dsm -list -label "BULK #7" -json -db "$DB"
out_has '"trust": "C,,"' "staged certificates carry their trust (CA:TRUE, so C,,)"

DSMCERT_STAGE_DIR= dsm -add -file "$T/bundle.pem" -db "$T/inplace"
expect 0 "without a stage directory the bundle is imported in place"
n=$(certutil -L -d "sql:$T/inplace" | grep -c '^bulk-')
assert "in place: all 20 (has $n)" [ "$n" = 20 ]

certlist "$DB" >"$T/before"
DSMCERT_STAGE_DIR="$T/stage" dsm -add -server BULK -file "$T/bundle.pem" -db "$DB"
expect 0 "the same bundle again"
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "changes nothing"

# Every 50 certificates a staged import reopens NSS on its copy (keeping
# NSS's memory to one batch's): 120 cross that twice and end mid-batch,
# into a password-protected database, which must stay logged in across.
eccerts many 120 1000 >"$T/many.pem"
printf 'bulk-secret\n' >"$T/pw"
chmod 600 "$T/pw"
mkdir "$T/pwdb"
certutil -N -d "sql:$T/pwdb" -f "$T/pw"
DSMCERT_STAGE_DIR="$T/stage" dsm -add -server MANY -file "$T/many.pem" \
    -pwfile "$T/pw" -db "$T/pwdb"
expect 0 "a bundle of 120 is imported staged into a password-protected database"
certlist "$T/pwdb" >"$T/many.list"
n=$(grep -Ec '^MANY( #[0-9]+)? ' "$T/many.list")
assert "certutil sees all 120 (has $n)" [ "$n" = 120 ]
for k in 50 51 101 120; do
	assert "MANY #$k has its trust past a reopen" \
	    grep -Eq "^MANY #$k +C,, *\$" "$T/many.list"
done
dsm -export -label "MANY #120" -file "$T/m120.pem" -db "$T/pwdb"
awk "/BEGIN/{n++} n==120" "$T/many.pem" >"$T/m120.want"
assert "MANY #120 is the bundle's last certificate" \
    [ "$(fp "$T/m120.pem")" = "$(fp "$T/m120.want")" ]
assert "the stage is cleaned up after a reopened import" \
    [ -z "$(ls -A "$T/stage")" ]
