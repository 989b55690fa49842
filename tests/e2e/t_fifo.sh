# FIFOs where files belong never hang dsmcert, and no lock is held while
# an input is still being read.
plan 13
DB="$T/db"
mkcert one
mkcert two
mkcert three
dsm -add -server ONE -file "$T/one.pem" -db "$DB"
expect 0 "a database"

mkfifo "$T/fifo"
run timeout 20 "$DSMCERT" -add -server F -file "$T/fifo" -db "$DB"
expect 2 "-add -file FIFO is refused at once"
err_has 'fifo: cannot read: not a regular file' "saying why"

printf 'secret\n' >"$T/pw"
chmod 600 "$T/pw"
rm -f "$T/fifo" && mkfifo -m 600 "$T/fifo"
run timeout 20 "$DSMCERT" -add -server F -file "$T/two.pem" -pwfile "$T/fifo" \
    -db "$DB"
expect 3 "-pwfile FIFO is refused at once"
err_has 'not a regular file' "saying why"

# A pipe that takes its time: the database is not locked meanwhile. The
# reader is known to be waiting once the kernel shows it in pipe_read;
# its input comes only after the other writer is done.
mkfifo "$T/slowpipe"
"$DSMCERT" -add -server TWO -file - -db "$DB" <"$T/slowpipe" \
    >"$T/slow.out" 2>&1 &
slow=$!
exec 3>"$T/slowpipe"
i=0
while [ $i -lt 200 ] && kill -0 $slow 2>/dev/null &&
    ! grep -q pipe_read "/proc/$slow/wchan" 2>/dev/null; do
	sleep 0.05
	i=$((i + 1))
done
dsm -add -server THREE -file "$T/three.pem" -db "$DB"
expect 0 "another writer goes ahead while -file - waits for its pipe"
assert "and the slow one is still reading" kill -0 $slow
cat "$T/two.pem" >&3
exec 3>&-
wait $slow
assert "the slow one finishes too ($(cat "$T/slow.out"))" \
    sh -c "certutil -L -d sql:$DB | grep -q '^TWO '"

# Lock files replaced by FIFOs.
rm -f "$DB/dsmcert.lock" && mkfifo "$DB/dsmcert.lock"
run timeout 20 "$DSMCERT" -delete -server THREE -db "$DB"
expect 3 "a FIFO as the database's lock file is an error, not a hang"
err_has 'lock file is not a regular file' "naming it"
rm -f "$DB/dsmcert.lock"

mkdir -m 755 "$T/node"
printf 'SErvername S1\n   TCPServeraddress s1.example.com\n' >"$T/node/dsm.sys"
printf 'SErvername S1\n' >"$T/node/dsm.opt"
chmod 644 "$T/node/dsm.sys" "$T/node/dsm.opt"
cp "$T/node/dsm.sys" "$T/dsm.sys.before"
mkfifo "$T/node/dsm.sys.lock"
run timeout 20 "$DSMCERT" -setopt -optfile "$T/node/dsm.opt" SSL YES
assert "a FIFO as dsm.sys.lock fails -setopt at once (exit $RC)" \
    [ "$RC" != 0 ] && [ "$RC" != 124 ]
err_has 'lock file .*not a regular file' "naming it"
same "$T/dsm.sys.before" "$T/node/dsm.sys" "dsm.sys is untouched"
