# -fetch: show what a server presents; import it only with the right -pin.
plan 37
. "$TOP/tests/e2e/tls.sh"
DB="$T/keydb"

mkcert peer -addext "subjectAltName=IP:127.0.0.1"
mkcert other
mkca ca "/O=Test/CN=Test Root CA"
mkleaf srv ca "IP:127.0.0.1" serverAuth
dsm -add -file "$T/other.pem" -label OTHER -db "$DB"
expect 0 "the database holds something else already"
certlist "$DB" >"$T/before"
FP=$(fp "$T/peer.pem")

serve "$T/peer.pem" "$T/peer.key"
dsm -fetch -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 0 "without -pin the certificate is shown"
out_has "SHA-256: +$FP" "with its fingerprint, as -list shows it"
out_has 'subject: +.*CN=TSM Self-Signed Certificate' "and its subject"
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "without -pin nothing is imported"

dsm -fetch -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB" -json
expect 0 "-json"
out_has "\"sha256\": \"$FP\"" "JSON has the fingerprint"

dsm -fetch -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB" \
    -pin "$(fp "$T/other.pem")"
expect 6 "a wrong pin fails"
err_has 'does not match -pin' "says the pin does not match"
err_has "$FP" "names the certificate the server presented"
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "a wrong pin imports nothing"

dsm -fetch -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB" -pin 12:34
expect 1 "a pin that is no fingerprint is a usage error"

pin=$(echo "$FP" | tr -d : | tr 'A-F' 'a-f')
dsm -fetch -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB" -pin "$pin"
expect 0 "the right pin, lower case without colons, imports"
out_has 'imported .* as "SERVER1"' "says what it imported"
assert "SERVER1 is a trusted peer (P,,)" \
    sh -c "certutil -L -d sql:$DB | grep -Eq '^SERVER1 +P,,'"
dsm -verify -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB"
expect 0 "and -verify now trusts the server"
dsm -fetch -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB" -pin "$FP"
expect 0 "fetching again with the pin changes nothing"
out_has 'unchanged' "says unchanged"

serve "$T/srv.pem" "$T/srv.key"
dsm -fetch -server SERVER1 -host 127.0.0.1 -port "$PORT" -db "$DB" \
    -pin "$(fp "$T/srv.pem")"
expect 5 "another certificate under a taken label is a conflict"
dsm -fetch -server SERVER3 -label "New server" -host 127.0.0.1 \
    -port "$PORT" -db "$DB" -pin "$(fp "$T/srv.pem")"
expect 0 "-label names the entry"
assert "a CA-issued leaf is imported as a peer too" \
    sh -c "certutil -L -d sql:$DB | grep -Eq '^New server +P,,'"

stop_server
dsm -fetch -server SERVER1 -host 127.0.0.1 -port "$(free_port)" -db "$DB"
expect 6 "nothing listening"
err_has 'connection refused' "says connection refused"
dsm -fetch -server SERVER1 -host 127.0.0.1 -port 1 -db "$DB" -json -pin 00
expect 1 "a bad pin is refused before connecting"

# With -json, stdout is the JSON alone even when -pin imports.
serve "$T/srv.pem" "$T/srv.key"
dsm -fetch -server SERVER4 -label "Json server" -host 127.0.0.1 \
    -port "$PORT" -db "$T/jsondb" -pin "$(fp "$T/srv.pem")" -json
expect 0 "-json with a matching pin imports"
assert "stdout is one valid JSON array" jq -e 'type == "array"' "$T/out"
err_has 'imported .* as "Json server"' "what was imported goes to stderr"
stop_server

# A certificate already present under another label: -fetch -pin records
# the server for it, as -add -server does, and says so.
serve "$T/peer.pem" "$T/peer.key"
dsm -add -file "$T/peer.pem" -label "Peer" -db "$T/linkdb"
expect 0 "the certificate is there, for no server"
certlist "$T/linkdb" >"$T/before"
dsm -fetch -server SERVER5 -host 127.0.0.1 -port "$PORT" -db "$T/linkdb" \
    -pin "$FP"
expect 0 "-fetch -pin of a certificate present under another label"
out_has "linked: .*$FP.* as \"Peer\"; now trusted for server SERVER5" \
    "says it is now recorded for the server"
dsm -list -server SERVER5 -json -db "$T/linkdb"
expect 0 "-list -server finds it"
assert "recorded for SERVER5, under its label" [ \
    "$(jq -c '[.[] | [.label, .sha256]]' "$T/out")" = "[[\"Peer\",\"$FP\"]]" ]
certlist "$T/linkdb" >"$T/after"
same "$T/before" "$T/after" "nothing imported twice"

# An expired server certificate is not imported, and the check fails.
mkdated_key gone -24 12
serve "$T/gone.pem" "$T/gone.key"
dsm -fetch -server SERVER6 -host 127.0.0.1 -port "$PORT" -db "$T/linkdb" \
    -pin "$(fp "$T/gone.pem")"
expect 6 "an expired certificate fails the check"
err_has "expired on" "says it expired, and when"
err_has "nothing was imported" "and that nothing was imported"
certlist "$T/linkdb" >"$T/after"
same "$T/before" "$T/after" "the key database is unchanged"
stop_server
