# Input formats: PEM, DER, armour with text around it, bundles.
DB="$T/keydb"
mkcert a
mkcert b
mkcert c
openssl x509 -in "$T/a.pem" -outform DER -out "$T/a.der"
{ echo "Certificate for the backup server"; openssl x509 -in "$T/b.pem" -text; echo "-- end"; } >"$T/b.txt"
cat "$T/a.pem" "$T/b.pem" "$T/c.pem" >"$T/bundle.pem"

dsm -add -server DER1 -file "$T/a.der" -db "$DB"
expect 0 "DER is imported"
dsm -list -label DER1 -json -db "$DB"
out_has "$(fp "$T/a.pem")" "the DER certificate has the right fingerprint"

dsm -add -server TXT1 -file "$T/b.txt" -db "$DB"
expect 0 "PEM with text around the armour is imported"

rm -rf "$DB"
dsm -add -server SRV -file "$T/bundle.pem" -db "$DB"
expect 0 "a bundle is imported whole"
for l in "SRV" "SRV #2" "SRV #3"; do
	assert "bundle label '$l' present" \
	    sh -c "certutil -L -d sql:$DB | grep -q '^$l '"
done
dsm -export -label "SRV #2" -file "$T/two.pem" -db "$DB"
assert "labels follow file order" [ "$(fp "$T/two.pem")" = "$(fp "$T/b.pem")" ]
dsm -list -server SRV -json -db "$DB"
n=$(grep -c '"sha256"' "$T/out")
assert "-list -server shows the three (has $n)" [ "$n" = 3 ]

# Several roots with one CN, and one with no CN at all.
mkca r1 "/O=Corp/CN=Corp Root"
mkca r2 "/O=Corp/CN=Corp Root"
mkca r3 "/O=Corp Without CN/OU=Trust Unit"
cat "$T/r1.pem" "$T/r2.pem" "$T/r3.pem" >"$T/roots.pem"
dsm -add -file "$T/roots.pem" -db "$DB"
expect 0 "a CA bundle without -server"
for l in "Corp Root" "Corp Root #2" "Trust Unit"; do
	assert "CA label '$l'" sh -c "certutil -L -d sql:$DB | grep -q '^$l  '"
done
dsm -add -file "$T/roots.pem" -db "$DB"
expect 0 "adding the CA bundle again"
out_has 'unchanged' "changes nothing"
n=$(certutil -L -d "sql:$DB" | grep -c '^Corp Root')
assert "still two Corp Root entries (has $n)" [ "$n" = 2 ]
