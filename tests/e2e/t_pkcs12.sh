# PKCS#12 in and out, both ways with openssl pkcs12.
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
openssl pkcs12 -in "$T/out.p12" -passin "file:$T/pw" -nokeys -clcerts \
    -out "$T/leaf.pem" 2>/dev/null
assert "the same certificate came back" \
    [ "$(fp "$T/leaf.pem")" = "$(fp "$T/client.pem")" ]
openssl pkcs12 -in "$T/out.p12" -passin "file:$T/pw" -nokeys -cacerts \
    -out "$T/cas.pem" 2>/dev/null
assert "with its chain" [ "$(fp "$T/cas.pem")" = "$(fp "$T/root.pem")" ]
assert "openssl refuses a wrong password" \
    sh -c "! openssl pkcs12 -in $T/out.p12 -passin file:$T/badpw -nokeys >/dev/null 2>&1"

# And back into a second database: a round trip through our own format.
dsm -import -pkcs12 "$T/out.p12" -pwfile "$T/pw" -db "$T/db2"
expect 0 "our own PKCS#12 imports into another database"
assert "under its friendly name" \
    sh -c "certutil -L -d sql:$T/db2 | grep -Eq '^client1 +u,u,u'"

# A key made by -gen csr and signed by -sign leaves as PKCS#12 too.
dsm -ca create -label CA -subject "CN=Internal CA" -db "$DB"
dsm -gen csr -c US -sp NC -cl Raleigh -on Ex -hn n2.example.com -label n2 \
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
