#!/bin/sh
# make check-ansible, the fleet: contrib/ansible's playbook.yml, report.yml
# and renew.yml run for real with ansible-playbook against FLEET_HOSTS
# (default 30) simulated hosts, each a local connection with paths of its
# own (host vars) under a temporary root, and one host that cannot be
# reached (ssh to a port of 127.0.0.1 where nothing listens). The server
# they all use, SRV, is an openssl s_server on 127.0.0.1 when the test
# wants it to present a certificate.
#
#   configure all; renew 27; the gate fails naming the other 3; renew
#   them; the gate passes; the unreachable host is reported and fails the
#   gate; retiring the old certificate is refused while SRV presents
#   nothing, then the old certificate, and done once it presents the new
#   one, leaving only the new certificate (and KEEP's, another server's)
#   on every host.
#
#   sh scripts/check-ansible-fleet.sh DSMCERT   (KEEP=1 keeps the temporary root)
set -u

[ $# -eq 1 ] || { echo "usage: check-ansible-fleet.sh DSMCERT" >&2; exit 1; }
top=$(cd "$(dirname "$0")/.." && pwd)
N=${FLEET_HOSTS:-30}
T=$(mktemp -d "${TMPDIR:-/tmp}/dsmcert-fleet.XXXXXX") || exit 1
SRV_PID=
stop_server() {
	[ -n "$SRV_PID" ] && { kill "$SRV_PID" 2>/dev/null; wait "$SRV_PID" 2>/dev/null; }
	SRV_PID=
}
cleanup() {
	stop_server
	if [ -n "${KEEP:-}" ]; then echo "# kept: $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
DSMCERT=$T/dsmcert
cp "$1" "$DSMCERT" || exit 1

me=check-ansible-fleet
. "$top/scripts/tap.sh"

# free_port: a port of 127.0.0.1 nobody listens on now.
free_port() {
	while :; do
		_p=$(shuf -i 20000-32767 -n 1)
		ss -Htln "sport = :$_p" | grep -q . || break
	done
	echo "$_p"
}

# serve NAME: SRV at 127.0.0.1:$PORT presents certificate NAME.
serve() {
	stop_server
	: >"$T/srv.log"
	openssl s_server -accept "127.0.0.1:$PORT" -cert "$T/files/$1.arm" \
	    -key "$T/files/$1.key" -www >"$T/srv.log" 2>&1 </dev/null &
	SRV_PID=$!
	_i=0
	while [ $_i -lt 100 ]; do
		grep -q '^ACCEPT' "$T/srv.log" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "# cannot start openssl s_server" && sed 's/^/#   /' "$T/srv.log"
	return 1
}

# The server certificates: SRV's old and new (same subject, new key, as
# the vendor's renewal makes it) and KEEP's, another server's.
mkdir -p "$T/files" "$T/home" "$T/h"
for n in old new keep; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/files/$n.key" \
	    -out "$T/files/$n.arm" -days 365 \
	    -subj "/C=US/O=TSM/OU=TSM Network/CN=TSM Self-Signed Certificate" \
	    -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null ||
	    { echo "check-ansible-fleet: openssl failed" >&2; exit 1; }
done
fp() { openssl x509 -in "$T/files/$1.arm" -noout -fingerprint -sha256 | sed 's/.*=//'; }
OLD=$(fp old) NEW=$(fp new) KEEPFP=$(fp keep)
PORT=$(free_port)
KPORT=$(free_port)
LOST=$(free_port)

# The hosts: h01 ... hN, each its own root with one node on SRV and KEEP.
hosts=""
i=1
while [ $i -le "$N" ]; do
	h=$(printf 'h%02d' $i)
	hosts="$hosts $h"
	R="$T/h/$h"
	mkdir -p "$R/opt"
	printf 'SErvername srv\n   TCPServeraddress 127.0.0.1\n   TCPPort %s\nSErvername keep\n   TCPServeraddress 127.0.0.1\n   TCPPort %s\n' \
	    "$PORT" "$KPORT" >"$R/opt/dsm.sys"
	printf 'SErvername srv\n' >"$R/opt/dsm.opt"
	i=$((i + 1))
done
# shellcheck disable=SC2086
set -- $hosts
last3="$(eval echo "\${$((N - 2))} \${$((N - 1))} \${$N}")"
{
	echo "backup_clients:"
	echo "  hosts:"
	for h in $hosts; do
		R="$T/h/$h"
		cat <<EOF
    $h:
      ansible_connection: local
      dsmcert_conf: $R/etc/dsmcert.conf
      dsmcert_keydb: $R/etc/keydb
      dsmcert_certdir: $R/etc/certs
      dsmcert_nodes:
        - {name: node_$h, role: client, optfile: $R/opt/dsm.opt, servers: [srv, keep]}
EOF
	done
	cat <<EOF
  vars:
    ansible_python_interpreter: /usr/bin/python3
    dsmcert_become: false
    dsmcert_install: false
    dsmcert_bin: $DSMCERT
    dsmcert_online_timeout: 3
    dsmcert_servers:
      - {name: SRV, address: "127.0.0.1:$PORT", version: 8.1.14, autocert: false, cert_src: $T/files/old.arm}
      - {name: KEEP, address: "127.0.0.1:$KPORT", version: 8.1.14, autocert: false, cert_src: $T/files/keep.arm}
lost:
  hosts:
    lost01:
      ansible_connection: ssh
      ansible_host: 127.0.0.1
      ansible_port: $LOST
      ansible_ssh_common_args: -o BatchMode=yes -o ConnectTimeout=5
EOF
} >"$T/hosts.yml"

export HOME="$T/home" ANSIBLE_LOCAL_TEMP="$T/ansible-tmp" \
    ANSIBLE_REMOTE_TEMP="$T/ansible-tmp" ANSIBLE_NOCOLOR=1 \
    ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_CONFIG="$T/none.cfg" \
    ANSIBLE_ROLES_PATH="$top/contrib/ansible/roles" \
    ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 \
    ANSIBLE_HOST_KEY_CHECKING=0 ANSIBLE_FORKS="${ANSIBLE_FORKS:-10}"
unset DSMCERT_DB DSMCERT_CONF DSM_DIR DSM_CONFIG PASSWORDDIR
RENEWAL="-e dsmcert_renewal_server=SRV -e dsmcert_renewal_cert=$T/files/new.arm"
REPORT="$T/report"

# play NAME PLAYBOOK ARGS...: run it from $T; its output in $T/NAME.log.
play() {
	name=$1 pb=$2
	shift 2
	(cd "$T" && ansible-playbook -i "$T/hosts.yml" \
	    -e "dsmcert_report_dir=$REPORT" "$top/contrib/ansible/$pb" "$@") \
	    >"$T/$name.log" 2>&1
	rc=$?
	return $rc
}
show() { sed 's/^/#   /' "$T/$1.log" | tail -n 40; }
# js EXPR: EXPR of the last report (r), in Python.
js() {
	python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
	    "$REPORT/dsmcert-report.json" "$@"
}
# certs H: the SHA-256 fingerprints in host H's key database, sorted.
certs() {
	"$DSMCERT" -list -json -db "$T/h/$1/etc/keydb" 2>/dev/null |
	    python3 -c 'import json, sys; print(" ".join(sorted(c["sha256"] for c in json.load(sys.stdin))))'
}
# every_host WANT: every host's key database holds exactly WANT (sorted).
every_host() {
	_want=$(printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//')
	for _h in $hosts; do
		[ "$(certs "$_h")" = "$_want" ] || { echo "# $_h: $(certs "$_h")"; return 1; }
	done
}

echo "# $N hosts, SRV at 127.0.0.1:$PORT"
if play configure playbook.yml; then ok "configure all $N hosts"; else nok "configure (exit $rc)"; show configure; fi
check "every host trusts SRV's old certificate and KEEP's" every_host "$OLD" "$KEEPFP"

if play report report.yml; then ok "report.yml succeeds"; else nok "report.yml (exit $rc)"; show report; fi
check "the report has every host, each OK" \
    [ "$(js 'sorted(h for h, e in r["hosts"].items() if e["status"] == "OK") == sorted(sys.argv[3].split())' "$hosts")" = True ]
check "  and SRV's certificate with the hosts that trust it" \
    [ "$(js '[(c["sha256"], len(c["hosts"])) for c in r["servers"]["SRV"]["certificates"]]')" = "[('$OLD', $N)]" ]
check "  and no renewal" [ "$(js '"renewal" in r')" = False ]
check "the Markdown report is written" grep -q '^# dsmcert fleet report' "$REPORT/dsmcert-report.md"
check "report.yml changed nothing on the hosts" every_host "$OLD" "$KEEPFP"

# shellcheck disable=SC2086
limit="backup_clients$(printf ':!%s' $last3)"
# shellcheck disable=SC2086
if play renew27 renew.yml $RENEWAL --limit "$limit"; then ok "renew.yml on $((N - 3)) hosts (--limit)"; else nok "renew.yml on $((N - 3)) (exit $rc)"; show renew27; fi
check "  its report covers those hosts only, all ready" \
    [ "$(js 'len(r["renewal"]["ready"]), len(r["renewal"]["not_ready"]), len(r["hosts"])')" = "($((N - 3)), 0, $((N - 3)))" ]
check "  the new certificate's SHA-256 is in the report" [ "$(js 'r["renewal"]["sha256"]')" = "$NEW" ]
# shellcheck disable=SC2086
if play gate1 report.yml $RENEWAL; then nok "the gate passed with 3 hosts not renewed"; else ok "the gate fails (exit $rc)"; fi
check "  naming the 3 others as not ready" \
    [ "$(js '" ".join(sorted(r["renewal"]["not_ready"]))')" = "$last3" ]
check "  the failure names them too" grep -q "not ready for the renewal of SRV (3): $(echo "$last3" | cut -d' ' -f1): " "$T/gate1.log"
check "  SRV has both certificates, the new one on $((N - 3)) hosts" \
    [ "$(js 'sorted(len(c["hosts"]) for c in r["servers"]["SRV"]["certificates"])')" = "[$((N - 3)), $N]" ]
check "  the Markdown report says not ready" grep -q '^\*\*Not ready: 3 of' "$REPORT/dsmcert-report.md"
# shellcheck disable=SC2086
if play renew3 renew.yml $RENEWAL --limit "$(echo $last3 | tr ' ' ,)"; then ok "renew.yml on the 3 others"; else nok "renew.yml on the 3 (exit $rc)"; show renew3; fi
# shellcheck disable=SC2086
if play gate2 report.yml $RENEWAL; then ok "the gate passes"; else nok "the gate fails still (exit $rc)"; show gate2; fi
check "  every host ready" [ "$(js 'len(r["renewal"]["ready"]), r["renewal"]["not_ready"]')" = "($N, {})" ]
check "every host trusts the old and the new certificate" every_host "$OLD" "$NEW" "$KEEPFP"

# shellcheck disable=SC2086
if play lost report.yml $RENEWAL -e dsmcert_hosts=backup_clients:lost; then nok "the gate passed with a host unreachable"; else ok "an unreachable host fails the gate (exit $rc)"; fi
check "  it is in the report, UNREACHABLE" [ "$(js 'r["hosts"]["lost01"]["status"]')" = UNREACHABLE ]
check "  and not ready, the others ready" \
    [ "$(js 'list(r["renewal"]["not_ready"]), len(r["renewal"]["ready"])')" = "(['lost01'], $N)" ]
check "  the failure names it" grep -q 'unreachable: lost01' "$T/lost.log"
# shellcheck disable=SC2086
if play lost2 report.yml -e dsmcert_hosts=backup_clients:lost; then nok "report.yml passed with a host unreachable"; else ok "without a renewal too (exit $rc)"; fi
check "  all the others reported" [ "$(js 'r["counts"]["OK"], r["counts"]["UNREACHABLE"]')" = "($N, 1)" ]

# Retiring: SRV presents nothing, then the old certificate.
PRUNE="-e dsmcert_renewal_prune=true"
# shellcheck disable=SC2086
if play prune0 renew.yml $RENEWAL $PRUNE; then nok "prune passed while SRV presents nothing"; else ok "prune refused while SRV presents nothing (exit $rc)"; fi
check "  every host refused, saying SRV cannot be reached" \
    [ "$(js 'sorted(set((p["state"], "cannot be reached" in p["why"]) for p in r["renewal"]["prune"].values()))')" = "[('refused', True)]" ]
check "  every host keeps the old certificate" every_host "$OLD" "$NEW" "$KEEPFP"
serve old
# shellcheck disable=SC2086
if play prune1 renew.yml $RENEWAL $PRUNE; then nok "prune passed while SRV presents the old certificate"; else ok "prune refused while SRV presents the old certificate (exit $rc)"; fi
check "  every host refused, saying SRV presents the old one" \
    [ "$(js 'sorted(set((p["state"], sys.argv[3] in p["why"]) for p in r["renewal"]["prune"].values()))' "$OLD")" = "[('refused', True)]" ]
check "  every host keeps the old certificate" every_host "$OLD" "$NEW" "$KEEPFP"

serve new
# -configure -prune -server S -online: one server's old certificate,
# once the server presents the new one. A dsmcert without it (a usage
# error, exit 1) cannot retire SRV's alone.
"$DSMCERT" -configure -prune -server SRV -online -dryrun \
    -config "$T/h/h01/etc/dsmcert.conf" >/dev/null 2>&1
if [ $? -ne 1 ]; then
	# shellcheck disable=SC2086
	if play prune2 renew.yml $RENEWAL $PRUNE; then ok "prune done once SRV presents the new certificate"; else nok "prune (exit $rc)"; show prune2; fi
	check "  every host says done" \
	    [ "$(js 'sorted(set(p["state"] for p in r["renewal"]["prune"].values()))')" = "['done']" ]
	check "  every host holds the new certificate only (and KEEP's)" every_host "$NEW" "$KEEPFP"
	# shellcheck disable=SC2086
	if play gate3 report.yml $RENEWAL; then ok "the gate passes after the prune"; else nok "the gate after the prune (exit $rc)"; show gate3; fi
else
	skip "prune once SRV presents the new certificate: this dsmcert has no -configure -prune -server S -online"
fi
stop_server

tap_end
