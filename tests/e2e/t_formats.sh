# Input formats: PEM, DER, armour with text around it, bundles.
plan 38
DB="$T/keydb"
mkcert a
mkcert b
mkcert c
der "$T/a.pem" >"$T/a.der"
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

# What Windows and other tools hand out: a UTF-8 byte-order mark, CR LF
# or CR-only line endings, PKCS#7 bundles (.p7b) in PEM and in DER.
rm -rf "$DB"
printf '\357\273\277' | cat - "$T/a.pem" >"$T/bom.pem"
dsm -add -server BOM -file "$T/bom.pem" -db "$DB"
expect 0 "PEM after a UTF-8 byte-order mark is imported"
dsm -export -label BOM -file "$T/bom.out" -db "$DB"
assert "it is the certificate in the file" \
    [ "$(fp "$T/bom.out")" = "$(fp "$T/a.pem")" ]
{ printf '\357\273\277'; sed 's/$/\r/' "$T/b.pem"; } >"$T/bomcrlf.pem"
tr '\n' '\r' <"$T/c.pem" >"$T/cr.pem"
dsm -add -server CRLF -file "$T/bomcrlf.pem" -db "$DB"
expect 0 "a byte-order mark and CR LF line ends"
dsm -add -server CR -file "$T/cr.pem" -db "$DB"
expect 0 "CR-only line ends"
dsm -list -label CR -json -db "$DB"
out_has "$(fp "$T/c.pem")" "the CR-only file gave its certificate"

mkcert d
mkcert e
openssl crl2pkcs7 -nocrl -certfile "$T/d.pem" -certfile "$T/e.pem" \
    -certfile "$T/a.pem" -out "$T/chain.p7b"
openssl crl2pkcs7 -nocrl -certfile "$T/d.pem" -certfile "$T/e.pem" \
    -outform DER -out "$T/chain.p7b.der"
certlist "$DB" >"$T/before"
dsm -add -server P7 -file "$T/chain.p7b" -db "$DB"
expect 0 "a PEM PKCS#7 bundle is imported"
out_has "imported .* as \"P7\" .*$(fp "$T/d.pem")" "its first as P7"
out_has "imported .* as \"P7 #2\" .*$(fp "$T/e.pem")" "its second as P7 #2"
out_has "linked: .*$(fp "$T/a.pem").* as \"BOM\"; now trusted for server P7" \
    "one already present is left under its label"
for l in "P7" "P7 #2"; do
	assert "certutil lists '$l'" \
	    sh -c "certutil -L -d sql:$DB | grep -q '^$l  '"
done
rm -rf "$T/db7"
dsm -add -server DER7 -file "$T/chain.p7b.der" -db "$T/db7"
expect 0 "a DER PKCS#7 bundle is imported"
dsm -list -server DER7 -json -db "$T/db7"
out_has "$(fp "$T/d.pem")" "with its first certificate"
out_has "$(fp "$T/e.pem")" "and its second"
n=$(certutil -L -d "sql:$T/db7" | grep -c '^DER7')
assert "two entries from the DER bundle (has $n)" [ "$n" = 2 ]

# -file -: standard input, a pipe, read whole before the database is
# locked.
rm -rf "$DB"
dsm -add -server STDIN -file - -db "$DB" <"$T/a.pem"
expect 0 "-file - reads standard input"
run sh -c 'cat "$1" | "$DSMCERT" -add -server PIPED -file - -db "$2"' sh \
    "$T/chain.p7b.der" "$DB"
expect 0 "-file - reads a PKCS#7 bundle from a pipe"
assert "certutil lists the piped bundle" \
    sh -c "certutil -L -d sql:$DB | grep -q '^PIPED #2 '"
run sh -c 'echo not a certificate | "$DSMCERT" -add -server X -file - -db "$1"' \
    sh "$DB"
expect 2 "garbage on standard input"
err_has "^dsmcert: error: standard input: " "is named as standard input"

mkcert f
mkfifo "$T/slow"
"$DSMCERT" -add -server SLOW -file - -db "$DB" <"$T/slow" >"$T/slow.out" \
    2>&1 &
slowpid=$!
exec 3>"$T/slow"
i=0
while [ $i -lt 100 ] && kill -0 $slowpid 2>/dev/null &&
    ! grep -q pipe_read "/proc/$slowpid/wchan" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
run timeout 30 "$DSMCERT" -add -server OTHER -file "$T/b.pem" -db "$DB"
expect 0 "a writer waiting on its standard input holds no lock"
cat "$T/f.pem" >&3
exec 3>&-
wait $slowpid
slowrc=$?
assert "the waiting writer then imports its input (exit $slowrc)" \
    sh -c "[ $slowrc = 0 ] && certutil -L -d sql:$DB | grep -q '^SLOW '"
[ $slowrc = 0 ] || sed 's/^/#   /' "$T/slow.out"
