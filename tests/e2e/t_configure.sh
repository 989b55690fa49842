# -policy and -configure on bad input and part-way failures: a clear
# message naming the file, a non-zero exit, and nothing changed that the
# output does not say was changed.
plan 59
DB="$T/db"
mkcert ldap
mkcert other
two_nodes
export DSMCERT_CONF="$T/inv.conf"
cp "$T/a/dsm.sys" "$T/a.orig"
cp "$T/b/dsm.sys" "$T/b.orig"

# A bad inventory: exit 2, file, line, section and key named.
printf '[x]\ntype = node\nrole = datamover\noptfile = a/dsm.opt\ncolour = red\n' >"$T/bad.conf"
dsm -policy -config "$T/bad.conf"
expect 2 "unknown inventory key"
err_has "bad.conf:5: \\[x\\] colour: unknown key" "names file, line, section and key"
err_has "hint: correct the inventory" "with a hint of what to do"
dsm -configure -config "$T/bad.conf"
expect 2 "-configure refuses it too"
printf '[s]\ntype = server\naddress = h\nversion = 8.1\n' >"$T/bad.conf"
dsm -policy -config "$T/bad.conf"
expect 2 "bad version"
err_has "bad.conf:4: \\[s\\] version: '8.1'" "names the version"
head -c 2000 /dev/urandom >"$T/bad.conf"
dsm -policy -config "$T/bad.conf"
expect 2 "binary garbage"
dsm -policy -config "$T"
expect 2 "a directory"
err_has "is a directory" "says so"
dsm -policy -config "$T/none.conf"
expect 2 "a missing inventory"
err_has "none.conf" "names it"
printf '; nothing\n' >"$T/empty.conf"
dsm -policy -config "$T/empty.conf"
expect 2 "an inventory without nodes"
err_has "no node sections" "says so"

# A stanza whose server is not in the inventory.
sed 's/^address = ldap.example.com:1500$/address = ldap.example.com:1600/' \
    "$T/inv.conf" >"$T/other.conf"
dsm -configure -config "$T/other.conf"
expect 2 "a stanza of no known server"
err_has "node na, stanza ldap_a of $T/a/dsm.sys: TCPServeraddress ldap.example.com port 1500 is no server's address" "names node, stanza and file"
# A servers = list naming a stanza that is not there.
sed 's/^optfile = a\/dsm.opt$/optfile = a\/dsm.opt\nservers = nope/' \
    "$T/inv.conf" >"$T/other.conf"
dsm -policy -config "$T/other.conf"
expect 2 "a missing stanza"
err_has "\\[na\\] servers: no stanza nope in $T/a/dsm.sys" "names it"
# A certfile that is not a certificate.
printf 'not a certificate\n' >"$T/junk.pem"
sed 's/^certfile = ldap.pem$/certfile = junk.pem/' "$T/inv.conf" >"$T/other.conf"
dsm -configure -config "$T/other.conf"
expect 2 "a bad certfile"
err_has "junk.pem" "names it"
err_has "certfile of \\[LDAP\\]" "and whose it is"
same "$T/a.orig" "$T/a/dsm.sys" "nothing edited after bad input"
assert "no database created after bad input" [ ! -e "$DB" ]

# Part-way failure: b/dsm.sys is writable by its group, so its edits are
# refused after the import and the edits of a/dsm.sys were done.
cp "$T/inv.conf" "$T/enc.conf"
printf 'encrypt = yes\n' >>"$T/enc.conf"
chmod 664 "$T/b/dsm.sys"
dsm -configure -config "$T/enc.conf"
assert "-configure fails (exit $RC)" [ "$RC" -ne 0 ]
out_has "^done: import $T/ldap.pem as LDAP \\(for na, nb\\)" "the import is reported done"
out_has "^done: set SSL YES in stanza ldap_a of $T/a/dsm.sys" "the edits of a/dsm.sys are reported done"
out_has "^failed: set SSL YES in stanza ldap_b of $T/b/dsm.sys" "the edits of b/dsm.sys are reported failed"
err_has "$T/b/dsm.sys" "the error names the file"
same "$T/b.orig" "$T/b/dsm.sys" "b/dsm.sys untouched"
assert "a/dsm.sys edited" grep -q 'SSL YES' "$T/a/dsm.sys"
dsm -policy -config "$T/enc.conf"
expect 6 "-policy: still an action"
out_has "1 of 2 node and server pairs need action" "just that one"
out_has "set SSL YES in stanza ldap_b" "SSL YES in b"
chmod 644 "$T/b/dsm.sys"
dsm -configure -config "$T/enc.conf"
expect 0 "-configure finishes the job"
out_has "^done: set SSL YES in stanza ldap_b" "the rest"
out_lacks "import" "the certificate is not imported twice"
dsm -policy -config "$T/enc.conf"
expect 0 "compliant"

# A certificate that is not the server's already under its label: a
# conflict. (One of the server's own is a renewal: see t_renew.)
rm -rf "$DB"
cp "$T/a.orig" "$T/a/dsm.sys"
dsm -add -label LDAP -file "$T/other.pem" -db "$DB"
expect 0 "another certificate as LDAP, not for the server"
certlist "$DB" >"$T/c.before"
dsm -configure
expect 5 "-configure: label conflict"
err_has "label \"LDAP\" already holds another certificate" "says so"
err_has "-replace" "and how to replace it"
out_has "^failed: import" "the import failed"
out_has "^not done: set SSLACCEPTCERTFROMSERV NO in stanza ldap_a" "the edits were not done"
certlist "$DB" >"$T/c.after"
same "$T/c.before" "$T/c.after" "key database unchanged"
same "$T/a.orig" "$T/a/dsm.sys" "a/dsm.sys unchanged"

# An older certificate of the server itself under its label: the
# certfile holds its renewal, which goes in beside it, and the other
# steps (here SSL YES, all data encrypted) are done too.
rm -rf "$DB"
cp "$T/a.orig" "$T/a/dsm.sys"
cp "$T/b.orig" "$T/b/dsm.sys"
dsm -add -server LDAP -file "$T/other.pem" -db "$DB"
expect 0 "the server's older certificate as LDAP"
dsm -configure -config "$T/enc.conf"
expect 0 "-configure: a renewal is no conflict"
out_has "^done: import $T/ldap.pem as LDAP #2, beside the old certificate" \
    "the renewed certificate beside the old one"
out_has "^done: set SSL YES in stanza ldap_a" "a/dsm.sys edited"
out_has "^done: set SSL YES in stanza ldap_b" "b/dsm.sys edited"
out_lacks "^(failed|not done)" "nothing failed or left undone"
dsm -list -json -db "$DB"
assert "LDAP #2 holds the certfile's certificate, LDAP the old one" [ \
    "$(jq -c '[.[] | [.label, .sha256]]' "$T/out")" = \
    "[[\"LDAP\",\"$(fp "$T/other.pem")\"],[\"LDAP #2\",\"$(fp "$T/ldap.pem")\"]]" ]

# No certfile: the rest is done, the certificate is left by hand.
rm -rf "$DB"
cp "$T/a.orig" "$T/a/dsm.sys"
cp "$T/b.orig" "$T/b/dsm.sys"
grep -v '^certfile' "$T/inv.conf" >"$T/nocert.conf"
dsm -configure -config "$T/nocert.conf"
expect 6 "-configure without a certfile: exit 6"
out_has "^by hand: obtain the certificate of LDAP" "says what to do by hand"
out_has "^done: set SSLACCEPTCERTFROMSERV NO in stanza ldap_a" "did the rest"
dsm -configure -config "$T/nocert.conf" -json
expect 6 "again: still by hand"
assert "only the step by hand is left" [ \
    "$(jq -c '[.steps[].state]' "$T/out")" = '["by hand"]' ]
