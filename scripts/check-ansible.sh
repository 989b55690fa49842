#!/bin/sh
# make check-ansible: the Ansible role of contrib/ansible/ run for real
# with ansible-playbook against localhost (local connection), everything
# under a temporary root: inventory, option files, key database,
# certificates. Twice: the first run must report changed, the second
# nothing; then an audit run (--tags audit), a check-mode run, and a run
# with warn_days that -check, writing its textfile, warns about.
#
# Given a .deb, the role installs dsmcert from it first (dsmcert_package),
# the way a fleet gets it, and runs the package's /usr/bin/dsmcert; the
# package is purged again at the end. That needs root and a machine where
# dsmcert is not installed yet; elsewhere the role runs DSMCERT as it is
# and says why the package was left out.
#
#   sh scripts/check-ansible.sh DSMCERT [DEB]   (KEEP=1 keeps the temporary root)
set -u

case $# in
1 | 2) ;;
*) echo "usage: check-ansible.sh DSMCERT [DEB]" >&2; exit 1 ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/dsmcert-ansible.XXXXXX") || exit 1
deb=${2:-}
why=""
if [ -z "$deb" ]; then
	why="no package given"
elif [ ! -f "$deb" ]; then
	why="$deb: no such file"
elif [ "$(id -u)" -ne 0 ]; then
	why="installing it needs root"
elif dpkg-query -W -f='${Status}' dsmcert 2>/dev/null | grep -qv not-installed; then
	why="dsmcert is installed on this machine already"
elif [ -e /usr/bin/dsmcert ]; then
	why="/usr/bin/dsmcert is there already, from no package"
fi
installed=0
cleanup() {
	[ "$installed" = 1 ] && dpkg --purge dsmcert >/dev/null 2>&1
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
# A copy, so that a rebuild of the tree meanwhile does not pull the
# binary from under the runs.
DSMCERT=$T/dsmcert
cp "$1" "$DSMCERT" || exit 1

me=check-ansible
. "$top/scripts/tap.sh"

# The machine: two nodes, one with an LDAP server (its certificate must
# be imported and SSLACCEPTCERTFROMSERV set to NO), one with a legacy
# server whose data must be encrypted (SSL YES on its TLS port).
R="$T/root"
mkdir -p "$R/opt/dm1" "$R/opt/vm" "$T/files" "$T/home" "$T/textfile"
chmod 755 "$R" "$R/opt" "$R/opt/dm1" "$R/opt/vm"
for n in ldap old; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/files/$n.key" \
	    -out "$T/files/$n.arm" -days 365 \
	    -subj "/C=US/O=TSM/OU=TSM Network/CN=TSM Self-Signed Certificate" \
	    -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null ||
	    { echo "check-ansible: openssl failed" >&2; exit 1; }
done
cat >"$R/opt/dm1/dsm.sys" <<'EOF'
* data mover 1
SErvername ldap_dm
   TCPServeraddress ldap.example.com
   TCPPort 1500
EOF
printf 'SErvername ldap_dm\n' >"$R/opt/dm1/dsm.opt"
cat >"$R/opt/vm/dsm.sys" <<'EOF'
SErvername old_vm
   TCPServeraddress old.example.com
SErvername ldap_vm
   TCPServeraddress ldap.example.com
EOF
printf 'SErvername old_vm\n' >"$R/opt/vm/dsm.opt"
chmod 644 "$R"/opt/*/dsm.*
cp "$R/opt/vm/dsm.sys" "$T/vm.sys.orig"

cat >"$T/hosts" <<'EOF'
localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3
EOF
cat >"$T/vars.yml" <<EOF
dsmcert_hosts: localhost
dsmcert_become: false
dsmcert_check_textfile: $T/textfile/dsmcert.prom
dsmcert_conf: $R/etc/dsmcert/dsmcert.conf
dsmcert_keydb: $R/etc/dsmcert/keydb
dsmcert_certdir: $R/etc/dsmcert/certs
dsmcert_nodes:
  - name: datamover1
    role: datamover
    optfile: $R/opt/dm1/dsm.opt
  - name: vmcli
    role: vmcli
    optfile: $R/opt/vm/dsm.opt
    servers: [old_vm, ldap_vm]
dsmcert_servers:
  - name: LDAPSRV
    address: ldap.example.com:1500
    version: 8.1.14
    autocert: false
    cert_src: $T/files/ldap.arm
  - name: OLDSRV
    address: old.example.com
    version: 7.1.6.100
    encrypt: true
    tlsport: 1543
    cert_content: "{{ lookup('file', '$T/files/old.arm') }}"
EOF
if [ -z "$why" ]; then
	installed=1
	printf 'dsmcert_package: %s\ndsmcert_package_dir: %s\n%s\n' "$deb" \
	    "$T/pkgcache" "dsmcert_bin: /usr/bin/dsmcert" >>"$T/vars.yml"
else
	echo "# the package is left out ($why): the role runs $1"
	printf 'dsmcert_install: false\ndsmcert_bin: %s\n' "$DSMCERT" \
	    >>"$T/vars.yml"
fi

export HOME="$T/home" ANSIBLE_LOCAL_TEMP="$T/ansible-tmp" \
    ANSIBLE_REMOTE_TEMP="$T/ansible-tmp" ANSIBLE_NOCOLOR=1 \
    ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_CONFIG="$T/none.cfg" \
    ANSIBLE_ROLES_PATH="$top/contrib/ansible/roles" \
    ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
unset DSMCERT_DB DSMCERT_CONF DSM_DIR DSM_CONFIG PASSWORDDIR

# play NAME ARGS...: run the playbook; its output in $T/NAME.log, and
# one line per task in $T/NAME.tasks: "changed|ok|failed|skipped<TAB>name"
# (a looped task is changed when any item is, failed when any item is).
play() {
	name=$1
	shift
	ansible-playbook -i "$T/hosts" -e "@$T/vars.yml" \
	    "$top/contrib/ansible/playbook.yml" "$@" >"$T/$name.log" 2>&1
	rc=$?
	awk '
	function flush() { if (task != "") print state "\t" task; task = "" }
	/^TASK \[/ {
		flush()
		task = $0
		sub(/^TASK \[([^]:]* : )?/, "", task)
		sub(/\] \**$/, "", task)
		state = "skipped"
		next
	}
	/^PLAY RECAP/ { flush() }
	task == "" { next }
	/^(fatal|failed): / { state = "failed" }
	/^changed: / && state != "failed" { state = "changed" }
	/^ok: / && state == "skipped" { state = "ok" }
	END { flush() }' "$T/$name.log" >"$T/$name.tasks"
	return $rc
}

# state NAME TASK: the state of TASK in run NAME.
state() { awk -F '\t' -v t="$2" '$2 == t { print $1 }' "$T/$1.tasks"; }
show() { sed 's/^/#   /' "$T/$1.tasks" "$T/$1.log"; }

CONF="Configure TLS trust (dsmcert -configure)"
AUDIT="Audit TLS trust (dsmcert -policy)"
INSTALL="Install dsmcert from the package file (.deb)"

if play first; then ok "first run succeeds"; else nok "first run (exit $rc)"; show first; fi
if [ -z "$why" ]; then
	check "first run: the package was installed" \
	    [ "$(state first "$INSTALL")" = changed ]
	check "dpkg: dsmcert installed, at the package's version" [ \
	    "$(dpkg-query -W -f='${Status} ${Version}' dsmcert 2>/dev/null)" = \
	    "install ok installed $(dpkg-deb -f "$deb" Version)" ]
fi
check "first run: dsmcert reports changed" [ "$(state first "$CONF")" = changed ]
check "first run: the audit passes" [ "$(state first "$AUDIT")" = ok ]
"$DSMCERT" -list -db "$R/etc/dsmcert/keydb" >"$T/list" 2>&1
check "both certificates in the key database" \
    grep -qx LDAPSRV "$T/list"
check "  (OLDSRV too)" grep -qx OLDSRV "$T/list"
check "datamover1: SSLACCEPTCERTFROMSERV NO" \
    grep -q '^ *SSLACCEPTCERTFROMSERV NO' "$R/opt/dm1/dsm.sys"
check "vmcli: SSL YES for the legacy server" grep -q '^ *SSL YES' "$R/opt/vm/dsm.sys"
check "vmcli: its TLS port" grep -q '^ *TCPPort 1543' "$R/opt/vm/dsm.sys"
check "the inventory was written" [ -f "$R/etc/dsmcert/dsmcert.conf" ]
"$DSMCERT" -policy -config "$R/etc/dsmcert/dsmcert.conf" >/dev/null 2>&1
check "dsmcert -policy: compliant" [ $? -eq 0 ]
cp "$R/opt/vm/dsm.sys" "$T/vm.sys.first"

if play second; then ok "second run succeeds"; else nok "second run (exit $rc)"; show second; fi
check "second run: dsmcert reports no change" [ "$(state second "$CONF")" = ok ]
if [ -z "$why" ]; then
	check "second run: the package is not installed again" \
	    [ "$(state second "$INSTALL")" = ok ]
fi
check "second run: no task changed anything" \
    [ -z "$(awk -F '\t' '$1 == "changed"' "$T/second.tasks")" ]
check "the option file is as the first run left it" \
    cmp -s "$T/vm.sys.first" "$R/opt/vm/dsm.sys"

if play audit --tags audit; then ok "audit run succeeds"; else nok "audit run (exit $rc)"; show audit; fi
check "audit run: only the audit tasks ran" \
    [ -z "$(awk -F '\t' '$2 !~ /Audit|not compliant/' "$T/audit.tasks")" ]
check "audit run: changed nothing" [ "$(state audit "$AUDIT")" = ok ]

# Drift: an admin put the option file back. Check mode says a change is
# due and makes none; the next run makes it.
cp "$T/vm.sys.orig" "$R/opt/vm/dsm.sys"
play drift --tags audit
check "audit after drift fails the host" [ "$(state drift "$AUDIT")" = failed ]
if play check --check; then ok "check mode succeeds"; else nok "check mode (exit $rc)"; show check; fi
check "check mode: dsmcert reports changed" [ "$(state check "$CONF")" = changed ]
check "check mode: nothing was edited" cmp -s "$T/vm.sys.orig" "$R/opt/vm/dsm.sys"
if play third; then ok "third run succeeds"; else nok "third run (exit $rc)"; show third; fi
check "third run: dsmcert reports changed" [ "$(state third "$CONF")" = changed ]
# (SSLACCEPTCERTFROMSERV NO is not set again: with the certificate in
# place it no longer applies.)
check "third run: SSL YES is back" grep -q '^ *SSL YES' "$R/opt/vm/dsm.sys"
check "third run: the TLS port is back" grep -q '^ *TCPPort 1543' "$R/opt/vm/dsm.sys"
"$DSMCERT" -policy -config "$R/etc/dsmcert/dsmcert.conf" >/dev/null 2>&1
check "dsmcert -policy: compliant again" [ $? -eq 0 ]

# -check after configuring, into node_exporter's textfile; warn_days
# from the role's variable: at 400 days, certificates of 365 warn.
check "the textfile has -check's status, OK" \
    grep -qx 'dsmcert_check_status 0' "$T/textfile/dsmcert.prom"
if play warn -e dsmcert_warn_days=400; then ok "a run with warn_days 400 succeeds"; else nok "warn_days run (exit $rc)"; show warn; fi
check "  the inventory has warn_days = 400" \
    grep -qx 'warn_days = 400' "$R/etc/dsmcert/dsmcert.conf"
check "  the textfile says WARNING" \
    grep -qx 'dsmcert_check_status 1' "$T/textfile/dsmcert.prom"
check "  and -check ran" [ "$(state warn "Check certificates (dsmcert -check)")" = ok ]

if [ -z "$why" ]; then
	dpkg --purge dsmcert >/dev/null 2>&1
	installed=0
	check "dpkg --purge takes the role's dsmcert away again" \
	    [ ! -e /usr/bin/dsmcert ]
fi

tap_end
