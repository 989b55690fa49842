# PKCS#12 in and out, both ways with openssl pkcs12.
plan 56
DB="$T/keydb"
printf 's3cret pass\n' >"$T/pw"
chmod 600 "$T/pw"
printf 'wrong\n' >"$T/badpw"
chmod 600 "$T/badpw"

# openssl 3 (PBES2, AES, PBKDF2) into the database.
mkca root "/O=Example Corp/CN=Example Root CA"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$T/client.key" -out "$T/client.csr" -subj "/CN=client1" 2>/dev/null
openssl x509 -req -in "$T/client.csr" -CA "$T/root.pem" -CAkey "$T/root.key" \
    -CAcreateserial -days 30 -out "$T/client.pem" 2>/dev/null
openssl pkcs12 -export -inkey "$T/client.key" -in "$T/client.pem" \
    -certfile "$T/root.pem" -name "client one" -passout "file:$T/pw" \
    -out "$T/in.p12"

certlist "$DB" >"$T/before"
dsm -import -pkcs12 "$T/in.p12" -pwfile "$T/badpw" -db "$DB"
expect 2 "a wrong password is a bad input file"
err_has 'wrong password' "and says so"
assert "nothing imported, no database created" [ ! -e "$DB/cert9.db" ]

dsm -import -pkcs12 "$T/in.p12" -pwfile "$T/pw" -label client1 -db "$DB"
expect 0 "an openssl 3 PKCS#12 imports"
assert "the leaf is under -label with its key (u,u,u)" \
    sh -c "certutil -L -d sql:$DB | grep -Eq '^client1 +u,u,u'"
assert "the key is named like the certificate" \
    sh -c "certutil -K -d sql:$DB 2>/dev/null | grep -Eq 'ec .* client1\$'"
assert "the chain's CA is trusted C,," \
    sh -c "certutil -L -d sql:$DB | grep -Eq '^Example Root CA.* +C,,'"
dsm -list -json -db "$DB"
out_has "$(fp "$T/client.pem")" "-list shows the client certificate's fingerprint"

# Out again, and openssl reads it.
dsm -export -label client1 -pkcs12 "$T/out.p12" -pwfile "$T/pw" -db "$DB"
expect 0 "-export -pkcs12 writes the file"
m=$(stat -c %a "$T/out.p12")
assert "the file is 0600 (is $m)" [ "$m" = 600 ]
assert "openssl reads it with the password" \
    openssl pkcs12 -in "$T/out.p12" -passin "file:$T/pw" -nodes -out "$T/out.pem"
assert "it holds the private key" grep -q "BEGIN PRIVATE KEY" "$T/out.pem"
openssl pkey -in "$T/client.key" -pubout >"$T/pub.a"
openssl pkey -in "$T/out.pem" -pubout >"$T/pub.b" 2>/dev/null
same "$T/pub.a" "$T/pub.b" "the same key came back"
# The leaf and the CAs, from that one read (each read of NSS's PKCS#12
# costs a third of a second of PBKDF2): openssl pkcs12 -clcerts takes
# the certificates whose bag has a localKeyID (the key's), -cacerts the
# others, and out.pem has each bag's attributes before its certificate.
awk -v leaf="$T/leaf.pem" -v cas="$T/cas.pem" '
	/^Bag Attributes/ { id = 0 }
	/^    localKeyID:/ { id = 1 }
	/^-----BEGIN CERTIFICATE-----$/ { f = id ? leaf : cas }
	f != "" { print >f }
	/^-----END CERTIFICATE-----$/ { f = "" }' "$T/out.pem"
assert "the same certificate came back" \
    [ "$(fp "$T/leaf.pem")" = "$(fp "$T/client.pem")" ]
assert "with its chain" [ "$(fp "$T/cas.pem")" = "$(fp "$T/root.pem")" ]
assert "openssl refuses a wrong password" \
    sh -c "! openssl pkcs12 -in $T/out.p12 -passin file:$T/badpw -nokeys >/dev/null 2>&1"

# And back into a second database: a round trip through our own format.
dsm -import -pkcs12 "$T/out.p12" -pwfile "$T/pw" -db "$T/db2"
expect 0 "our own PKCS#12 imports into another database"
assert "under its friendly name" \
    sh -c "certutil -L -d sql:$T/db2 | grep -Eq '^client1 +u,u,u'"

# A key made by -gen csr and signed by -sign leaves as PKCS#12 too.
dsm -ca create -label CA -subject "CN=Internal CA" -keytype ec256 -db "$DB"
dsm -gen csr -c US -sp NC -cl Raleigh -on Ex -hn n2.example.com -label n2 \
    -keytype ec256 \
    -out "$T/n2.csr" -db "$DB"
dsm -sign -file "$T/n2.csr" -ca CA -out "$T/n2.crt" -db "$DB"
dsm -receive -file "$T/n2.crt" -db "$DB"
expect 0 "a generated identity is installed"
dsm -export -label n2 -pkcs12 "$T/n2.p12" -pwfile "$T/pw" -db "$DB"
expect 0 "and exports as PKCS#12"
assert "openssl reads the generated key" \
    sh -c "openssl pkcs12 -in $T/n2.p12 -passin file:$T/pw -nodes 2>/dev/null | grep -q 'BEGIN PRIVATE KEY'"

dsm -export -label "Example Root CA - Example Corp" -pkcs12 "$T/ca.p12" -pwfile "$T/pw" -db "$DB"
expect 4 "a certificate without a key cannot be PKCS#12"
assert "and no file is written" [ ! -e "$T/ca.p12" ]
dsm -export -label nosuch -pkcs12 "$T/x.p12" -pwfile "$T/pw" -db "$DB"
expect 4 "an unknown label is not found"

chmod 644 "$T/pw"
dsm -import -pkcs12 "$T/in.p12" -pwfile "$T/pw" -db "$T/db3"
expect 2 "a password file readable by others is refused"
chmod 600 "$T/pw"
printf 'not pkcs12' >"$T/junk.p12"
dsm -import -pkcs12 "$T/junk.p12" -pwfile "$T/pw" -db "$T/db3"
expect 2 "a file that is not PKCS#12 is refused"
assert "no database created for junk" [ ! -e "$T/db3/cert9.db" ]
dsm -import -pkcs12 "$T/in.p12" -db "$T/db3"
expect 1 "-import without -pwfile is a usage error"

# The rules of -add: an expired certificate is refused without -force,
# a re-import changes nothing and says so, a certificate NSS cannot store
# or one whose issuer and serial number another holds is refused first.
P="$T/p12db"
rm -rf "$T/nss" && mkdir "$T/nss"
certutil -N -d "sql:$T/nss" --empty-password
head -c 64 /dev/urandom >"$T/nss/noise"
# certutil dates it (two years ago, for a year), on a key of the pool;
# openssl makes the PKCS#12 (pk12util's, with NSS's PBKDF2 rounds, cost
# about a second to write and read back, which is not what is tested
# here).
pool_into old "sql:$T/nss"
certutil -S -d "sql:$T/nss" -n old -s "CN=old client,O=Test" -x -t ",," \
    -k pool -w -24 -v 12 -z "$T/nss/noise" >/dev/null 2>&1
certutil -L -d "sql:$T/nss" -n old -a >"$T/old.pem"
openssl pkcs12 -export -inkey "$T/old.key" -in "$T/old.pem" -name old \
    -passout "file:$T/pw" -out "$T/old.p12"
dsm -import -pkcs12 "$T/old.p12" -pwfile "$T/pw" -db "$P"
expect 2 "an expired certificate in PKCS#12 is refused"
err_has "old\.p12: CN=old client,O=Test \(SHA-256 $(fp "$T/old.pem")\) expired on" \
    "naming the file and the certificate"
err_has "hint: use -force" "and the way to import it anyway"
assert "nothing imported, no database created" [ ! -e "$P/cert9.db" ]
dsm -import -pkcs12 "$T/old.p12" -pwfile "$T/pw" -force -db "$P"
expect 0 "with -force it is imported"
err_has "warning: .*CN=old client.* expired on .*imported because of -force" \
    "with a warning"
assert "certutil lists it with its key" \
    sh -c "certutil -L -d sql:$P | grep -Eq '^old +u,u,u'"

dsm -import -pkcs12 "$T/in.p12" -pwfile "$T/pw" -label client1 -db "$P"
expect 0 "a second file"
certlist "$P" >"$T/before"
cksum "$P/cert9.db" "$P/key4.db" >"$T/sum.before"
dsm -import -pkcs12 "$T/in.p12" -pwfile "$T/pw" -db "$P"
expect 0 "importing it again succeeds"
out_has "unchanged: CN=client1 \(SHA-256 $(fp "$T/client.pem")\) is already in the key database as \"client1\"" \
    "says the certificate is there already"
out_has "unchanged: .*Example Root CA" "and its chain CA"
out_has "^nothing changed" "and that nothing changed"
out_lacks "^imported" "and does not say imported"
certlist "$P" >"$T/after"
same "$T/before" "$T/after" "certutil sees the same database"
cksum "$P/cert9.db" "$P/key4.db" >"$T/sum.after"
same "$T/sum.before" "$T/sum.after" "the database files were not written"
dsm -import -pkcs12 "$T/in.p12" -pwfile "$T/pw" -label other -db "$P"
expect 0 "again under another -label"
out_has "already in the key database as \"client1\"" \
    "keeps its one label and says which"
certlist "$P" >"$T/after"
same "$T/before" "$T/after" "and adds no label"
dsm -import -pkcs12 "$T/in.p12" -pwfile "$T/pw" -db "$P" -json
expect 0 "again, with -json"
out_has '"action": "present"' "JSON says present"

openssl genpkey -algorithm ed25519 -out "$T/ed.key"
openssl req -x509 -key "$T/ed.key" -subj "/CN=ed client" -days 30 \
    -out "$T/ed.pem"
openssl pkcs12 -export -inkey "$T/ed.key" -in "$T/ed.pem" \
    -passout "file:$T/pw" -out "$T/ed.p12"
dsm -import -pkcs12 "$T/ed.p12" -pwfile "$T/pw" -db "$P"
expect 2 "an Ed25519 identity is bad input, not a database error"
err_has "ed\.p12: CN=ed client .*NSS cannot store this certificate: its key is Ed25519" \
    "naming the certificate and the reason"
certlist "$P" >"$T/after"
same "$T/before" "$T/after" "nothing imported"
assert "no key was imported for it" \
    sh -c "! certutil -K -d sql:$P 2>/dev/null | grep -qi 'ed client'"

# A client certificate made again with the serial of one already there.
poolkey s &&
openssl req -x509 -key "$T/s.key" \
    -subj "/CN=serial client" -set_serial 77 -days 30 -out "$T/s1.pem" \
    2>/dev/null
openssl req -x509 -key "$T/s.key" -subj "/CN=serial client" -set_serial 77 \
    -days 60 -out "$T/s2.pem"
dsm -add -file "$T/s1.pem" -label S1 -db "$P"
expect 0 "the first of two with one serial"
openssl pkcs12 -export -inkey "$T/s.key" -in "$T/s2.pem" \
    -passout "file:$T/pw" -out "$T/s2.p12"
certlist "$P" >"$T/before"
dsm -import -pkcs12 "$T/s2.p12" -pwfile "$T/pw" -db "$P"
expect 5 "PKCS#12 with the issuer and serial of another is a conflict"
err_has "s2\.p12: CN=serial client \(SHA-256 $(fp "$T/s2.pem")\) has the issuer and serial number of \"S1\" \(SHA-256 $(fp "$T/s1.pem")\)" \
    "naming the certificate already there"
certlist "$P" >"$T/after"
same "$T/before" "$T/after" "nothing imported"
