# Output files: a regular file is replaced atomically where a link
# points; a device or a pipe is written to, never replaced by a file.
plan 13
DB="$T/db"
mkcert srv
dsm -add -server SRV -file "$T/srv.pem" -db "$DB"
expect 0 "a certificate to export"

# A character device of our own (the numbers of /dev/null), never the
# real one.
if mknod "$T/null" c 1 3 2>/dev/null; then
	dsm -export -label SRV -file "$T/null" -db "$DB"
	expect 0 "-export to a character device"
	assert "it is still a character device" [ -c "$T/null" ]
	assert "and no file was left beside it" \
	    [ -z "$(ls -A "$T" | grep '\.null\.dsmcert\.')" ]
	dsm -gen csr -c US -sp NC -cl Raleigh -on Example -hn k1.example.com -label K1 \
	    -out "$T/null" -db "$DB"
	expect 0 "-gen csr -out to a character device"
	assert "still a character device after -gen" [ -c "$T/null" ]
else
	nok "mknod needs root in the test environment"
fi

# Standard output as a path (a link to /proc/self/fd/1, as /dev/stdout
# is; the real one is never used here): a pipe, written to.
ln -s /proc/self/fd/1 "$T/stdout"
"$DSMCERT" -export -label SRV -file "$T/stdout" -q -db "$DB" 2>"$T/err" |
    cat >"$T/piped"
assert "the PEM came through the pipe" \
    [ "$(fp "$T/piped")" = "$(fp "$T/srv.pem")" ]
assert "the link is still a link" [ -L "$T/stdout" ]

# A FIFO that nobody reads fails at once instead of hanging.
mkfifo "$T/fifo"
run timeout 10 "$DSMCERT" -export -label SRV -file "$T/fifo" -db "$DB"
assert "a FIFO without a reader fails, does not hang (exit $RC)" \
    [ "$RC" != 0 ] && [ "$RC" != 124 ]
assert "and stays a FIFO" [ -p "$T/fifo" ]

# A link to a regular file: the target is replaced, the link stays.
: >"$T/target.pem"
ln -s target.pem "$T/link.pem"
dsm -export -label SRV -file "$T/link.pem" -db "$DB"
expect 0 "-export through a link"
assert "the link is still a link" [ -L "$T/link.pem" ]
assert "its target holds the certificate" \
    [ "$(fp "$T/target.pem")" = "$(fp "$T/srv.pem")" ]
