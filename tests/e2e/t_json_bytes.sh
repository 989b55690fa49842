# -json never drops a string that is not UTF-8 (issue 17): a certificate
# with a broken name, a latin-1 option file, a latin-1 path. The rule of
# dsmcert(1) JSON OUTPUT: valid UTF-8 as it is, every other byte read as
# latin-1. Each command that renders such a string is run on real files.
plan 38

L1=$(printf 'M\374ller')	# latin-1 bytes
U8=$(printf 'M\303\274ller')	# the same name in UTF-8, as JSON shows it

# A certificate whose subject is a UTF8String holding the latin-1 byte
# 0xFC: certutil writes what it is given. A plain one beside it.
DB="$T/db"
mkdir -p "$DB"
certutil -N -d "sql:$DB" --empty-password
head -c 64 /dev/urandom >"$T/noise"
certutil -S -d "sql:$DB" -n broken -s "CN=$L1,O=Test" -x -t "P,," -k rsa \
    -g 2048 -v 12 -z "$T/noise" >/dev/null 2>&1
assert "certutil made the broken-name certificate" \
    sh -c "certutil -L -d sql:$DB | grep -q '^broken'"
mkcert plain
dsm -add -server PLAIN -file "$T/plain.pem" -db "$DB" -q
certlist "$DB" >"$T/certs.before"

dsm -list -db "$DB" -json
expect 0 "-list -json"
jall --arg s "CN=$U8,O=Test" \
    "-list -json: both certificates, none dropped" 'length == 2' \
    "-list -json: the broken name, its byte read as latin-1" \
    '.[] | select(.label == "broken") | .subject == $s and .issuer == $s'
out_has '"CN=M\\u00FCller,O=Test"' "escaped as U+00FC"
dsm -list -db "$DB"
expect 0 "-list, as text"
out_has "subject: +CN=$L1,O=Test" "text shows the bytes as they are"
dsm -export -label broken -file "$T/broken.pem" -db "$DB" -json
expect 0 "-export -json"
jis "-export -json: the certificate object is there" \
    '.certificates | length == 1 and .[0].subject == $s' \
    --arg s "CN=$U8,O=Test"
dsm -delete -label broken -db "$DB" -json
expect 0 "-delete -json"
jis "-delete -json: names what it deleted" \
    'length == 1 and .[0].subject == $s and .[0].label == "broken"' \
    --arg s "CN=$U8,O=Test"
n=$(certutil -L -d "sql:$DB" | grep -c '^broken')
assert "and it is gone from the database (has $n)" [ "$n" = 0 ]

# A latin-1 NODename in a file whose path is plain ASCII.
mkdir -p "$T/plain"
chmod 755 "$T/plain"
printf 'SErvername s1\n   TCPServeraddress s1.example.com\n   NODename %s\n' \
    "$L1" >"$T/plain/dsm.sys"
printf 'SErvername s1\n' >"$T/plain/dsm.opt"
chmod 644 "$T/plain/dsm.sys" "$T/plain/dsm.opt"
dsm -query -optfile "$T/plain/dsm.opt" -json
expect 0 "-query -json, a latin-1 NODename"
jis "-query -json: NODename is not left out" \
    '.options | map(select(.name == "NODename")) | length == 1 and
    .[0].value == $v and .[0].line == 3' --arg v "$U8"

# A node in a latin-1 directory, with a latin-1 NODename; a UTF-8
# value stays as it is.
N="$T/b$(printf '\344')ck"		# latin-1 "bäck"
NU="$T/b$(printf '\303\244')ck"		# as JSON shows it
mkdir -p "$N"
chmod 755 "$N"
printf 'SErvername s1\n   TCPServeraddress s1.example.com\n   NODename %s\n   ASNODEname %s\n' \
    "$L1" "$U8" >"$N/dsm.sys"
printf 'SErvername s1\n' >"$N/dsm.opt"
chmod 644 "$N/dsm.sys" "$N/dsm.opt"

dsm -query -optfile "$N/dsm.opt" -json
expect 0 "-query -json"
jall --arg v "$U8" --arg opt "$NU/dsm.opt" --arg sys "$NU/dsm.sys" \
    "-query -json: the latin-1 NODename is there, converted" \
    '.options | map(select(.name == "NODename"))[0] |
    .value == $v and .file == $sys' \
    "-query -json: a UTF-8 value is kept as it is" \
    '.options | map(select(.name == "ASNODEname"))[0].value == $v' \
    "-query -json: the paths too" \
    '.["dsm.opt"] == $opt and .["dsm.sys"] == $sys'
dsm -query -optfile "$N/dsm.opt" NODename
expect 0 "-query NODename, as text"
assert "text prints the value's bytes" [ "$(cat "$T/out")" = "$L1" ]

dsm -where -optfile "$N/dsm.opt" -db "$DB" -json
expect 0 "-where -json"
jis "-where -json: the latin-1 paths, converted" \
    '.dsm_opt.path == $o and .dsm_sys.path == $s and .dsm_opt.exists' \
    --arg o "$NU/dsm.opt" --arg s "$NU/dsm.sys"

cp "$N/dsm.sys" "$T/sys.before"
dsm -setopt -optfile "$N/dsm.opt" SSL YES -json
expect 0 "-setopt -json"
jis "-setopt -json: file, stanza, option, value, changed" \
    '.file == $f and .stanza == "s1" and .option == "SSL" and
    .value == "YES" and .changed == true' --arg f "$NU/dsm.sys"
printf '   SSL YES\n' | cat "$T/sys.before" - >"$T/sys.want"
same "$T/sys.want" "$N/dsm.sys" "the file got exactly the one line"
dsm -setopt -optfile "$N/dsm.opt" SSL YES -json
expect 0 "-setopt -json again"
jis "-setopt -json: nothing changed" '.changed == false'

# The trust policy for that node: the path is in the entry and in
# every action.
cat >"$T/inv.conf" <<INV
[dsmcert]
keydb = $T/db2
[n1]
type = node
role = client
optfile = $N/dsm.opt
[S1]
type = server
address = s1.example.com
version = 8.1.14
autocert = no
certfile = plain.pem
INV
dsm -policy -config "$T/inv.conf" -json
expect 6 "-policy -json: action needed"
jall --arg f "$NU/dsm.sys" --arg c "$T/plain.pem" \
    "-policy -json: the entry, not compliant, with its actions" \
    'length == 1 and (.[0] | .compliant == false and .file == $f and
    .actions == ["set SSLACCEPTCERTFROMSERV NO in stanza s1 of " + $f +
    " (from YES, the default)", "import " + $c + " as S1"])' \
    "-policy -json: missing lists the same two" \
    '.[0].missing | length == 2'
dsm -configure -config "$T/inv.conf" -dryrun -json
expect 0 "-configure -dryrun -json"
jis "-configure -dryrun -json: both steps, the path converted" \
    '.steps | length == 2 and .[1].action ==
    "set SSLACCEPTCERTFROMSERV NO in stanza s1 of " + $f +
    " (from YES, the default)" and .[1].state == "would"' \
    --arg f "$NU/dsm.sys"
dsm -configure -config "$T/inv.conf" -json
expect 0 "-configure -json"
jis "-configure -json: both done" \
    '.steps | length == 2 and all(.state == "done")'
assert "the option is set in the latin-1 file" \
    grep -q '^   SSLACCEPTCERTFROMSERV NO$' "$N/dsm.sys"
dsm -policy -config "$T/inv.conf" -json
expect 0 "-policy -json: compliant now"
jis "-policy -json: compliant, no actions" \
    '.[0].compliant == true and .[0].actions == []'
