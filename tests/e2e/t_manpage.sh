# The man pages say the rules of issue 25, where an admin looks for them.
# Read as man renders them (groff, no hyphenation, one long line), so
# that a rule is found however the source wraps it.
plan 16
render() {
	groff -man -Tutf8 -rHY=0 -rLL=2000n "$TOP/man/$1" 2>/dev/null |
	    sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g' | tr -s ' \n' ' '
}
if ! command -v groff >/dev/null 2>&1; then
	skip_rest "groff is not installed"
	return 0 2>/dev/null || exit 0
fi
render dsmcert.1 >"$T/m1"
render dsmcert.conf.5 >"$T/m5"
says() {
	if grep -Fq -- "$2" "$T/$1"; then ok "$3"; else
		nok "$3: the page lacks \"$2\""; fi
}
# Item 7: SSLREQuired and why it never changes the decision.
says m1 "SSLREQuired is read (its value is checked) but never changes the decision" \
    "SSLREQuired: why it never changes the decision"
says m1 "a current server always authenticates over TLS and the client ignores the option there" \
    "SSLREQuired: ignored towards current servers"
# Item 9.
says m1 "then the API's installation directory, /opt/tivoli/tsm/client/api/bin64/dsm.sys" \
    "where a VMCLI or data-mover dsm.sys must be"
says m1 "What -check needs: read access to the inventory" \
    "-check needs read access to the key database"
says m1 "A monitoring user other than root" "and what the monitoring user needs"
says m1 "A self-signed server certificate that carries CA:TRUE is stored as C,,, and is still trusted as the server's own" \
    "a CA:TRUE self-signed certificate is still the server's own"
says m1 "What -prune may remove, and nothing else" "what -prune may remove"
says m1 "DSM_DIR and DSMI_DIR in the environment of the command choose the dsm.sys of every node of their kind" \
    "DSM_DIR in the environment overrides the inventory"
says m1 "DSMCERT_TEST_CLIENT_DIR" "the installation directories' test override"
says m5 "sysfile = FILE" "dsmcert.conf(5): sysfile"
# The rules of the other items.
says m1 "a subject common name is never used in their place" \
    "no CN fallback (RFC 6125)"
says m1 "promtool check metrics" "the Prometheus file is lint-clean"
says m1 "the summary carries neither" "the plugin line without ; and |"
says m1 "did you mean SSLACCEPTCERTFROMSERV" "-setopt's option names"
says m1 "renewal delivered, not imported: run dsmcert -configure" \
    "-check warns on a delivered renewal"
says m1 "The collector reads only files whose names end in .prom" \
    "-prom and *.prom"
