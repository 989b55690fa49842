# The output gate: every file dsmcert writes (-export -file, -out, -prom,
# the server record) is resolved once, by descriptor; devices and pipes
# are written in place, regular files replaced; run as root, another
# user's link or directory leads only to that user's own files.
plan 27
if [ "$(id -u)" != 0 ] || ! id nobody >/dev/null 2>&1; then
	skip_rest "needs root and the user nobody"
	return 0 2>/dev/null || exit 0
fi
DB="$T/db"
mkcert srv
dsm -add -server S1 -file "$T/srv.pem" -db "$DB"
expect 0 "a certificate for S1"
one_node
check() { dsm -check -config "$T/inv.conf" "$@"; }
check
expect 0 "-check is OK"

# 1. A character device of our own (the numbers of /dev/null, never the
# real one) and a link to /proc/self/fd/1 (as /dev/stdout is).
if mknod "$T/null" c 1 3 2>/dev/null; then
	check -prom "$T/null"
	expect 0 "-check -prom to a character device"
	assert "it is still a character device" [ -c "$T/null" ]
	assert "nothing was left beside it" \
	    [ -z "$(ls -A "$T" | grep '\.null\.dsmcert\.')" ]
else
	nok "mknod needs root in the test environment"
fi
ln -s /proc/self/fd/1 "$T/stdout"
"$DSMCERT" -check -config "$T/inv.conf" -prom "$T/stdout" 2>"$T/err" |
    cat >"$T/piped"
assert "-prom to a link to /proc/self/fd/1: the link stays a link" \
    [ -L "$T/stdout" ]
assert "and the metrics came through the pipe" \
    grep -q '^dsmcert_check_status' "$T/piped"
"$DSMCERT" -export -label S1 -file "$T/stdout" -q -db "$DB" 2>"$T/err" |
    cat >"$T/piped"
assert "-export -file to it: the PEM came through the pipe" \
    [ "$(fp "$T/piped")" = "$(fp "$T/srv.pem")" ]

# 2. A directory of nobody's, linked in as if it were the textfile
# directory, holding a file of root's: not written, by -prom as by
# -export.
chmod 755 "$T"
U="$T/u"
mkdir "$U" && chown nobody "$U" && chmod 755 "$U"
mkdir "$T/rootdir"
printf 'keep\n' >"$T/rootdir/dsmcert.prom"
chmod 755 "$T/rootdir"
runuser -u nobody -- ln -s "$T/rootdir" "$U/textfile"
check -prom "$U/textfile/dsmcert.prom"
expect 3 "-check -prom through nobody's link to root's file is UNKNOWN"
err_has "reached through link $U/textfile, which belongs to nobody" \
    "naming the link and whose it is"
assert "root's file is untouched" [ "$(cat "$T/rootdir/dsmcert.prom")" = keep ]
dsm -export -label S1 -file "$U/textfile/dsmcert.prom" -db "$DB"
expect 2 "-export the same way is refused too"
assert "root's file is still untouched" \
    [ "$(cat "$T/rootdir/dsmcert.prom")" = keep ]

# A root-owned directory under a parent another user owns (Debian's
# /var/lib/prometheus/node-exporter under prometheus's
# /var/lib/prometheus): nobody can change what it holds, so it is
# written, keeping the file's owner and mode.
mkdir "$U/node-exporter"
chmod 755 "$U/node-exporter"
printf 'old\n' >"$U/node-exporter/dsmcert.prom"
chown daemon "$U/node-exporter/dsmcert.prom" 2>/dev/null ||
    chown nobody "$U/node-exporter/dsmcert.prom"
chmod 640 "$U/node-exporter/dsmcert.prom"
owner=$(stat -c %U "$U/node-exporter/dsmcert.prom")
check -prom "$U/node-exporter/dsmcert.prom"
expect 0 "-prom into a root directory in nobody's directory"
assert "written" grep -q '^dsmcert_check_status' "$U/node-exporter/dsmcert.prom"
assert "keeping its owner ($owner)" \
    [ "$(stat -c %U "$U/node-exporter/dsmcert.prom")" = "$owner" ]
assert "and its mode" \
    [ "$(stat -c %a "$U/node-exporter/dsmcert.prom")" = 640 ]

# 3. The race: nobody flips a link between a file of theirs and a file
# of root's while root exports to it, again and again. The link is read
# once, by descriptor: root's file never changes.
# flip LINK ROOTS MINE: nobody flips $U/LINK between a link to ROOTS, a
# file of root's, and one to MINE, a file of nobody's, as fast as it
# can (each new link renamed over it), until $T/stop appears; $flipper
# is its process, and $T/LINK.flips will say how many flips it made: a
# flipper that died or never ran would make the race pass untested.
flip() {
	rm -f "$T/stop"
	runuser -u nobody -- python3 -c '
import os, sys
link, root, mine, stop = sys.argv[1:]
a, b, n = link + ".a", link + ".b", link + ".n"
os.symlink(root, a)
os.symlink(mine, b)
flips = 0
while not os.path.exists(stop):
	os.link(a, n, follow_symlinks=False)
	os.rename(n, link)
	os.link(b, n, follow_symlinks=False)
	os.rename(n, link)
	flips += 2
print(flips)
' "$U/$1" "$2" "$3" "$T/stop" >"$T/$1.flips" &
	flipper=$!
}

printf 'root\n' >"$T/rootfile"
runuser -u nobody -- sh -c ": >'$U/mine'"
runuser -u nobody -- ln -s "$U/mine" "$U/flip"
flip flip "$T/rootfile" "$U/mine"
i=0
while [ $i -lt 200 ]; do
	"$DSMCERT" -export -label S1 -file "$U/flip" -q -db "$DB" \
	    >/dev/null 2>&1
	# Builtins where they do: the flipper spins for as long as the
	# loop runs, so every process the loop starts costs twice.
	c=
	read -r c <"$T/rootfile"
	[ "$c" = root ] || break
	[ ! -O "$U/mine" ] || chown nobody "$U/mine"	# an older dsmcert gave it to root
	i=$((i + 1))
done
: >"$T/stop"
wait "$flipper"
flips=$(cat "$T/flip.flips")
assert "root's file never changed in 200 exports (stopped at $i; $flips flips)" \
    [ "$(cat "$T/rootfile")" = root ] && [ "$i" = 200 ] && [ "${flips:-0}" -ge 1000 ]
assert "and it is still root's regular file" \
    [ -f "$T/rootfile" ] && [ ! -L "$T/rootfile" ]

# The option-file editor, the same way: -setopt on a link flipping
# between nobody's dsm.opt and a file of root's.
printf 'SErvername S1\n' >"$T/rootopt"
cp "$T/rootopt" "$T/rootopt.orig"
runuser -u nobody -- sh -c "printf 'SErvername S1\n' >'$U/dsm.opt'"
flip optlink "$T/rootopt" "$U/dsm.opt"
i=0
v=YES
while [ $i -lt 200 ]; do
	"$DSMCERT" -setopt -optfile "$U/optlink" SSL $v -q >/dev/null 2>&1
	cmp -s "$T/rootopt" "$T/rootopt.orig" || break
	[ ! -O "$U/dsm.opt" ] || chown nobody "$U/dsm.opt"
	if [ $v = YES ]; then v=NO; else v=YES; fi
	i=$((i + 1))
done
: >"$T/stop"
wait "$flipper"
flips=$(cat "$T/optlink.flips")
assert "-setopt: root's file never changed in 200 edits (stopped at $i; $flips flips)" \
    cmp -s "$T/rootopt" "$T/rootopt.orig" && [ "${flips:-0}" -ge 1000 ]
assert "no backup or lock file was made beside it" \
    [ ! -e "$T/rootopt.bak" ] && [ ! -e "$T/rootopt.lock" ]

# A link of nobody's to a name not there yet in a directory of root's: no
# new file of root's is made there through it.
mkdir "$T/rootonly" && chmod 755 "$T/rootonly"
runuser -u nobody -- ln -s "$T/rootonly/planted" "$U/dangling"
dsm -export -label S1 -file "$U/dangling" -db "$DB"
expect 2 "-export through nobody's dangling link into root's directory is refused"
err_has "the directory it leads to belongs to root" "saying why"
assert "nothing was created there" [ ! -e "$T/rootonly/planted" ]
check -prom "$U/dangling"
expect 3 "-check -prom the same way: UNKNOWN"
assert "still nothing there" [ ! -e "$T/rootonly/planted" ]
