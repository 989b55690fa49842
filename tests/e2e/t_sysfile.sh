# dsm.sys found as the client finds it for the node's kind (issue 25):
# API applications (data mover, VMCLI) in $DSMI_DIR, then the API's
# installation directory; the backup-archive client in $DSM_DIR, then its
# installation directory; else beside dsm.opt; or where the inventory's
# sysfile says. one.sh points the installation directories into $T.
plan 25
API_DIR=$DSMCERT_TEST_API_DIR
BA_DIR=$DSMCERT_TEST_CLIENT_DIR
mkdir -p "$T/tdpvmware/common/scripts" "$T/apienv" "$T/ba"
# The VMCLI node's dsm.opt names a stanza of the client's dsm.sys, which
# is not beside it.
printf 'SErvername VMCLI_SRV8118\n' >"$T/tdpvmware/common/scripts/dsm.opt"
cat >"$T/apienv/dsm.sys" <<'SYS'
SErvername VMCLI_SRV8118
   TCPServeraddress srv8118.example.com
   TCPPort 1500
SYS
printf 'SErvername BA_SRV\n' >"$T/ba/dsm.opt"
cat >"$T/inv.conf" <<INV
[dsmcert]
keydb = $T/db

[vmcli]
type = node
role = vmcli
optfile = tdpvmware/common/scripts/dsm.opt

[SRV8118]
type = server
address = srv8118.example.com
version = 8.1.18
INV

dsm -policy -config "$T/inv.conf"
expect 2 "no dsm.sys anywhere: the stanza is not found"
err_has 'SErvername VMCLI_SRV8118: no dsm.sys holds the stanza' \
    "names the stanza"
err_has "looked in $API_DIR/dsm.sys \\(the API's installation directory, absent\\), $T/tdpvmware/common/scripts/dsm.sys \\(beside dsm.opt, absent\\)" \
    "and every file looked in"
err_lacks_re() {
	if grep -Eq -- "$1" "$T/err"; then nok "$2"; sed 's/^/#   err: /' "$T/err"
	else ok "$2"; fi
}
err_lacks_re 'localhost|1500' "nothing about localhost or port 1500"

DSMI_DIR="$T/apienv" dsm -policy -config "$T/inv.conf"
expect 0 "with DSMI_DIR the stanza is found"
out_has "^vmcli \\(vmcli\\) -> SRV8118, stanza VMCLI_SRV8118 of $T/apienv/dsm.sys \\(\\\$DSMI_DIR\\)" \
    "-policy names the dsm.sys and why"
DSMI_DIR="$T/apienv" dsm -where -config "$T/inv.conf"
expect 0 "-where"
out_has "^node: +vmcli \\(vmcli\\): dsm.sys $T/apienv/dsm.sys \\(\\\$DSMI_DIR\\)" \
    "-where names the node's dsm.sys and why"

DSM_DIR="$T/apienv" dsm -policy -config "$T/inv.conf"
expect 2 "DSM_DIR is the backup-archive client's, not the API's"

mkdir -p "$API_DIR"
cp "$T/apienv/dsm.sys" "$API_DIR/dsm.sys"
dsm -policy -config "$T/inv.conf"
expect 0 "in the API's installation directory"
out_has "of $API_DIR/dsm.sys \\(the API's installation directory\\)" \
    "and says so"
rm -f "$API_DIR/dsm.sys"

# sysfile = names it for the node.
cp "$T/apienv/dsm.sys" "$T/vmcli.sys"
sed -i 's|^optfile = .*|&\nsysfile = vmcli.sys|' "$T/inv.conf"
DSMI_DIR="$T/nowhere" dsm -policy -config "$T/inv.conf"
expect 0 "sysfile in the inventory"
out_has "of $T/vmcli.sys \\(sysfile in the inventory\\)" "is the one used"
sed -i 's|^sysfile = .*|sysfile = missing.sys|' "$T/inv.conf"
dsm -policy -config "$T/inv.conf"
expect 2 "a sysfile that is not there"
err_has "missing.sys: no such option file \\(sysfile in the inventory\\)" \
    "names it"

# The backup-archive client: $DSM_DIR, then its installation directory.
cat >"$T/ba.conf" <<INV
[dsmcert]
keydb = $T/db

[ba]
type = node
role = client
optfile = ba/dsm.opt

[BASRV]
type = server
address = ba.example.com
version = 8.1.18
INV
mkdir -p "$BA_DIR" "$T/dsmdir"
printf 'SErvername BA_SRV\n   TCPServeraddress ba.example.com\n' \
    >"$BA_DIR/dsm.sys"
dsm -policy -config "$T/ba.conf"
expect 0 "the client's installation directory"
out_has "of $BA_DIR/dsm.sys \\(the client's installation directory\\)" \
    "says so"
cp "$BA_DIR/dsm.sys" "$T/dsmdir/dsm.sys"
DSMI_DIR="$T/apienv" DSM_DIR="$T/dsmdir" dsm -policy -config "$T/ba.conf"
expect 0 "DSM_DIR before it"
out_has "of $T/dsmdir/dsm.sys \\(\\\$DSM_DIR\\)" "says so"

# -verify -server with a stanza name: the inventory (from DSMCERT_CONF)
# finds the node whose dsm.sys holds it, found as for that node's kind.
. "$TOP/tests/e2e/tls.sh"
P=$(free_port)
cat >"$T/apienv/dsm.sys" <<SYS
SErvername VMCLI_SRV8118
   TCPServeraddress 127.0.0.1
   TCPPort $P
SYS
cat >"$T/v.conf" <<INV
[dsmcert]
keydb = $T/db

[vmcli]
type = node
role = vmcli
optfile = tdpvmware/common/scripts/dsm.opt

[SRV8118]
type = server
address = 127.0.0.1:$P
version = 8.1.18
INV
DSMCERT_CONF="$T/v.conf" DSMI_DIR="$T/apienv" \
    dsm -verify -server VMCLI_SRV8118 -db "$T/db" -timeout 5
expect 6 "-verify -server STANZA: connects (nobody listens there)"
out_has "^server: +VMCLI_SRV8118 at 127\\.0\\.0\\.1:$P \\(stanza VMCLI_SRV8118 of $T/apienv/dsm.sys\\)" \
    "at the stanza's address, from the dsm.sys in DSMI_DIR"
err_has 'connection refused' "and says what it met"
DSMCERT_CONF="$T/v.conf" dsm -verify -server NOSUCH -db "$T/db"
expect 4 "a name that is neither a server nor a stanza"
err_has 'no server "NOSUCH", and no node.s dsm.sys has a stanza of that name' \
    "says so"
