# Certificates NSS cannot hold: keys it cannot store, and two
# certificates with one issuer and serial number. Refused before the
# database is touched, named, with the exit status of their kind.
plan 61
DB="$T/keydb"
mkcert good
dsm -add -server GOOD -file "$T/good.pem" -db "$DB"
expect 0 "a database to protect"
certlist "$DB" >"$T/before"

# Keys NSS cannot store (NSS 3.87 knows neither Edwards curves nor
# explicit EC parameters).
openssl genpkey -algorithm ed25519 -out "$T/ed25519.key"
openssl req -x509 -key "$T/ed25519.key" -subj "/CN=ed25519 server" \
    -days 30 -out "$T/ed25519.pem"
openssl genpkey -algorithm ed448 -out "$T/ed448.key"
openssl req -x509 -key "$T/ed448.key" -subj "/CN=ed448 server" \
    -days 30 -out "$T/ed448.pem"
openssl ecparam -name prime256v1 -genkey -noout -param_enc explicit \
    -out "$T/explicit.key"
openssl req -x509 -key "$T/explicit.key" -subj "/CN=explicit server" \
    -days 30 -out "$T/explicit.pem"
assert "openssl wrote explicit curve parameters" sh -c \
    "openssl x509 -in $T/explicit.pem -noout -text | grep -q 'Field Type'"
# An X25519 key in a certificate, signed by another key.
openssl genpkey -algorithm x25519 -out "$T/x25519.key"
openssl pkey -in "$T/x25519.key" -pubout -out "$T/x25519.pub"
openssl req -new -key "$T/good.key" -subj "/CN=x25519 server" \
    -out "$T/x25519.csr"
openssl x509 -req -in "$T/x25519.csr" -CA "$T/good.pem" -CAkey "$T/good.key" \
    -force_pubkey "$T/x25519.pub" -days 30 -out "$T/x25519.pem" 2>/dev/null

for k in "ed25519:its key is Ed25519 \(OID 1\.3\.101\.112\)" \
    "ed448:its key is Ed448 \(OID 1\.3\.101\.113\)" \
    "x25519:its key is X25519 \(OID 1\.3\.101\.110\)" \
    "explicit:its EC key gives its curve by explicit parameters"; do
	n=${k%%:*}
	why=${k#*:}
	dsm -add -server X -file "$T/$n.pem" -db "$DB"
	expect 2 "$n: refused as bad input, not a database error"
	err_has "$n\.pem:1: CN=$n server \(SHA-256 $(fp "$T/$n.pem")\): NSS cannot store this certificate: $why" \
	    "$n: names the file, the certificate and the reason"
	db_unchanged "$n"
done
dsm -add -server X -file "$T/ed25519.pem" -force -db "$DB"
expect 2 "-force does not make it storable"
db_unchanged "-force"

mkcert fresh
cat "$T/fresh.pem" "$T/ed25519.pem" "$T/explicit.pem" >"$T/mixed.pem"
dsm -add -server MIX -file "$T/mixed.pem" -db "$DB"
expect 2 "a bundle with two such certificates"
err_has "mixed\.pem:[0-9]+: CN=ed25519 server .* Ed25519" "names the first"
err_has "mixed\.pem:[0-9]+: CN=explicit server .* explicit parameters" \
    "and the second"
err_has "nothing was imported from .*mixed\.pem" "says nothing was imported"
db_unchanged "all or nothing"
openssl crl2pkcs7 -nocrl -certfile "$T/fresh.pem" -certfile "$T/ed448.pem" \
    -outform DER -out "$T/mixed.p7b"
dsm -add -server MIX -file "$T/mixed.p7b" -db "$DB"
expect 2 "a PKCS#7 bundle with one"
err_has "mixed\.p7b: CN=ed448 server .* Ed448" "names it"
db_unchanged "PKCS#7 all or nothing"
dsm -add -server X -file "$T/ed25519.pem" -db "$T/newdb"
expect 2 "into a database that does not exist"
assert "no database is created for it" [ ! -e "$T/newdb" ]

# -receive refuses such a chain before installing anything.
dsm -ca create -label CA -subject "CN=Internal CA" -keytype ec256 -db "$DB"
dsm -gen csr -c US -sp NC -cl Raleigh -on Ex -hn n1.example.com -label n1 \
    -keytype ec256 -out "$T/n1.csr" -db "$DB"
dsm -sign -file "$T/n1.csr" -ca CA -out "$T/n1.crt" -db "$DB"
certlist "$DB" >"$T/before"
dsm -receive -file "$T/n1.crt" -chain "$T/explicit.pem" -db "$DB"
expect 2 "-receive with a chain NSS cannot store"
err_has "explicit\.pem: certificate \"CN=explicit server\" .*NSS cannot store" \
    "names the chain certificate"
db_unchanged "-receive"

# One issuer and serial number, two certificates: a server's
# self-signed certificate made again with a fixed serial.
openssl req -x509 -key "$T/good.key" -subj "/CN=backup1.example.com" \
    -set_serial 4242 -days 30 -out "$T/old.pem" 2>/dev/null
openssl req -x509 -key "$T/good.key" -subj "/CN=backup1.example.com" \
    -set_serial 4242 -days 60 -out "$T/new.pem" 2>/dev/null
assert "the two differ" [ "$(fp "$T/old.pem")" != "$(fp "$T/new.pem")" ]
dsm -add -server SERVER1 -file "$T/old.pem" -db "$DB"
expect 0 "the first certificate"
certlist "$DB" >"$T/before"
dsm -add -server SERVER2 -file "$T/new.pem" -db "$DB"
expect 5 "the second under another label is a conflict"
err_has "new\.pem:1: CN=backup1\.example\.com \(SHA-256 $(fp "$T/new.pem")\) has the issuer and serial number of \"SERVER1\" \(SHA-256 $(fp "$T/old.pem")\), already in the key database" \
    "naming the certificate already there by label and fingerprint"
err_has "hint: use -replace" "and the way out"
db_unchanged "issuer and serial conflict"
dsm -add -server SERVER1 -file "$T/new.pem" -db "$DB"
expect 5 "under the same label too"
db_unchanged "same label"

dsm -add -server SERVER1 -file "$T/new.pem" -replace -db "$DB"
expect 0 "-replace resolves it"
out_has "removed \"SERVER1\" \(SHA-256 $(fp "$T/old.pem")\)" "says what it removed"
dsm -export -label SERVER1 -file "$T/now.pem" -db "$DB"
assert "SERVER1 is the new certificate" \
    [ "$(fp "$T/now.pem")" = "$(fp "$T/new.pem")" ]
n=$(certutil -L -d "sql:$DB" | grep -c '^SERVER1 ')
assert "one SERVER1 entry (has $n)" [ "$n" = 1 ]
dsm -list -server SERVER1 -json -db "$DB"
out_lacks "$(fp "$T/old.pem")" "the old one is gone from the server's list"

# -replace under another label: the old entry goes, its label with it.
dsm -add -server SERVER2 -file "$T/old.pem" -replace -db "$DB"
expect 0 "-replace under another label"
assert "SERVER1 is gone" \
    sh -c "! certutil -L -d sql:$DB | grep -q '^SERVER1 '"
dsm -export -label SERVER2 -file "$T/now2.pem" -db "$DB"
assert "SERVER2 holds the old certificate again" \
    [ "$(fp "$T/now2.pem")" = "$(fp "$T/old.pem")" ]
dsm -list -server SERVER1 -db "$DB"
out_lacks "$(fp "$T/new.pem")" "SERVER1 has no certificate left"

# Without -label or -server the replacement keeps the old label.
dsm -add -file "$T/new.pem" -replace -db "$DB"
expect 0 "-replace without a name"
dsm -export -label SERVER2 -file "$T/now3.pem" -db "$DB"
assert "the old label holds the new certificate" \
    [ "$(fp "$T/now3.pem")" = "$(fp "$T/new.pem")" ]

# Both in one file: bad input.
cat "$T/old.pem" "$T/new.pem" >"$T/both.pem"
dsm -add -server BOTH -file "$T/both.pem" -db "$T/db2"
expect 2 "one file with both"
err_has "both\.pem:[0-9]+: .*$(fp "$T/new.pem").* earlier in the file" \
    "names the second and the first"
assert "no database was created" [ ! -e "$T/db2" ]

# Other importers report the same conflict, not a decoding error.
certlist "$DB" >"$T/before"
poolkey r &&
openssl req -x509 -key "$T/r.key" \
    -subj "/CN=Chain Root" -set_serial 99 -days 30 \
    -addext "basicConstraints=critical,CA:TRUE" -out "$T/r1.pem" 2>/dev/null
openssl req -x509 -key "$T/r.key" -subj "/CN=Chain Root" -set_serial 99 \
    -days 40 -addext "basicConstraints=critical,CA:TRUE" -out "$T/r2.pem"
dsm -add -file "$T/r1.pem" -db "$DB"
expect 0 "a chain root"
dsm -gen csr -c US -sp NC -cl Raleigh -on Ex -hn n2.example.com -label n2 \
    -keytype ec256 -out "$T/n2.csr" -db "$DB"
dsm -sign -file "$T/n2.csr" -ca CA -out "$T/n2.crt" -db "$DB"
dsm -receive -file "$T/n2.crt" -chain "$T/r2.pem" -db "$DB"
expect 5 "-receive with a chain root made again is a conflict"
err_has "has the issuer and serial number of \"Chain Root\" \(SHA-256 $(fp "$T/r1.pem")\)" \
    "naming the root already there"

# In a bundle big enough to be staged on a copy of the database, the
# same: the conflict named, and -replace removing the old one on the copy.
rm -rf "$DB"
eccerts bulk 9 >"$T/bulk.pem"
openssl req -x509 -key "$T/k.pem" -days 20 -subj "/CN=bulk-3" \
    -set_serial 3 -out "$T/old3.pem" 2>/dev/null
dsm -add -server OLD3 -file "$T/old3.pem" -db "$DB"
expect 0 "a certificate the bundle's third replaces"
certlist "$DB" >"$T/before"
dsm -add -server BULK -file "$T/bulk.pem" -db "$DB"
expect 5 "the bundle is a conflict"
err_has "bulk\.pem:[0-9]+: CN=bulk-3 .* serial number of \"OLD3\" \(SHA-256 $(fp "$T/old3.pem")\)" \
    "naming the one already there"
db_unchanged "staged conflict"
dsm -add -server BULK -file "$T/bulk.pem" -replace -db "$DB"
expect 0 "-replace imports the bundle"
n=$(certutil -L -d "sql:$DB" | grep -c '^BULK')
assert "nine BULK entries (has $n)" [ "$n" = 9 ]
assert "OLD3 is gone" sh -c "! certutil -L -d sql:$DB | grep -q '^OLD3 '"
