# make demo runs the worked example; run it here in a temporary directory.
plan 16
DEMO_DIR="$T/demo" DEMO_KEYS=${E2E_KEYS:-} run sh "$TOP/scripts/demo.sh" "$DSMCERT"
expect 0 "the demo runs to the end"
out_has '^SERVER1 +P,,' "certutil shows the demo's SERVER1 as a trusted peer"
out_has 'unchanged' "the demo's second -add changes nothing"
out_has '^keydb: +.*/demo/keydb \(\$DSMCERT_DB\)$' \
    "the demo's -where names its key database and why"
assert "the demo wrote only under its directory" [ -f "$T/demo/keydb/cert9.db" ]
assert "and left no file of a write behind" \
    [ -z "$(find "$T/demo" -name '*.dsmcert.*' -print)" ]
# The trust policy on the demo's machine, to the end.
out_has "^exit status 6$" "the demo's -policy before: actions outstanding"
out_has "^done: import .*/servers/LDAPSRV/cert256.arm as LDAPSRV \\(for datamover2, vmcli\\)" "the demo imports LDAPSRV once"
out_has "every node and server: compliant" "the demo's -policy after: compliant"
out_has "^nothing to do" "the demo's second -configure: nothing to do"
# The demo's renewal: the new certificate beside the old, then -prune.
out_has "^done: import .*/servers/LDAPSRV/cert256.arm as LDAPSRV #2, beside the old certificate" \
    "the demo's renewal goes in beside the old certificate"
out_has "renewed: the new certificate \"LDAPSRV #2\" .* is in place beside the old one" \
    "the demo's -policy notes the overlap"
out_has "^done: retire \"LDAPSRV\"" "the demo's -prune retires the old one"
certutil -L -d "sql:$T/demo/keydb" >"$T/certs"
assert "the demo ends with one certificate for LDAPSRV" [ \
    "$(grep -c '^LDAPSRV' "$T/certs")" = 1 ]
assert "the new one, LDAPSRV #2" grep -q '^LDAPSRV #2 ' "$T/certs"
