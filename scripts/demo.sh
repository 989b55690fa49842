#!/bin/sh
# make demo: a worked example under ./demo/, never /etc. Generates a
# server certificate as a backup server would, imports it the vendor
# way, and shows the result.
set -eu
DSMCERT=${1:-bin/dsmcert}
top=$(cd "$(dirname "$0")/.." && pwd)
demo="${DEMO_DIR:-$top/demo}"

rm -rf "$demo"
mkdir -p "$demo/server"
export DSMCERT_DB="$demo/keydb"
unset DSMCERT_CONF DSM_DIR DSM_CONFIG PASSWORDDIR

say() { printf '\n$ %s\n' "$*"; }
# newkey FILE: a new RSA-2048 key in FILE. DEMO_KEYS, a directory of
# keys 1.key, 2.key, ... made before (the tests' key pool), lends them
# in turn instead.
nkeys=0
newkey() {
	nkeys=$((nkeys + 1))
	rm -f "$1"
	if [ -n "${DEMO_KEYS:-}" ] && [ -f "$DEMO_KEYS/$nkeys.key" ]; then
		cp "$DEMO_KEYS/$nkeys.key" "$1"
	else
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		    -out "$1" 2>/dev/null
	fi
}
run() { say "dsmcert $*"; "$DSMCERT" "$@"; }

printf '== A backup server issues its self-signed certificate (cert256.arm)\n'
newkey "$demo/server/cert256.key"
openssl req -x509 -key "$demo/server/cert256.key" -days 365 \
    -out "$demo/server/cert256.arm" \
    -subj "/C=US/O=TSM/OU=TSM Network/CN=TSM Self-Signed Certificate" \
    -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null
echo "wrote $demo/server/cert256.arm"

printf '\n== The node imports it, with the vendor command line\n'
run -add -server SERVER1 -file "$demo/server/cert256.arm"
printf '\n== Running it again changes nothing\n'
run -add -server SERVER1 -file "$demo/server/cert256.arm"
printf '\n== What the key database holds, and where it is\n'
run -list
run -where
printf '\n== certutil sees the same\n'
say "certutil -L -d sql:$DSMCERT_DB"
certutil -L -d "sql:$DSMCERT_DB"

# The tool's main job: a machine's nodes, its servers at several
# versions, and what each node needs from each server.
printf '\n== A backup host: two data movers and a VMCLI node, four servers\n'
mkdir -p "$demo/ba" "$demo/vmcli"
for s in OLDSRV LDAPSRV; do
	mkdir -p "$demo/servers/$s"
	newkey "$demo/servers/$s/cert256.key"
	openssl req -x509 -key "$demo/servers/$s/cert256.key" -days 365 \
	    -out "$demo/servers/$s/cert256.arm" \
	    -subj "/C=US/O=TSM/OU=TSM Network/CN=TSM Self-Signed Certificate" \
	    -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null
done
cat >"$demo/ba/dsm.sys" <<'SYS'
* Data movers: one system option file, a stanza per node and server
SErvername  dm1_old
   COMMMethod        TCPip
   TCPServeraddress  old.example.com
   TCPPort           1500
   NODename          DM1

SErvername  dm1_eight
   TCPServeraddress  eight.example.com
   TCPPort           1500
   NODename          DM1

SErvername  dm2_ldap
   TCPServeraddress  ldap.example.com
   TCPPort           1500
   NODename          DM2
SYS
printf 'SErvername dm1_old\n' >"$demo/ba/dsm.dm1.opt"
printf 'SErvername dm2_ldap\n' >"$demo/ba/dsm.dm2.opt"
cat >"$demo/vmcli/dsm.sys" <<'SYS'
SErvername  VMCLI_LDAP
   TCPServeraddress  LDAP.example.com
   TCPPort           1500
SErvername  VMCLI_FAST
   TCPServeraddress  fast.example.com
SYS
printf 'SErvername VMCLI_LDAP\n' >"$demo/vmcli/dsm.opt"
chmod 755 "$demo" "$demo/ba" "$demo/vmcli"
chmod 644 "$demo"/ba/* "$demo"/vmcli/*
cat >"$demo/dsmcert.conf" <<INV
; The demo machine (see dsmcert.conf(5))
[dsmcert]
keydb = $demo/keydb

[datamover1]
type    = node
role    = datamover
optfile = ba/dsm.dm1.opt
servers = dm1_old, dm1_eight

[datamover2]
type    = node
role    = datamover
optfile = ba/dsm.dm2.opt

[vmcli]
type    = node
role    = vmcli
optfile = vmcli/dsm.opt
servers = VMCLI_LDAP, VMCLI_FAST

; V7.1.6, every byte encrypted: TLS on its TLS port
[OLDSRV]
type     = server
address  = old.example.com
version  = 7.1.6.100
encrypt  = yes
tlsport  = 1543
certfile = servers/OLDSRV/cert256.arm

; V8.1.1, not yet upgraded
[SRV811]
type    = server
address = eight.example.com:1500
version = 8.1.1

; LDAP authentication: no automatic certificate distribution
[LDAPSRV]
type     = server
address  = ldap.example.com:1500
version  = V8.1.14.000
autocert = no
certfile = servers/LDAPSRV/cert256.arm

; current, the fast path
[FASTSRV]
type    = server
address = fast.example.com
version = 8.1.20
INV
export DSMCERT_CONF="$demo/dsmcert.conf"
say "cat $demo/dsmcert.conf"
cat "$demo/dsmcert.conf"

printf '\n== What each node needs from each server (exit 6: actions outstanding)\n'
rc=0
run -policy || rc=$?
echo "exit status $rc"
printf '\n== The plan, changing nothing\n'
run -configure -dryrun
printf '\n== Carried out: certificates first, then one atomic replace per file\n'
cp "$demo/ba/dsm.sys" "$demo/ba/dsm.sys.before"
run -configure
say "diff -u ba/dsm.sys.before ba/dsm.sys"
diff -u "$demo/ba/dsm.sys.before" "$demo/ba/dsm.sys" || true
printf '\n== Afterwards every node is compliant (exit 0)\n'
run -policy
printf '\n== A second run has nothing to do\n'
run -configure
printf '\n== The key database: one certificate per server, shared by every node\n'
run -list

# Trust over time: the vendor's self-signed certificate expires after ten
# years and is renewed on the server; every client must get the new one.
printf '\n== Years on, LDAPSRV renews its certificate\n'
echo "(on the server: delete its self-signed certificate and restart it;"
echo " it makes a new cert256.arm, same subject, new key)"
newkey "$demo/servers/LDAPSRV/cert256.key"
openssl req -x509 -key "$demo/servers/LDAPSRV/cert256.key" -days 3650 \
    -out "$demo/servers/LDAPSRV/cert256.arm" \
    -subj "/C=US/O=TSM/OU=TSM Network/CN=TSM Self-Signed Certificate" \
    -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null
printf '\n== -policy names the old and the new certificate (exit 6)\n'
rc=0
run -policy -config "$demo/dsmcert.conf" || rc=$?
echo "exit status $rc"
printf '\n== The new one goes in beside the old: the nodes trust LDAPSRV before\n'
printf '== and after it switches\n'
run -configure
run -list -server LDAPSRV
printf '\n== Compliant during the overlap, with a note; nothing more to do\n'
run -policy
run -configure
printf '\n== LDAPSRV has switched: -prune retires its old certificate, and\n'
printf '== SERVER1'"'"'s, which is for no server in the inventory\n'
run -configure -prune
run -list -server LDAPSRV
