# -json keys, as dsmcert(1) JSON OUTPUT lists them: scripts, the hook and
# the Ansible role rely on them, so a renamed or dropped key fails here.
# -q and -v.

# keys INDENT: the keys at that indentation of the last output, sorted,
# once each, on one line.
keys() {
	sed -n "s/^ \\{$1\\}\"\\([^\"]*\\)\": .*/\\1/p" "$T/out" | LC_ALL=C sort -u |
	    tr '\n' ' ' | sed 's/ $//'
}
# has_keys DESC INDENT KEY...: exactly those keys at that indentation.
has_keys() {
	d=$1
	n=$2
	shift 2
	want=$(printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
	got=$(keys "$n")
	if [ "$got" = "$want" ]; then ok "$d"; else
		nok "$d"; echo "#   want: $want"; echo "#   got:  $got"; fi
}

DB="$T/db"
mkcert s1
dsm -add -server S1 -file "$T/s1.pem" -db "$DB" -json
expect 0 "-add -json"
has_keys "-add keys" 4 label sha256 subject action
out_has '"action": "imported"' "-add says imported"
dsm -list -db "$DB" -json
expect 0 "-list -json"
has_keys "-list keys" 4 label server subject issuer not_before not_after \
    sha256 trust

dsm -where -db "$DB" -json
expect 0 "-where -json"
has_keys "-where keys" 2 keydb config dsm_opt dsm_sys
has_keys "-where's objects' keys" 4 path why exists

mkdir -p "$T/n"
chmod 755 "$T/n"
printf 'SErvername s1\n   TCPServeraddress s1.example.com\n' >"$T/n/dsm.sys"
printf 'SErvername s1\n' >"$T/n/dsm.opt"
chmod 644 "$T/n/dsm.sys" "$T/n/dsm.opt"
dsm -query -optfile "$T/n/dsm.opt" -json SSL TCPServeraddress
expect 0 "-query -json"
has_keys "-query keys" 2 dsm.opt dsm.sys stanza stanza_from options
has_keys "-query option keys" 6 name value default file line

cat >"$T/inv.conf" <<INV
[dsmcert]
keydb = $T/db2
[n1]
type = node
role = client
optfile = n/dsm.opt
[S1]
type = server
address = s1.example.com
version = 8.1.14
autocert = no
certfile = s1.pem
INV
dsm -policy -config "$T/inv.conf" -json
expect 6 "-policy -json: action needed"
has_keys "-policy keys" 4 node role server version class case encrypt file \
    stanza compliant in_place missing actions note
out_has '"compliant": false' "not compliant"
dsm -configure -config "$T/inv.conf" -json -dryrun
expect 0 "-configure -dryrun -json"
has_keys "-configure keys" 2 dryrun steps
has_keys "-configure step keys" 6 action state nodes
out_has '"state": "would"' "steps that would be done"
dsm -configure -config "$T/inv.conf" -json
expect 0 "-configure -json"
out_has '"state": "done"' "steps done"
out_lacks '"state": "(would|failed|not done)"' "and no other"
dsm -configure -config "$T/inv.conf" -json
expect 0 "-configure -json again"
out_lacks '"state"' "no steps"
out_has '"steps": \[\]' "an empty list"
dsm -policy -config "$T/inv.conf" -json
expect 0 "-policy -json: compliant"
out_lacks '"compliant": false' "every pair compliant"

# -q: no informational lines; -v: what is used, on standard error.
dsm -add -server S1 -file "$T/s1.pem" -db "$DB" -q
expect 0 "-add again, -q"
assert "-q: nothing on stdout" [ ! -s "$T/out" ]
dsm -add -server S1 -file "$T/s1.pem" -db "$DB"
out_has "nothing changed" "without -q it says so"
dsm -list -db "$DB" -v
expect 0 "-list -v"
err_has "^dsmcert: key database $DB" "-v names the key database on stderr"
out_lacks "^dsmcert:" "and keeps stdout for results"
