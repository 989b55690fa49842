#!/bin/sh
# Run the tests/e2e/t_*.sh against $DSMCERT, E2E_JOBS at a time (default:
# the number of processors), each by one.sh in its own temporary
# directory. E2E_ONLY="t_a t_b" (or t_a,t_b) runs only those.
# Prints one line per script in name order (assertions passed, skipped,
# and the processor time it took), then the logs of the scripts that
# failed, then a closing "e2e: N passed, N failed, N skipped".
#
# Scripts run side by side because none shares anything with another:
# each works in its own $T and HOME; t_verify and t_fetch listen on
# random free ports of 127.0.0.1 (tls.sh) and take another when one is
# taken; the timing tests (t_concurrent, t_crash, t_optfile_concurrent,
# t_optfile_kill) only run slower beside others, and what they assert
# holds at any speed. A script that cannot run beside others says why on
# a line "# e2e: alone, because ..." and runs after the rest, by itself.
set -u
: "${DSMCERT:?DSMCERT must name the binary under test}"
top=$(cd "$(dirname "$0")/../.." && pwd)
export DSMCERT TOP="$top"

jobs=${E2E_JOBS:-$(nproc 2>/dev/null || echo 1)}
case $jobs in
''|*[!0-9]*|0)
	echo "e2e: E2E_JOBS must be a positive number, not \"$jobs\"" >&2
	exit 1 ;;
esac

names=$(cd "$top/tests/e2e" && printf '%s\n' t_*.sh | sed 's/\.sh$//' |
    LC_ALL=C sort)
if [ -n "${E2E_ONLY:-}" ]; then
	only=
	for n in $(echo "$E2E_ONLY" | tr ',' ' '); do
		n=$(basename "$n" .sh)
		echo "$names" | grep -qxF -- "$n" || {
			echo "e2e: E2E_ONLY: no tests/e2e/$n.sh" >&2
			exit 1
		}
		only="$only$n
"
	done
	names=$(printf '%s' "$only" | LC_ALL=C sort -u)
fi
side=
alone=
for n in $names; do
	if grep -q '^# e2e: alone' "$top/tests/e2e/$n.sh"; then
		alone="$alone $n"
	else
		side="$side $n"
	fi
done

res=$(mktemp -d "${TMPDIR:-/tmp}/dsmcert-e2e-results.XXXXXX") || exit 1
trap 'rm -rf "$res"' EXIT

# python3 as the interpreter itself: where python3 on PATH is a wrapper
# (pyenv's shims are shell scripts that take 150 ms to start it, eight
# times the interpreter's own start), every python3 a test runs pays for
# it. The one PATH finds is the one used, through a link in $res/bin.
if _py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) &&
    [ -x "$_py" ]; then
	mkdir -p "$res/bin" && ln -s "$_py" "$res/bin/python3" &&
	    PATH="$res/bin:$PATH" && export PATH
fi

# The key pool (see lib.sh, keys.sh): $E2E_KEYS, the one make keeps in
# the build directory, else one made here for this run. E2E_POOL is its
# size: as many keys as the script that makes the most certificates
# needs (past it, keys are generated).
if [ -z "${E2E_KEYS:-}" ]; then
	E2E_KEYS="$res/keys"
	E2E_JOBS=$jobs sh "$top/tests/e2e/keys.sh" "$E2E_KEYS" \
	    "${E2E_POOL:-16}" || exit 1
fi
export E2E_KEYS
times >"$res/.pool.times"
poolcpu=$(awk 'NR == 2 {
	for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] }
	printf "%.2f", s }' "$res/.pool.times")

# report: as results come in, in any order, one line per script in name
# order; then the logs of those that failed and the closing line. It
# gives up when the results are all in (.all) or this shell is gone.
report() {
	pass=0
	fail=0
	skip=0
	cpu=0
	failed=
	for n in $names; do
		while [ ! -e "$res/$n.result" ] && [ ! -e "$res/.all" ] &&
		    kill -0 $$ 2>/dev/null; do
			sleep 1
		done
		if [ -e "$res/$n.result" ]; then
			read -r p f s c <"$res/$n.result"
		else
			echo "not ok $n: no result" >>"$res/$n.log"
			p=0
			f=1
			s=0
			c=0
		fi
		pass=$((pass + p))
		fail=$((fail + f))
		skip=$((skip + s))
		cpu=$(echo "$cpu $c" | awk '{ printf "%.2f", $1 + $2 }')
		skipped=
		[ "$s" -eq 0 ] || skipped=", $s skipped"
		if [ "$f" -eq 0 ]; then
			echo "PASS: $n ($p$skipped) ${c}s"
		else
			echo "FAIL: $n ($p passed, $f failed$skipped) ${c}s"
			failed="$failed $n"
		fi
	done
	for n in $failed; do
		echo "== $n"
		sed 's/^/    /' "$res/$n.log"
	done
	echo "e2e: ${cpu}s of processor time in the scripts, ${poolcpu}s for the key pool"
	echo "e2e: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
}

# The report runs in the background, the tests in the foreground, so
# that an interrupt reaches the tests: a background job ignores SIGINT.
report &
reporter=$!
trap 'kill $reporter 2>/dev/null; exit 1' INT TERM
# shellcheck disable=SC2086
[ -z "$side" ] || printf '%s\n' $side |
    xargs -n 1 -P "$jobs" sh "$top/tests/e2e/one.sh" "$res"
for n in $alone; do
	sh "$top/tests/e2e/one.sh" "$res" "$n" </dev/null
done
: >"$res/.all"
wait $reporter
