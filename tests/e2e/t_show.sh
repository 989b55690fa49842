# -show: one certificate in full (extensions, key, trust, servers, key
# here or not), in text and JSON; -list says whether it is a CA.
plan 24
DB="$T/db"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$T/s.key" -out "$T/s.pem" -days 365 -subj "/CN=srv/O=Test" \
    -addext "basicConstraints=critical,CA:FALSE" \
    -addext "keyUsage=critical,digitalSignature" \
    -addext "extendedKeyUsage=serverAuth,clientAuth" \
    -addext "subjectAltName=DNS:srv.example.com,IP:192.0.2.9" 2>/dev/null
mkca root "/CN=Test Root"
poolkey3072 int &&
openssl req -x509 -key "$T/int.key" \
    -out "$T/int.pem" -days 365 -subj "/CN=Path Root" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:1" 2>/dev/null

dsm -add -server SERVER1 -file "$T/s.pem" -db "$DB"
expect 0 "a server certificate is added"
dsm -add -server SERVER2 -file "$T/s.pem" -db "$DB"
dsm -add -file "$T/root.pem" -label root -db "$DB"
dsm -add -file "$T/int.pem" -label pathroot -db "$DB"

dsm -show -label SERVER1 -db "$DB"
expect 0 "-show prints the certificate"
out_has "subject: +O=Test,CN=srv" "the subject"
out_has "serial: +[0-9A-F]{2}(:[0-9A-F]{2})+" "the serial"
out_has "SHA-256: +$(fp "$T/s.pem")" "the SHA-256 fingerprint"
out_has "SHA-1: +$(fp "$T/s.pem" sha1)" "the SHA-1 fingerprint, as openssl prints it"
out_has "key: +EC 256 bits" "key type and size"
out_has "signature algorithm: +.*(SHA-256|SHA256)" "the signature algorithm"
out_has "basic constraints: +CA: no" "basicConstraints"
out_has "key usage: +digitalSignature$" "key usage"
out_has "extended key usage: +serverAuth, clientAuth" "extended key usage"
out_has "subjectAltName: +DNS:srv.example.com, IP:192.0.2.9" "subjectAltName"
out_has "servers: +SERVER1, SERVER2" "the servers it is recorded for"
out_has "private key here: +no" "no private key here"
out_has "days left" "validity with days left"

dsm -show -label SERVER1 -db "$DB" -json
expect 0 "-show -json"
assert "JSON: ca false, key EC 256 (a number), san, servers, no key" \
    python3 - "$T/out" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert isinstance(j, list) and len(j) == 1
c = j[0]
assert c["ca"] is False and c["path_len"] is None
assert c["key"] == {"type": "EC", "bits": 256}
assert c["san"] == ["DNS:srv.example.com", "IP:192.0.2.9"]
assert c["key_usage"] == ["digitalSignature"]
assert c["ext_key_usage"] == ["serverAuth", "clientAuth"]
assert c["servers"] == ["SERVER1", "SERVER2"]
assert c["has_private_key"] is False
assert c["trust"] == "P,,", c["trust"]
assert "SHA-256" in c["signature_algorithm"] or "sha256" in c["signature_algorithm"].lower()
PY

dsm -show -label pathroot -db "$DB" -json
assert "a CA with a path length: ca true, path_len 1, RSA 3072" \
    python3 -c "
import json,sys; c=json.load(open('$T/out'))[0]
assert c['ca'] is True and c['path_len'] == 1, c
assert c['key'] == {'type': 'RSA', 'bits': 3072}, c
assert c['servers'] == [] and c['trust'] == 'C,,'"

dsm -ca create -label myca -subject "CN=My CA" -db "$DB"
dsm -show -label myca -db "$DB" -json
assert "the internal CA: its private key is here" python3 -c "
import json; c=json.load(open('$T/out'))[0]
assert c['has_private_key'] is True and c['ca'] is True, c
assert c['key_usage'] == ['digitalSignature', 'keyCertSign', 'cRLSign'], c"

dsm -show -label nosuch -db "$DB"
expect 4 "-show of a label not there is not found"
dsm -show -db "$DB"
expect 1 "-show without -label is a usage error"

dsm -list -db "$DB"
expect 0 "-list"
assert "-list says a CA is one" sh -c \
    "grep -A4 '^root\$' '$T/out' | grep -q 'CA: *yes'"
assert "-list says a server certificate is not a CA" sh -c \
    "grep -A4 '^SERVER1\$' '$T/out' | grep -q 'CA: *no'"
