# Three servers, three certificates with one subject: each on its own.
plan 39
DB="$T/keydb"
for i in 1 2 3; do
	mkcert "srv$i"
	dsm -add -server "SERVER$i" -file "$T/srv$i.pem" -db "$DB"
	expect 0 "SERVER$i added"
done
n=$(certutil -L -d "sql:$DB" | grep -c '^SERVER')
assert "three labels (has $n)" [ "$n" = 3 ]

for i in 1 2 3; do
	dsm -export -label "SERVER$i" -file "$T/e$i.pem" -db "$DB"
	expect 0 "export SERVER$i"
	assert "SERVER$i exports exactly its own certificate" \
	    [ "$(fp "$T/e$i.pem")" = "$(fp "$T/srv$i.pem")" ]
	n=$(grep -c BEGIN "$T/e$i.pem")
	assert "one certificate in the export of SERVER$i" [ "$n" = 1 ]
done

dsm -list -json -db "$DB"
for i in 1 2 3; do
	out_has "$(fp "$T/srv$i.pem")" "-list shows SERVER$i's fingerprint"
done
out_has '"trust": "P,,"' "self-signed non-CA server certificates are P,,"
for k in label server subject issuer not_before not_after days_left sha256 \
    trust; do
	out_has "\"$k\":" "-list -json has key $k"
done
n=$(grep -c '"[a-z_0-9]*":' "$T/out")
assert "exactly 9 keys per entry (has $n for 3)" [ "$n" = 27 ]

mkcert srv2b
dsm -add -server SERVER2 -file "$T/srv2b.pem" -replace -db "$DB"
expect 0 "replace SERVER2 alone"
dsm -export -label SERVER1 -file "$T/x1.pem" -db "$DB"
dsm -export -label SERVER3 -file "$T/x3.pem" -db "$DB"
assert "SERVER1 untouched by the replace" [ "$(fp "$T/x1.pem")" = "$(fp "$T/srv1.pem")" ]
assert "SERVER3 untouched by the replace" [ "$(fp "$T/x3.pem")" = "$(fp "$T/srv3.pem")" ]

dsm -delete -label SERVER2 -db "$DB"
expect 0 "delete SERVER2"
n=$(certutil -L -d "sql:$DB" | grep -c '^SERVER')
assert "two left (has $n)" [ "$n" = 2 ]
dsm -export -label SERVER1 -file "$T/y1.pem" -db "$DB"
assert "SERVER1 survives the delete" [ "$(fp "$T/y1.pem")" = "$(fp "$T/srv1.pem")" ]
dsm -delete -label SERVER2 -db "$DB"
expect 4 "deleting it again is not found"
dsm -delete -server SERVER3 -db "$DB"
expect 0 "delete by server"
dsm -list -server SERVER3 -db "$DB"
expect 4 "SERVER3 is gone"
dsm -list -server SERVER1 -db "$DB"
expect 0 "SERVER1 is still there"
dsm -export -label NOPE -file "$T/n.pem" -db "$DB"
expect 4 "export of an unknown label is not found"
assert "and writes no file" [ ! -e "$T/n.pem" ]
