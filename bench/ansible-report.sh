#!/bin/sh
# What contrib/ansible/report.yml costs over a fleet, against a bare play
# of one command over the same hosts, in the same run: the report must
# cost at most 3 times the bare play (README.md, "The fleet"). Run by
# hand, never in make check: a timing on a shared machine is no test.
#
#   sh bench/ansible-report.sh DSMCERT [HOSTS...]   (default: 300)
#
# Each host is a local connection with paths of its own (host vars): its
# own inventory, key database and option files under a temporary
# directory, configured beforehand by dsmcert -configure itself (not
# timed). Then, BENCH_RUNS times (default 3), alternating which goes
# first: the bare play (ansible.builtin.command: true on every host) and
# report.yml (dsmcert -check -json on every host, the report written on
# the controller). Prints the median wall-clock seconds of each and their
# ratio. ANSIBLE_FORKS (default 10) is the same for both.
set -eu

[ $# -ge 1 ] || { echo "usage: ansible-report.sh DSMCERT [HOSTS...]" >&2; exit 1; }
DSMCERT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
[ $# -ge 1 ] || set -- 300
RUNS=${BENCH_RUNS:-3}
TOP=$(cd "$(dirname "$0")/.." && pwd)
command -v ansible-playbook >/dev/null || { echo "ansible-report.sh: ansible-playbook is not installed (sh scripts/deps.sh ansible)" >&2; exit 1; }
D=$(mktemp -d "${TMPDIR:-/tmp}/dsmcert-bench-ansible.XXXXXX")
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$D"' EXIT

export HOME="$D/home" ANSIBLE_LOCAL_TEMP="$D/ansible-tmp" \
    ANSIBLE_REMOTE_TEMP="$D/ansible-tmp" ANSIBLE_NOCOLOR=1 \
    ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_CONFIG="$D/none.cfg" \
    ANSIBLE_ROLES_PATH="$TOP/contrib/ansible/roles" \
    ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_FORKS="${ANSIBLE_FORKS:-10}"
unset DSMCERT_DB DSMCERT_CONF DSM_DIR DSM_CONFIG PASSWORDDIR
mkdir -p "$D/home" "$D/files"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$D/files/srv.key" \
    -out "$D/files/srv.arm" -days 365 -subj "/O=TSM/CN=TSM Self-Signed Certificate" \
    -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null

cat >"$D/bare.yml" <<'EOF'
- name: One command on every host
  hosts: backup_clients
  gather_facts: false
  tasks:
    - name: A command
      ansible.builtin.command: "true"
      changed_when: false
EOF

# fleet N: N hosts, each configured, and their inventory in $D/hosts-N.yml.
fleet() {
	n=$1
	inv="$D/hosts-$n.yml"
	{
		echo "backup_clients:"
		echo "  hosts:"
		i=1
		while [ "$i" -le "$n" ]; do
			h=$(printf 'h%04d' "$i")
			R="$D/h/$h"
			if [ ! -f "$R/conf" ]; then
				mkdir -p "$R/opt"
				printf 'SErvername srv\n   TCPServeraddress srv.example.com\n   TCPPort 1500\n' >"$R/opt/dsm.sys"
				printf 'SErvername srv\n' >"$R/opt/dsm.opt"
				printf '[dsmcert]\nkeydb = %s/keydb\n[node]\ntype = node\nrole = client\noptfile = %s/opt/dsm.opt\n[SRV]\ntype = server\naddress = srv.example.com:1500\nversion = 8.1.14\nautocert = no\ncertfile = %s\n' \
				    "$R" "$R" "$D/files/srv.arm" >"$R/conf"
				"$DSMCERT" -configure -config "$R/conf" >/dev/null
			fi
			printf '    %s: {dsmcert_conf: %s/conf}\n' "$h" "$R"
			i=$((i + 1))
		done
		printf '  vars:\n    ansible_connection: local\n    ansible_python_interpreter: /usr/bin/python3\n    dsmcert_become: false\n    dsmcert_bin: %s\n' "$DSMCERT"
	} >"$inv"
}

# timed PLAYBOOK INVENTORY: wall-clock seconds of one run.
timed() {
	s=$(date +%s.%N)
	ansible-playbook -i "$2" -e "dsmcert_report_dir=$D/report" "$1" \
	    >"$D/last.log" 2>&1 || { echo "ansible-report.sh: $1 failed:" >&2; tail -20 "$D/last.log" >&2; exit 1; }
	e=$(date +%s.%N)
	echo "$s $e" | awk '{ printf "%.2f\n", $2 - $1 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-6s %10s %10s %7s\n' hosts "bare (s)" "report (s)" ratio
for n in "$@"; do
	fleet "$n"
	: >"$D/bare.t"
	: >"$D/report.t"
	r=1
	while [ "$r" -le "$RUNS" ]; do
		if [ $((r % 2)) -eq 1 ]; then
			timed "$D/bare.yml" "$D/hosts-$n.yml" >>"$D/bare.t"
			timed "$TOP/contrib/ansible/report.yml" "$D/hosts-$n.yml" >>"$D/report.t"
		else
			timed "$TOP/contrib/ansible/report.yml" "$D/hosts-$n.yml" >>"$D/report.t"
			timed "$D/bare.yml" "$D/hosts-$n.yml" >>"$D/bare.t"
		fi
		r=$((r + 1))
	done
	python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); sys.exit(0 if r["counts"]["OK"] == int(sys.argv[2]) else 1)' \
	    "$D/report/dsmcert-report.json" "$n" || { echo "ansible-report.sh: the report does not have $n hosts OK" >&2; exit 1; }
	b=$(median <"$D/bare.t")
	p=$(median <"$D/report.t")
	printf '%-6s %10s %10s %7s\n' "$n" "$b" "$p" "$(echo "$p $b" | awk '{ printf "%.2f", $1 / $2 }')"
	echo "# $n hosts, every run: bare $(tr '\n' ' ' <"$D/bare.t"); report $(tr '\n' ' ' <"$D/report.t"); load $(cut -d' ' -f1-3 /proc/loadavg)"
done
