# TLS helpers for t_verify.sh and t_fetch.sh: real servers on 127.0.0.1
# (openssl s_server), certificates made here with openssl and certutil.
# Sourced by those tests after lib.sh.

SRV_PID=

stop_server() {
	if [ -n "$SRV_PID" ]; then
		# A stopped server (the silent peer) only dies once continued.
		kill "$SRV_PID" 2>/dev/null
		kill -CONT "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
	fi
	SRV_PID=
}
trap stop_server EXIT
trap 'stop_server; exit 1' INT TERM

# free_port: a port on 127.0.0.1 nobody listens on now, within the
# range TCPPort accepts (1-32767).
free_port() {
	while :; do
		_p=$(shuf -i 20000-32767 -n 1)
		ss -Htln "sport = :$_p" | grep -q . || break
	done
	echo "$_p"
}

# serve CERT KEY [s_server options...]: start s_server on a free port of
# 127.0.0.1 and wait until it listens; sets PORT. -www: it answers
# without reading stdin.
serve() {
	stop_server
	_c=$1 _k=$2
	shift 2
	for _try in 1 2 3 4 5; do
		PORT=$(free_port)
		: >"$T/srv.log"
		openssl s_server -accept "127.0.0.1:$PORT" -cert "$_c" \
		    -key "$_k" -www "$@" >"$T/srv.log" 2>&1 </dev/null &
		SRV_PID=$!
		_i=0
		while [ $_i -lt 100 ]; do
			grep -q '^ACCEPT' "$T/srv.log" && return 0
			kill -0 "$SRV_PID" 2>/dev/null || break
			sleep 0.1
			_i=$((_i + 1))
		done
		stop_server
	done
	echo "# cannot start openssl s_server:" && sed 's/^/#   /' "$T/srv.log"
	return 1
}

# mkleaf NAME CA SAN EKU: a certificate for NAME issued by CA (made with
# mkca), with subjectAltName SAN and extendedKeyUsage EKU.
mkleaf() {
	poolkey "$1" &&
	openssl req -new -key "$T/$1.key" -out "$T/$1.csr" -subj "/O=Test/CN=$1" \
	    2>/dev/null &&
	printf 'basicConstraints=critical,CA:FALSE\nsubjectAltName=%s\nextendedKeyUsage=%s\n' \
	    "$3" "$4" >"$T/$1.ext" &&
	openssl x509 -req -in "$T/$1.csr" -CA "$T/$2.pem" -CAkey "$T/$2.key" \
	    -CAcreateserial -days 30 -extfile "$T/$1.ext" \
	    -out "$T/$1.pem" 2>/dev/null
}

# mkdated_key NAME WARP MONTHS: as mkdated, and its key in $T/NAME.key.
mkdated_key() { mkdatedkey "$1" "CN=$1,O=Test" "$2" "$3"; }
