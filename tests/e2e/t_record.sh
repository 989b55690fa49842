# The server record: many to many, case-insensitive, honoured by -list,
# -delete and -replace.
plan 32
DB="$T/db"
mkca root "/CN=Shared Root/O=Test"
mkcert old
mkcert new
certhas() { certutil -L -d "sql:$DB" | grep -q "^$1 "; }

# One CA root for two servers.
dsm -add -server SRV_A -file "$T/root.pem" -db "$DB"
expect 0 "the root for SRV_A"
dsm -add -server SRV_B -file "$T/root.pem" -db "$DB" -json
expect 0 "the same root for SRV_B"
out_has '"label": "SRV_A"' "JSON names the label it has, not a new one"
out_has '"action": "linked"' "and says it was linked to SRV_B"
n=$(certutil -L -d "sql:$DB" | grep -c 'C,,')
assert "one certificate, one label (has $n)" [ "$n" = 1 ]
dsm -list -server SRV_B -db "$DB"
expect 0 "-list -server SRV_B finds it"
out_has "$(fp "$T/root.pem")" "the root's fingerprint"
out_has 'server: +SRV_A, SRV_B' "-list shows both servers"
dsm -delete -server SRV_A -db "$DB"
expect 0 "-delete -server SRV_A"
out_has 'kept "SRV_A".*still relied on by SRV_B' "keeps the root, naming who relies on it"
assert "the root is still in the key database" certhas SRV_A
dsm -list -server SRV_A -db "$DB"
expect 4 "SRV_A has no certificate any more"
dsm -delete -server SRV_B -db "$DB"
expect 0 "-delete -server SRV_B"
assert "now the root is gone" sh -c "! certutil -L -d sql:$DB | grep -q 'C,,'"

# Names compare without case, as the backup client's do.
dsm -add -server SERVER1 -file "$T/old.pem" -db "$DB"
expect 0 "SERVER1's certificate"
dsm -add -server server1 -file "$T/old.pem" -db "$DB"
expect 0 "the same for server1"
out_has 'unchanged' "is no change"
n=$(certutil -L -d "sql:$DB" | grep -c 'P,,')
assert "no second label (has $n)" [ "$n" = 1 ]
dsm -list -server server1 -db "$DB"
expect 0 "-list -server server1 finds SERVER1's"

# -replace -server with a new certificate already present as a root
# imported without -server.
dsm -add -label NEWROOT -file "$T/new.pem" -db "$DB"
expect 0 "the new certificate, without a server"
dsm -add -server SERVER1 -replace -file "$T/new.pem" -db "$DB"
expect 0 "-replace -server SERVER1 with it"
out_lacks 'nothing changed' "does not say nothing changed"
out_has 'now trusted for server SERVER1' "says it linked the present one"
out_has 'removed "SERVER1"' "and removed the old one"
dsm -list -server SERVER1 -json -db "$DB"
expect 0 "-list -server SERVER1"
assert "shows exactly the new certificate" \
    [ "$(jq -r '.[].sha256' "$T/out")" = "$(fp "$T/new.pem")" ]
assert "the old one is gone from the database" \
    sh -c "! certutil -L -d sql:$DB | grep -q '^SERVER1 '"
dsm -delete -server SERVER1 -db "$DB"
expect 0 "-delete -server SERVER1"
out_has 'still relied on by an import without -server' \
    "keeps what was imported without -server"
assert "NEWROOT stays" certhas NEWROOT

# A record written by an older dsmcert: one line per certificate.
printf '%s\tOLDSRV\n' "$(fp "$T/new.pem")" >"$DB/dsmcert.servers"
dsm -list -server oldsrv -json -db "$DB"
expect 0 "an older record reads"
assert "and names its certificate" \
    [ "$(jq -r '.[].label' "$T/out")" = NEWROOT ]
