# Listing reads NSS's objects through PKCS#11 on a session of its own;
# with 300 certificates of varied trust, what -list shows must be what
# certutil shows, trust included.
plan 11
DB="$T/keydb"
# The 300, and 10 more for certutil -A below (late-1.pem to late-10.pem),
# in one eccerts.
eccerts many 300 0 late 10 1000 | awk -v d="$T" '/BEGIN/ { n++ }
    { print >(n <= 300 ? d "/many.pem" : d "/late-" n - 300 ".pem") }'
dsm -add -file "$T/many.pem" -db "$DB"
expect 0 "300 certificates imported"
# Trusts other than the import's C,, on each side of the spans.
for nt in "many-7 P,," "many-150 ,C," "many-257 CT,C,C" "many-300 c,,"; do
	certutil -M -d "sql:$DB" -n "${nt% *}" -t "${nt#* }" ||
	    nok "certutil -M ${nt}"
done

# certutil -L: a header of four lines, then "NICKNAME   TRUST  ".
certutil -L -d "sql:$DB" | tail -n +5 | awk '{ print $1, $2 }' |
    sort >"$T/want"
dsm -list -json -db "$DB"
expect 0 "-list of 300"
jq -r '.[] | "\(.label) \(.trust)"' "$T/out" | sort >"$T/got"
n=$(wc -l <"$T/got")
assert "-list shows 300 (has $n)" [ "$n" = 300 ]
same "$T/want" "$T/got" "-list shows each certificate with certutil's trust"
assert "many-257 is CT,C,C past the first span" grep -qx "many-257 CT,C,C" "$T/got"
dsm -list -db "$DB"
expect 0 "text -list of 300"
n=$(grep -c '^  trust:' "$T/out")
assert "text -list shows 300 trusts (has $n)" [ "$n" = 300 ]

# Readers never keep the file's lock past a read:
# a writer that does not take dsmcert's lock (certutil) runs alongside
# a loop of listings and neither fails; afterwards the database takes a
# write at once.
# certutil -A takes one certificate a file (late-N.pem, made above).
(
	f=0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		certutil -A -d "sql:$DB" -n "late-$i" -t "P,," \
		    -i "$T/late-$i.pem" || f=$((f + 1))
	done
	echo $f >"$T/writer.failed"
) &
f=0
for i in 1 2 3 4 5 6; do
	"$DSMCERT" -list -db "$DB" >/dev/null 2>>"$T/readers.err" ||
	    f=$((f + 1))
done
wait
assert "no listing failed beside a writer ($f)" [ "$f" = 0 ]
assert "the writer did not fail ($(cat "$T/writer.failed"))" \
    [ "$(cat "$T/writer.failed")" = 0 ]
dsm -list -json -db "$DB"
n=$(jq length "$T/out")
assert "all 310 listed afterwards (has $n)" [ "$n" = 310 ]
mkcert after
dsm -add -server AFTER -file "$T/after.pem" -db "$DB"
expect 0 "a write right after the listings"
