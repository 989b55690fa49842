# Labels and names come from outside (certutil, certificate files):
# messages and text output show their control characters escaped,
# never raw to the terminal.
plan 9
DB="$T/db"
mkcert srv
mkdir -m 700 "$DB"
certutil -N -d "sql:$DB" --empty-password
ESC=$(printf '\033')
certutil -A -d "sql:$DB" -n "evil${ESC}[2Jlabel" -t P,, -i "$T/srv.pem"
dsm -list -db "$DB"
expect 0 "-list of a label with an escape character"
out_has 'evil\\x1b\[2Jlabel' "the label is shown escaped"
assert "no raw escape character on stdout" sh -c "! grep -q '$ESC' '$T/out'"
dsm -delete -label "evil${ESC}[2Jlabel" -db "$DB"
expect 0 "-delete of it"
out_has 'deleted "evil\\x1b\[2Jlabel"' "the message names it escaped"
assert "no raw escape character in the message" sh -c "! grep -q '$ESC' '$T/out'"
dsm -add -file "$T/nosuch${ESC}]0;title" -db "$DB"
expect 2 "a missing file whose name holds an escape"
err_has 'nosuch\\x1b\]0;title' "its name is escaped in the error"
assert "no raw escape character on stderr" sh -c "! grep -q '$ESC' '$T/err'"
