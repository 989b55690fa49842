# Internal CA: -ca create, -sign, -export of the root, -receive.
plan 47
DB="$T/keydb"
CLIENT="$T/client"

dsm -ca create -label "Backup CA" -subject "CN=Backup Root CA,O=Example Corp,C=US" \
    -days 30 -keytype ec256 -db "$DB"
expect 0 "-ca create makes a CA"
assert "certutil shows the CA trusted C (with its key)" \
    sh -c "certutil -L -d sql:$DB | grep -Eq '^Backup CA +Cu?,'"
assert "its key is in the database" \
    sh -c "certutil -K -d sql:$DB 2>/dev/null | grep -q 'Backup CA'"
dsm -export -label "Backup CA" -file "$T/ca.pem" -db "$DB"
expect 0 "the root exports for clients"
# Each certificate read by openssl x509 once, for everything it is
# asked about: -enddate and -serial print a line of their own first.
openssl x509 -in "$T/ca.pem" -noout -enddate -text >"$T/ca.txt"
assert "basicConstraints CA:TRUE" grep -q "CA:TRUE" "$T/ca.txt"
assert "keyUsage has Certificate Sign" grep -q "Certificate Sign" "$T/ca.txt"
assert "self-signed: openssl verifies it against itself" \
    openssl verify -CAfile "$T/ca.pem" "$T/ca.pem"

# A client makes a request in its own database; the CA signs it.
dsm -gen csr -c US -sp NC -cl Raleigh -on "Example Corp" -hn node1.example.com \
    -san DNS:node1,IP:192.0.2.7 -eku clientAuth -label node1 -keytype ec256 \
    -out "$T/node1.csr" -db "$CLIENT"
expect 0 "client request"
dsm -sign -file "$T/node1.csr" -ca "Backup CA" -days 10 -out "$T/node1.crt" \
    -db "$DB"
expect 0 "-sign signs it"
assert "openssl verifies the certificate against the exported root" \
    openssl verify -CAfile "$T/ca.pem" "$T/node1.crt"
openssl x509 -in "$T/node1.crt" -noout -serial -text >"$T/leaf.txt"
assert "requested subjectAltName copied" grep -q \
    "DNS:node1.example.com, DNS:node1, IP Address:192.0.2.7" "$T/leaf.txt"
assert "requested extended key usage copied" grep -q \
    "TLS Web Client Authentication" "$T/leaf.txt"
assert "not a CA" grep -q "CA:FALSE" "$T/leaf.txt"
assert "issuer is the CA" grep -q "Issuer: C = US, O = Example Corp, CN = Backup Root CA" \
    "$T/leaf.txt"
dsm -sign -file "$T/node1.csr" -ca "Backup CA" -out "$T/node1b.crt" -db "$DB"
openssl x509 -in "$T/node1b.crt" -noout -serial -enddate >"$T/leafb.txt"
s1=$(grep '^serial=' "$T/leaf.txt")
s2=$(grep '^serial=' "$T/leafb.txt")
assert "each signature has a fresh serial ($s1, $s2)" [ "$s1" != "$s2" ]
e1=$(date -d "$(sed -n 's/^notAfter=//p' "$T/leafb.txt")" +%s)
e2=$(date -d "$(sed -n 's/^notAfter=//p' "$T/ca.txt")" +%s)
assert "a certificate does not outlive its CA" [ "$e1" -le "$e2" ]

# Requests from openssl and many devices carry a challengePassword
# attribute, before the extension request or instead of it.
cat >"$T/pw.cnf" <<'CNF'
[req]
prompt = no
distinguished_name = dn
attributes = attr
req_extensions = ext
[dn]
CN = node2.example.com
[attr]
challengePassword = not-for-the-certificate
[ext]
subjectAltName = DNS:node2.example.com,IP:192.0.2.8
CNF
poolkey node2 &&
openssl req -new -key "$T/node2.key" \
    -config "$T/pw.cnf" -out "$T/node2.csr" 2>/dev/null
openssl req -in "$T/node2.csr" -noout -text >"$T/node2.txt"
assert "the request has a challengePassword before its extensions" \
    sh -c "grep -A1 Attributes: $T/node2.txt | grep -q challengePassword"
dsm -sign -file "$T/node2.csr" -ca "Backup CA" -out "$T/node2.crt" -db "$DB"
expect 0 "a request with a challengePassword is signed"
assert "openssl verifies it" \
    openssl verify -CAfile "$T/ca.pem" "$T/node2.crt"
openssl x509 -in "$T/node2.crt" -noout -text >"$T/node2crt.txt"
assert "its requested subjectAltName is copied" grep -q \
    "DNS:node2.example.com, IP Address:192.0.2.8" "$T/node2crt.txt"
assert "the password is not in the certificate" \
    sh -c "! grep -aq not-for-the-certificate $T/node2.crt $T/node2crt.txt"
sed '/^req_extensions/d' "$T/pw.cnf" >"$T/pwonly.cnf"
openssl req -new -key "$T/node2.key" -config "$T/pwonly.cnf" \
    -outform DER -out "$T/node3.der" 2>/dev/null
dsm -sign -file "$T/node3.der" -ca "Backup CA" -out "$T/node3.crt" -db "$DB"
expect 0 "a DER request with a challengePassword and no extensions"
openssl x509 -in "$T/node3.crt" -noout -text >"$T/node3crt.txt"
assert "it is signed without a subjectAltName" sh -c \
    "grep -q CA:FALSE $T/node3crt.txt &&
     ! grep -q 'Alternative Name' $T/node3crt.txt"

dsm -sign -file "$T/node1.csr" -ca "No Such CA" -out "$T/x.crt" -db "$DB"
expect 4 "an unknown CA label is not found"
err_has 'no CA certificate labelled "No Such CA"' "and says which"
assert "nothing written" [ ! -e "$T/x.crt" ]

# A request whose signature does not verify is refused.
sed '2s/^\(.\)./\1A/;3s/^\(.\)./\1B/' "$T/node1.csr" >"$T/tampered.csr"
assert "the tampered request fails openssl too" \
    sh -c "! openssl req -in $T/tampered.csr -verify -noout >/dev/null 2>&1"
dsm -sign -file "$T/tampered.csr" -ca "Backup CA" -out "$T/t.crt" -db "$DB"
expect 2 "a tampered request is refused"
dsm -sign -file "$T/ca.pem" -ca "Backup CA" -out "$T/t.crt" -db "$DB"
expect 2 "a certificate is not a request"

# -receive on the client: certificate attached to its key, chain added.
certlist "$CLIENT" >"$T/before"
dsm -receive -file "$T/node1.crt" -chain "$T/ca.pem" -db "$CLIENT"
expect 0 "-receive installs the certificate"
out_has 'on key "node1"' "under the key's label"
assert "certutil lists node1 as a user certificate" \
    sh -c "certutil -L -d sql:$CLIENT | grep -Eq '^node1 +u,u,u'"
assert "the chain's CA is trusted C,," \
    sh -c "certutil -L -d sql:$CLIENT | grep -Eq '^Backup Root CA +C,,'"
dsm -list -label node1 -json -db "$CLIENT"
out_has "$(fp "$T/node1.crt")" "-list shows the received certificate"

mkcert stray
certlist "$CLIENT" >"$T/before"
dsm -receive -file "$T/stray.pem" -db "$CLIENT"
expect 2 "a certificate whose key is not here is refused"
err_has 'private key is not in' "and says so"
certlist "$CLIENT" >"$T/after"
same "$T/before" "$T/after" "nothing changed"

dsm -ca create -label "Backup CA" -subject "CN=Again" -db "$DB"
expect 5 "a second CA under a taken label is a conflict"
dsm -ca create -label X -subject "not a DN" -db "$DB"
expect 2 "a subject that is not a DN is refused"
dsm -ca create -label X -subject "CN=X" -days 0 -db "$DB"
expect 1 "-days 0 is a usage error"

# The chain goes in through the import engine, as -add's CA roots do: an
# expired CA is refused before anything is installed, unless -force; one
# already here under another label is said to be there under that label.
python3 - "$T/old.pem" <<'PY'
import datetime, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Old Root")])
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(4242)
        .not_valid_before(datetime.datetime(2020, 1, 1))
        .not_valid_after(datetime.datetime(2020, 2, 1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256()))
open(sys.argv[1], "wb").write(cert.public_bytes(serialization.Encoding.PEM))
PY
cat "$T/ca.pem" "$T/old.pem" >"$T/chain3.pem"
C3="$T/client3"
dsm -gen csr -c US -sp NC -cl Raleigh -on "Example Corp" \
    -hn node3.example.com -label node3 -out "$T/node3.csr" -db "$C3"
dsm -sign -file "$T/node3.csr" -ca "Backup CA" -out "$T/node3.crt" -db "$DB"
dsm -add -label "Our Root" -file "$T/ca.pem" -db "$C3"
certlist "$C3" >"$T/before"
dsm -receive -file "$T/node3.crt" -chain "$T/chain3.pem" -db "$C3"
expect 2 "-receive refuses an expired chain CA, as -add does"
err_has "chain3\.pem:[0-9]+: CN=Old Root .* expired on" "naming it"
err_has "use -force" "and saying how to import it anyway"
certlist "$C3" >"$T/after"
same "$T/before" "$T/after" "nothing installed"
dsm -receive -file "$T/node3.crt" -chain "$T/chain3.pem" -force -json \
    -db "$C3"
expect 0 "-receive -force imports it"
jis "the CA already here is present under its label, the expired one imported" \
    '.label == "node3" and (.chain | length == 2) and
    .chain[0].action == "present" and .chain[0].label == "Our Root" and
    .chain[1].action == "imported" and .chain[1].label == "Old Root"'
assert "the CA is not imported a second time" \
    sh -c "! certutil -L -d sql:$C3 | grep -q 'Backup Root CA'"
