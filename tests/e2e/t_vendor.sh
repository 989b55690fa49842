# The vendor's GSKit files (dsmcert.kdb, .sth, .idx, .rdb, .crl) may sit
# in the key database directory: they are never read, written or taken
# for ours, and -where names them.
plan 43

# A GSKit set as the vendor's client leaves it in its directory. GSKit's
# files are opaque binary to us; the stash holds the password XORed with
# 0xF5 ("passw0rd" here), padded with 0xF5.
vendor_set() {
	mkdir -p -m 700 "$1"
	head -c 5080 /dev/urandom >"$1/dsmcert.kdb"
	{ printf '\205\224\206\206\202\305\207\221'
	  head -c 121 /dev/zero | tr '\000' '\365'; } >"$1/dsmcert.sth"
	head -c 5080 /dev/urandom >"$1/dsmcert.rdb"
	head -c 80 /dev/urandom >"$1/dsmcert.idx"
	head -c 80 /dev/urandom >"$1/dsmcert.crl"
	chmod 600 "$1"/dsmcert.*
}
VENDOR="dsmcert.kdb dsmcert.sth dsmcert.idx dsmcert.rdb dsmcert.crl"

vendor_set "$T/ba"
mkdir "$T/orig"
for f in $VENDOR; do cp -p "$T/ba/$f" "$T/orig/$f"; done

# The key database goes to $DSM_DIR, beside the vendor's files.
export DSM_DIR="$T/ba"
mkcert s1
dsm -add -server S1 -file "$T/s1.pem"
expect 0 "-add with the vendor's files in \$DSM_DIR"
assert "the key database is made in \$DSM_DIR" test -f "$T/ba/cert9.db"
: >"$T/nopw"
run certutil -K -d "sql:$T/ba" -f "$T/nopw"
out_has "no keys found" "it has no password: the vendor's stash was not used"

# The vendor's stash changes (a new GSKit password): ours does not care.
{ printf '\206\220\226\207\220\201\306'
  head -c 122 /dev/zero | tr '\000' '\365'; } >"$T/ba/dsmcert.sth"
cp -p "$T/ba/dsmcert.sth" "$T/orig/dsmcert.sth"
mkcert s2
dsm -add -server S2 -file "$T/s2.pem"
expect 0 "-add after the vendor's stash changed"
run certutil -L -d "sql:$T/ba"
out_has "^S2 " "the second certificate is in"
dsm -list
expect 0 "-list with the vendor's files beside"
out_has "S1" "lists the first"
for f in $VENDOR; do
	same "$T/orig/$f" "$T/ba/$f" "$f is untouched"
done
for f in $VENDOR; do
	assert "$f was not written to" [ ! "$T/ba/$f" -nt "$T/orig/dsmcert.sth" ]
done

# -where names them, in text and JSON.
dsm -where
expect 0 "-where with vendor files"
for f in $VENDOR; do
	out_has "^vendor: +$T/ba/$f " "-where names $f"
done
out_has "^vendor: +$T/ba/dsmcert.kdb \\(GSKit key database" "says what it is"
dsm -where -json
expect 0 "-where -json with vendor files"
cp "$T/out" "$T/where.json"
# One jq for both: the vendor files' paths, and the other keys' paths,
# each a line with its own prefix.
run jq -r '(.vendor_files[] | "vendor " + .path),
    ("kept " + (.keydb.path, .config.path, .dsm_opt.path))' "$T/where.json"
for f in $VENDOR; do
	out_has "^vendor $T/ba/$f\$" "-where -json names $f"
done
out_has "^kept $T/ba\$" "the keys -where had are kept"

# Also in $PASSWORDDIR and $DSM_DIR when the key database is elsewhere;
# each file once.
vendor_set "$T/pwdir"
export PASSWORDDIR="$T/pwdir"
dsm -where -db "$T/own" -json
cp "$T/out" "$T/where.json"
run jq -r '.vendor_files[].path' "$T/where.json"
out_has "^$T/pwdir/dsmcert.kdb\$" "a vendor file in \$PASSWORDDIR"
out_has "^$T/ba/dsmcert.kdb\$" "a vendor file in \$DSM_DIR"
n=$(grep -c "^$T/ba/dsmcert.kdb\$" "$T/out")
assert "named once ($n)" [ "$n" = 1 ]
unset PASSWORDDIR DSM_DIR
dsm -where -db "$T/own" -json
cp "$T/out" "$T/where.json"
run jq '.vendor_files == []' "$T/where.json"
out_has "^true\$" "none seen, an empty list"
dsm -where -db "$T/own"
out_lacks "^vendor:" "none seen, no vendor line"

# And beside the option files, wherever they are.
vendor_set "$T/client"
printf 'SErvername S1\n' >"$T/client/dsm.opt"
DSM_CONFIG="$T/client/dsm.opt" dsm -where -db "$T/own"
expect 0 "-where with the option files elsewhere"
out_has "^vendor: +$T/client/dsmcert.sth \\(GSKit stash file" \
    "a vendor file beside dsm.opt"

# A stash file an earlier dsmcert made as dsmcert.sth is not read either;
# the message says to rename it.
printf 's3cret\n' >"$T/pw"
chmod 600 "$T/pw"
mkdir -m 700 "$T/old"
certutil -N -d "sql:$T/old" -f "$T/pw"
cp "$T/pw" "$T/old/dsmcert.sth"
dsm -add -server S1 -file "$T/s1.pem" -db "$T/old"
expect 3 "a stash under the old name is not read"
err_has "dsmcert\\.sth" "the message names the old stash"
err_has "dsmcert-keydb\\.pw" "and the name to give it"
mv "$T/old/dsmcert.sth" "$T/old/dsmcert-keydb.pw"
dsm -add -server S1 -file "$T/s1.pem" -db "$T/old"
expect 0 "renamed, it gives the password"
run certutil -L -d "sql:$T/old"
out_has "^S1 " "the certificate is in"
