#!/bin/sh
# Run every tests/e2e/t_*.sh against $DSMCERT. Each file runs in its own
# temporary directory, with HOME there too, so nothing real is touched.
# Prints one line per file and a closing "e2e: N passed, N failed".
set -u
: "${DSMCERT:?DSMCERT must name the binary under test}"
top=$(cd "$(dirname "$0")/../.." && pwd)
export DSMCERT TOP="$top"

pass=0
fail=0
only=${E2E_ONLY:-}
for t in "$top"/tests/e2e/t_*.sh; do
	name=$(basename "$t" .sh)
	[ -n "$only" ] && [ "$name" != "$only" ] && continue
	work=$(mktemp -d "${TMPDIR:-/tmp}/dsmcert-e2e.XXXXXX")
	mkdir -p "$work/san"
	# A sanitizer report is a failure even when the exit code looks
	# right: reports go to files that are checked after the test.
	(
		cd "$work" || exit 1
		export HOME="$work/home" T="$work" RESULTS="$work/results"
		mkdir -p "$HOME"
		unset DSMCERT_DB DSMCERT_CONF DSM_DIR DSM_CONFIG PASSWORDDIR
		export ASAN_OPTIONS="log_path=$work/san/asan:detect_leaks=1"
		export UBSAN_OPTIONS="log_path=$work/san/ubsan:print_stacktrace=1"
		export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp"
		. "$top/tests/e2e/lib.sh"
		. "$t"
		e2e_finish
	) >"$work/log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$work/log")
	f=$(grep -c '^not ok ' "$work/log")
	if ls "$work"/san/* >/dev/null 2>&1; then
		echo "not ok $name: sanitizer report" >>"$work/log"
		cat "$work"/san/* >>"$work/log"
		f=$((f + 1))
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok $name: script exited $rc" >>"$work/log"
		f=$((f + 1))
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$f" -eq 0 ]; then
		echo "PASS: $name ($p)"
	else
		echo "FAIL: $name ($p passed, $f failed)"
		sed 's/^/    /' "$work/log"
	fi
	rm -rf "$work"
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
