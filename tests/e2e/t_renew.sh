# Trust that lasts: the server record of -configure, a server certificate
# renewed the vendor's way (same subject, new key), expiry, and
# certificates no node relies on any more. Real certificates, real NSS
# databases, real TLS servers on 127.0.0.1.
plan 109
. "$TOP/tests/e2e/tls.sh"
DB="$T/db"
mkcert old -addext "subjectAltName=IP:127.0.0.1"
mkcert new -addext "subjectAltName=IP:127.0.0.1" -days 3650
OLD=$(fp "$T/old.pem")
NEW=$(fp "$T/new.pem")
# not after, as -policy and -list print it
na() {
	date -u -d "$(openssl x509 -in "$1" -noout -enddate | sed 's/^.*=//')" \
	    +%Y-%m-%dT%H:%M:%SZ
}

node_files ba dsm.opt=ldap_dm <<'SYS'
SErvername ldap_dm
   TCPServeraddress ldap.example.com
   TCPPort 1500
SYS
cp "$T/old.pem" "$T/cert256.arm"
inventory <<INV
[dm]
type = node
role = datamover
optfile = ba/dsm.opt
[LDAPSRV]
type = server
address = ldap.example.com:1500
version = 8.1.14
autocert = no
certfile = cert256.arm
INV
export DSMCERT_CONF="$T/inv.conf"
# labels DB: "label sha256" per certificate, by label.
labels() {
	run "$DSMCERT" -list -json -db "$1"
	jq -r '.[] | .label + " " + .sha256' "$T/out"
}

# -configure records the server it imported for.
dsm -configure
expect 0 "-configure imports the server's certificate"
dsm -list -server LDAPSRV -json
expect 0 "-list -server finds what -configure imported"
assert "recorded for LDAPSRV: the certfile's certificate" [ \
    "$(jq -c '[.[] | [.label, .server, .sha256]]' "$T/out")" = \
    "[[\"LDAPSRV\",\"LDAPSRV\",\"$OLD\"]]" ]
dsm -delete -server LDAPSRV
expect 0 "-delete -server finds it too"
assert "and it is gone" [ -z "$(certutil -L -d "sql:$DB" | grep LDAPSRV)" ]
dsm -configure
expect 0 "-configure imports it again"

# The vendor's renewal: the server made a new cert256.arm.
cp "$T/new.pem" "$T/cert256.arm"
certlist "$DB" >"$T/before"
dsm -policy
expect 6 "-policy: the renewed certificate is to be imported"
out_has "import $T/cert256.arm as LDAPSRV #2, beside the old certificate" \
    "the action: import it beside the old one"
out_has "renewed: the old certificate is \"LDAPSRV\" \\(SHA-256 $OLD, not after $(na "$T/old.pem")\\)" \
    "names the old certificate, SHA-256 and not after"
out_has "the new one is the certificate in $T/cert256.arm \\(SHA-256 $NEW, not after $(na "$T/new.pem")\\)" \
    "names the new certificate, SHA-256 and not after"
out_lacks "missing: +certificate LDAPSRV" "not reported missing"
dsm -policy -json
jall --arg new "$NEW" --arg old "$OLD" \
    "-policy -json: old and new, each with its role" \
    '[.[0].certificates[] | [.role, .sha256, .in_keydb]] ==
    [["new", $new, false], ["old", $old, true]]' \
    "-policy -json: not compliant, one action" \
    '[.[0].compliant, (.[0].actions | length)] == [false, 1]'
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "-policy changes nothing"

dsm -configure
expect 0 "-configure adds the renewed certificate"
out_has "^done: import $T/cert256.arm as LDAPSRV #2" "beside the old one"
labels "$DB" >"$T/labels"
printf 'LDAPSRV %s\nLDAPSRV #2 %s\n' "$OLD" "$NEW" >"$T/want"
same "$T/want" "$T/labels" "the old as LDAPSRV, the new as LDAPSRV #2"
assert "both trusted peers" [ "$(certutil -L -d "sql:$DB" | grep -c 'LDAPSRV.*P,,')" = 2 ]
dsm -list -server LDAPSRV -json
assert "both recorded for LDAPSRV" [ "$(jq length "$T/out")" = 2 ]

dsm -policy
expect 0 "-policy: compliant during the overlap"
out_has "renewed: the new certificate \"LDAPSRV #2\" \\(SHA-256 $NEW, .*the old one, \"LDAPSRV\" \\(SHA-256 $OLD.*retired when it expires, or by dsmcert -configure -prune" \
    "notes the old certificate awaiting retirement"
dsm -policy -json
assert "-policy -json: the note, and old and new in place" [ \
    "$(jq -c '[(.[0].notes | map(select(startswith("renewed"))) | length), [.[0].certificates[] | .role]]' "$T/out")" = \
    '[1,["current","old"]]' ]
certlist "$DB" >"$T/before"
dsm -configure
expect 0 "a second -configure"
out_has "^nothing to do" "has nothing to do"
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "and changes nothing"

# The node trusts the server before and after it switches.
serve "$T/old.pem" "$T/old.key"
dsm -verify -server LDAPSRV -host 127.0.0.1 -port "$PORT"
expect 0 "-verify: the server still presents the old certificate"
serve "$T/new.pem" "$T/new.key"
dsm -verify -server LDAPSRV -host 127.0.0.1 -port "$PORT"
expect 0 "-verify: the server presents the new certificate"
out_has "anchored by: +\"LDAPSRV #2\"" "trusted through the new one"

# The switch is done: -prune retires the old certificate.
dsm -configure -prune -dryrun
expect 0 "-configure -prune -dryrun"
out_has "^would: retire \"LDAPSRV\" \\(SHA-256 $OLD\\)" "would retire the old one"
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "-dryrun changes nothing"
dsm -configure -prune
expect 0 "-configure -prune"
out_has "^done: retire \"LDAPSRV\" \\(SHA-256 $OLD\\)" "retires the old one"
labels "$DB" >"$T/labels"
printf 'LDAPSRV #2 %s\n' "$NEW" >"$T/want"
same "$T/want" "$T/labels" "only the new certificate is left"
assert "and its record" grep -q "^$NEW	LDAPSRV\$" "$DB/dsmcert.servers"
assert "the old one's record is gone" [ -z "$(grep "^$OLD" "$DB/dsmcert.servers")" ]
dsm -verify -server LDAPSRV -host 127.0.0.1 -port "$PORT"
expect 0 "-verify: the new certificate is still trusted"
serve "$T/old.pem" "$T/old.key"
dsm -verify -server LDAPSRV -host 127.0.0.1 -port "$PORT"
expect 6 "-verify: the old certificate no longer is"
stop_server
dsm -policy
expect 0 "compliant"
out_lacks "renewed" "no renewal left to note"
dsm -configure -prune
expect 0 "-configure -prune again"
out_has "^nothing to do" "has nothing to do"

# The old certificate expired before -configure ran: the new one goes
# in, the expired one is retired. A database from before servers were
# recorded holds it under the server's label alone.
rm -rf "$DB"
mkvendor expired -24 12
dsm -add -label LDAPSRV -file "$T/expired.pem" -force -db "$DB"
expect 0 "an expired certificate under the server's label"
: >"$DB/dsmcert.servers"
dsm -policy
expect 6 "-policy: expired"
out_has "import $T/cert256.arm as LDAPSRV #2, beside the old certificate" \
    "the new one is imported"
out_has "retire \"LDAPSRV\" \\(SHA-256 $(fp "$T/expired.pem")\\), expired on $(na "$T/expired.pem")" \
    "the expired old one is retired"
dsm -configure
expect 0 "-configure"
out_has "^done: import" "imports the new certificate"
out_has "^done: retire \"LDAPSRV\"" "retires the expired one"
labels "$DB" >"$T/labels"
printf 'LDAPSRV #2 %s\n' "$NEW" >"$T/want"
same "$T/want" "$T/labels" "only the new certificate is left"
dsm -policy
expect 0 "compliant"
dsm -configure
out_has "^nothing to do" "a second -configure has nothing to do"

# The certificate the node relies on has expired, and the certfile holds
# nothing newer: not compliant, and only a person can fix it.
rm -rf "$DB"
cp "$T/expired.pem" "$T/cert256.arm"
dsm -add -server LDAPSRV -file "$T/cert256.arm" -force -db "$DB"
expect 0 "an expired certificate, added with -force"
certlist "$DB" >"$T/before"
dsm -policy
expect 6 "-policy: an expired certificate is not compliant"
out_has "obtain the renewed certificate of LDAPSRV \\(\"LDAPSRV\" \\(SHA-256 $(fp "$T/expired.pem")\\), expired on" \
    "says what to do"
out_has "\"LDAPSRV\" SHA-256 .* \\(expired [0-9]+ days ago\\): current, expired" \
    "lists it as expired"
dsm -policy -json
assert "-policy -json: state expired, not compliant" [ \
    "$(jq -c '[.[0].compliant, .[0].certificates[0].state]' "$T/out")" = \
    '[false,"expired"]' ]
dsm -configure
expect 6 "-configure: a step by hand"
out_has "^by hand: obtain the renewed certificate of LDAPSRV" "by hand"
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "nothing removed"

# One about to expire: a warning, not an action.
rm -rf "$DB"
mkcert soon -addext "subjectAltName=IP:127.0.0.1" -days 5
cp "$T/soon.pem" "$T/cert256.arm"
dsm -configure
expect 0 "a certificate that expires in five days is imported"
dsm -policy
expect 0 "-policy: still compliant"
out_has "note: +\"LDAPSRV\" \\(SHA-256 $(fp "$T/soon.pem"), not after $(na "$T/soon.pem")\\) expires in [45] days" \
    "notes that it expires soon"
out_has "current, expiring" "lists it as expiring"
dsm -policy -json
assert "-policy -json: expiring, compliant, with a note" [ \
    "$(jq -c '[.[0].compliant, .[0].certificates[0].state, (.[0].notes | map(select(test("expires in"))) | length)]' "$T/out")" = \
    '[true,"expiring",1]' ]
sed 's/^keydb = .*/&\nwarn_days = 3/' "$T/inv.conf" >"$T/warn3.conf"
dsm -policy -config "$T/warn3.conf"
expect 0 "warn_days = 3"
out_lacks "expires in" "five days is not within three"
sed 's/^keydb = .*/&\nwarn_days = soon/' "$T/inv.conf" >"$T/bad.conf"
dsm -policy -config "$T/bad.conf"
expect 2 "a bad warn_days"
err_has "bad.conf:3: \\[dsmcert\\] warn_days: 'soon'" "names file, line and key"

# Unused: recorded only for servers no node uses, or that are gone.
rm -rf "$DB"
cp "$T/new.pem" "$T/cert256.arm"
mkcert gone
mkcert idle
mkca root "/O=Test/CN=Site Root"
cat >>"$T/inv.conf" <<INV
[IDLE]
type = server
address = idle.example.com:1500
version = 8.1.14
INV
dsm -configure
expect 0 "-configure"
for s in GONE IDLE; do
	dsm -add -server "$s" -file "$T/$(echo "$s" | tr A-Z a-z).pem"
	expect 0 "a certificate for $s"
done
dsm -add -file "$T/root.pem"
expect 0 "a root without -server"
dsm -add -server GONE -file "$T/root.pem"
expect 0 "the root recorded for GONE too"
dsm -policy
expect 0 "-policy: unused certificates are no action"
out_has "^unused certificates" "lists the unused certificates"
out_has "\"GONE\" \\(SHA-256 $(fp "$T/gone.pem"), .*recorded for GONE, which is not in the inventory" \
    "one for a server gone from the inventory"
out_has "\"IDLE\" \\(SHA-256 $(fp "$T/idle.pem"), .*recorded for IDLE, which no node uses" \
    "one for a server no node uses"
out_has "\"Site Root\" \\(SHA-256 .*recorded for GONE, which is not in the inventory; imported without -server too, so it stays" \
    "the root's record for GONE, and that the root stays"
out_lacks "\"LDAPSRV\" \\(SHA-256 .*recorded for" "not the one the node uses"
dsm -policy -json
expect 0 "-policy -json"
err_has "warning: \"GONE\" .* recorded only for GONE" "-json: warned about on standard error"
assert "-json: stdout is the array alone" jq -e 'type == "array"' "$T/out"
certlist "$DB" >"$T/before"
dsm -configure
expect 0 "-configure without -prune"
out_has "3 unused certificates kept" "keeps them, and says so"
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "nothing removed"
dsm -configure -prune
expect 0 "-configure -prune"
out_has "^done: remove \"GONE\"" "removes GONE's"
out_has "^done: remove \"IDLE\"" "removes IDLE's"
out_has "^done: unlink GONE from \"Site Root\"" "unlinks GONE from the root"
labels "$DB" | sed 's/ [^ ]*$//' >"$T/labels"
printf 'LDAPSRV\nSite Root\n' >"$T/want"
same "$T/want" "$T/labels" "the root and LDAPSRV's certificate are left"
dsm -list -server GONE
expect 4 "nothing is recorded for GONE any more"
dsm -list -label "Site Root" -json
assert "the root is kept, as an import without -server" [ \
    "$(jq -c '[.[0].server]' "$T/out")" = '[null]' ]
dsm -policy
out_lacks "unused" "no unused certificate left"
dsm -configure -prune
out_has "^nothing to do" "a second -prune has nothing to do"

# An old certificate that another server still relies on is only
# unlinked when retired; once nothing but a server gone from the
# inventory relies on it, it is unused, and -prune removes it.
rm -rf "$DB"
cp "$T/old.pem" "$T/cert256.arm"
dsm -configure
expect 0 "-configure: the old certificate as LDAPSRV"
dsm -add -server GONE -file "$T/old.pem"
expect 0 "recorded for GONE too"
cp "$T/new.pem" "$T/cert256.arm"
dsm -configure
expect 0 "-configure: the new one beside it"
dsm -configure -prune
expect 0 "-configure -prune"
out_has "^done: retire \"LDAPSRV\" .*; kept \"LDAPSRV\", still relied on by GONE" \
    "retires the old one for LDAPSRV, and says why it stays"
dsm -list -server LDAPSRV -json
assert "LDAPSRV has only the new one" [ \
    "$(jq -c '[.[] | .sha256]' "$T/out")" = "[\"$NEW\"]" ]
dsm -list -server GONE -json
assert "GONE still has the old one" [ \
    "$(jq -c '[.[] | .sha256]' "$T/out")" = "[\"$OLD\"]" ]
dsm -policy
expect 0 "-policy"
out_has "\"LDAPSRV\" \\(SHA-256 $OLD, .*recorded for GONE, which is not in the inventory" \
    "the old one is unused now"
dsm -configure -prune
expect 0 "-configure -prune again"
out_has "^done: remove \"LDAPSRV\" \\(SHA-256 $OLD\\)" "removes it"
labels "$DB" >"$T/labels"
printf 'LDAPSRV #2 %s\n' "$NEW" >"$T/want"
same "$T/want" "$T/labels" "only the new certificate is left"
