# Two first writers started together into a database that does not
# exist yet: one wins, the other finds its label taken (exit 5), and the
# database holds one certificate under that label.
plan 1
mkcert a
mkcert b
TRIALS=20
[ -n "${SANITIZE:-}" ] && TRIALS=5
bad=0
i=1
while [ $i -le $TRIALS ]; do
	db="$T/db$i"
	"$DSMCERT" -add -server SRV -file "$T/a.pem" -db "$db" >"$T/a.out" 2>&1 &
	pa=$!
	"$DSMCERT" -add -server SRV -file "$T/b.pem" -db "$db" >"$T/b.out" 2>&1 &
	pb=$!
	wait $pa; ra=$?
	wait $pb; rb=$?
	n=$(certutil -L -d "sql:$db" 2>/dev/null | grep -c '^SRV ')
	codes=$(printf '%s\n' $ra $rb | sort | tr '\n' ' ')
	if [ "$codes" != "0 5 " ] || [ "$n" != 1 ]; then
		bad=$((bad + 1))
		echo "# trial $i: exits $ra and $rb, $n labelled SRV"
		sed 's/^/#   a: /' "$T/a.out"
		sed 's/^/#   b: /' "$T/b.out"
	fi
	i=$((i + 1))
done
assert "in every trial one won and the other was a conflict ($bad bad of $TRIALS)" \
    [ "$bad" = 0 ]
