#!/bin/sh
# One end-to-end script, for run.sh:
#
#   sh tests/e2e/one.sh RESULTS NAME
#
# runs tests/e2e/NAME.sh against $DSMCERT in its own temporary directory,
# with HOME there too, so nothing real is touched and scripts can run side
# by side. Its output goes to RESULTS/NAME.log; RESULTS/NAME.result,
# written last, holds the number of assertions passed and failed.
set -u
res=$1
name=$2
t=$TOP/tests/e2e/$name.sh
log=$res/$name.log

# finish PASSED FAILED: the result, renamed into place so that run.sh
# never reads half of it.
finish() {
	echo "$1 $2" >"$res/$name.tmp" && mv "$res/$name.tmp" "$res/$name.result"
	exit 0
}

work=$(mktemp -d "${TMPDIR:-/tmp}/dsmcert-e2e.XXXXXX") || {
	echo "not ok $name: no temporary directory" >"$log"
	finish 0 1
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
	. "$TOP/tests/e2e/lib.sh"
	. "$t"
	e2e_finish
	e2e_agree
) >"$log" 2>&1 </dev/null
rc=$?
p=$(grep -c '^ok ' "$log")
f=$(grep -c '^not ok ' "$log")
if ls "$work"/san/* >/dev/null 2>&1; then
	echo "not ok $name: sanitizer report" >>"$log"
	cat "$work"/san/* >>"$log"
	f=$((f + 1))
fi
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
	echo "not ok $name: script exited $rc" >>"$log"
	f=$((f + 1))
fi
finish "$p" "$f"
