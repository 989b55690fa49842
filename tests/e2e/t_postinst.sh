# contrib/postinst-hook.sh: an installer's view of -configure. Exit 0
# when done or nothing to do, a warning but 0 when steps are left by hand
# (1 with STRICT=1), 1 with dsmcert's message on bad input or a key
# database error; a second run changes nothing.
plan 35
HOOK="$TOP/contrib/postinst-hook.sh"
export DSMCERT
hook() { run sh "$HOOK" "$@"; }

DB="$T/db"
mkcert ldap
node_files n dsm.opt=ldap_a <<'SYS'
SErvername ldap_a
   TCPServeraddress ldap.example.com
SYS
inventory <<INV
[node1]
type = node
role = datamover
optfile = n/dsm.opt
[LDAP]
type = server
address = ldap.example.com:1500
version = 8.1.14
autocert = no
certfile = ldap.pem
INV

hook "$T/inv.conf"
expect 0 "first run"
out_has "^done: import $T/ldap.pem as LDAP" "the import is reported"
out_has "^done: set SSLACCEPTCERTFROMSERV NO" "the edit is reported"
out_has "inv.conf: 2 step\\(s\\) done" "and counted"
assert "the option file was edited" grep -q 'SSLACCEPTCERTFROMSERV NO' "$T/n/dsm.sys"
dsm -list -db "$DB"
out_has "^LDAP$" "the certificate is in the key database"
cp "$T/n/dsm.sys" "$T/sys.after"
certlist "$DB" >"$T/db.after"

hook "$T/inv.conf"
expect 0 "second run"
out_has "compliant, nothing changed" "says nothing changed"
out_lacks "^done:" "does nothing"
same "$T/sys.after" "$T/n/dsm.sys" "the option file is as the first run left it"
certlist "$DB" >"$T/db.again"
same "$T/db.after" "$T/db.again" "the key database too"

DSMCERT_CONF="$T/inv.conf" hook
expect 0 "the inventory from \$DSMCERT_CONF"
out_has "compliant, nothing changed" "found and compliant"

# A certificate nobody gave: a step left by hand (dsmcert exits 6).
sed '/^certfile/d; s/^\[LDAP\]/[LDAP2]/' "$T/inv.conf" >"$T/hand.conf"
hook "$T/hand.conf"
expect 0 "steps left by hand: the install goes on"
err_has "warning: left to do by hand: .*LDAP2" "each is named"
err_has "warning: .*not compliant yet" "and the machine is said to be not compliant"
STRICT=1 hook "$T/hand.conf"
expect 1 "with STRICT=1 the install fails"
err_has "error: .*not compliant yet \\(STRICT=1\\)" "saying why"

# A legacy server that needs TLS, no certificate: the switch is held,
# and the hook names it.
cp "$T/n/dsm.sys" "$T/sys.before"
sed '/^certfile/d; s/^version = 8.1.14$/version = 7.1.6\nencrypt = yes\ntlsport = 1543/' \
    "$T/hand.conf" >"$T/held.conf"
hook "$T/held.conf"
expect 0 "an edit held: the install goes on"
err_has "warning: held: set SSL YES in stanza ldap_a of .* once the certificate of LDAP2 is in the key database" \
    "the held edit is named"
same "$T/sys.before" "$T/n/dsm.sys" "and not made"

# Bad input: dsmcert's message, then the hook's, exit 1.
printf '[x]\ntype = node\nrole = datamover\noptfile = n/dsm.opt\ncolour = red\n' >"$T/bad.conf"
hook "$T/bad.conf"
expect 1 "a bad inventory fails the install"
err_has "^dsmcert: error: .*bad.conf:5: \\[x\\] colour: unknown key" "with dsmcert's message"
err_has "^dsmcert postinst: error: .*bad input \\(exit 2\\)" "and the hook's"
hook "$T/none.conf"
expect 1 "a named inventory that is missing fails"
err_has "none.conf" "naming it"

# A key database that cannot be opened: exit 3 from dsmcert.
sed "s|^keydb = .*|keydb = $T/notadir|" "$T/inv.conf" >"$T/db.conf"
: >"$T/notadir"
hook "$T/db.conf"
expect 1 "a key database error fails the install"
err_has "key database error \\(exit 3\\)" "says so"

# No inventory at all on this machine: nothing to do, not a failure.
if [ ! -e /etc/dsmcert/dsmcert.conf ]; then
	unset DSMCERT_CONF
	hook
	expect 0 "no inventory: the install goes on"
	out_has "no inventory at /etc/dsmcert/dsmcert.conf; nothing to configure" "says so"
fi
DSMCERT="$T/none/dsmcert" hook "$T/inv.conf"
expect 1 "no dsmcert: fails"
err_has "not found" "says so"
