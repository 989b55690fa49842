# The machine's identity renewed (-gen csr -renew, -receive): a new key
# and request with the old subject, subjectAltName and usage; once
# received, what selects the identity by label presents the new
# certificate: -export -pkcs12, and NSS's own TLS client (tstclnt -n)
# against openssl s_server -Verify 1. The old certificate and key stay.
plan 29
. "$TOP/tests/e2e/tls.sh"
DB="$T/db"
TSTCLNT=$(command -v tstclnt || ls /usr/lib/nss/tstclnt /usr/bin/nss-tstclnt 2>/dev/null | head -n 1)
umask 077
printf 'p12pw\n' >"$T/p12pw"

dsm -ca create -label myca -subject "CN=Test CA,O=Test" -keytype ec256 \
    -db "$DB"
expect 0 "an internal CA"
dsm -gen csr -c US -sp NC -cl Raleigh -on Test -hn node1.example.com \
    -san IP:127.0.0.1 -eku clientAuth -keytype ec256 -label node1 \
    -out "$T/n1.csr" -db "$DB"
expect 0 "a first request"
dsm -sign -file "$T/n1.csr" -ca myca -days 20 -out "$T/n1.pem" -db "$DB"
dsm -receive -file "$T/n1.pem" -db "$DB"
expect 0 "the identity is installed"
certutil -K -d "sql:$DB" >"$T/keys.before" 2>&1

dsm -gen csr -renew nosuch -out "$T/x.csr" -db "$DB"
expect 4 "-renew of a label not there is not found"
dsm -add -file "$T/n1.pem" -label justcert -db "$T/db2"
dsm -gen csr -renew justcert -out "$T/x.csr" -db "$T/db2"
expect 4 "-renew of a certificate without its key here is not found"
err_has "no private key here" "and says its key is not here"
dsm -gen csr -renew node1 -hn other.example.com -out "$T/x.csr" -db "$DB"
expect 1 "-renew takes no subject fields"
assert "no key was made by the refusals" sh -c \
    "certutil -K -d sql:$DB 2>&1 | cmp -s - $T/keys.before"

# A renewal comes later than the certificate it renews: NSS picks among
# one label's certificates by not-before, so the clock must move on.
sleep 2
dsm -gen csr -renew node1 -out "$T/r.csr" -db "$DB"
expect 0 "-gen csr -renew"
# One openssl for the request, one for the certificate it renews.
# openssl req -verify exits 0 whether the signature verifies or not
# (OpenSSL 3.0): its line on standard error is what tells.
openssl req -in "$T/r.csr" -verify -noout -pubkey -text -subject \
    >"$T/r.txt" 2>"$T/r.err"
assert "the request verifies" \
    grep -qx 'Certificate request self-signature verify OK' "$T/r.err"
openssl x509 -in "$T/n1.pem" -noout -pubkey -subject >"$T/n1.txt" 2>&1
# subject FILE, pubkey FILE: what openssl's -subject, -pubkey printed.
subject() { sed -n 's/^subject=//p' "$1"; }
pubkey() { sed -n '/^-----BEGIN PUBLIC KEY-----$/,/^-----END PUBLIC KEY-----$/p' "$1"; }
s=$(subject "$T/r.txt")
assert "the same subject ($s)" sh -c '[ -n "$1" ] && [ "$1" = "$2" ]' sh \
    "$s" "$(subject "$T/n1.txt")"
assert "the same subjectAltName" grep -q \
    "DNS:node1.example.com, IP Address:127.0.0.1" "$T/r.txt"
assert "the same extended key usage" sh -c \
    "grep -q 'TLS Web Client Authentication' $T/r.txt && ! grep -q 'TLS Web Server' $T/r.txt"
assert "the same key type and size (EC 256)" grep -q "Public-Key: (256 bit)" "$T/r.txt"
assert "a new key" [ "$(pubkey "$T/r.txt")" != "$(pubkey "$T/n1.txt")" ]
assert "a second key under the label" sh -c \
    "[ \$(certutil -K -d sql:$DB 2>/dev/null | grep -c ' node1\$') -eq 2 ]"
dsm -list -label node1 -db "$DB"
assert "the old certificate is untouched" grep -q "$(fp "$T/n1.pem")" "$T/out"

dsm -gen csr -renew node1 -keytype ec384 -out "$T/r3.csr" -db "$DB"
expect 0 "-renew -keytype chooses another key"
assert "an EC 384 request" sh -c \
    "openssl req -in $T/r3.csr -noout -text | grep -q 'Public-Key: (384 bit)'"

dsm -sign -file "$T/r.csr" -ca myca -days 365 -out "$T/r.pem" -db "$DB"
dsm -receive -file "$T/r.pem" -db "$DB"
expect 0 "-receive of the renewed certificate"
out_has 'on key "node1"' "it goes under the identity's label"
dsm -list -label node1 -db "$DB"
assert "the old certificate stays" grep -q "$(fp "$T/n1.pem")" "$T/out"
assert "beside the new one" grep -q "$(fp "$T/r.pem")" "$T/out"

dsm -export -label node1 -pkcs12 "$T/n1.p12" -pwfile "$T/p12pw" -db "$DB"
expect 0 "-export -pkcs12 of a renewed identity"
openssl pkcs12 -in "$T/n1.p12" -passin pass:p12pw -nokeys -clcerts \
    2>/dev/null >"$T/p12cert.pem"
assert "exports the new certificate" [ "$(fp "$T/p12cert.pem")" = "$(fp "$T/r.pem")" ]

if [ -z "$TSTCLNT" ]; then
	skip 1 "no tstclnt (libnss3-tools)"
else
	dsm -export -label myca -file "$T/ca.pem" -db "$DB"
	poolkey srv &&
	openssl req -x509 -key "$T/srv.key" \
	    -out "$T/srv.pem" -days 30 -subj /CN=127.0.0.1 2>/dev/null
	serve "$T/srv.pem" "$T/srv.key" -Verify 1 -CAfile "$T/ca.pem"
	# The request from a file: at the end of a pipe, tstclnt polls the
	# closed pipe without blocking until it is killed, ten seconds of a
	# processor for nothing.
	printf 'GET / HTTP/1.0\r\n\r\n' >"$T/req"
	timeout 10 "$TSTCLNT" -h 127.0.0.1 -p "$PORT" -d "sql:$DB" -n node1 \
	    -o -S <"$T/req" >"$T/cl.out" 2>"$T/cl.err"
	stop_server
	sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' "$T/cl.out" >"$T/presented.pem"
	assert "tstclnt -n node1 presents the new certificate" \
	    [ "$(fp "$T/presented.pem")" = "$(fp "$T/r.pem")" ]
fi
assert "the old key stays" sh -c \
    "[ \$(certutil -K -d sql:$DB 2>/dev/null | grep -c ' node1\$') -ge 2 ]"

# -verify -clientlabel presents the identity's latest certificate too:
# renewed once more through another CA, which alone the server accepts.
dsm -ca create -label ca2 -subject "CN=Second CA,O=Test" -keytype ec256 \
    -db "$DB"
dsm -export -label ca2 -file "$T/ca2.pem" -db "$DB"
sleep 2
dsm -gen csr -renew node1 -out "$T/r2.csr" -db "$DB"
dsm -sign -file "$T/r2.csr" -ca ca2 -days 100 -out "$T/r2.pem" -db "$DB"
dsm -receive -file "$T/r2.pem" -db "$DB"
expect 0 "a second renewal is received"
[ -f "$T/srv.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes \
    -keyout "$T/srv.key" -out "$T/srv.pem" -days 30 -subj /CN=127.0.0.1 \
    2>/dev/null
dsm -add -server SRV -file "$T/srv.pem" -db "$DB"
serve "$T/srv.pem" "$T/srv.key" -Verify 1 -CAfile "$T/ca2.pem" \
    -verify_return_error
dsm -verify -server SRV -host 127.0.0.1 -port "$PORT" -clientlabel node1 \
    -timeout 10 -db "$DB"
stop_server
expect 0 "-verify -clientlabel node1 presents the latest certificate, which the server accepts"
