# -timeout is a deadline for the whole connection, not for each read: a
# server that answers one byte every half second does not keep -verify,
# -check -online or -fetch waiting past it; and -fetch -pin holds no
# lock while it waits on the network.
plan 6
. "$TOP/tests/e2e/tls.sh"
DB="$T/db"
mkcert live -addext "subjectAltName=IP:127.0.0.1"
dsm -add -server LIVE -file "$T/live.pem" -db "$DB"
expect 0 "LIVE's certificate"
serve "$T/live.pem" "$T/live.key" || { nok "no s_server"; exit 0; }

# A relay to it that passes what the server says on one byte at a time,
# half a second apart; what the client says goes straight through.
cat >"$T/relay.py" <<'PY'
import socket, sys, threading, time
listen, backend = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", listen))
s.listen(8)
print("ready", flush=True)
def up(c, b):
	try:
		while True:
			d = c.recv(4096)
			if not d:
				break
			b.sendall(d)
	except OSError:
		pass
def down(c, b):
	try:
		while True:
			d = b.recv(4096)
			if not d:
				break
			for i in range(len(d)):
				time.sleep(0.5)
				c.sendall(d[i:i + 1])
	except OSError:
		pass
	c.close()
while True:
	c, _ = s.accept()
	b = socket.create_connection(("127.0.0.1", backend))
	threading.Thread(target=up, args=(c, b), daemon=True).start()
	threading.Thread(target=down, args=(c, b), daemon=True).start()
PY
RPORT=$(free_port)
python3 "$T/relay.py" "$RPORT" "$PORT" >"$T/relay.log" 2>&1 &
RELAY=$!
i=0
while ! grep -q ready "$T/relay.log" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

run timeout 25 "$DSMCERT" -verify -server LIVE -host 127.0.0.1 -port "$RPORT" \
    -timeout 2 -db "$DB"
assert "-verify -timeout 2 against the slow server ends, long before 25 s (exit $RC)" \
    [ "$RC" != 124 ] && [ "$RC" != 0 ]
err_has 'time-out|no answer within 2 s' "saying it timed out"

mkdir "$T/on"
printf 'SErvername LIVE\n   TCPServeraddress 127.0.0.1\n   TCPPort %s\n' \
    "$RPORT" >"$T/on/dsm.sys"
printf 'SErvername LIVE\n' >"$T/on/dsm.opt"
cat >"$T/on.conf" <<INV
[dsmcert]
keydb = $DB
[n1]
type = node
role = client
optfile = on/dsm.opt
servers = LIVE
[LIVE]
type = server
address = 127.0.0.1:$RPORT
version = 8.1.14
autocert = no
INV
run timeout 25 "$DSMCERT" -check -online -timeout 2 -config "$T/on.conf"
assert "-check -online -timeout 2 ends too (exit $RC)" \
    [ "$RC" != 124 ] && [ "$RC" != 0 ]

# -fetch -pin with a long time-out: meanwhile another writer gets the
# lock at once.
mkcert other
"$DSMCERT" -fetch -server LIVE2 -host 127.0.0.1 -port "$RPORT" -timeout 30 \
    -pin "$(fp "$T/live.pem")" -db "$DB" >"$T/fetch.out" 2>&1 &
FETCH=$!
sleep 2
run timeout 20 "$DSMCERT" -add -server OTHER -file "$T/other.pem" -db "$DB"
assert "-add is not held up by -fetch waiting on the network (exit $RC)" \
    [ "$RC" = 0 ]
kill "$FETCH" 2>/dev/null
wait "$FETCH" 2>/dev/null
kill "$RELAY" 2>/dev/null
wait "$RELAY" 2>/dev/null
