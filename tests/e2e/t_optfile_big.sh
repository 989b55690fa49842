# A stanza with an include-exclude list of tens of thousands of lines is
# real. -setopt adds a line to it and changes one exactly, and what it
# costs grows with the stanza, not with its square.
plan 10

d=$T/big
mkdir -p "$d"
chmod 755 "$d"

# bigsys N [NEWLINE [PORT]]: a dsm.sys whose stanza "big" is N lines long,
# most of them EXCLUDE and INCLUDE, and a stanza after it. NEWLINE, when
# given, is the line -setopt is to add: after the stanza's last option
# line, before the blank and comment lines that head the next stanza.
bigsys() {
	awk -v n="$1" -v add="${2:-}" -v port="${3:-1500}" 'BEGIN {
		print "* dsm.sys with a long include-exclude list"
		print "SErvername  big"
		print "   TCPServeraddress   backup.example.com"
		printf "   TCPPort            %s\n", port
		for (i = 3; i < n; i++)
			if (i % 3)
				printf "   EXCLUDE            /data/d%d/.../*\n", i
			else
				printf "   INCLUDE            /data/d%d/keep/*\n", i
		if (add != "")
			print add
		print ""
		print "* the next server"
		print "SErvername  other"
		print "   TCPServeraddress   other.example.com"
	}'
}

# ---- byte for byte ---------------------------------------------------------
bigsys 50000 >"$d/dsm.sys"
chmod 644 "$d/dsm.sys"
cp "$d/dsm.sys" "$T/before"
bigsys 50000 '   SSL                YES' >"$T/want"
dsm -setopt -optfile "$d/dsm.sys" -server big SSL yes
expect 0 "-setopt adds a line to a stanza of 50,000 lines"
same "$T/want" "$d/dsm.sys" \
    "the new line is after the list, aligned, every other byte kept"
same "$T/before" "$d/dsm.sys.bak" "the backup is the file as it was"

bigsys 50000 '   SSL                YES' 1600 >"$T/want"
dsm -setopt -optfile "$d/dsm.sys" -server big TCPPort 1600
expect 0 "-setopt changes a line of a stanza of 50,000 lines"
same "$T/want" "$d/dsm.sys" "that line alone changes"

dsm -setopt -optfile "$d/dsm.sys" -server big EXCLUDE '/data/d49999/.../*'
expect 0 "-setopt of an exclusion at the end of the list"
out_has 'nothing to do' "is found there: nothing to do"
same "$T/want" "$d/dsm.sys" "and nothing is written"

# ---- growth ------------------------------------------------------------------
# One edit of a stanza of 80,000 lines against eight edits of stanzas of
# 10,000: the same work when an edit costs the length of the stanza (the
# eight pay for seven more starts), eight times more when it costs its
# square. CPU time, not wall-clock time, so that other work on the
# machine does not count; a second try when the first fails, for
# noise such as a cache shared with another process. What an edit costs
# in seconds is for bench/run.sh, not for a test.

mkdir -p "$d/g"
bigsys 80000 >"$d/g/big.sys"
for i in 1 2 3 4 5 6 7 8; do
	bigsys 10000 >"$d/g/small$i.sys"
done
chmod 644 "$d"/g/*.sys
cp -p "$d"/g/*.sys "$T/"

# ticks SCRIPT: the CPU time, in clock ticks, of SCRIPT's commands, run
# by a shell of their own: that shell's children's user and system
# times, read from /proc once it has waited for them all. Nothing on a
# failure.
ticks() {
	sh -c "$1"'
	read -r s </proc/$$/stat
	set -- ${s##*) }
	echo $((${14} + ${15}))'
}

small='for i in 1 2 3 4 5 6 7 8; do
	"$DSMCERT" -setopt -optfile "'"$d"'/g/small$i.sys" -server big \
	    SSL yes >/dev/null || exit 1
done'
big='"$DSMCERT" -setopt -optfile "'"$d"'/g/big.sys" -server big SSL yes \
    >/dev/null || exit 1'

for try in 1 2; do
	for f in "$T"/big.sys "$T"/small*.sys; do
		cp -p "$f" "$d/g/"
	done
	s=$(ticks "$small")
	b=$(ticks "$big")
	if [ -z "$s" ] || [ -z "$b" ]; then
		nok "an edit failed (8 x 10,000 lines: ${s:-failed}," \
		    "80,000 lines: ${b:-failed})"
		break
	fi
	# Linear is about 1; quadratic is about 8.
	if [ "$b" -le $((3 * s + 3)) ]; then
		ok "an edit costs the stanza's length: 80,000 lines $b ticks," \
		    "8 x 10,000 lines $s ticks"
		break
	fi
	if [ "$try" -eq 2 ]; then
		nok "an edit of 80,000 lines took $b ticks, eight of 10,000" \
		    "took $s: more than the length of the stanza"
	fi
done
grep -c '^   SSL                YES$' "$d/g/big.sys" >"$T/n"
printf '1\n' >"$T/one"
same "$T/one" "$T/n" "the edit of 80,000 lines added its line once"
