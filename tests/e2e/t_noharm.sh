# Do no harm on real machines (issue 17): -configure never weakens what
# an administrator set, and never switches a node to TLS before the
# certificate that needs is in the key database. Every run is checked
# against the option files and the key database afterwards.
plan 63
DB="$T/db"
mkcert fast

# dm1 turned acceptance off by hand; dm2 left it at the default.
node_files ba dsm.dm1.opt=fast_dm1 dsm.dm2.opt=fast_dm2 <<'SYS'
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
cp "$T/ba/dsm.sys" "$T/sys.orig"

inventory <<INV
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

# 2. A legacy server that requires TLS, no certificate yet: SSL YES and
# the TLS port wait for it. The other safe steps on the machine are
# carried out: a supplied certificate imported, other nodes' edits, in
# the same dsm.sys.
unset DSMCERT_CONF
DB="$T/db2"
mkcert old
mkcert ldap
mkcert leg
mkdir -p "$T/lg"
chmod 755 "$T/lg"
cat >"$T/lg/dsm.sys" <<'SYS'
SErvername  leg_dm1
   TCPServeraddress  leg.example.com
   TCPPort           1500
SErvername  old_dm2
   TCPServeraddress  old.example.com
SErvername  ldap_vm
   TCPServeraddress  ldap.example.com
SYS
for n in dm1 dm2 vm; do
	printf 'SErvername %s\n' "$(grep -o "[a-z]*_$n\$" "$T/lg/dsm.sys")" \
	    >"$T/lg/dsm.$n.opt"
done
chmod 644 "$T"/lg/*
cp "$T/lg/dsm.sys" "$T/lg.orig"
cat >"$T/lg.conf" <<INV
[dsmcert]
keydb = $DB
[dm1]
type = node
role = datamover
optfile = lg/dsm.dm1.opt
[dm2]
type = node
role = datamover
optfile = lg/dsm.dm2.opt
[vm]
type = node
role = vmcli
optfile = lg/dsm.vm.opt
[LEG]
type = server
address = leg.example.com
version = 7.1.6
encrypt = yes
tlsport = 1543
[OLD]
type = server
address = old.example.com
version = 7.1.7
encrypt = yes
tlsport = 1600
certfile = old.pem
[LDAP]
type = server
address = ldap.example.com
version = 8.1.14
autocert = no
certfile = ldap.pem
INV
export DSMCERT_CONF="$T/lg.conf"
W="stanza leg_dm1 of $T/lg/dsm.sys"

dsm -policy
expect 6 "-policy: actions outstanding"
out_has "^  actions: +set SSL YES in $W \\(from NO, the default\\) once the certificate of LEG is in the key database$" \
    "SSL YES is shown held, waiting for LEG's certificate"
out_has "^ +set TCPPort 1543 in $W \\(from 1500\\) once the certificate of LEG is in the key database$" \
    "so is the TLS port"
out_has "^ +obtain the certificate of LEG " "the certificate is to be obtained"
out_has "note: +the switch to TLS \\(SSL YES, the TLS port\\) is held until the certificate is in the key database" \
    "a note says why"
dsm -policy -json
expect 6 "-policy -json"
assert "-policy -json: LEG's three actions, two of them held" [ \
    "$(jq -c '.[] | select(.server == "LEG") | [.compliant,
    (.actions | length), ([.actions[] | select(endswith(
    "once the certificate of LEG is in the key database"))] | length)]' \
    "$T/out")" = '[false,3,2]' ]

dsm -configure -dryrun
expect 6 "-configure -dryrun: exit 6 while something is held"
out_has "^held: set SSL YES in $W \\(from NO, the default\\) once the certificate of LEG is in the key database \\(for dm1\\)$" \
    "the dry run shows SSL YES held"
out_has "^held: set TCPPort 1543 in $W \\(from 1500\\) once the certificate of LEG is in the key database \\(for dm1\\)$" \
    "and the TLS port"
out_has "^2 edits held until a certificate is in the key database: switched to TLS without it, a node could not reach its server$" \
    "and says why"
out_has "^would: import $T/old.pem as OLD \\(for dm2\\)$" "the other steps would be done"
n=$(grep -c '^would:' "$T/out")
assert "five steps would be done (has $n)" [ "$n" = 5 ]
same "$T/lg.orig" "$T/lg/dsm.sys" "the dry run changes nothing"
assert "nor creates the key database" [ ! -e "$DB" ]

dsm -configure -json
expect 6 "-configure: exit 6 while something is held"
assert "-configure -json: five steps done, two held, one by hand" [ \
    "$(jq -c '[.steps[].state] | group_by(.) | map([.[0], length])' \
    "$T/out")" = '[["by hand",1],["done",5],["held",2]]' ]
cat >"$T/lg.want" <<'SYS'
SErvername  leg_dm1
   TCPServeraddress  leg.example.com
   TCPPort           1500
SErvername  old_dm2
   TCPServeraddress  old.example.com
   SSL               YES
   TCPPort           1600
SErvername  ldap_vm
   TCPServeraddress  ldap.example.com
   SSLACCEPTCERTFROMSERV NO
SYS
same "$T/lg.want" "$T/lg/dsm.sys" "dsm.sys: the other nodes' edits, not LEG's"
assert "OLD and LDAP imported" sh -c \
    "certutil -L -d sql:$DB | grep -Eq '^OLD +P,,' &&
    certutil -L -d sql:$DB | grep -Eq '^LDAP +P,,'"
n=$(certutil -L -d "sql:$DB" | grep -c ',,')
assert "and nothing else (has $n)" [ "$n" = 2 ]

certlist "$DB" >"$T/lg.certs"
dsm -configure
expect 6 "a second -configure: still held"
out_lacks "^done:" "does nothing"
out_has "^held: set SSL YES in $W" "still says what is held"
same "$T/lg.want" "$T/lg/dsm.sys" "dsm.sys unchanged"
certlist "$DB" >"$T/lg.certs2"
same "$T/lg.certs" "$T/lg.certs2" "key database unchanged"

# The certificate arrives: the switch goes ahead.
dsm -add -server LEG -file "$T/leg.pem" -q
expect 0 "LEG's certificate is added by hand"
dsm -configure
expect 0 "-configure: the switch is done now"
out_has "^done: set SSL YES in $W \\(from NO, the default\\) \\(for dm1\\)$" "SSL YES"
out_has "^done: set TCPPort 1543 in $W \\(from 1500\\) \\(for dm1\\)$" "the TLS port"
sed -e 's/^   TCPPort           1500$/   TCPPort           1543\n   SSL               YES/' \
    "$T/lg.want" >"$T/lg.want2"
same "$T/lg.want2" "$T/lg/dsm.sys" "dsm.sys: leg_dm1 switched to TLS"
dsm -policy
expect 0 "-policy: compliant"
dsm -configure
expect 0 "and a last -configure"
out_has "^nothing to do" "has nothing to do"
same "$T/lg.want2" "$T/lg/dsm.sys" "dsm.sys unchanged"
