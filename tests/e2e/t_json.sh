# -json keys, as dsmcert(1) JSON OUTPUT lists them: scripts, the hook and
# the Ansible role rely on them, so a renamed or dropped key fails here.
# -q and -v.
plan 70

# keys INDENT: the keys at that indentation of the last output, sorted,
# once each, on one line.
keys() {
	sed -n "s/^ \\{$1\\}\"\\([^\"]*\\)\": .*/\\1/p" "$T/out" | LC_ALL=C sort -u |
	    tr '\n' ' ' | sed 's/ $//'
}
# has_keys DESC INDENT KEY...: exactly those keys at that indentation.
has_keys() {
	d=$1
	n=$2
	shift 2
	want=$(printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
	got=$(keys "$n")
	if [ "$got" = "$want" ]; then ok "$d"; else
		nok "$d"; echo "#   want: $want"; echo "#   got:  $got"; fi
}

DB="$T/db"
mkcert s1
dsm -add -server S1 -file "$T/s1.pem" -db "$DB" -json
expect 0 "-add -json"
has_keys "-add keys" 4 label sha256 subject action
out_has '"action": "imported"' "-add says imported"
dsm -list -db "$DB" -json
expect 0 "-list -json"
has_keys "-list keys" 4 label server subject issuer not_before not_after days_left \
    sha256 trust

dsm -where -db "$DB" -json
expect 0 "-where -json"
has_keys "-where keys" 2 keydb config dsm_opt dsm_sys vendor_files legacy_keydb nodes
has_keys "-where's objects' keys" 4 path why exists

mkdir -p "$T/n"
chmod 755 "$T/n"
printf 'SErvername s1\n   TCPServeraddress s1.example.com\n' >"$T/n/dsm.sys"
printf 'SErvername s1\n' >"$T/n/dsm.opt"
chmod 644 "$T/n/dsm.sys" "$T/n/dsm.opt"
dsm -query -optfile "$T/n/dsm.opt" -json SSL TCPServeraddress
expect 0 "-query -json"
has_keys "-query keys" 2 dsm.opt dsm.sys stanza stanza_from options
has_keys "-query option keys" 6 name value default file line

cat >"$T/inv.conf" <<INV
[dsmcert]
keydb = $T/db2
[n1]
type = node
role = client
optfile = n/dsm.opt
[S1]
type = server
address = s1.example.com
version = 8.1.14
autocert = no
certfile = s1.pem
INV
dsm -policy -config "$T/inv.conf" -json
expect 6 "-policy -json: action needed"
has_keys "-policy keys" 4 node role server version class case encrypt file \
    stanza compliant in_place missing actions note notes certificates \
    certificate_missing
has_keys "-policy certificate keys" 8 label sha256 subject not_after \
    days_left role state verdict in_keydb
out_has '"compliant": false' "not compliant"
dsm -configure -config "$T/inv.conf" -json -dryrun
expect 0 "-configure -dryrun -json"
has_keys "-configure keys" 2 dryrun steps certificates
jall "-configure step keys" \
    '[.steps[] | keys] | unique == [["action", "nodes", "state"]]' \
    "-configure -dryrun certificate keys" \
    '[.certificates[] | keys] | unique ==
    [["days_left", "label", "node", "server", "sha256", "state"]]'
out_has '"state": "would"' "steps that would be done"
dsm -configure -config "$T/inv.conf" -json
expect 0 "-configure -json"
out_has '"state": "done"' "steps done"
out_lacks '"state": "(would|failed|not done)"' "and no other"
dsm -configure -config "$T/inv.conf" -json
expect 0 "-configure -json again"
out_lacks '"state"' "no steps"
out_has '"steps": \[\]' "an empty list"
dsm -policy -config "$T/inv.conf" -json
expect 0 "-policy -json: compliant"
out_lacks '"compliant": false' "every pair compliant"

# -q: no informational lines; -v: what is used, on standard error.
dsm -add -server S1 -file "$T/s1.pem" -db "$DB" -q
expect 0 "-add again, -q"
assert "-q: nothing on stdout" [ ! -s "$T/out" ]
dsm -add -server S1 -file "$T/s1.pem" -db "$DB"
out_has "nothing changed" "without -q it says so"
dsm -list -db "$DB" -v
expect 0 "-list -v"
err_has "^dsmcert: key database $DB" "-v names the key database on stderr"
out_lacks "^dsmcert:" "and keeps stdout for results"

# The commands that write files or change the key database: one JSON
# document each, with the facts their text lines give.
CERT='["days_left","issuer","label","not_after","not_before","server","sha256","subject","trust"]'

dsm -export -label S1 -file "$T/x.pem" -db "$DB" -json
expect 0 "-export -json"
jall --arg f "$T/x.pem" --argjson k "$CERT" --arg s "$(fp "$T/s1.pem")" \
    "-export keys" 'keys == ["certificates", "file"]' \
    "-export: file is the path given" '.file == $f' \
    "-export: the certificate exported, with its server" \
    '.certificates | length == 1 and (.[0] | keys == $k and
    .sha256 == $s and .server == "S1" and .label == "S1")'
assert "-export: the file holds it" [ "$(fp "$T/x.pem")" = "$(fp "$T/s1.pem")" ]

printf 'j pass\n' >"$T/jpw"
chmod 600 "$T/jpw"
for f in "-file -" "-pkcs12 - -pwfile $T/jpw"; do
	# shellcheck disable=SC2086
	dsm -export -label S1 $f -db "$DB" -json
	expect 1 "-export ${f%% *} - -json is a usage error"
	err_has "-json and ${f%% *} - both write to standard output" \
	    "and names both flags"
	assert "nothing on stdout" [ ! -s "$T/out" ]
done

mkcert s2 -addext "subjectAltName=DNS:s2.example.com"
dsm -add -server S2 -file "$T/s2.pem" -db "$DB" -q
dsm -delete -server S2 -db "$DB" -json
expect 0 "-delete -json"
jis "-delete: the certificate deleted, with its server" \
    'length == 1 and (.[0] | keys == $k and .sha256 == $s and
    .server == "S2" and .label == "S2")' \
    --argjson k "$CERT" --arg s "$(fp "$T/s2.pem")"
dsm -delete -server S2 -db "$DB" -json
expect 4 "-delete -json, nothing there"
jis "an empty array" '. == []'

CA="$T/ca" CL="$T/cl"
dsm -ca create -label "J CA" -subject "CN=J Root,O=Example" -days 30 \
    -db "$CA" -json
expect 0 "-ca create -json"
jis "-ca create keys and values" \
    'keys == ["days", "keydb", "label", "subject", "trust"] and
    .label == "J CA" and .subject == "CN=J Root,O=Example" and
    .days == 30 and .trust == "C,," and .keydb == $db' --arg db "$CA"

dsm -gen csr -c US -sp NC -cl Raleigh -on Example -hn j1.example.com \
    -label j1 -keytype ec256 -out "$T/j1.csr" -db "$CL" -json
expect 0 "-gen csr -json"
jis "-gen csr keys and values" \
    'keys == ["csr", "key_label", "key_type", "keydb"] and
    .csr == $f and .key_label == "j1" and .key_type == "ec256" and
    .keydb == $db' --arg f "$T/j1.csr" --arg db "$CL"
assert "the request is written" openssl req -in "$T/j1.csr" -verify -noout
dsm -gen csr -c US -sp NC -cl Raleigh -on Example -hn j2.example.com \
    -label j2 -out - -db "$CL" -json
expect 1 "-gen csr -out - -json is a usage error"
err_has "-json and -out - both" "and names both flags"
assert "nothing on stdout" [ ! -s "$T/out" ]
assert "no key generated" \
    sh -c "! certutil -K -d sql:$CL 2>/dev/null | grep -q j2"

dsm -sign -file "$T/j1.csr" -ca "J CA" -days 7 -out "$T/j1.crt" -db "$CA" \
    -json
expect 0 "-sign -json"
jis "-sign keys and values" \
    'keys == ["ca", "certificate", "csr", "days", "file"] and
    .csr == $r and .ca == "J CA" and .days == 7 and .file == $f and
    (.certificate | keys == $k and .sha256 == $s)' --arg r "$T/j1.csr" \
    --arg f "$T/j1.crt" --argjson k "$CERT" --arg s "$(fp "$T/j1.crt")"
dsm -sign -file "$T/j1.csr" -ca "J CA" -out - -db "$CA" -json
expect 1 "-sign -out - -json is a usage error"
assert "nothing on stdout" [ ! -s "$T/out" ]

dsm -export -label "J CA" -file "$T/jca.pem" -db "$CA" -q
dsm -receive -file "$T/j1.crt" -chain "$T/jca.pem" -db "$CL" -json
expect 0 "-receive -json"
jall --arg f "$T/j1.crt" --arg s "$(fp "$T/j1.crt")" \
    --arg cf "$T/jca.pem" --arg cs "$(fp "$T/jca.pem")" \
    "-receive keys and values" \
    'keys == ["chain", "file", "label", "sha256", "subject"] and
    .file == $f and .label == "j1" and .sha256 == $s' \
    "-receive: the chain CA imported" \
    '.chain | length == 1 and (.[0] | keys == ["action", "file", "label",
    "sha256", "subject"] and .action == "imported" and .file == $cf and
    .sha256 == $cs and .label == "J Root")'

dsm -export -label j1 -pkcs12 "$T/j1.p12" -pwfile "$T/jpw" -db "$CL" -json
expect 0 "-export -pkcs12 -json"
jis "-export -pkcs12 keys and values" \
    'keys == ["certificate", "file"] and .file == $f and
    (.certificate | keys == $k and .sha256 == $s and .label == "j1")' \
    --arg f "$T/j1.p12" --argjson k "$CERT" --arg s "$(fp "$T/j1.crt")"

dsm -import -pkcs12 "$T/j1.p12" -pwfile "$T/jpw" -db "$T/d3" -json
expect 0 "-import -pkcs12 -json"
jis "-import keys and values" \
    'keys == ["certificates", "file"] and .file == $f and
    (.certificates | length == 2 and all(del(.action) | keys == $k) and
    all(.action == "imported") and
    ([.[].sha256] | sort) == ([$a, $b] | sort) and
    (map(select(.sha256 == $b))[0].trust == "C,,"))' \
    --arg f "$T/j1.p12" --argjson k "$CERT" \
    --arg a "$(fp "$T/j1.crt")" --arg b "$(fp "$T/jca.pem")"
