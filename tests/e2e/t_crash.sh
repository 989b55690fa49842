# Crash safety: -configure and -setopt killed with SIGKILL at random
# moments. Afterwards every option file is the old version or the new one
# byte for byte, parses, and the key database opens. 60 trials spread
# over the 90 ms a run takes hit every part of it; the sanitizer pass
# runs fewer.
plan 6
TRIALS=60
[ -n "${SANITIZE:-}" ] && TRIALS=40
DB="$T/db"
mkcert ldap
# two_nodes (lib.sh), a's dsm.sys with a legacy stanza too.
node_files a dsm.opt=ldap_a <<'SYS'
* data mover one
SErvername ldap_a
   TCPServeraddress ldap.example.com
   NODename dm1
SErvername legacy
   TCPServeraddress old.example.com
SYS
node_files b dsm.opt=ldap_b <<'SYS'
SErvername ldap_b
   TCPServeraddress ldap.example.com
   TCPPort 1500
SYS
inventory <<INV
[na]
type = node
role = datamover
optfile = a/dsm.opt
servers = ldap_a, legacy
[nb]
type = node
role = vmcli
optfile = b/dsm.opt
[LDAP]
type = server
address = ldap.example.com:1500
version = 8.1.14
autocert = no
certfile = ldap.pem
[OLD]
type = server
address = old.example.com
version = 7.1.6
encrypt = yes
tlsport = 1543
certfile = ldap.pem
INV
export DSMCERT_CONF="$T/inv.conf"
for f in a b; do cp "$T/$f/dsm.sys" "$T/$f.old"; done

# The new versions, from one undisturbed run.
dsm -configure
expect 0 "an undisturbed -configure"
for f in a b; do cp "$T/$f/dsm.sys" "$T/$f.new"; done
differ() { ! cmp -s "$1" "$2"; }
assert "the run changed a/dsm.sys" differ "$T/a.old" "$T/a.new"
assert "the run changed b/dsm.sys" differ "$T/b.old" "$T/b.new"

reset_machine() {
	for f in a b; do
		cp "$T/$f.old" "$T/$f/dsm.sys"
		rm -f "$T/$f"/dsm.sys.bak "$T"/$f/.dsm.sys.dsmcert.*
	done
	rm -rf "$DB"
}

bad=0
killed=0
i=0
while [ $i -lt $TRIALS ]; do
	reset_machine
	"$DSMCERT" -configure -q >/dev/null 2>&1 &
	pid=$!
	# 0 to 80 ms: before, during and after the imports and the edits.
	sleep "0.0$(shuf -i 0-8 -n 1)$(shuf -i 0-9 -n 1)"
	kill -9 $pid 2>/dev/null && killed=$((killed + 1))
	wait $pid 2>/dev/null
	for f in a b; do
		if ! cmp -s "$T/$f/dsm.sys" "$T/$f.old" &&
		    ! cmp -s "$T/$f/dsm.sys" "$T/$f.new"; then
			bad=$((bad + 1))
			echo "# trial $i: $f/dsm.sys is neither old nor new"
		fi
		"$DSMCERT" -query -optfile "$T/$f/dsm.opt" >/dev/null 2>"$T/q.err" ||
		    { bad=$((bad + 1)); echo "# trial $i: $f does not parse"; sed "s/^/#   /" "$T/q.err"; }
	done
	# A database killed before its first write is absent; one that
	# exists must list (rolling back a killed writer's journal) and
	# then satisfy certutil too.
	if [ -f "$DB/cert9.db" ]; then
		"$DSMCERT" -list -db "$DB" >/dev/null 2>&1 &&
		    certutil -L -d "sql:$DB" >/dev/null 2>&1 || {
			bad=$((bad + 1))
			echo "# trial $i: the key database does not open"
		}
	fi
	# A later run finishes the job: the machine is then compliant.
	# (Not always byte for byte the undisturbed result: once a killed
	# run has imported the certificate, SSLACCEPTCERTFROMSERV no longer
	# applies, see dsmcert(1), and is rightly left alone.)
	if [ $((i % 6)) -eq 0 ]; then
		"$DSMCERT" -configure -q >/dev/null 2>"$T/rerun.err"
		"$DSMCERT" -policy -q >/dev/null 2>>"$T/rerun.err" || {
			bad=$((bad + 1))
			echo "# trial $i: a rerun did not make the machine compliant"
			sed 's/^/#   /' "$T/rerun.err"
		}
	fi
	i=$((i + 1))
done
assert "$TRIALS kills ($killed while running): every file old or new, parsing, database opening ($bad bad)" \
    [ "$bad" = 0 ]
assert "some kills landed while -configure was running ($killed)" [ "$killed" -gt 0 ]
