# Do no harm on real machines (issue 17): -configure never weakens what
# an administrator set, and never switches a node to TLS before the
# certificate that needs is in the key database. Every run is checked
# against the option files and the key database afterwards.
DB="$T/db"
mkcert fast
mkdir -p "$T/ba"
chmod 755 "$T/ba"

# dm1 turned acceptance off by hand; dm2 left it at the default.
cat >"$T/ba/dsm.sys" <<'SYS'
* data movers
SErvername  fast_dm1
   TCPServeraddress  fast.example.com
   * no certificate on first contact: set by hand
   SSLACCEPTCERTFROMSERV NO
   NODename          DM1

SErvername  fast_dm2
   TCPServeraddress  fast.example.com
   NODename          DM2
SYS
printf 'SErvername fast_dm1\n' >"$T/ba/dsm.dm1.opt"
printf 'SErvername fast_dm2\n' >"$T/ba/dsm.dm2.opt"
chmod 644 "$T"/ba/*
cp "$T/ba/dsm.sys" "$T/sys.orig"

cat >"$T/inv.conf" <<INV
[dsmcert]
keydb = $DB
[dm1]
type = node
role = datamover
optfile = ba/dsm.dm1.opt
[dm2]
type = node
role = datamover
optfile = ba/dsm.dm2.opt
[FAST]
type = server
address = fast.example.com
version = 8.1.20
INV
export DSMCERT_CONF="$T/inv.conf"

# 1. autocert at its default, no certfile, SSLACCEPTCERTFROMSERV NO by
# hand: it stays NO; the certificate is what the node needs.
dsm -policy
expect 6 "-policy: dm1 needs its certificate"
out_has "^dm1 \\(datamover\\) -> FAST, stanza fast_dm1 of .*: action needed" \
    "dm1 -> FAST needs action"
out_has "^dm2 \\(datamover\\) -> FAST, stanza fast_dm2 of .*: compliant" \
    "dm2 -> FAST is compliant"
out_lacks "set SSLACCEPTCERTFROMSERV YES" "NO is not set back to YES"
out_has "actions: +obtain the certificate of FAST" \
    "the certificate is to be obtained"
out_has "note: +SSLACCEPTCERTFROMSERV NO is kept: it could be YES" \
    "a note says it could be YES"
dsm -policy -json
expect 6 "-policy -json"
assert "-policy -json: dm1's one action is the certificate, with the note" [ \
    "$(jq -c '.[] | select(.node == "dm1") | [.case, (.actions | length),
    (.actions[0] | startswith("obtain the certificate of FAST")),
    (.note | test("could be YES"))]' "$T/out")" = '["fastpath",1,true,true]' ]

dsm -configure -dryrun
expect 6 "-configure -dryrun: a step by hand"
out_lacks "SSLACCEPTCERTFROMSERV" "the dry run edits no option"
out_has "^by hand: obtain the certificate of FAST .*\\(for dm1\\)$" \
    "the step by hand"
dsm -configure
expect 6 "-configure: exit 6, the certificate is left by hand"
out_lacks "^done:" "nothing done"
same "$T/sys.orig" "$T/ba/dsm.sys" "dsm.sys keeps SSLACCEPTCERTFROMSERV NO"
assert "no backup: dsm.sys was not rewritten" [ ! -e "$T/ba/dsm.sys.bak" ]
dsm -configure
expect 6 "a second -configure: the same"
same "$T/sys.orig" "$T/ba/dsm.sys" "dsm.sys still unchanged"

# With the certificate at hand it is imported, and NO still stays.
printf 'certfile = fast.pem\n' >>"$T/inv.conf"
dsm -configure
expect 0 "-configure with a certfile"
out_has "^done: import $T/fast.pem as FAST \\(for dm1\\)$" "imports it for dm1"
out_lacks "SSLACCEPTCERTFROMSERV" "and edits no option"
same "$T/sys.orig" "$T/ba/dsm.sys" "dsm.sys keeps NO"
assert "FAST is in the key database, trusted as a peer" \
    sh -c "certutil -L -d sql:$DB | grep -Eq '^FAST +P,,'"
dsm -policy
expect 0 "-policy: compliant"
certlist "$DB" >"$T/certs.after"
dsm -configure
expect 0 "a second -configure"
out_has "^nothing to do" "has nothing to do"
certlist "$DB" >"$T/certs.again"
same "$T/certs.after" "$T/certs.again" "key database unchanged"
same "$T/sys.orig" "$T/ba/dsm.sys" "dsm.sys unchanged"
