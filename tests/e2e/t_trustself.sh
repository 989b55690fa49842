# Names and identity as the backup client judges them (issue 25): a
# self-signed server certificate that carries CA:TRUE is still trusted as
# itself when recorded for the server; a CA-issued leaf is matched by its
# subjectAltName only, never by its CN (RFC 6125).
plan 17
. "$TOP/tests/e2e/tls.sh"
DB="$T/keydb"

# openssl's default for a self-signed certificate: CA:TRUE, the server's
# name as CN, no subjectAltName.
poolkey cert256 &&
openssl req -x509 -key "$T/cert256.key" \
    -out "$T/cert256.arm" -days 365 -subj "/CN=srv812.example.com" \
    -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
dsm -add -server SRV812 -file "$T/cert256.arm" -db "$DB"
expect 0 "the CA:TRUE self-signed certificate goes in"
assert "stored as a CA, C,," \
    sh -c "certutil -L -d sql:$DB | grep -Eq '^SRV812 +C,,'"
serve "$T/cert256.arm" "$T/cert256.key"
dsm -verify -server SRV812 -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 0 "presented byte for byte by its server: trusted as itself"
out_has 'host name: +127\.0\.0\.1: not needed' "no host name needed"
out_has '^note: .*recorded for this server, presented byte for byte' \
    "a note says why"
out_has '^result: +trusted' "the result is trusted"
dsm -verify -server SRV812 -host 127.0.0.1 -port "$PORT" -db "$DB" -json
expect 0 "-json too"
assert "JSON: trusted and a peer" [ "$(jq -c '[.trusted, .peer]' "$T/out")" = \
    '[true,true]' ]
dsm -verify -server OTHER -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 6 "for a server it is not recorded for, the name must match"
err_has 'host name mismatch' "says host name mismatch"

# -check -online judges it the same way.
cat >"$T/dsm.opt" <<EOT
SErvername SRV812
EOT
cat >"$T/dsm.sys" <<EOT
SErvername SRV812
   TCPServeraddress 127.0.0.1
   TCPPort $PORT
   SSL YES
EOT
cat >"$T/inv.conf" <<EOT
[dsmcert]
keydb = $DB

[node1]
type = node
role = client
optfile = $T/dsm.opt

[SRV812]
type = server
address = 127.0.0.1
version = 8.1.14
autocert = no
EOT
dsm -check -online -config "$T/inv.conf"
expect 0 "-check -online: OK"
out_has '^DSMCERT OK' "the plugin line says OK"

# A leaf issued by a trusted CA whose only name is CN=localhost: no
# subjectAltName, so no name matches.
mkca ca "/O=Test/CN=Test Root CA"
poolkey cnonly &&
openssl req -new -key "$T/cnonly.key" \
    -subj "/CN=localhost" -out "$T/cnonly.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    >"$T/cnonly.ext"
openssl x509 -req -in "$T/cnonly.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" \
    -CAcreateserial -days 30 -extfile "$T/cnonly.ext" \
    -out "$T/cnonly.pem" 2>/dev/null
dsm -add -file "$T/ca.pem" -db "$DB"
expect 0 "the CA root goes in"
serve "$T/cnonly.pem" "$T/cnonly.key"
dsm -verify -host localhost -port "$PORT" -db "$DB"
expect 6 "CN=localhost without subjectAltName fails for localhost"
err_has 'host name mismatch' "says host name mismatch"
out_has 'host name: +localhost: FAILED \(no subjectAltName\)' \
    "the report says the host name check failed"
stop_server
