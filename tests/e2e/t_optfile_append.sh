# Other programs append to option files without taking dsmcert's lock
# (echo >> dsm.sys in an installer). An edit made meanwhile is made again
# on what is there just before the rename, so no appended line is lost.
plan 4
N=400
EDITS=20
mkdir -m 755 "$T/n"
printf 'SErvername S1\n   TCPServeraddress s1.example.com\n   TCPPort 1500\n' \
    >"$T/n/dsm.sys"
printf 'SErvername S1\n' >"$T/n/dsm.opt"
chmod 644 "$T/n/dsm.sys" "$T/n/dsm.opt"
(
	i=1
	while [ $i -le $N ]; do
		sh -c "echo '* appended line $i' >>'$T/n/dsm.sys'"
		i=$((i + 1))
	done
) &
app=$!
fails=0
e=1
while [ $e -le $EDITS ]; do
	"$DSMCERT" -setopt -optfile "$T/n/dsm.opt" TCPPort $((1500 + e)) -q \
	    2>>"$T/edit.err" || fails=$((fails + 1))
	e=$((e + 1))
done
wait $app
assert "no edit failed ($fails)" [ "$fails" = 0 ]
n=$(grep -c '^\* appended line' "$T/n/dsm.sys")
assert "all $N appended lines are there (has $n)" [ "$n" = "$N" ]
assert "and the last edit too" grep -q "TCPPort $((1500 + EDITS))\$" "$T/n/dsm.sys"
dsm -query -optfile "$T/n/dsm.opt" TCPPort
expect 0 "the file still parses"
