# The version is VERSION's. The binary says it, and debian/changelog and
# dsmcert.spec, which cannot read it, carry the same; make deb and make
# rpm refuse to build while they disagree, and this says so first.
plan 6
V=$(cat "$TOP/VERSION")
assert "VERSION is a version" expr "$V" : '[0-9][0-9.]*$'
dsm -version
expect 0 "dsmcert -version"
out_has "^dsmcert $V\$" "dsmcert -version says VERSION's"
sed -n '1s/^dsmcert (\([^)]*\)).*/\1/p' "$TOP/debian/changelog" >"$T/deb"
assert "debian/changelog's newest entry is VERSION's" [ "$(cat "$T/deb")" = "$V" ]
sed -n 's/^Version:[[:space:]]*//p' "$TOP/dsmcert.spec" >"$T/rpm"
assert "dsmcert.spec's Version is VERSION's" [ "$(cat "$T/rpm")" = "$V" ]
# The newest %changelog entry ends in VERSION-RELEASE.
awk '/^%changelog/ { getline; print; exit }' "$TOP/dsmcert.spec" >"$T/rpmlog"
assert "dsmcert.spec's newest %changelog entry is VERSION's" \
    grep -q " - $V-[0-9][0-9]*\$" "$T/rpmlog"
