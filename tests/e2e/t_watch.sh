# -check and -policy watch the machine's own identities (certificates
# whose key is in the key database, the internal CA among them), and an
# expiry acknowledged in the inventory is quiet until its date.
plan 33
DB="$T/db"
PY=/usr/bin/python3
mkcert one
mkdir -p "$T/ba"
printf 'SErvername S1\n   TCPServeraddress one.example.com\n' >"$T/ba/dsm.sys"
printf 'SErvername S1\n' >"$T/ba/dsm.opt"
# inventory [EXTRA]: one node, one server; EXTRA appended.
inventory() {
	cat >"$T/inv.conf" <<INV
[dsmcert]
keydb = $DB
warn_days = 90

[dm1]
type = node
role = datamover
optfile = ba/dsm.opt

[SERVER1]
type = server
address = one.example.com
version = 8.1.14
autocert = no
${1:-}
INV
}
inventory
dsm -add -server SERVER1 -file "$T/one.pem" -db "$DB"

dsm -check -config "$T/inv.conf"
expect 0 "no identity yet: OK"

dsm -ca create -label myca -subject "CN=Test CA" -db "$DB"
dsm -check -config "$T/inv.conf"
expect 0 "an internal CA with ten years left: OK"
out_has "^DSMCERT OK - .*1 identity watched" "the first line counts it"
out_has '^internal CA myca: ok: ' "a line says the internal CA is watched"

dsm -gen csr -c US -sp NC -cl R -on T -hn node1.example.com -label node1 \
    -out "$T/n1.csr" -db "$DB"
dsm -sign -file "$T/n1.csr" -ca myca -days 20 -out "$T/n1.pem" -db "$DB"
dsm -receive -file "$T/n1.pem" -db "$DB"
expect 0 "an identity with 20 days left"

dsm -check -config "$T/inv.conf" -prom "$T/check.prom"
expect 1 "20 days left, warn_days 90: WARNING"
out_has "^DSMCERT WARNING - identity node1 expires in (19|20) days" \
    "the first line names the identity's label"
out_has '^identity node1: expiring: ' "its line says expiring"
assert "Prometheus: the same metric, told apart by kind" grep -Eq \
    '^dsmcert_certificate_remaining_seconds\{label="node1",sha256="[0-9A-F:]+",kind="identity"\} (16[4-9]|17[0-2])[0-9]{4}$' \
    "$T/check.prom"
assert "the internal CA too, kind ca" grep -Eq \
    '^dsmcert_certificate_not_after_seconds\{label="myca",.*kind="ca"\} [0-9]+$' \
    "$T/check.prom"
assert "the file parses as Prometheus text" $PY -c '
import sys
from prometheus_client.parser import text_string_to_metric_families
list(text_string_to_metric_families(open(sys.argv[1]).read()))' "$T/check.prom"
grep -q '^dsmcert_check_status 1$' "$T/check.prom" &&
    ok "the status metric is WARNING" || nok "status metric"

dsm -check -config "$T/inv.conf" -json
expect 1 "-check -json"
assert "JSON: identities with their states" $PY -c "
import json; j=json.load(open('$T/out'))
ids = {i['label']: i for i in j['identities']}
assert j['status'] == 'WARNING', j['status']
assert ids['node1']['state'] == 'expiring' and ids['node1']['ca'] is False, ids
assert ids['myca']['state'] == 'ok' and ids['myca']['ca'] is True, ids"

dsm -policy -config "$T/inv.conf"
out_has '^identity node1: expiring: ' "-policy lists the identity and its state"
out_has '^internal CA myca: ok: ' "and the internal CA"
dsm -policy -config "$T/inv.conf" -json
err_has 'identity "node1" expires in' "-policy -json warns on standard error"

# Acknowledged until a day to come: quiet, and counted.
sha=$(fp "$T/n1.pem")
inventory "
[ack-node1]
type = ack
sha256 = $sha
until = 2999-12-31"
dsm -check -config "$T/inv.conf"
expect 0 "an acknowledged expiry does not warn"
out_has '^DSMCERT OK - .*1 acknowledged expiry' "the first line says how many are acknowledged"
out_has 'identity node1: acknowledged: .*acknowledged until 2999-12-31' \
    "its line says until when"

# Without colons, lower case: the same fingerprint.
inventory "
[ack-node1]
type = ack
sha256 = $(echo "$sha" | tr -d : | tr 'A-F' 'a-f')
until = 2999-12-31"
dsm -check -config "$T/inv.conf"
expect 0 "a fingerprint without colons, in lower case, is the same"

# After the date it warns again.
inventory "
[ack-node1]
type = ack
sha256 = $sha
until = 2020-01-31"
dsm -check -config "$T/inv.conf"
expect 1 "after the acknowledged date it warns again"
out_lacks 'acknowledged' "and counts nothing as acknowledged"

inventory "
[ack-bad]
type = ack
sha256 = 12:34
until = 2027-01-01"
dsm -check -config "$T/inv.conf"
expect 3 "a bad fingerprint in an ack: UNKNOWN"
inventory "
[ack-bad]
type = ack
sha256 = $sha
until = 2027-02-30"
dsm -policy -config "$T/inv.conf"
expect 2 "a day that does not exist is bad input"
err_has "until.*YYYY-MM-DD" "the message names the key"

# A server certificate's expiry can be acknowledged too.
mkvendor soon 0 1
dsm -add -server SERVER1 -file "$T/soon.pem" -label SERVER1b -db "$DB"
dsm -delete -label SERVER1 -db "$DB"
inventory "
[ack-srv]
type = ack
sha256 = $(fp "$T/soon.pem")
until = 2999-01-01
[ack-node1]
type = ack
sha256 = $sha
until = 2999-12-31"
dsm -check -config "$T/inv.conf"
out_has 'acknowledged until 2999-01-01' "a server certificate's ack shows on its line"
out_has '2 acknowledged expiries' "and is counted"

# A renewal: the old certificate is replaced, the new one watched.
inventory
sleep 2
dsm -gen csr -renew node1 -out "$T/r.csr" -db "$DB"
dsm -sign -file "$T/r.csr" -ca myca -days 365 -out "$T/r.pem" -db "$DB"
dsm -receive -file "$T/r.pem" -db "$DB"
dsm -check -config "$T/inv.conf" -prom "$T/r.prom"
out_has '^identity node1: replaced: .*a renewal under its label is in place' \
    "the renewed identity's old certificate is replaced"
out_has '^identity node1: ok: ' "and the new one is ok"
out_lacks 'identity node1 expires' "the old one raises no warning"
assert "Prometheus leaves the replaced one out" sh -c \
    "[ \$(grep -c 'remaining_seconds{label=\"node1\"' $T/r.prom) -eq 1 ]"
