# Bash completion (contrib/bash-completion/dsmcert), sourced into a real
# bash and driven the way readline drives it: COMP_WORDS and COMP_CWORD
# set, the function called, COMPREPLY read back.
plan 36
COMPLETION="$TOP/contrib/bash-completion/dsmcert"

# comp WORD...: complete the last WORD of "dsmcert WORD..."; COMPREPLY
# one per line in $T/out, sorted.
comp() {
	bash -c '. "$0" || exit 9
	COMP_WORDS=("$DSMCERT" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_dsmcert || exit 8
	for w in "${COMPREPLY[@]}"; do printf "%s\n" "$w"; done' \
	    "$COMPLETION" "$@" 2>"$T/err" | LC_ALL=C sort >"$T/out"
}

# reply DESC EXPECTED...: the completion is exactly EXPECTED (sorted).
reply() {
	d=$1
	shift
	: >"$T/want"
	for w in "$@"; do printf '%s\n' "$w" >>"$T/want"; done
	LC_ALL=C sort -o "$T/want" "$T/want"
	if cmp -s "$T/want" "$T/out"; then ok "$d"; else
		nok "$d"; diff "$T/want" "$T/out" | sed 's/^/#   /'
		sed 's/^/#   err: /' "$T/err"
	fi
}

assert "the completion file is clean bash" bash -n "$COMPLETION"
bash -c '. "$0"; complete -p dsmcert' "$COMPLETION" >"$T/out" 2>&1
out_has "complete -F _dsmcert dsmcert" "it registers _dsmcert for dsmcert"

# Commands: every one of -help's, and nothing else.
"$DSMCERT" -help | awk '/^commands:/ { on = 1; next } /^$/ { on = 0 }
    on { print $1 }' | LC_ALL=C sort >"$T/cmds"
assert "-help lists commands" [ "$(wc -l <"$T/cmds")" -ge 10 ]
comp -
same "$T/cmds" "$T/out" "'-' completes to exactly -help's commands"
comp -a
reply "-a" -add
comp -con
reply "-con: commands come first" -configure
comp --conf
reply "--conf, the long spelling" --configure

# Flags: the command's own, as -COMMAND -help lists them.
comp -add -
reply "-add's flags" -config -db -file -force -help -id -json -label \
    -pinfile -pkcs11 -pwfile -q -replace -server -token -v
comp -ADD -rep
reply "the command is matched without case" -replace
comp -verify -cl
reply "-verify has -clientlabel" -clientlabel
comp -add -cl
reply "-add has no -clientlabel"
comp -check -
reply "-check's flags" -config -days -db -help -json -online -prom -pwfile \
    -q -timeout -v
comp -gen ""
reply "-gen's sub-command" csr
comp -gen csr -eku s
reply "-eku values" serverAuth
comp -configure --dr
reply "--dryrun" --dryrun

# File names where a file is expected, directories for -db.
mkdir -p "$T/files/sub"
: >"$T/files/cert256.arm"
: >"$T/files/cert.pem"
comp -add -file "$T/files/cert"
reply "-file completes file names" "$T/files/cert.pem" "$T/files/cert256.arm"
comp -check -prom "$T/files/cert"
reply "-prom completes file names" "$T/files/cert.pem" "$T/files/cert256.arm"
comp -list -db "$T/files/"
reply "-db completes directories only" "$T/files/sub"
comp -policy -config "$T/files/s"
reply "-config completes file names" "$T/files/sub"

# Labels from the key database, blanks and all.
mkcert one
mkcert two
cat "$T/one.pem" "$T/two.pem" >"$T/bundle.pem"
mkcert three
DB="$T/db"
dsm -add -server SERVER1 -file "$T/bundle.pem" -db "$DB"
expect 0 "a bundle as SERVER1, SERVER1 #2"
dsm -add -server OTHER -file "$T/three.pem" -db "$DB"
expect 0 "another as OTHER"
comp -db "$DB" -delete -label ""
reply "-label completes labels" "OTHER" "SERVER1" "SERVER1 #2"
comp -export -db "$DB" -label "SERVER1 "
reply "a label with a blank" "SERVER1 #2"
# Run as root, the default database is the real /etc/dsmcert/keydb,
# which may exist; NODB stands in for an empty default.
NODB="$T/nodb"
DSMCERT_DB="$NODB" comp -export -label S
reply "labels of the -db given, not the default database"
DSMCERT_DB="$DB" comp -export -label O
reply "labels of \$DSMCERT_DB" OTHER

# The commands on one certificate: -show, -modify, -rename, -passwd,
# -gen csr -renew.
comp -db "$DB" -show -label O
reply "-show -label completes labels" OTHER
comp -db "$DB" -modify -trust ""
reply "-modify -trust completes the trust flags" ",," "C,," "CT,," "P,,"
comp -modify -
reply "-modify's flags" -config -db -dryrun -force -help -json -label -pwfile \
    -q -trust -v
comp -rename -t
reply "-rename has -to" -to
comp -passwd -new
reply "-passwd has -newpwfile" -newpwfile
comp -db "$DB" -gen csr -renew O
reply "-gen csr -renew completes labels" OTHER
comp -sh
reply "-show is a command" -show

# Server names: the stanzas of dsm.sys, however abbreviated; the
# inventory's servers; the key database's servers.
mkdir -p "$T/opt"
cat >"$T/opt/dsm.sys" <<'SYS'
* a comment: SErvername nope
DEFAULTServer alpha
SErvername alpha
   TCPServeraddress a.example.com
se beta
   TCPServeraddress b.example.com
SERVERNAME "gamma"
REPLSERVERName delta
   TCPPort 1500
SERVERX notone
SYS
printf 'SErvername alpha\n' >"$T/opt/dsm.opt"
DSMCERT_DB="$NODB" comp -query -optfile "$T/opt/dsm.opt" -server ""
reply "-server completes stanzas" alpha beta delta gamma
DSMCERT_DB="$NODB" comp -query -optfile "$T/opt/dsm.opt" -server g
reply "a quoted stanza name" gamma
printf '[dsmcert]\nkeydb = %s\n[n]\ntype = node\nrole = client\noptfile = %s\n[INV1]\ntype = server\naddress = a.example.com\nversion = 8.1.14\n' \
    "$DB" "$T/opt/dsm.opt" >"$T/inv.conf"
comp -verify -config "$T/inv.conf" -optfile "$T/opt/dsm.opt" -server ""
reply "and the inventory's and key database's servers" OTHER SERVER1 \
    INV1 alpha beta delta gamma
