# -verify: real TLS handshakes with openssl s_server on 127.0.0.1.
plan 65
. "$TOP/tests/e2e/tls.sh"
DB="$T/keydb"

mkca ca "/O=Test/CN=Test Root CA"
mkca other "/O=Elsewhere/CN=Other Root CA"
mkleaf srv ca "IP:127.0.0.1,DNS:localhost" serverAuth
mkleaf wrongname ca "DNS:backup.example.com" serverAuth
mkleaf clientonly ca "IP:127.0.0.1" clientAuth
mkleaf stranger other "IP:127.0.0.1" serverAuth
mkleaf client ca "DNS:node1.example.com" clientAuth
mkcert peer -addext "subjectAltName=IP:127.0.0.1"
mkdated_key old -24 12
dsm -add -file "$T/ca.pem" -db "$DB"
expect 0 "the CA root goes in"

serve "$T/srv.pem" "$T/srv.key"
dsm -verify -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 0 "a CA-signed server with IP:127.0.0.1 in its SAN is trusted"
out_has 'anchored by: +"Test Root CA"' "names the CA entry that anchored it"
out_has 'host name: +127\.0\.0\.1: ok' "the address matches the SAN"
out_has 'SHA-256: +'"$(fp "$T/srv.pem")" "shows the chain presented"
dsm -verify -server SERVER1 -host localhost -port "$PORT" -db "$DB" -json
expect 0 "by name: DNS:localhost matches"
out_has '"trusted": true' "JSON says trusted"
out_has '"anchor": "Test Root CA"' "JSON names the anchor"
dsm -verify -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$T/empty"
expect 6 "with an empty key database it is not trusted"
err_has 'untrusted issuer' "the reason is the issuer"

# NSS's TLS and PKCS#12 libraries are linked as any other: nothing of
# NSS is loaded behind the dynamic linker's back.
readelf -d "$DSMCERT" >"$T/dynamic"
for lib in libnss3 libssl3 libsmime3; do
	assert "the binary links $lib" grep -q "NEEDED.*$lib" "$T/dynamic"
done

serve "$T/wrongname.pem" "$T/wrongname.key"
dsm -verify -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 6 "a certificate for another name fails"
err_has 'host name mismatch: "127\.0\.0\.1" is not among' "says host name mismatch"
out_has 'DNS:backup\.example\.com' "lists the names it does hold"

serve "$T/clientonly.pem" "$T/clientonly.key"
dsm -verify -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 6 "a certificate only for clientAuth fails"
err_has 'wrong key usage' "says wrong key usage"

serve "$T/stranger.pem" "$T/stranger.key"
dsm -verify -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 6 "a certificate from an unknown CA fails"
err_has 'untrusted issuer' "says untrusted issuer"
err_has "$(fp "$T/stranger.pem")" "names the certificate by fingerprint"

serve "$T/peer.pem" "$T/peer.key"
dsm -verify -server SERVER2 -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 6 "a self-signed server not yet imported is untrusted"
err_has 'untrusted issuer' "says so"
dsm -add -server SERVER2 -file "$T/peer.pem" -db "$DB"
expect 0 "pin the self-signed certificate as a peer"
dsm -verify -server SERVER2 -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 0 "the pinned self-signed peer is trusted"
out_has 'anchored by: +"SERVER2"' "anchored by its own entry"

# The vendor's default server certificate: self-signed, the subject every
# vendor server uses, no subjectAltName, trusted as itself (P,,). The
# backup client trusts it by its exact identity, whatever name it was
# reached by (issue 17).
mkcert vendor
dsm -add -server VENDOR -file "$T/vendor.pem" -db "$DB"
expect 0 "the vendor's certificate goes in"
assert "trusted as itself, P,," \
    sh -c "certutil -L -d sql:$DB | grep -Eq '^VENDOR +P,,'"
assert "and it has no subjectAltName" \
    sh -c "! openssl x509 -in $T/vendor.pem -noout -text | grep -q 'Subject Alternative Name'"
serve "$T/vendor.pem" "$T/vendor.key"
dsm -verify -server VENDOR -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 0 "a pinned certificate without subjectAltName is trusted"
out_has 'anchored by: +"VENDOR"' "anchored by its own entry"
out_has 'host name: +127\.0\.0\.1: not needed \(no subjectAltName\)' \
    "the host name is not needed"
out_has '^note: +the server certificate is trusted as itself \(P,,\), by its exact identity' \
    "a note says why"
out_has '^result: +trusted' "the result is trusted"
assert "nothing on stderr" [ ! -s "$T/err" ]
dsm -verify -server VENDOR -host localhost -port "$PORT" -db "$DB" -json
expect 0 "by another name, -json"
assert "JSON: trusted, a peer, host_ok, with the note" [ "$(jq -c \
    '[.trusted, .peer, .host_ok, .names, (.note | test("trusted as itself"))]' \
    "$T/out")" = '[true,true,true,[],true]' ]
# Issued by a trusted CA, with that subject and no subjectAltName: the
# CA vouches for names, so the host name must match.
poolkey casigned &&
openssl req -new -key "$T/casigned.key" \
    -subj "/C=US/O=TSM/OU=TSM Network/CN=TSM Self-Signed Certificate" \
    -out "$T/casigned.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    >"$T/casigned.ext"
openssl x509 -req -in "$T/casigned.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" \
    -CAcreateserial -days 30 -extfile "$T/casigned.ext" \
    -out "$T/casigned.pem" 2>/dev/null
serve "$T/casigned.pem" "$T/casigned.key"
dsm -verify -server VENDOR -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 6 "CA-issued without subjectAltName: host name mismatch"
out_has 'anchored by: +"Test Root CA"' "anchored by the CA"
out_has 'host name: +127\.0\.0\.1: FAILED \(no subjectAltName\)' \
    "the host name check failed"
out_lacks '^note:' "and no note"
err_has 'host name mismatch' "the error says so"

serve "$T/old.pem" "$T/old.key"
dsm -add -server OLD -file "$T/old.pem" -force -db "$DB"
expect 0 "an expired certificate can be imported with -force"
dsm -verify -server OLD -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 6 "an expired server certificate fails"
err_has 'expired' "says expired"
out_has 'validity: .*EXPIRED' "the report shows the dates failed"

serve "$T/srv.pem" "$T/srv.key" -Verify 1 -CAfile "$T/ca.pem"
dsm -verify -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 6 "a server demanding a client certificate, none given"
err_has 'demands a client certificate and none was presented' \
    "says the server demands a client certificate"
openssl pkcs12 -export -in "$T/client.pem" -inkey "$T/client.key" \
    -name node1 -passout pass:pw -out "$T/client.p12"
pk12util -i "$T/client.p12" -d "sql:$DB" -W pw >/dev/null 2>&1
assert "the client identity is in the key database" \
    sh -c "certutil -L -d sql:$DB | grep -Eq '^node1 +u,u,u'"
dsm -verify -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB" \
    -clientlabel node1
expect 0 "with -clientlabel the server accepts the identity"
out_has 'client cert: +requested by the server; presented' \
    "says the certificate was presented"
dsm -verify -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB" \
    -clientlabel nobody
expect 4 "an unknown client label is not found"
err_has 'no client identity labelled "nobody"' "names the label"
dsm -verify -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB" \
    -clientlabel "Test Root CA"
expect 4 "a certificate without a key is no identity"
err_has 'no private key' "says it has no key"

# Through the node's option files; the stanza's TLS options are honoured.
serve "$T/srv.pem" "$T/srv.key"
printf 'SErvername SERVER1\n' >"$T/dsm.opt"
printf 'SErvername SERVER1\n   TCPServeraddress 127.0.0.1\n   TCPPort %s\n   SSLDISABLELEGACYtls YES\n   SSLFIPSMODE YES\n' \
    "$PORT" >"$T/dsm.sys"
dsm -verify -server SERVER1 -optfile "$T/dsm.opt" -db "$DB"
expect 0 "address and port from the option file's stanza"
out_has 'stanza SERVER1' "says where the address came from"
out_has 'protocol: +TLS 1\.[23]' "TLS 1.2 at least with SSLDISABLELEGACYtls YES"
err_has 'SSLFIPSMODE YES' "says what SSLFIPSMODE YES could and could not do"

stop_server
p=$(free_port)
dsm -verify -server SERVER1 -host 127.0.0.1 -port "$p" -db "$DB" -timeout 5
expect 6 "a closed port fails"
err_has 'connection refused' "says connection refused"
dsm -verify -server SERVER1 -host 127.0.0.1 -port 0 -db "$DB"
expect 1 "port 0 is a usage error"
dsm -verify -server SERVER1 -host 127.0.0.1 -port 1 -timeout x -db "$DB"
expect 1 "a time-out that is not a number is a usage error"

# A server that accepts the connection and never answers: the kernel
# completes the TCP handshake for a stopped s_server, nothing speaks TLS.
# The outer timeout only turns a hang into a failure; it is no measure.
serve "$T/srv.pem" "$T/srv.key" || nok "s_server for the silent peer"
kill -STOP "$SRV_PID"
run timeout 60 "$DSMCERT" -verify -server SERVER1 -host 127.0.0.1 \
    -port "$PORT" -db "$DB" -timeout 2
expect 6 "a server that never answers fails within the time-out"
err_has 'time-out' "says time-out"
kill -CONT "$SRV_PID"
stop_server
