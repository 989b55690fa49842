# One rule for server names and labels, checked where the command line is
# read, for every command: an empty -server (a script with SRV unset)
# selects nothing, least of all every certificate imported without one.
plan 10
DB="$T/db"
mkca ca1 "/CN=Root One/O=Test"
mkcert srv
dsm -add -file "$T/ca1.pem" -label ROOT1 -db "$DB"
expect 0 "a CA imported without -server"
dsm -add -server SRV -file "$T/srv.pem" -db "$DB"
expect 0 "a server certificate"
certutil -L -d "sql:$DB" >"$T/before"

dsm -delete -server "" -db "$DB"
expect 1 "-delete -server \"\" is refused"
err_has 'server name must be 1 to 200 characters' "naming the rule"
certutil -L -d "sql:$DB" >"$T/after"
same "$T/before" "$T/after" "nothing was deleted"

dsm -delete -label "" -db "$DB"
expect 1 "-delete -label \"\" is refused"
dsm -list -server "$(printf 'S\033[2J')" -db "$DB"
expect 1 "-list with a control character in -server is refused"
dsm -delete -server "A:B" -db "$DB"
expect 1 "-delete -server with ':' is refused"
certutil -L -d "sql:$DB" >"$T/after"
same "$T/before" "$T/after" "still nothing deleted"
dsm -delete -server SRV -db "$DB"
expect 0 "a plain name still works"
