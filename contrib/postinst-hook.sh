#!/bin/sh
# Example post-install hook for a backup client package: bring the
# machine's TLS trust in line with its inventory, the same way every time.
#
#   postinst-hook.sh [INVENTORY]
#
# INVENTORY defaults to what dsmcert would use ($DSMCERT_CONF, else
# /etc/dsmcert/dsmcert.conf). Environment:
#   DSMCERT   the dsmcert to run (default: dsmcert from PATH)
#   STRICT=1  fail the install while a step is left to do by hand, or
#             an edit is held until a certificate is in place
#
# Exit status, for the installer:
#   0  trust configured, or nothing to do, or no inventory on this machine
#      (nothing to configure yet), or steps left by hand or held without
#      STRICT=1
#   1  failed; dsmcert's own message says what and what to do
#
# dsmcert -configure is idempotent: running the hook again after an
# upgrade, or after a failure was fixed, finishes the job and changes
# nothing that is already right.
set -u

DSMCERT=${DSMCERT:-dsmcert}
STRICT=${STRICT:-0}
me="dsmcert postinst"

say() { printf '%s: %s\n' "$me" "$*"; }
warn() { printf '%s: warning: %s\n' "$me" "$*" >&2; }
fail() {
	printf '%s: error: %s\n' "$me" "$*" >&2
	exit 1
}

if ! command -v "$DSMCERT" >/dev/null 2>&1; then
	fail "$DSMCERT not found; is dsmcert installed?"
fi

if [ $# -gt 0 ]; then
	set -- -config "$1"
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dsmcert-postinst.XXXXXX") ||
    fail "cannot make a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# An inventory given and missing is an error; the default one missing
# means this machine is not set up for dsmcert yet, which is no reason to
# fail a package install.
if ! "$DSMCERT" -where -json "$@" >"$tmp/where" 2>"$tmp/err"; then
	cat "$tmp/err" >&2
	fail "no usable inventory"
fi
conf=$(sed -n '/"config"/,/}/s/^ *"path": "\(.*\)",\{0,1\}$/\1/p' "$tmp/where")
if sed -n '/"config"/,/}/p' "$tmp/where" | grep -q '"exists": false'; then
	say "no inventory at $conf; nothing to configure"
	exit 0
fi

"$DSMCERT" -configure -json "$@" >"$tmp/out" 2>"$tmp/err"
rc=$?

# The JSON lists each step with its action and state; one line per step,
# "STATE<TAB>ACTION", is all a hook needs.
awk '/"action": / { a = $0; sub(/^ *"action": "/, "", a); sub(/",?$/, "", a) }
    /"state": / { s = $0; sub(/^ *"state": "/, "", s); sub(/",?$/, "", s)
	print s "\t" a }' "$tmp/out" >"$tmp/steps"
done_n=$(grep -c '^done	' "$tmp/steps")

case $rc in
0)
	sed -n 's/^done	/done: /p' "$tmp/steps"
	if [ "$done_n" -eq 0 ]; then
		say "$conf: compliant, nothing changed"
	else
		say "$conf: $done_n step(s) done"
	fi
	exit 0
	;;
6)
	sed -n 's/^done	/done: /p' "$tmp/steps"
	grep '^by hand	' "$tmp/steps" | while IFS='	' read -r _ action; do
		warn "left to do by hand: $action"
	done
	grep '^held	' "$tmp/steps" | while IFS='	' read -r _ action; do
		warn "held: $action"
	done
	cat "$tmp/err" >&2
	if [ "$STRICT" = 1 ]; then
		fail "$conf: the machine is not compliant yet (STRICT=1)"
	fi
	warn "$conf: not compliant yet; see dsmcert -policy"
	exit 0
	;;
*)
	# 2: a bad file (inventory, option file, certificate); 3: the key
	# database; others: conflicts and the like. Whatever was done is
	# listed; dsmcert's message names the file and what to do.
	awk -F '\t' '$1 != "planned" && $1 != "by hand" && $1 != "held" {
	    print $1 ": " $2 }' \
	    "$tmp/steps"
	cat "$tmp/err" >&2
	case $rc in
	2) fail "$conf: bad input (exit 2)" ;;
	3) fail "key database error (exit 3)" ;;
	*) fail "dsmcert -configure exited $rc" ;;
	esac
	;;
esac
