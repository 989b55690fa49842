# Messages that misled a new admin (issue 25), each now says what to do.
plan 39
. "$TOP/tests/e2e/tls.sh"
DB="$T/db"

# Did you mean: the nearest command or flag.
dsm -lsit
expect 1 "-lsit is unknown"
err_has 'unknown flag: -lsit' "says so"
err_has 'did you mean the command -list' "and names the command"
dsm -configure -dry-run
expect 1 "-dry-run is unknown"
err_has 'did you mean the flag -dryrun' "and names the flag"

# One range for -check -days and warn_days, one message.
mkdir -p "$T/n" && chmod 755 "$T/n"
printf 'SErvername S1\n   TCPServeraddress s1.example.com\n' >"$T/n/dsm.sys"
printf 'SErvername S1\n' >"$T/n/dsm.opt"
cat >"$T/inv.conf" <<INV
[dsmcert]
keydb = $DB

[n1]
type = node
role = client
optfile = n/dsm.opt

[S1]
type = server
address = s1.example.com
version = 8.1.14
autocert = no
INV
mkcert s1
dsm -add -server S1 -file "$T/s1.pem" -db "$DB"
expect 0 "S1's certificate"
err_has "note: created a new key database in $DB \\(chosen by -db" \
    "the first -add says where it created the key database"
dsm -add -server S1 -file "$T/s1.pem" -db "$DB"
expect 0 "again"
err_lacks_re() {
	if grep -Eq -- "$1" "$T/err"; then nok "$2"; else ok "$2"; fi
}
err_lacks_re 'created a new key database' "and only the first"
mkdir -p "$T/client"
DSM_DIR="$T/client" dsm -add -server S1 -file "$T/s1.pem"
expect 0 "with DSM_DIR"
err_has "created a new key database in $T/client \\(chosen by \\\$DSM_DIR" \
    "names the directory and why"

dsm -check -days 0 -config "$T/inv.conf"
expect 0 "-check -days 0, as warn_days = 0"
dsm -check -days 3651 -config "$T/inv.conf"
expect 3 "-days 3651: beyond warn_days' range"
err_has '"3651": a whole number of days, 0 to 3650' "the range"
sed 's/^keydb = .*/&\nwarn_days = 3651/' "$T/inv.conf" >"$T/bad.conf"
dsm -policy -config "$T/bad.conf"
expect 2 "warn_days = 3651"
err_has "warn_days: '3651': a whole number of days, 0 to 3650" \
    "the same words"

# Labels are case-sensitive: the near one is named.
dsm -delete -label s1 -db "$DB"
expect 4 "-delete -label s1: no such label"
err_has 'no certificate labelled "s1"' "says so"
err_has 'labels are case-sensitive .*did you mean -label "S1"' \
    "names S1"
dsm -list -label s1 -db "$DB"
expect 4 "-list -label s1 too"
err_has 'did you mean -label "S1"' "names S1"

# A vendor-style renewal: the same subject, a new key. The hint is the
# renewal path, not -replace alone.
mkcert s1new
dsm -add -server S1 -file "$T/s1new.pem" -db "$DB"
expect 5 "the renewed certificate under the old label: a conflict"
err_has 'a renewal of S1.s certificate\? add it beside the old one: dsmcert -add -server S1 -label "S1 #2"' \
    "offers NAME #2"
err_has 'certfile = .*dsmcert -configure' "and -configure"

# -check warns while a delivered renewal is not imported.
sed -i 's|^autocert = no|&\ncertfile = '"$T"'/s1new.pem|' "$T/inv.conf"
dsm -check -config "$T/inv.conf"
expect 1 "a renewal in the certfile, not in the key database: WARNING"
out_has '^DSMCERT WARNING - S1: renewal delivered, not imported: run dsmcert -configure' \
    "says what to run"
dsm -configure -config "$T/inv.conf"
expect 0 "-configure imports it"
dsm -check -config "$T/inv.conf"
expect 0 "then OK"

# -verify -server reads the inventory from DSMCERT_CONF, as every command.
serve "$T/s1.pem" "$T/s1.key"
cat >"$T/v.conf" <<INV
[dsmcert]
keydb = $DB

[n1]
type = node
role = client
optfile = n/dsm.opt

[S1]
type = server
address = 127.0.0.1:$PORT
version = 8.1.14
autocert = no
INV
DSMCERT_CONF="$T/v.conf" dsm -verify -server S1 -db "$DB"
expect 0 "-verify -server S1 with DSMCERT_CONF"
out_has "^server: +S1 at 127\\.0\\.0\\.1:$PORT \\(server S1 of $T/v.conf\\)" \
    "connects where the inventory says"

# First contact: one wording and one verdict for -verify and -check.
mkcert fresh -addext "subjectAltName=IP:127.0.0.1"
serve "$T/fresh.pem" "$T/fresh.key"
printf 'SErvername FRESH\n   TCPServeraddress 127.0.0.1\n   TCPPort %s\n' \
    "$PORT" >"$T/n/dsm.sys"
printf 'SErvername FRESH\n' >"$T/n/dsm.opt"
cat >"$T/f.conf" <<INV
[dsmcert]
keydb = $DB

[n1]
type = node
role = client
optfile = n/dsm.opt

[FRESH]
type = server
address = 127.0.0.1:$PORT
version = 8.1.14
INV
dsm -check -online -config "$T/f.conf"
expect 0 "-check -online: a first contact is OK"
out_has '0 of 1 server connection trusted, 1 first contact' \
    "and is not counted as trusted"
dsm -verify -server FRESH -optfile "$T/n/dsm.opt" -db "$DB"
expect 0 "-verify: the same verdict"
out_has '^result: +first contact: not in the key database; the node takes it on first contact' \
    "in the same words"
DSMCERT_CONF="$T/f.conf" dsm -verify -server FRESH -db "$DB" -json
expect 0 "-verify through the inventory, -json"
assert "first_contact true, trusted false" \
    [ "$(jq -c '[.first_contact, .trusted]' "$T/out")" = '[true,false]' ]
printf 'SErvername FRESH\n   TCPServeraddress 127.0.0.1\n   TCPPort %s\n   SSLACCEPTCERTFROMSERV NO\n' \
    "$PORT" >"$T/n/dsm.sys"
dsm -verify -server FRESH -optfile "$T/n/dsm.opt" -db "$DB"
expect 6 "with SSLACCEPTCERTFROMSERV NO it is untrusted"
err_has 'untrusted issuer' "says so"
stop_server
