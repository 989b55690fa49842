# make demo runs the worked example; run it here in a temporary directory.
DEMO_DIR="$T/demo" run sh "$TOP/scripts/demo.sh" "$DSMCERT"
expect 0 "the demo runs to the end"
out_has '^SERVER1 +P,,' "certutil shows the demo's SERVER1 as a trusted peer"
out_has 'unchanged' "the demo's second -add changes nothing"
assert "the demo wrote only under its directory" [ -f "$T/demo/keydb/cert9.db" ]
