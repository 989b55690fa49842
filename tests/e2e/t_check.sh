# -check, the monitoring command: every certificate the nodes rely on,
# with days left, as a monitoring plugin answers (0 OK, 1 WARNING,
# 2 CRITICAL, 3 UNKNOWN), its JSON, its Prometheus file, and -online
# against openssl s_server on 127.0.0.1.
plan 119
. "$TOP/tests/e2e/tls.sh"
DB="$T/db"
# Should the inventory ever fail to name the key database, the next place
# looked at is here, never the machine's own; it must stay unused.
export PASSWORDDIR="$T/fallback"
# Debian's python3, where python3-prometheus-client is installed.
PY=/usr/bin/python3

# first LINE: the first line of the last run's output.
first() { head -n 1 "$T/out"; }

# first_is REGEX DESC: the first line matches, whole.
first_is() {
	if first | grep -Eq -- "^$1\$"; then ok "$2"; else
		nok "$2: first line is not /^$1\$/"; sed 's/^/#   out: /' "$T/out"
		sed 's/^/#   err: /' "$T/err"; fi
}

# perf_ok DESC: the performance data after '|' is a list of
# 'label'=value[UOM];[warn];[crit];[min];[max], as the monitoring plugin
# guidelines write it, and nothing else.
perf_ok() {
	if first | $PY -c '
import re, sys
line = sys.stdin.read().rstrip("\n")
text, sep, perf = line.partition(" | ")
item = r"(?:\x27(?:[^\x27=]|\x27\x27)+\x27|[^\x27= ]+)=-?[0-9]+(?:\.[0-9]+)?[a-zA-Z%]*(?:;[0-9:~@.-]*){0,4}"
sys.exit(0 if sep and re.fullmatch(item + "(?: " + item + ")*", perf) else 1)
'; then ok "$1"; else nok "$1: $(first)"; fi
}

# prom FILE: the file as the Prometheus text parser reads it, one
# "name{label=value,...} value" a line, sorted; fails when it does not parse.
prom() {
	$PY -c '
import sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1], encoding="utf-8").read()
assert text.endswith("\n")
out = []
for fam in text_string_to_metric_families(text):
    assert fam.type == "gauge", fam.name
    assert fam.documentation, fam.name
    for s in fam.samples:
        labels = ",".join("%s=%s" % kv for kv in sorted(s.labels.items()))
        v = int(s.value) if s.value == int(s.value) else s.value
        out.append("%s{%s} %s" % (s.name, labels, v))
print("\n".join(sorted(out)))
' "$1"
}

# The machine: a data mover on two current servers that do not hand out
# their certificates (one self-signed, one CA-signed), a VMCLI node on a
# fast-path server and a legacy one reached without TLS.
mkcert one
mkca root "/O=Test/CN=Test Root CA"
poolkey ldap &&
openssl req -new -key "$T/ldap.key" \
    -out "$T/ldap.csr" -subj "/O=Test/CN=ldap.example.com" 2>/dev/null
openssl x509 -req -in "$T/ldap.csr" -CA "$T/root.pem" -CAkey "$T/root.key" \
    -CAcreateserial -days 365 -out "$T/ldap.pem" 2>/dev/null
mkdir -p "$T/ba" "$T/vm"
cat >"$T/ba/dsm.sys" <<'SYS'
SErvername S1
   TCPServeraddress one.example.com
SErvername LDAP
   TCPServeraddress ldap.example.com
SErvername SOON
   TCPServeraddress soon.example.com
SErvername GONE
   TCPServeraddress gone.example.com
SErvername NONE
   TCPServeraddress none.example.com
SErvername RENEW
   TCPServeraddress renew.example.com
SYS
printf 'SErvername S1\n' >"$T/ba/dsm.opt"
cat >"$T/vm/dsm.sys" <<'SYS'
SErvername FAST
   TCPServeraddress fast.example.com
SErvername OLD
   TCPServeraddress old.example.com
SYS
printf 'SErvername FAST\n' >"$T/vm/dsm.opt"

# inventory FILE [DSMCERT-KEYS] [DM1-STANZAS]: the machine's inventory.
inventory() {
	cat >"$1" <<INV
[dsmcert]
keydb = $DB
${2:-}

[dm1]
type = node
role = datamover
optfile = ba/dsm.opt
servers = ${3:-S1 LDAP}

[vmcli]
type = node
role = vmcli
optfile = vm/dsm.opt
servers = FAST OLD

[SERVER1]
type = server
address = one.example.com
version = 8.1.14
autocert = no

[LdapSrv]
type = server
address = ldap.example.com
version = 8.1.14
autocert = no
certfile = ldap.pem

[FASTSRV]
type = server
address = fast.example.com
version = 8.1.20

[OLD7]
type = server
address = old.example.com
version = 7.1.6

[SRV5]
type = server
address = soon.example.com
version = 8.1.14
autocert = no

[SRVX]
type = server
address = gone.example.com
version = 8.1.14
autocert = no

[NOCERT]
type = server
address = none.example.com
version = 8.1.14
autocert = no

[REN]
type = server
address = renew.example.com
version = 8.1.14
autocert = no
INV
}
inventory "$T/inv.conf"
export DSMCERT_CONF="$T/inv.conf"

# UNKNOWN: it cannot tell.
dsm -check -config "$T/nonesuch.conf"
expect 3 "no inventory: UNKNOWN"
first_is "DSMCERT UNKNOWN - .*nonesuch\\.conf.*" "the first line says UNKNOWN and names the file"
err_has "nonesuch\\.conf" "the error names the file on stderr too"
mkdir -p "$T/baddb"
head -c 8192 /dev/urandom >"$T/baddb/cert9.db"
cp "$T/baddb/cert9.db" "$T/baddb/key4.db"
dsm -check -db "$T/baddb"
expect 3 "key database unreadable: UNKNOWN"
first_is "DSMCERT UNKNOWN - .+" "and says so on the first line"
dsm -check -days x
expect 3 "a bad -days is a usage error, UNKNOWN as the plugin convention has it"
first_is "DSMCERT UNKNOWN - -days \"x\".*" "the first line names the flag"
dsm -check -days 3651 -json
expect 3 "-days 3651 with -json: UNKNOWN (0 to 3650, as warn_days)"
assert "the JSON says so" [ "$(jq -c '[.status, .certificates]' "$T/out")" = '["UNKNOWN",[]]' ]
dsm -check -label SERVER1
expect 3 "a flag of another command: UNKNOWN too"
first_is "DSMCERT UNKNOWN - -label does not apply to -check" "and says why"
dsm -check -prom -
expect 3 "-prom - is refused: standard output holds the plugin's lines"
dsm -check -timeout 5
expect 3 "-timeout without -online is refused"
dsm -list -label nonesuch
expect 4 "other commands keep their own exit codes"

# Nothing imported yet: the two servers that need a certificate have none.
dsm -check
expect 2 "no certificate for a server that needs one: CRITICAL"
first_is "DSMCERT CRITICAL - dm1 has no certificate for SERVER1, dm1 has no certificate for LdapSrv" \
    "the first line names node and server of each"
out_has "^dm1 -> SERVER1: missing: no certificate" "a line per node and server"

# OK: both in place, a year to go each.
dsm -add -server SERVER1 -file "$T/one.pem"
expect 0 "SERVER1's self-signed certificate"
dsm -add -file "$T/root.pem"
expect 0 "the CA root that issued LdapSrv's, for no server in particular"
dsm -check
expect 0 "every certificate a year from expiry: OK"
first_is "DSMCERT OK - 2 certificates for 4 node and server pairs, the next to expire (SERVER1|Test Root CA) in 36[45] days \\| 'SERVER1'=36[45];90:;0: 'Test Root CA'=36[45];90:;0:" \
    "the first line: counts, the next to expire, performance data"
perf_ok "the performance data follows the plugin guidelines"
out_has "^dm1 -> SERVER1: ok: \"SERVER1\" \\(SHA-256 $(fp "$T/one.pem")\\), not after [0-9T:Z-]+ \\(36[45] days left\\)$" \
    "SERVER1's line: label, fingerprint, expiry, days left"
out_has "^dm1 -> LdapSrv: ok: \"Test Root CA\"" "LdapSrv relies on the CA root that issued its certificate"
out_lacks "FASTSRV|OLD7" "the fast-path and legacy servers rely on nothing here"
certlist "$DB" >"$T/certs.before"
dsm -check -q
certlist "$DB" >"$T/certs.after"
same "$T/certs.before" "$T/certs.after" "-check changes nothing in the key database"
expect 0 "-q changes nothing: the lines are the result"
first_is "DSMCERT OK - .*" "-q still prints the status line"

# WARNING: a certificate with 5 days to go.
mkcert soon -days 5
dsm -add -server SRV5 -file "$T/soon.pem"
expect 0 "SRV5's certificate, 5 days left"
inventory "$T/inv.conf" "" "S1 LDAP SOON"
dsm -check
expect 1 "one expires within 90 days: WARNING"
first_is "DSMCERT WARNING - SRV5 expires in [45] days \\| .*'SRV5'=[45];90:;0:.*" "the first line names it, with days left"
perf_ok "performance data at WARNING"
out_has "^dm1 -> SRV5: expiring: \"SRV5\"" "its line says expiring"
dsm -check -days 4
expect 0 "-days 4: 4 or 5 days left is not within 4 days"
first_is "DSMCERT OK - .*'SRV5'=[45];4:;0:.*" "the thresholds follow -days"
inventory "$T/inv.conf" "warn_days = 3" "S1 LDAP SOON"
dsm -check
expect 0 "warn_days = 3 in the inventory: OK"
dsm -check -days 10
expect 1 "-days takes precedence over warn_days"

# CRITICAL: an expired certificate, imported with -force.
mkdated gone -13 12
dsm -add -server SRVX -file "$T/gone.pem"
expect 2 "an expired certificate is refused without -force"
dsm -add -server SRVX -file "$T/gone.pem" -force
expect 0 "and imported with -force"
inventory "$T/inv.conf" "" "S1 LDAP SOON GONE"
dsm -check
expect 2 "an expired certificate: CRITICAL"
first_is "DSMCERT CRITICAL - SRVX expired [0-9]+ days ago, SRV5 expires in [45] days \\| .*'SRVX'=-[0-9]+;90:;0:.*" \
    "the first line: the critical problem first, then the warning"
perf_ok "performance data at CRITICAL"
out_has "^dm1 -> SRVX: expired: \"SRVX\"" "its line says expired"

# A server that needs a certificate and has none, beside the others.
inventory "$T/inv.conf" "" "S1 LDAP NONE"
dsm -check
expect 2 "a node with no certificate for a server that needs one: CRITICAL"
first_is "DSMCERT CRITICAL - dm1 has no certificate for NOCERT \\| .*" "named on the first line"

# A renewal in its overlap: the old one, with the same subject, expires
# soon; the new one lasts. Only the new one counts.
mkcert renold -days 5
mkcert rennew
dsm -add -server REN -file "$T/renold.pem"
expect 0 "REN's old certificate"
dsm -add -server REN -file "$T/rennew.pem" -label "REN #2"
expect 0 "REN's new one beside it"
inventory "$T/inv.conf" "" "S1 LDAP RENEW"
dsm -check
expect 0 "the old certificate of a renewal does not warn"
out_has "^dm1 -> REN: replaced: \"REN\" .*a later one with its subject is in place" "it is listed as replaced"
out_has "^dm1 -> REN: ok: \"REN #2\"" "the new one is ok"
first_is "DSMCERT OK - 3 certificates for 5 node and server pairs, .*'REN #2'=36[45];90:;0:.*" \
    "a label with a blank, quoted"
out_lacks "'REN'=" "the old one is not measured"

# JSON: status, summary and one object per node, server and certificate.
inventory "$T/inv.conf" "" "S1 LDAP SOON NONE"
dsm -check -json
expect 2 "-check -json: the same exit status"
# soon.pem's not after, as openssl prints it (here and for -prom below).
soon_na=$(openssl x509 -in "$T/soon.pem" -noout -enddate | sed 's/^notAfter=//')
# 4 days left, or 5 within the second the certificate was made.
jall --arg fp "$(fp "$T/soon.pem")" \
    --arg na "$(date -u -d "$soon_na" +%Y-%m-%dT%H:%M:%SZ)" \
    "status CRITICAL" '.status == "CRITICAL"' \
    "the summary is the first line's" \
    '.summary | test("^dm1 has no certificate for NOCERT; SRV5 expires in [45] days$")' \
    "warn_days" '.warn_days == 90' \
    "four rows" '.certificates | length == 4' \
    "SRV5's row" \
    '[.certificates[] | select(.server == "SRV5") |
    [.node, .label, .sha256, .days_left, .state]] | . as $r |
    any(4, 5; $r == [["dm1", "SRV5", $fp, ., "expiring"]])' \
    "its not_after as -list gives it" \
    '[.certificates[] | select(.server == "SRV5") | .not_after] == [$na]' \
    "the missing one: nulls and state missing" \
    '[.certificates[] | select(.server == "NOCERT") |
    [.node, .label, .sha256, .not_after, .days_left, .state]] ==
    [["dm1", null, null, null, null, "missing"]]' \
    "online is null without -online" '.online == null'

# A label with characters the performance data and the Prometheus text
# must escape.
poolkey odd &&
openssl req -x509 -key "$T/odd.key" \
    -out "$T/odd.pem" -days 365 -subj "/CN=odd" 2>/dev/null
dsm -add -server SERVER1 -file "$T/odd.pem" -label "it's \"odd\" \\ too"
expect 0 "a label with a quote, double quotes and a backslash"
dsm -check
perf_ok "the performance data follows the guidelines with it too"
out_has "'it''s \"odd\" \\\\ too'=36[45];" "the quote is doubled in the label"

# Prometheus: the same, as text node_exporter's textfile collector reads.
mkdir -p "$T/textfile"
P="$T/textfile/dsmcert.prom"
dsm -check -prom "$P"
expect 2 "-prom: the same exit status"
first_is "DSMCERT CRITICAL - .*" "and the same first line"
assert "the file is there" [ -f "$P" ]
assert "mode 0644, for a collector that is not root" [ "$(stat -c %a "$P")" = 644 ]
prom "$P" >"$T/prom.txt"
assert "it parses as Prometheus text, every family with HELP and TYPE gauge" [ $? -eq 0 ]
sed 's/^/# /' "$T/prom.txt"
grep -q '^dsmcert_check_status{} 2$' "$T/prom.txt"
assert "dsmcert_check_status 2" [ $? -eq 0 ]
grep -Eq '^dsmcert_check_timestamp_seconds\{\} [0-9.e+]+$' "$T/prom.txt"
assert "dsmcert_check_timestamp_seconds" [ $? -eq 0 ]
na=$(date -u -d "$soon_na" +%s)
ts=$(sed -n 's/^dsmcert_check_timestamp_seconds{} //p' "$T/prom.txt")
left=$(sed -n "s/^dsmcert_certificate_remaining_seconds{label=SRV5,server=SRV5,sha256=$(fp "$T/soon.pem")} //p" "$T/prom.txt")
assert "SRV5's seconds left, with label, server and fingerprint ($left)" \
    $PY -c "import sys; sys.exit(float('$left') + float('$ts') != $na)"
got=$(sed -n "s/^dsmcert_certificate_not_after_seconds{label=SRV5,.*} //p" "$T/prom.txt")
assert "SRV5's not after, in seconds since the epoch ($got)" \
    $PY -c "import sys; sys.exit(float('$got') != $na)"
grep -q '^dsmcert_certificate_missing{node=dm1,server=NOCERT} 1$' "$T/prom.txt"
assert "the missing certificate" [ $? -eq 0 ]
grep -q '^dsmcert_certificate_missing{node=dm1,server=SERVER1} 0$' "$T/prom.txt"
assert "and the one in place" [ $? -eq 0 ]

# The label with the characters the text format escapes: the parser reads
# back exactly what the key database holds.
grep -Fq "dsmcert_certificate_remaining_seconds{label=it's \"odd\" \\ too,server=SERVER1," "$T/prom.txt"
assert "an escaped label comes back as it was" [ $? -eq 0 ]

# Replaced whole, never written in place: a new inode each run, nothing
# left beside it, and a reader never sees half a file.
i1=$(stat -c %i "$P")
dsm -check -prom "$P"
i2=$(stat -c %i "$P")
assert "each run renames a new file into place" [ "$i1" != "$i2" ]
assert "nothing but the file in its directory" [ "$(ls -A "$T/textfile")" = dsmcert.prom ]
# The writer starts once the reader has started (python's imports can
# take longer than the 15 runs on a loaded machine).
(
	w=0
	while [ ! -e "$T/reader.ready" ] && [ $w -lt 600 ]; do
		sleep 0.05
		w=$((w + 1))
	done
	n=0
	while [ $n -lt 15 ]; do
		"$DSMCERT" -check -prom "$P" >/dev/null 2>&1
		n=$((n + 1))
	done
	: >"$T/writer.done"
) &
writer=$!
# One reader, reading and parsing as fast as it can until the writer is done.
$PY -c '
import os, sys
from prometheus_client.parser import text_string_to_metric_families
path, done = sys.argv[1], sys.argv[2]
reads = bad = 0
open(sys.argv[3], "w").close()
while not os.path.exists(done):
    text = open(path, encoding="utf-8").read()
    try:
        names = {f.name for f in text_string_to_metric_families(text)}
        if not text.endswith("\n") or "dsmcert_certificate_missing" not in names:
            bad += 1
    except Exception:
        bad += 1
    reads += 1
print(reads, bad)
' "$P" "$T/writer.done" "$T/reader.ready" >"$T/reads"
read -r reads bad <"$T/reads"
wait $writer
assert "$reads reads while it was rewritten 15 times, none partial ($bad bad)" \
    [ "$bad" -eq 0 -a "$reads" -gt 15 ]
assert "and no temporary file left" [ "$(ls -A "$T/textfile")" = dsmcert.prom ]

dsm -check -prom "$T/nodir/dsmcert.prom"
expect 3 "-prom into a directory that does not exist: UNKNOWN"
first_is "DSMCERT UNKNOWN - -prom .*nodir/dsmcert\\.prom: cannot write it: No such file or directory" \
    "the first line says which file and why"
err_has "directory must exist" "the hint: the collector's directory"
assert "and creates nothing" [ ! -e "$T/nodir" ]

dsm -check -config "$T/nonesuch.conf" -prom "$P"
expect 3 "UNKNOWN"
prom "$P" >"$T/prom.txt"
grep -q '^dsmcert_check_status{} 3$' "$T/prom.txt"
assert "is written to the file too, not left stale" [ $? -eq 0 ]
! grep -q '^dsmcert_certificate' "$T/prom.txt"
assert "with no certificate series" [ $? -eq 0 ]
dsm -check -prom "$P"
dsm -check -days x -prom "$P"
expect 3 "a usage error with -prom: UNKNOWN"
prom "$P" >"$T/prom.txt"
grep -q '^dsmcert_check_status{} 3$' "$T/prom.txt"
assert "written to the file as well" [ $? -eq 0 ]

# -online: connect to each server as its node will (the address and port
# of the node's stanza) and judge what it presents against this machine's
# key database. A node, a current server that does not hand out its
# certificate, and a legacy one it reaches without TLS.
unset DSMCERT_CONF
ODB="$T/onlinedb"
mkcert live -addext "subjectAltName=IP:127.0.0.1"
mkcert impostor -addext "subjectAltName=IP:127.0.0.1"
dsm -add -server LIVE -file "$T/live.pem" -db "$ODB"
expect 0 "LIVE's certificate in the key database"
mkdir -p "$T/on"
# online PORT [AUTOCERT [NAME]]: the machine, its server NAME (LIVE) at
# 127.0.0.1:PORT.
online() {
	printf 'SErvername LIVE\n   TCPServeraddress 127.0.0.1\n   TCPPort %s\nSErvername OLD\n   TCPServeraddress 127.0.0.1\n   TCPPort 1\n' \
	    "$1" >"$T/on/dsm.sys"
	printf 'SErvername LIVE\n' >"$T/on/dsm.opt"
	cat >"$T/on.conf" <<INV
[dsmcert]
keydb = $ODB
[n1]
type = node
role = client
optfile = on/dsm.opt
servers = LIVE OLD
[${3:-LIVE}]
type = server
address = 127.0.0.1:$1
version = 8.1.14
autocert = ${2:-no}
[OLD7]
type = server
address = 127.0.0.1:1
version = 7.1.6
INV
}

serve "$T/live.pem" "$T/live.key"
online "$PORT"
dsm -check -online -config "$T/on.conf"
expect 0 "-online, the server presents the certificate in the key database: OK"
first_is "DSMCERT OK - 1 certificate for 2 node and server pairs, the next to expire LIVE in 36[45] days, 1 of 1 server connection trusted \\| 'LIVE'=36[45];90:;0:" \
    "the first line counts the connections trusted"
out_has "^n1 -> LIVE at 127\\.0\\.0\\.1:$PORT: trusted$" "LIVE: trusted, at the stanza's address and port"
out_has "^n1 -> OLD7: not connected: legacy authentication, no TLS$" "the legacy server reached without TLS is not connected to"

serve "$T/impostor.pem" "$T/impostor.key"
online "$PORT"
dsm -check -online -config "$T/on.conf"
expect 2 "the server presents a certificate this machine does not trust: CRITICAL"
first_is "DSMCERT CRITICAL - LIVE at 127\\.0\\.0\\.1:$PORT presents a certificate not trusted here: .+ \\| 'LIVE'=36[45];90:;0:" \
    "the first line names the server, its address and why"
out_has "^n1 -> LIVE at 127\\.0\\.0\\.1:$PORT: untrusted: .*; it presents CN=TSM Self-Signed Certificate.* \\(SHA-256 $(fp "$T/impostor.pem")\\)$" \
    "and which certificate it presented"
dsm -check -online -config "$T/on.conf" -json
expect 2 "-json: the same"
jall --argjson port "$PORT" --arg fp "$(fp "$T/impostor.pem")" \
    "online: the probe of LIVE" \
    '[.online[] | select(.server == "LIVE") |
    [.node, .host, .port, .result, .reason, .sha256]] ==
    [["n1", "127.0.0.1", $port, "untrusted", (.online[0].reason | strings),
    $fp]]' \
    "the reason is the issuer" '.online[0].reason == "untrusted issuer"' \
    "and OLD7, not connected" \
    '[.online[] | select(.server == "OLD7") | [.host, .port, .result]] ==
    [[null, null, "no tls"]]'
dsm -check -online -config "$T/on.conf" -prom "$T/on.prom"
expect 2 "-prom with -online"
prom "$T/on.prom" >"$T/prom.txt"
assert "parses" [ $? -eq 0 ]
grep -q "^dsmcert_server_reachable{host=127.0.0.1,port=$PORT,server=LIVE} 1$" "$T/prom.txt"
assert "LIVE reachable" [ $? -eq 0 ]
grep -q "^dsmcert_server_trusted{host=127.0.0.1,port=$PORT,server=LIVE} 0$" "$T/prom.txt"
assert "LIVE not trusted" [ $? -eq 0 ]

# A fast-path server whose certificate is not here: the node takes it on
# first contact, so that is no failure.
online "$PORT" yes FRESH
dsm -check -online -config "$T/on.conf"
expect 0 "a fast-path server, SSLACCEPTCERTFROMSERV YES, none here: OK"
out_has "^n1 -> FRESH at 127\\.0\\.0\\.1:$PORT: first contact: not in the key database; the node takes it on first contact" \
    "says the node takes it on first contact"
sed -i '/^SErvername OLD/i\   SSLACCEPTCERTFROMSERV NO' "$T/on/dsm.sys"
cp "$T/on/dsm.sys" "$T/on.sys.before"
dsm -check -online -config "$T/on.conf"
expect 2 "the same with SSLACCEPTCERTFROMSERV NO in the stanza: CRITICAL"
out_has "^n1 -> FRESH at 127\\.0\\.0\\.1:$PORT: untrusted: " "the node would refuse it"
same "$T/on.sys.before" "$T/on/dsm.sys" "-check changes no option file"
stop_server

# Nothing listens: WARNING, the server named.
P2=$(free_port)
online "$P2"
dsm -check -online -config "$T/on.conf" -prom "$T/on.prom"
expect 1 "a server that cannot be reached: WARNING"
first_is "DSMCERT WARNING - LIVE at 127\\.0\\.0\\.1:$P2 cannot be reached: .+ \\| 'LIVE'=36[45];90:;0:" \
    "the first line names it and its address"
out_has "^n1 -> LIVE at 127\\.0\\.0\\.1:$P2: unreachable: " "its line says unreachable"
prom "$T/on.prom" >"$T/prom.txt"
grep -q "^dsmcert_server_reachable{host=127.0.0.1,port=$P2,server=LIVE} 0$" "$T/prom.txt"
assert "Prometheus: not reachable" [ $? -eq 0 ]
! grep -q "^dsmcert_server_trusted{" "$T/prom.txt"
assert "and no trust series for it" [ $? -eq 0 ]
dsm -check -config "$T/on.conf"
expect 0 "without -online no connection is made: OK"
assert "no command fell back past the inventory's key database" [ ! -e "$T/fallback" ]
