# Every value that comes from a certificate, a file or a server is shown
# escaped in text output (C0 and C1 controls alike): -verify's
# subjectAltName names, -check's detail lines, -policy's labels. JSON
# keeps them whole.
plan 15
. "$TOP/tests/e2e/tls.sh"
DB="$T/db"
ESC=$(printf '\033')
BEL=$(printf '\007')
CSI=$(printf '\302\233')	# U+009B, C1 CSI in UTF-8
raw() {	# raw FILE: does FILE hold ESC, BEL, CR or C1 CSI?
	LC_ALL=C grep -q "$ESC\|$BEL\|$(printf '\r')\|$CSI" "$1"
}

# -verify: a server whose certificate names itself with escape codes.
mkca ca "/O=Test/CN=Test Root CA"
mkleaf evil ca "IP:127.0.0.1,DNS:a${ESC}]0;pwned${BEL}.example,DNS:b${CSI}2J.example" serverAuth
dsm -add -file "$T/ca.pem" -db "$DB"
expect 0 "the CA"
if serve "$T/evil.pem" "$T/evil.key"; then
	dsm -verify -server S1 -host 127.0.0.1 -port "$PORT" -db "$DB"
	expect 0 "-verify of it"
	if raw "$T/out"; then nok "-verify printed a raw control character"; else
		ok "-verify printed no raw control character"; fi
	out_has 'a\\x1b\]0;pwned\\x07\.example' "the C0 controls escaped"
	out_has 'b\\xc2\\x9b2J\.example' "and the C1 control"
	dsm -verify -server S1 -host 127.0.0.1 -port "$PORT" -db "$DB" -json
	expect 0 "-verify -json"
	assert "JSON keeps the names whole" sh -c \
	    "jq -r '.. | strings' '$T/out' | grep -qF 'a${ESC}]0;pwned${BEL}.example'"
	stop_server
else
	nok "openssl s_server did not start"
fi

# -check and -policy: a label with CR, LF, ESC and C1 (renamed with
# certutil, as another tool may have named it).
mkcert srv
dsm -add -server S1 -file "$T/srv.pem" -db "$DB"
expect 0 "a certificate for S1"
NL='
'
bad="S1$(printf '\r')${NL}FAKE${ESC}[2J${CSI}x"
certutil --rename -d "sql:$DB" -n S1 --new-n "$bad"
expect_label=$(certutil -L -d "sql:$DB" | grep -c FAKE)
assert "certutil renamed it" [ "$expect_label" -ge 1 ]
one_node
dsm -check -config "$T/inv.conf"
if raw "$T/out"; then nok "-check printed a raw control character"; else
	ok "-check printed no raw control character"; fi
out_has 'S1\\x0d\\x0aFAKE\\x1b\[2J\\xc2\\x9bx' "-check shows the label escaped"
dsm -policy -config "$T/inv.conf"
if raw "$T/out"; then nok "-policy printed a raw control character"; else
	ok "-policy printed no raw control character"; fi
out_has 'S1\\x0d\\x0aFAKE\\x1b\[2J\\xc2\\x9bx' "-policy shows the label escaped"
dsm -check -config "$T/inv.conf" -json
assert "-check -json keeps the label whole" sh -c \
    "jq -r '.. | strings' '$T/out' | grep -qF 'FAKE${ESC}[2J${CSI}x'"
