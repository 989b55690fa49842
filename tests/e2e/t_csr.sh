# -gen csr: the chassis manager's field rules, key in the database,
# request checked by openssl.
plan 52
DB="$T/keydb"
s60=$(printf 'S%.0s' $(seq 60)); s61="${s60}S"
c50=$(printf 'C%.0s' $(seq 50)); c51="${c50}C"
o60=$(printf 'O%.0s' $(seq 60)); o61="${o60}O"
# 60 characters as a host name: labels of 29 and 30 around a dot.
h60="$(printf 'a%.0s' $(seq 29)).$(printf 'b%.0s' $(seq 30))"
h61="${h60}b"

gen() { dsm -gen csr -db "$DB" "$@"; }

gen -c US -sp "North Carolina" -cl Raleigh -on "Example Corp" \
    -hn node1.example.com -ou Backup -san DNS:node1,IP:192.0.2.7 \
    -eku both -label node1 -out "$T/node1.csr"
expect 0 "-gen csr writes a request"
# One openssl req for the signature and the text. It exits 0 whether
# the signature verifies or not (OpenSSL 3.0): its line on standard
# error is what tells.
openssl req -in "$T/node1.csr" -verify -noout -text >"$T/req.txt" \
    2>"$T/req.err"
assert "openssl verifies the request's signature" \
    grep -qx 'Certificate request self-signature verify OK' "$T/req.err"
assert "subject in the order C, ST, L, O, OU, CN" grep -q \
    "Subject: C = US, ST = North Carolina, L = Raleigh, O = Example Corp, OU = Backup, CN = node1.example.com" \
    "$T/req.txt"
assert "subjectAltName has the host name, DNS and IP entries" grep -q \
    "DNS:node1.example.com, DNS:node1, IP Address:192.0.2.7" "$T/req.txt"
assert "extended key usage has both" grep -q \
    "TLS Web Server Authentication, TLS Web Client Authentication" \
    "$T/req.txt"
assert "an RSA 2048 key by default" grep -q "Public-Key: (2048 bit)" \
    "$T/req.txt"
assert "the key is in the database under the label" \
    sh -c "certutil -K -d sql:$DB 2>/dev/null | grep -Eq 'rsa .* node1\$'"

gen -c de -sp Bayern -cl "München" -on "Beispiel GmbH" -hn gw.example.de \
    -eku clientAuth -keytype ec256 -label gw -out "$T/gw.csr"
expect 0 "an EC P-256 request with a UTF-8 city and a lower-case country"
openssl req -in "$T/gw.csr" -noout -text >"$T/gw.txt" 2>&1
assert "EC key of 256 bits" grep -q "Public-Key: (256 bit)" "$T/gw.txt"
assert "country upper-cased" grep -q "Subject: C = DE" "$T/gw.txt"
assert "clientAuth only" sh -c "grep -q 'TLS Web Client Authentication' \
    $T/gw.txt && ! grep -q 'TLS Web Server' $T/gw.txt"

# Exactly at each limit is accepted.
gen -c US -sp "$s60" -cl "$c50" -on "$o60" -hn "$h60" -label limits \
    -keytype ec256 -out "$T/limits.csr"
expect 0 "state 60, city 50, organisation 60, host name 60 are accepted"
openssl req -in "$T/limits.csr" -verify -noout 2>"$T/limits.err"
assert "and the request verifies" \
    grep -qx 'Certificate request self-signature verify OK' "$T/limits.err"

# One past each limit is refused, naming the field and the limit, and
# nothing changes.
certutil -K -d "sql:$DB" >"$T/keys.before" 2>&1
refuse() {
	desc=$1 pat=$2
	shift 2
	rm -f "$T/bad.csr"
	gen -label bad -out "$T/bad.csr" "$@"
	expect 1 "$desc is refused"
	err_has "$pat" "$desc: the message names the field and the limit"
	assert "$desc: no request written" [ ! -e "$T/bad.csr" ]
}
refuse "state of 61" '-sp \(state or province\) must be 1 to 60' \
    -c US -sp "$s61" -cl X -on X -hn h.example.com
refuse "city of 51" '-cl \(city or locality\) must be 1 to 50' \
    -c US -sp X -cl "$c51" -on X -hn h.example.com
refuse "organisation of 61" '-on \(organisation\) must be 1 to 60' \
    -c US -sp X -cl X -on "$o61" -hn h.example.com
refuse "host name of 61" '-hn \(host name\) must be 1 to 60' \
    -c US -sp X -cl X -on X -hn "$h61"
refuse "three-letter country" '-c \(country\) must be a two-letter' \
    -c USA -sp X -cl X -on X -hn h.example.com
refuse "digits as country" '-c \(country\) must be a two-letter' \
    -c U1 -sp X -cl X -on X -hn h.example.com
refuse "an invalid host name" '-hn \(host name\) "bad_host" is not a valid' \
    -c US -sp X -cl X -on X -hn bad_host
refuse "a missing state" '-sp \(state or province\) is required' \
    -c US -cl X -on X -hn h.example.com
refuse "a bad IP in -san" 'subjectAltName entry "IP:300.1.1.1"' \
    -c US -sp X -cl X -on X -hn h.example.com -san IP:300.1.1.1
refuse "an unknown -eku" 'extended key usage "codeSigning"' \
    -c US -sp X -cl X -on X -hn h.example.com -eku codeSigning
refuse "an unknown -keytype" 'key type "dsa1024"' \
    -c US -sp X -cl X -on X -hn h.example.com -keytype dsa1024
certutil -K -d "sql:$DB" >"$T/keys.after" 2>&1
same "$T/keys.before" "$T/keys.after" "refusals generate no key"

gen -c US -sp X -cl X -on X -hn other.example.com -label node1 \
    -out "$T/dup.csr"
expect 5 "a label already holding a key is a conflict"
certutil -K -d "sql:$DB" >"$T/keys.after" 2>&1
same "$T/keys.before" "$T/keys.after" "and no key is added"

gen -c US -sp X -cl X -on X -hn h.example.com -out "$T/nodir/x.csr"
expect 2 "an unwritable -out is refused"
certutil -K -d "sql:$DB" >"$T/keys.after" 2>&1
same "$T/keys.before" "$T/keys.after" "before any key is generated"

dsm -gen key -db "$DB"
expect 1 "-gen other than csr is a usage error"
