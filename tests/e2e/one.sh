#!/bin/sh
# One end-to-end script, for run.sh:
#
#   sh tests/e2e/one.sh RESULTS NAME
#
# runs tests/e2e/NAME.sh against $DSMCERT in its own temporary directory,
# with HOME there too, so nothing real is touched and scripts can run side
# by side. Its output goes to RESULTS/NAME.log; RESULTS/NAME.result,
# written last, holds the number of assertions passed, failed and skipped
# and the processor time (user + system, seconds) the script took.
#
# The script's plan (its "1..N" line, from lib.sh's plan) is checked
# against the assertions it printed: a script without a plan, or one that
# stops early or runs more than it planned, fails.
set -u
res=$1
name=$2
t=$TOP/tests/e2e/$name.sh
log=$res/$name.log

# finish PASSED FAILED SKIPPED CPU: the result, renamed into place so
# that run.sh never reads half of it.
finish() {
	echo "$1 $2 $3 $4" >"$res/$name.tmp" &&
	    mv "$res/$name.tmp" "$res/$name.result"
	exit 0
}

work=$(mktemp -d "${TMPDIR:-/tmp}/dsmcert-e2e.XXXXXX") || {
	echo "not ok $name: no temporary directory" >"$log"
	finish 0 1 0 0
}
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
mkdir -p "$work/san"
# A sanitizer report is a failure even when the exit code looks
# right: reports go to files that are checked after the test.
(
	cd "$work" || exit 1
	export HOME="$work/home" T="$work" RESULTS="$work/results"
	mkdir -p "$HOME"
	unset DSMCERT_DB DSMCERT_CONF DSM_DIR DSMI_DIR DSM_CONFIG PASSWORDDIR
	# The client's and the API's installation directories, never the
	# real ones (dsmcert(1), ENVIRONMENT): absent unless a test makes them.
	export DSMCERT_TEST_CLIENT_DIR="$work/install/ba/bin"
	export DSMCERT_TEST_API_DIR="$work/install/api/bin64"
	export ASAN_OPTIONS="log_path=$work/san/asan:detect_leaks=1"
	export UBSAN_OPTIONS="log_path=$work/san/ubsan:print_stacktrace=1"
	export LSAN_OPTIONS="suppressions=$TOP/tests/lsan.supp"
	# NSS derives a key from the database password for every trust
	# attribute it writes, 10000 rounds each by default: most of what a
	# bundle into a password-protected database costs. The same code
	# runs at 1000 rounds for a tenth of the processor time.
	export NSS_MAX_MP_PBE_ITERATION_COUNT=1000
	. "$TOP/tests/e2e/lib.sh"
	. "$t"
	e2e_finish
	e2e_agree
) >"$log" 2>&1 </dev/null
rc=$?
# The processor time of this shell's children: the script and all it ran.
# (times into a file: in a pipe or $(...) it would time a subshell.)
times >"$work/times"
cpu=$(awk 'NR == 2 {
	for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] }
	printf "%.2f", s }' "$work/times")
s=$(grep -Ec '^ok [0-9]+ # skip' "$log")
p=$(($(grep -c '^ok ' "$log") - s))
f=$(grep -c '^not ok ' "$log")
plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$log" | head -n 1)
ran=$((p + f + s))
if [ -z "$plan" ]; then
	echo "not ok $name: no plan; put \"plan $ran\" (the number of assertions it makes) at the top of tests/e2e/$name.sh" >>"$log"
	f=$((f + 1))
elif [ "$plan" -ne "$ran" ]; then
	echo "not ok $name: planned $plan assertions, ran $ran (one that stops early fails; if the change is meant, make it \"plan $ran\")" >>"$log"
	f=$((f + 1))
fi
if ls "$work"/san/* >/dev/null 2>&1; then
	echo "not ok $name: sanitizer report" >>"$log"
	cat "$work"/san/* >>"$log"
	f=$((f + 1))
fi
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
	echo "not ok $name: script exited $rc" >>"$log"
	f=$((f + 1))
fi
finish "$p" "$f" "$s" "$cpu"
