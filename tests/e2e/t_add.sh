# -add: vendor syntax, idempotence, conflicts, -replace, trust, modes.
plan 33
DB="$T/keydb"
mkcert s1
mkcert s2
mkca root "/O=Example Corp/CN=Example Root CA"

dsm -add -server SERVER1 -file "$T/s1.pem" -db "$DB"
expect 0 "vendor syntax imports a server certificate"
out_has 'imported .* as "SERVER1"' "says what it imported"
assert "certutil lists SERVER1 as a trusted peer" \
    sh -c "certutil -L -d sql:$DB | grep -Eq '^SERVER1 +P,,'"
assert "fingerprint matches openssl" \
    sh -c "$DSMCERT -list -db $DB -json | grep -q \"$(fp "$T/s1.pem")\""

mode=$(stat -c %a "$DB")
assert "database directory is 0700 (is $mode)" [ "$mode" = 700 ]
for f in cert9.db key4.db; do
	m=$(stat -c %a "$DB/$f")
	assert "$f is 0600 (is $m)" [ "$m" = 600 ]
done

certlist "$DB" >"$T/before"
dsm -add -server SERVER1 -file "$T/s1.pem" -db "$DB"
expect 0 "re-adding the same certificate succeeds"
out_has 'unchanged' "says nothing changed"
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "re-add leaves the database as it was"

dsm -ADD -File "$T/s1.pem" -Server SERVER9 -DB "$DB"
expect 0 "flags in any case and order"
out_has 'already in the key database as "SERVER1"' \
    "a certificate present under another label says under which"
assert "and no SERVER9 label appears" \
    sh -c "! certutil -L -d sql:$DB | grep -q SERVER9"

dsm -add -server SERVER1 -file "$T/s2.pem" -db "$DB"
expect 5 "another certificate under an existing label is a conflict"
err_has 'label "SERVER1" already holds another certificate' \
    "the conflict names the label"
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "a conflict changes nothing"

dsm -add -server SERVER1 -file "$T/s2.pem" -db "$DB" -replace
expect 0 "-replace replaces"
dsm -export -label SERVER1 -file "$T/out.pem" -db "$DB"
expect 0 "export after replace"
assert "SERVER1 now holds the new certificate" \
    [ "$(fp "$T/out.pem")" = "$(fp "$T/s2.pem")" ]
n=$(certutil -L -d "sql:$DB" | grep -c '^SERVER1 ')
assert "one SERVER1 entry after replace (has $n)" [ "$n" = 1 ]

dsm --add --file="$T/root.pem" --db="$DB"
expect 0 "a CA root without -server, long spelling"
out_has 'as "Example Root CA"' "labelled from its CN"
assert "the CA is trusted as a TLS issuer (C,,)" \
    sh -c "certutil -L -d sql:$DB | grep -Eq '^Example Root CA +C,,'"

dsm -add -file "$T/s1.pem" -label "bad:label" -db "$DB"
expect 1 "a label with ':' is a usage error"
dsm -add -db "$DB"
expect 1 "-add without -file is a usage error"
dsm -add -file "$T/s1.pem" -pin AA -db "$DB"
expect 1 "a flag of another command is a usage error"
dsm -frobnicate
expect 1 "an unknown command is a usage error"
dsm -add -list -file x
expect 1 "two commands are a usage error"

# A certificate bigger than -list's per-attribute read buffer (16 KiB):
# 1200 DNS names make about 30 KiB of DER.
san=$(awk 'BEGIN { for (i = 1; i <= 1200; i++)
    printf "%sDNS:host-%04d.backup.example.com", (i > 1 ? "," : ""), i }')
mkcert big -addext "subjectAltName=$san"
size=$(der "$T/big.pem" | wc -c)
assert "the outsized certificate is over 16 KiB (is $size bytes)" \
    [ "$size" -gt 16384 ]
dsm -add -server BIGSAN -file "$T/big.pem" -db "$DB"
expect 0 "an outsized certificate imports"
dsm -list -db "$DB" -json
expect 0 "-list with an outsized certificate"
out_has "$(fp "$T/big.pem")" "-list shows the outsized certificate's fingerprint"
jis "with its label, fingerprint and trust" \
    '.[] | select(.label == "BIGSAN") | .sha256 == $s and .trust == "P,,"' \
    --arg s "$(fp "$T/big.pem")"
