# The trust policy on a whole machine (issue 4): two data movers and a
# VMCLI node; a legacy 7.1.6 server that needs encryption, a legacy 8.1.1
# server, a current LDAP server used by two nodes through stanzas of
# different names, and a current fast-path server.
plan 70
DB="$T/db"
mkcert old
mkcert ldap

# The data movers share one dsm.sys; dm1 uses two stanzas of it.
node_files ba dsm.dm1.opt=old_dm1 dsm.dm2.opt=ldap_dm2 <<'SYS'
* data movers
DEFAULTServer   old_dm1

SErvername  old_dm1
   COMMMethod        TCPip
   TCPPort           1500
   TCPServeraddress  old.example.com
   NODename          DM1

SErvername  eight_dm1
   TCPPort           1500
   TCPServeraddress  eight.example.com
   NODename          DM1

SErvername  ldap_dm2
   TCPServeraddress  ldap.example.com
   TCPPort           1500
   SSLACCEPTCERTFROMSERV yes
   NODename          DM2
SYS
node_files vm dsm.opt=LDAP_VM <<'SYS'
SErvername LDAP_VM
   TCPServeraddress LDAP.Example.COM
   TCPPort 1500
SErvername FAST_VM
   TCPServeraddress fast.example.com
SYS

inventory <<INV
[dm1]
type = node
role = datamover
optfile = ba/dsm.dm1.opt
servers = old_dm1, eight_dm1

[dm2]
type = node
role = datamover
optfile = ba/dsm.dm2.opt

[vmcli]
type = node
role = vmcli
optfile = vm/dsm.opt
servers = LDAP_VM FAST_VM

[OLD7]
type = server
address = old.example.com
version = 7.1.6.100
encrypt = yes
tlsport = 1543
certfile = old.pem

[SRV811]
type = server
address = eight.example.com:1500
version = 8.1.1

[LdapSrv]
type = server
address = ldap.example.com:1500
version = V8.1.14.000
autocert = no
certfile = ldap.pem

[FAST]
type = server
address = fast.example.com
version = 8.1.20
INV
export DSMCERT_CONF="$T/inv.conf"

snapshot() {
	mkdir -p "$T/$1"
	for f in ba/dsm.sys ba/dsm.dm1.opt ba/dsm.dm2.opt vm/dsm.sys vm/dsm.opt; do
		cp "$T/$f" "$T/$1/$(echo "$f" | tr / _)"
	done
	certlist "$DB" >"$T/$1/certs"
}
unchanged() {
	for f in ba_dsm.sys ba_dsm.dm1.opt ba_dsm.dm2.opt vm_dsm.sys vm_dsm.opt; do
		same "$T/$1/$f" "$T/$(echo "$f" | sed 's/_/\//')" "$2: $f"
	done
	certlist "$DB" >"$T/certs.now"
	same "$T/$1/certs" "$T/certs.now" "$2: key database"
}
snapshot before

# -policy before: everything that is missing, exit 6.
dsm -policy
expect 6 "-policy exits 6 while actions are outstanding"
out_has "^dm1 \\(datamover\\) -> OLD7, stanza old_dm1 of .*: action needed" "dm1 -> OLD7 entry"
out_has "set SSL YES in stanza old_dm1 of $T/ba/dsm.sys \\(from NO, the default\\)" "OLD7: SSL YES"
out_has "set TCPPort 1543 in stanza old_dm1 of $T/ba/dsm.sys \\(from 1500\\)" "OLD7: TLS port"
out_has "import $T/old.pem as OLD7" "OLD7: import"
out_has "set SSLACCEPTCERTFROMSERV NO in stanza eight_dm1 of $T/ba/dsm.sys" "SRV811: accept NO ahead of upgrade"
out_has "note: +before the first contact after the server's upgrade" "SRV811: import later"
out_has "set SSLACCEPTCERTFROMSERV NO in stanza ldap_dm2 of $T/ba/dsm.sys \\(from yes\\)" "LDAP via dm2"
out_has "set SSLACCEPTCERTFROMSERV NO in stanza LDAP_VM of $T/vm/dsm.sys \\(from YES, the default\\)" "LDAP via vmcli"
out_has "^vmcli \\(vmcli\\) -> FAST, stanza FAST_VM of .*: compliant" "fast path compliant"
out_has "case: +current, automatic certificate distribution \\(fast path\\)" "fast path case"
out_has "case: +legacy, TLS required; all data encrypted" "legacy TLS case"
out_has "4 of 5 node and server pairs need action" "summary"
unchanged before "-policy changes nothing"

dsm -policy -json
expect 6 "-policy -json exits 6 too"
jall "-policy -json is a JSON array of 5" 'type == "array" and length == 5' \
    "every entry has key node" '[.[] | has("node")] | all' \
    "every entry has key server" '[.[] | has("server")] | all' \
    "every entry has key version" '[.[] | has("version")] | all' \
    "every entry has key class" '[.[] | has("class")] | all' \
    "every entry has key compliant" '[.[] | has("compliant")] | all' \
    "every entry has key actions" '[.[] | has("actions")] | all' \
    "LdapSrv entries: current, two of them, not compliant" \
    '[.[] | select(.server == "LdapSrv") | [.node, .class, .compliant]] ==
    [["dm2", "current", false], ["vmcli", "current", false]]' \
    "SRV811 is legacy" \
    '[.[] | select(.server == "SRV811") | .class] == ["legacy"]' \
    "FAST has no actions" \
    '[.[] | select(.server == "FAST") | .actions] == [[]]' \
    "OLD7 has three actions" \
    '[.[] | select(.server == "OLD7") | .actions | length] == [3]'

# -configure -dryrun: the plan, nothing changed, no database created.
dsm -configure -dryrun
expect 0 "-configure -dryrun"
out_has "^would: import $T/ldap.pem as LdapSrv \\(for dm2, vmcli\\)" "one import of LdapSrv for both nodes"
out_has "^would: import $T/old.pem as OLD7 \\(for dm1\\)" "import OLD7"
out_has "dry run: nothing was changed" "says nothing changed"
n=$(grep -c '^would:' "$T/out")
assert "7 steps planned (has $n)" [ "$n" = 7 ]
unchanged before "-configure -dryrun changes nothing"
assert "-dryrun creates no database" [ ! -e "$DB" ]

# -configure: exactly these edits and imports.
dsm -configure
expect 0 "-configure"
n=$(grep -c '^done:' "$T/out")
assert "7 steps done (has $n)" [ "$n" = 7 ]
cat >"$T/want.ba.sys" <<'SYS'
* data movers
DEFAULTServer   old_dm1

SErvername  old_dm1
   COMMMethod        TCPip
   TCPPort           1543
   TCPServeraddress  old.example.com
   NODename          DM1
   SSL               YES

SErvername  eight_dm1
   TCPPort           1500
   TCPServeraddress  eight.example.com
   NODename          DM1
   SSLACCEPTCERTFROMSERV NO

SErvername  ldap_dm2
   TCPServeraddress  ldap.example.com
   TCPPort           1500
   SSLACCEPTCERTFROMSERV NO
   NODename          DM2
SYS
cat >"$T/want.vm.sys" <<'SYS'
SErvername LDAP_VM
   TCPServeraddress LDAP.Example.COM
   TCPPort 1500
   SSLACCEPTCERTFROMSERV NO
SErvername FAST_VM
   TCPServeraddress fast.example.com
SYS
same "$T/want.ba.sys" "$T/ba/dsm.sys" "the data movers' dsm.sys has exactly the edits"
same "$T/want.vm.sys" "$T/vm/dsm.sys" "the VMCLI dsm.sys has exactly the edit"
same "$T/before/ba_dsm.dm1.opt" "$T/ba/dsm.dm1.opt" "dsm.dm1.opt untouched"
same "$T/before/vm_dsm.opt" "$T/vm/dsm.opt" "vmcli dsm.opt untouched"
n=$(certutil -L -d "sql:$DB" | grep -c ',,')
assert "two certificates in the key database (has $n)" [ "$n" = 2 ]
dsm -list -json -db "$DB"
jall --arg ldap "$(fp "$T/ldap.pem")" --arg old "$(fp "$T/old.pem")" \
    "LdapSrv holds ldap.pem" \
    '[.[] | select(.label == "LdapSrv") | .sha256] == [$ldap]' \
    "OLD7 holds old.pem" '[.[] | select(.label == "OLD7") | .sha256] == [$old]'

# After: compliant, and a second run has nothing to do.
dsm -policy
expect 0 "-policy exits 0 after -configure"
out_has "every node and server: compliant" "says compliant"
out_has "certificate LdapSrv in the key database" "in place: the LDAP certificate"
snapshot after
dsm -configure
expect 0 "second -configure"
out_has "^nothing to do" "second -configure: nothing to do"
unchanged after "second -configure changes nothing"

# SRV811 is upgraded, without automatic distribution: the option set
# ahead of time stays, and only its certificate is missing now.
mkcert eight
sed -e 's/^version = 8.1.1$/version = 8.1.2\nautocert = no\ncertfile = eight.pem/' \
    "$T/inv.conf" >"$T/inv2.conf"
dsm -policy -config "$T/inv2.conf" -json
expect 6 "SRV811 upgraded: its certificate is due"
assert "SRV811 is current now, one action: the import" [ \
    "$(jq -c '.[] | select(.server == "SRV811") | [.class, .case, .actions]' "$T/out")" = \
    "[\"current\",\"noauto\",[\"import $T/eight.pem as SRV811\"]]" ]
dsm -configure -config "$T/inv2.conf"
expect 0 "-configure imports it"
dsm -policy -config "$T/inv2.conf"
expect 0 "compliant again"
same "$T/want.ba.sys" "$T/ba/dsm.sys" "no option changed for the upgrade"

# make demo shows the same on a machine of its own: t_demo.
