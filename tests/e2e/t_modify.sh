# -modify -trust in place (under the lock, -dryrun, -force when a node
# would lose its server) and -rename (the server record follows; an
# existing label is a conflict).
plan 32
DB="$T/db"
mkcert one
mkca root "/CN=Test Root"
mkdir -p "$T/ba"
cat >"$T/ba/dsm.sys" <<'SYS'
SErvername S1
   TCPServeraddress one.example.com
SYS
printf 'SErvername S1\n' >"$T/ba/dsm.opt"
cat >"$T/inv.conf" <<INV
[dsmcert]
keydb = $DB

[dm1]
type = node
role = datamover
optfile = ba/dsm.opt

[SERVER1]
type = server
address = one.example.com
version = 8.1.14
autocert = no
INV

dsm -add -server SERVER1 -file "$T/one.pem" -db "$DB"
expect 0 "the server's certificate is added"
dsm -add -file "$T/root.pem" -label root -db "$DB"
expect 0 "a CA root is added"
trust_of() { certutil -L -d "sql:$DB" | awk -v n="$1" '$1 == n { print $2 }'; }

dsm -modify -label root -trust CT,, -db "$DB" -dryrun
expect 0 "-modify -dryrun"
out_has 'would change the trust of "root".* from C,, to CT,,' "-dryrun says what it would do"
assert "-dryrun changes nothing" [ "$(trust_of root)" = "C,," ]

dsm -modify -label root -trust CT,, -db "$DB"
expect 0 "-modify -trust CT,,"
assert "certutil sees CT,," [ "$(trust_of root)" = "CT,," ]
dsm -modify -label root -trust ,, -db "$DB"
expect 0 "a root recorded for no server loses its trust without -force"
assert "certutil sees ,," [ "$(trust_of root)" = ",," ]

certlist "$DB" >"$T/before"
dsm -modify -label SERVER1 -trust ,, -db "$DB" -config "$T/inv.conf"
expect 5 "taking away a server's trust needs -force"
err_has 'node dm1 would no longer trust server SERVER1' "the message names the node and the server"
db_unchanged "refused -modify"
dsm -modify -label SERVER1 -trust ,, -db "$DB" -config "$T/nosuch.conf"
expect 5 "without an inventory, the servers it is recorded for stop it"
err_has 'recorded for server SERVER1' "and are named"
dsm -modify -label SERVER1 -trust ,, -db "$DB" -config "$T/inv.conf" -force
expect 0 "with -force it is done"
assert "certutil sees ,," [ "$(trust_of SERVER1)" = ",," ]
dsm -modify -label SERVER1 -trust P,, -db "$DB" -json
expect 0 "giving trust back needs no -force"
assert "-modify -json names old and new trust" python3 -c "
import json; a=json.load(open('$T/out'))
assert a[0]['old_trust'] == ',,' and a[0]['trust'] == 'P,,', a"

dsm -modify -label SERVER1 -trust Pu,, -db "$DB"
expect 1 "an unknown trust string is a usage error"
dsm -modify -label nosuch -trust P,, -db "$DB"
expect 4 "-modify of a label not there is not found"

# -rename: the label and the server record follow.
dsm -rename -label SERVER1 -to root -db "$DB"
expect 5 "renaming to a label already there is a conflict"
dsm -rename -label SERVER1 -to srv-one -db "$DB"
expect 0 "-rename"
assert "certutil sees the new label" [ "$(trust_of srv-one)" = "P,," ]
assert "and not the old one" [ -z "$(trust_of SERVER1)" ]
dsm -list -server SERVER1 -db "$DB"
expect 0 "the server record follows the certificate"
out_has '^srv-one$' "-list -server shows it under its new label"
dsm -rename -label nosuch -to x -db "$DB"
expect 4 "-rename of a label not there is not found"
dsm -rename -label srv-one -to "a:b" -db "$DB"
expect 1 "a label with ':' is refused"

# An identity: its key is renamed with it.
dsm -ca create -label myca -subject "CN=My CA" -db "$DB"
dsm -rename -label myca -to ca2 -db "$DB"
expect 0 "an internal CA is renamed"
assert "its key has the new label" sh -c \
    "certutil -K -d sql:$DB 2>/dev/null | grep -q ' ca2\$'"
dsm -sign -file /dev/null -ca myca -out "$T/x.pem" -db "$DB"
assert "the old label is gone" [ "$RC" -ne 0 ]
