# -setopt killed with SIGKILL at random moments never leaves a short or
# unparsable file: readers see the old file or the new one, whole.
plan 4

d=$T/k
mkdir -p "$d"
f=$d/dsm.sys
# A large file makes the write take long enough to be interrupted.
{
	cat "$TOP/tests/data/multi.dsm.sys"
	i=0
	while [ $i -lt 4000 ]; do
		echo "*  padding line $i: the kill may land while this is written"
		i=$((i + 1))
	done
} >"$f"
"$DSMCERT" -setopt -optfile "$f" -server server_a TCPPort 1501 >/dev/null
cp "$f" "$T/A"
"$DSMCERT" -setopt -optfile "$f" -server server_a TCPPort 1502 >/dev/null
cp "$f" "$T/B"

rnd() { od -An -N2 -tu2 /dev/urandom | tr -d ' '; }

start=$(date +%s)
n=0
bad=0
killed=0
while [ $(($(date +%s) - start)) -lt 20 ] && [ $n -lt 60 ]; do
	n=$((n + 1))
	if [ $((n % 2)) -eq 0 ]; then v=1501; else v=1502; fi
	# A kill that lands during LeakSanitizer's check at exit makes it
	# report that it could not stop the process; that is the kill, not
	# a leak. -setopt's leaks are checked in t_optfile.
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
	    "$DSMCERT" -setopt -optfile "$f" -server server_a TCPPort $v \
	    >/dev/null 2>&1 &
	pid=$!
	r=$(rnd)
	sleep "0.0$((r % 40))"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
	if ! cmp -s "$f" "$T/A" && ! cmp -s "$f" "$T/B"; then
		bad=$((bad + 1))
		echo "# round $n: the file is neither version ($(wc -c <"$f") bytes)"
	fi
	if [ -e "$f.bak" ] && ! cmp -s "$f.bak" "$T/A" && ! cmp -s "$f.bak" "$T/B"
	then
		bad=$((bad + 1))
		echo "# round $n: the backup is neither version"
	fi
done
if [ "$bad" -eq 0 ]; then ok "$n runs, $killed killed: the file is always whole"
else nok "$bad of $n runs left a damaged file"; fi

"$DSMCERT" -query -optfile "$f" >/dev/null 2>"$T/err"
RC=$?
expect 0 "the file still parses"
"$DSMCERT" -setopt -optfile "$f" -server server_a TCPPort 1503 >/dev/null
RC=$?
expect 0 "an editor after the kills succeeds"
left=$(ls -a "$d" | grep -c '^\.dsm\.sys\.dsmcert\.' || true)
if [ "$left" -eq 0 ]; then ok "temporary files of killed editors are swept"
else nok "$left temporary files left behind"; fi
