# One model of trust: -policy, -configure, -check and -prune take their
# certificates, states and labels from the same code with the same now,
# so they never disagree. One case per way they used to disagree.
plan 65
. "$TOP/tests/e2e/tls.sh"
export PASSWORDDIR="$T/fallback"
unset DSMCERT_CONF DSMCERT_DB

# has DB LABEL: the key database holds a certificate under LABEL.
has() { certutil -L -d "sql:$1" -n "$2" >/dev/null 2>&1; }

# mkend NAME END: a self-signed certificate valid from a year ago until
# END (seconds since the epoch), to the minute (openssl ca -enddate).
mkend() {
	_c="$T/.ca.$1"
	rm -rf "$_c"
	mkdir -p "$_c"
	: >"$_c/index.txt"
	echo 01 >"$_c/serial"
	cat >"$_c/cnf" <<CNF
[ca]
default_ca = d
[d]
database = $_c/index.txt
new_certs_dir = $_c
serial = $_c/serial
default_md = sha256
policy = p
unique_subject = no
[p]
commonName = supplied
CNF
	poolkey "$1" &&
	openssl req -new -key "$T/$1.key" \
	    -out "$_c/csr" -subj "/CN=$1" 2>/dev/null &&
	openssl ca -batch -config "$_c/cnf" -selfsign -keyfile "$T/$1.key" \
	    -in "$_c/csr" -notext -out "$T/$1.pem" \
	    -startdate "$(date -u -d "@$(($2 - 31536000))" +%Y%m%d%H%M%SZ)" \
	    -enddate "$(date -u -d "@$2" +%Y%m%d%H%M%SZ)" >/dev/null 2>&1
}

# 1. A CA root added for LDAPSRV and linked for OTHER, then unlinked from
# LDAPSRV: it stays for OTHER under the label LDAPSRV. -check matched by
# label and said OK while -policy said LDAPSRV's certificate is missing.
mkca root "/O=Test/CN=Root One"
mkdir -p "$T/n1"
cat >"$T/n1/dsm.sys" <<'SYS'
SErvername LDAP
   TCPServeraddress ldap.example.com
SErvername OTH
   TCPServeraddress other.example.com
SYS
printf 'SErvername LDAP\n' >"$T/n1/dsm.opt"
cat >"$T/one.conf" <<INV
[dsmcert]
keydb = $T/db1
[n1]
type = node
role = client
optfile = n1/dsm.opt
servers = LDAP OTH
[LDAPSRV]
type = server
address = ldap.example.com
version = 8.1.14
autocert = no
[OTHER]
type = server
address = other.example.com
version = 8.1.14
autocert = no
INV
dsm -add -server LDAPSRV -file "$T/root.pem" -db "$T/db1"
expect 0 "1: the root, added for LDAPSRV"
dsm -add -server OTHER -file "$T/root.pem" -db "$T/db1"
expect 0 "1: and linked for OTHER"
dsm -delete -server LDAPSRV -db "$T/db1"
expect 0 "1: -delete -server LDAPSRV keeps it for OTHER"
assert "1: still under the label LDAPSRV" has "$T/db1" LDAPSRV
dsm -policy -config "$T/one.conf"
expect 6 "1: -policy: LDAPSRV's certificate is missing"
dsm -check -config "$T/one.conf"
expect 2 "1: -check agrees: CRITICAL"
out_has '^DSMCERT CRITICAL - n1 has no certificate for LDAPSRV' \
    "1: it names the node and the server"
dsm -check -config "$T/one.conf" -json
assert "1: LDAPSRV missing, OTHER's root ok" [ "$(jq -c \
    '[.certificates[] | [.server, .label, .state]]' "$T/out")" = \
    '[["LDAPSRV",null,"missing"],["OTHER","LDAPSRV","ok"]]' ]

# 2. and 3. A renewal: the old certificate expires within warn_days, the
# new one is in place beside it. A stanza of the node's own dsm.sys that
# the inventory does not list, SERVER9, has a certificate added the
# vendor's way (-add -server SERVER9).
mkvendor old 0 1
mkvendor new 0 24
mkcert nine
mkdir -p "$T/n2"
serve "$T/old.pem" "$T/old.key"
cat >"$T/n2/dsm.sys" <<SYS
SErvername LIVE
   TCPServeraddress 127.0.0.1
   TCPPort $PORT
SErvername SERVER9
   TCPServeraddress nine.example.com
SYS
printf 'SErvername LIVE\n' >"$T/n2/dsm.opt"
cat >"$T/two.conf" <<INV
[dsmcert]
keydb = db2
[n2]
type = node
role = client
optfile = n2/dsm.opt
servers = LIVE
[LIVE]
type = server
address = 127.0.0.1:$PORT
version = 8.1.14
autocert = no
certfile = new.pem
[GONE]
type = server
address = gone.example.com
version = 8.1.14
autocert = no
INV
DB2="$T/db2"
dsm -add -server LIVE -file "$T/old.pem" -db "$DB2"
expect 0 "2: the old certificate, recorded for LIVE"
dsm -add -server SERVER9 -file "$T/nine.pem" -db "$DB2"
expect 0 "3: SERVER9's, the vendor's way"
dsm -add -server GONE -file "$T/root.pem" -db "$DB2"
expect 0 "3: GONE's, a server no node uses"
dsm -configure -config "$T/two.conf"
expect 0 "2: -configure puts the new one beside the old"
assert "2: both in place" has "$DB2" "LIVE #2"
dsm -check -config "$T/two.conf" -days 60
expect 0 "2: offline, the old one is replaced: OK"
dsm -check -config "$T/two.conf" -days 60 -online
expect 1 "2: -online, the server still presents the old one: WARNING"
out_has '^DSMCERT WARNING - LIVE expires in (2[89]|3[01]) days' \
    "2: the old one is named, expiring"
dsm -check -config "$T/two.conf" -days 60 -online -json
assert "2: its state is expiring, not replaced" [ "$(jq -r \
    '.certificates[] | select(.label == "LIVE") | .state' "$T/out")" = \
    expiring ]

dsm -configure -config "$T/two.conf" -prune -server LIVE -online
expect 6 "3: -prune -server LIVE -online: the server has not switched"
out_has 'by hand: retire the old certificate of LIVE once the server presents its new one \(it still presents the old one\)' \
    "3: it says why the old one stays"
assert "3: the old one stays" has "$DB2" LIVE
assert "3: GONE's is not LIVE's to prune" has "$DB2" GONE
# No lock is held while waiting on the network: a silent server (stopped)
# keeps -prune -online waiting, and another command writes meanwhile.
mkcert free
kill -STOP "$SRV_PID"
"$DSMCERT" -configure -config "$T/two.conf" -prune -server LIVE -online \
    -timeout 15 >"$T/slow.out" 2>"$T/slow.err" &
slow=$!
sleep 2
dsm -add -file "$T/free.pem" -label FREE -db "$DB2"
expect 0 "3: -add while -prune -online waits on a silent server"
assert "3: and -prune -online is still waiting: it holds no lock" kill -0 "$slow"
wait "$slow"
RC=$?
kill -CONT "$SRV_PID"
expect 6 "3: the server was not reached: the old one stays"
assert "3: it says so" grep -q 'it could not be reached' "$T/slow.out"
assert "3: the old one is there" has "$DB2" LIVE
serve "$T/new.pem" "$T/new.key"
sed -i "s/^   TCPPort .*/   TCPPort $PORT/" "$T/n2/dsm.sys"
sed -i "s/^address = 127.0.0.1:.*/address = 127.0.0.1:$PORT/" "$T/two.conf"
dsm -check -config "$T/two.conf" -days 60 -online
expect 0 "2: the server presents the new one: OK"
dsm -configure -config "$T/two.conf" -prune -server LIVE -online
expect 0 "3: -prune -server LIVE -online once it presents the new one"
assert "3: the old one is gone" [ "$(certutil -L -d "sql:$DB2" -n LIVE -a |
    fp /dev/stdin)" != "$(fp "$T/old.pem")" ]
assert "3: SERVER9's stays" has "$DB2" SERVER9
assert "3: GONE's stays: -server LIVE" has "$DB2" GONE
dsm -configure -config "$T/two.conf" -prune
expect 0 "3: -configure -prune, machine-wide"
assert "3: GONE's goes" sh -c "! certutil -L -d sql:$DB2 -n GONE >/dev/null 2>&1"
assert "3: SERVER9's stays: a node's dsm.sys names it" has "$DB2" SERVER9
stop_server

# 4. An expired certfile is a step by hand, and the other servers' steps
# are done.
mkvendor exp -13 12
mkcert okc
mkdir -p "$T/n4"
cat >"$T/n4/dsm.sys" <<'SYS'
SErvername EXP
   TCPServeraddress exp.example.com
SErvername OK
   TCPServeraddress ok.example.com
SYS
printf 'SErvername EXP\n' >"$T/n4/dsm.opt"
cat >"$T/four.conf" <<INV
[dsmcert]
keydb = $T/db4
[n4]
type = node
role = client
optfile = n4/dsm.opt
servers = EXP OK
[SRVEXP]
type = server
address = exp.example.com
version = 8.1.14
autocert = no
certfile = exp.pem
[SRVOK]
type = server
address = ok.example.com
version = 8.1.14
autocert = no
certfile = okc.pem
INV
dsm -policy -config "$T/four.conf"
expect 6 "4: -policy: SRVEXP needs a valid certificate"
out_lacks 'import .*exp.pem' "4: -policy plans no import of the expired file"
dsm -configure -config "$T/four.conf"
expect 6 "4: -configure exits 6, a step by hand"
out_has '^by hand: obtain a valid certificate of SRVEXP \(the certificate in .*exp.pem \(SHA-256 .*\) expired on ' \
    "4: the step by hand says why"
out_has '^done: set SSLACCEPTCERTFROMSERV NO in stanza OK ' \
    "4: SRVOK's edit is done"
out_has '^done: import .*okc.pem as SRVOK' "4: SRVOK's import is done"
dsm -configure -config "$T/four.conf"
expect 6 "4: again: only the step by hand is left"
out_lacks '^(done|failed|not done):' "4: nothing else to do"

# 5. Whole days toward zero, from one now: 0 on the day of the expiry
# either side of it, -5 five days and a minute after.
NOW=$(date +%s)
mkend d0 $((NOW - 120))
mkend d5 $((NOW - 5 * 86400 - 60))
mkend dp $((NOW + 120))
for c in d0 d5 dp; do
	dsm -add -server "S$c" -file "$T/$c.pem" -force -db "$T/db5"
	expect 0 "5: $c added"
done
dsm -list -json -db "$T/db5"
assert "5: days_left 0, -5 and 0" [ "$(jq -c \
    '[.[] | [.label, .days_left]] | sort' "$T/out")" = \
    '[["Sd0",0],["Sd5",-5],["Sdp",0]]' ]
dsm -list -db "$T/db5"
out_has '\(expired today\)' "5: two minutes after: expired today"
out_has '\(expired 5 days ago\)' "5: five days and a minute after: 5 days"
out_has '\(0 days left\)' "5: two minutes before: 0 days left"
mkdir -p "$T/n5"
printf 'SErvername S\n   TCPServeraddress five.example.com\n' >"$T/n5/dsm.sys"
printf 'SErvername S\n' >"$T/n5/dsm.opt"
cat >"$T/five.conf" <<INV
[dsmcert]
keydb = $T/db5
[n5]
type = node
role = client
optfile = n5/dsm.opt
[Sd5]
type = server
address = five.example.com
version = 8.1.14
autocert = no
INV
dsm -check -config "$T/five.conf" -json
assert "5: -check: -5 days" [ "$(jq -c '[.certificates[] | [.label, .days_left, .state]]' "$T/out")" = \
    '[["Sd5",-5,"expired"]]' ]
dsm -policy -config "$T/five.conf" -json
assert "5: -policy: -5 days" [ "$(jq -c '[.[].certificates[] | [.label, .days_left]]' "$T/out")" = \
    '[["Sd5",-5]]' ]
dsm -check -config "$T/five.conf"
out_has 'Sd5 for Sd5 expired 5 days ago|Sd5 expired 5 days ago' \
    "5: -check's first line: 5 days ago"

# 6. -add -replace where the new certificate's subject differs.
poolkey sa &&
openssl req -x509 -key "$T/sa.key" -out "$T/sa.pem" \
    -days 30 -subj "/CN=host-a" 2>/dev/null
poolkey sb &&
openssl req -x509 -key "$T/sb.key" -out "$T/sb.pem" \
    -days 30 -subj "/CN=host-b" 2>/dev/null
dsm -add -server S6 -file "$T/sa.pem" -db "$T/db6"
expect 0 "6: the first certificate"
dsm -add -server S6 -file "$T/sb.pem" -replace -db "$T/db6"
expect 0 "6: -replace with another subject"
assert "6: S6 is the new one" [ "$(certutil -L -d "sql:$T/db6" -n S6 -a |
    fp /dev/stdin)" = "$(fp "$T/sb.pem")" ]
dsm -list -json -db "$T/db6"
assert "6: one certificate left, recorded for S6" [ \
    "$(jq -c '[.[] | [.label, .server]]' "$T/out")" = '[["S6","S6"]]' ]

# 7. A relative keydb is taken from the inventory's directory, as optfile
# and certfile are: -configure from one directory, -policy from another.
mkdir -p "$T/a" "$T/b" "$T/c"
cp "$T/okc.pem" "$T/a/cert.pem"
printf 'SErvername OK\n   TCPServeraddress ok.example.com\n   SSLACCEPTCERTFROMSERV NO\n' >"$T/a/dsm.sys"
printf 'SErvername OK\n' >"$T/a/dsm.opt"
cat >"$T/a/inv.conf" <<'INV'
[dsmcert]
keydb = keydb
[n7]
type = node
role = client
optfile = dsm.opt
[SRV7]
type = server
address = ok.example.com
version = 8.1.14
autocert = no
certfile = cert.pem
INV
(cd "$T/b" && "$DSMCERT" -configure -config ../a/inv.conf) >"$T/out" 2>"$T/err"
RC=$?
expect 0 "7: -configure from b/"
assert "7: into a/keydb" has "$T/a/keydb" SRV7
assert "7: not b/keydb" [ ! -e "$T/b/keydb" ]
(cd "$T/c" && "$DSMCERT" -policy -config ../a/inv.conf) >"$T/out" 2>"$T/err"
RC=$?
expect 0 "7: -policy from c/ agrees: compliant"
