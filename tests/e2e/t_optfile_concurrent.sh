# Eight editors of one file at once lose nothing: each takes the lock,
# reads the file afresh, applies its edit and replaces the file.
plan 7

d=$T/c
mkdir -p "$d"
cp "$TOP/tests/data/multi.dsm.sys" "$d/dsm.sys"
f=$d/dsm.sys

for round in 1 2 3; do
	if [ "$round" -eq 2 ]; then yn=no; else yn=yes; fi
	p=$((1500 + round))
	set -- "SSL $yn" "SSLACCEPTCERTFROMSERV $yn" "SSLFIPSMODE $yn" \
	    "SSLDISABLELEGACYtls $yn" "TCPADMINPort $p" \
	    "TCPCLIENTPort $((p + 10))" "ASNODEname n$round" \
	    "VMCHOST vc$round.example.com"
	i=0
	pids=
	for kv in "$@"; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		"$DSMCERT" -setopt -optfile "$f" -server dr_server $kv \
		    >"$T/out.$i" 2>"$T/err.$i" &
		pids="$pids $!"
	done
	fails=0
	for p in $pids; do
		wait "$p" || fails=$((fails + 1))
	done
	if [ "$fails" -eq 0 ]; then ok "round $round: eight editors exit 0"
	else nok "round $round: $fails editors failed"; cat "$T"/err.*; fi
	lost=0
	for kv in "$@"; do
		name=${kv%% *}
		want=$(echo "${kv#* }" | tr a-z A-Z)
		got=$("$DSMCERT" -query -optfile "$f" -server dr_server "$name" |
		    tr a-z A-Z)
		if [ "$got" != "$want" ]; then
			lost=$((lost + 1))
			echo "# $name: $got, wanted $want"
		fi
	done
	if [ "$lost" -eq 0 ]; then ok "round $round: no edit lost"
	else nok "round $round: $lost edits lost"; fi
done
n=$(grep -c -i '^ *sslfipsmode' "$f")
if [ "$n" -eq 1 ]; then ok "each option stands once"; else
	nok "SSLFIPSMODE stands $n times"; fi
