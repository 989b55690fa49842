# The assertions of scripts/check-*.sh, one TAP line each; sourced by
# each script, which sets $me first.
#   ok DESC, nok DESC     a check passed, or failed
#   skip DESC             a check that cannot run here, and why: counted
#                         apart, never as passed
#   check DESC CMD...     ok when CMD succeeds, else nok
#   tap_end               "$me: N passed, N failed, N skipped"; fails
#                         when a check failed
tap_n=0
passed=0
failed=0
skipped=0
ok() { tap_n=$((tap_n + 1)); passed=$((passed + 1)); echo "ok $tap_n - $*"; }
nok() { tap_n=$((tap_n + 1)); failed=$((failed + 1)); echo "not ok $tap_n - $*"; }
skip() { tap_n=$((tap_n + 1)); skipped=$((skipped + 1)); echo "ok $tap_n # skip $*"; }
check() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else nok "$_d"; fi
}
tap_end() {
	echo "$me: $passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}
