# make install / make uninstall into a temporary DESTDIR: the binary under
# test (DSMCERT_BIN, so nothing is rebuilt), the man pages, the bash
# completion, the example inventory and the systemd units; uninstall
# takes exactly those away, and only the directories install created.
plan 28
R="$T/root"
mkdir -p "$R/usr/share/man/man1"
# Something already there that is not ours: uninstall must keep it, and
# keep the (empty) man1 directory that install did not create.
mkdir -p "$R/usr/share/doc/other"
: >"$R/usr/share/doc/other/README"
tree() { (cd "$R" && find . | LC_ALL=C sort); }
tree >"$T/before"

inst() {
	run make --no-print-directory -C "$TOP" "$@" DESTDIR="$R" PREFIX=/usr \
	    DSMCERT_BIN="$DSMCERT"
}

inst install
expect 0 "make install"
tree >"$T/after"
LC_ALL=C comm -13 "$T/before" "$T/after" >"$T/added"
cat >"$T/want" <<'EOF'
./usr/bin
./usr/bin/dsmcert
./usr/lib
./usr/lib/systemd
./usr/lib/systemd/system
./usr/lib/systemd/system/dsmcert-check.service
./usr/lib/systemd/system/dsmcert-check.timer
./usr/share/bash-completion
./usr/share/bash-completion/completions
./usr/share/bash-completion/completions/dsmcert
./usr/share/doc/dsmcert
./usr/share/doc/dsmcert/dsmcert.conf.example
./usr/share/doc/dsmcert/installed-dirs
./usr/share/doc/dsmcert/postinst-hook.sh
./usr/share/man/man1/dsmcert.1
./usr/share/man/man5
./usr/share/man/man5/dsmcert.conf.5
EOF
same "$T/want" "$T/added" "install adds exactly the expected files"
assert "nothing was removed by install" \
    [ -z "$(LC_ALL=C comm -23 "$T/before" "$T/after")" ]
assert "the binary is the one under test" cmp -s "$DSMCERT" "$R/usr/bin/dsmcert"
assert "the binary is executable" [ -x "$R/usr/bin/dsmcert" ]
same "$TOP/man/dsmcert.1" "$R/usr/share/man/man1/dsmcert.1" "dsmcert.1"
same "$TOP/man/dsmcert.conf.5" "$R/usr/share/man/man5/dsmcert.conf.5" \
    "dsmcert.conf.5"
same "$TOP/contrib/bash-completion/dsmcert" \
    "$R/usr/share/bash-completion/completions/dsmcert" "the completion"
run stat -c '%a' "$R/usr/bin/dsmcert" "$R/usr/share/man/man1/dsmcert.1" \
    "$R/usr/share/doc/dsmcert/postinst-hook.sh"
assert "modes 755, 644, 755" [ "$(tr '\n' ' ' <"$T/out")" = "755 644 755 " ]
run "$R/usr/bin/dsmcert" -version
expect 0 "the installed binary runs"
same "$TOP/contrib/systemd/dsmcert-check.timer" \
    "$R/usr/lib/systemd/system/dsmcert-check.timer" "the timer"
grep '^ExecStart=' "$R/usr/lib/systemd/system/dsmcert-check.service" >"$T/exec"
assert "the service runs the installed binary" \
    grep -qx 'ExecStart=/usr/bin/dsmcert -check -prom [^ ]*' "$T/exec"
if command -v man >/dev/null 2>&1; then
	run man -l "$R/usr/share/man/man1/dsmcert.1"
	expect 0 "the installed dsmcert.1 formats"
else
	skip 1 "man is not installed"
fi

# The example inventory is one dsmcert reads.
run "$R/usr/bin/dsmcert" -where -config "$R/usr/share/doc/dsmcert/dsmcert.conf.example"
expect 0 "the example inventory parses"
out_has "keydb: +/etc/dsmcert/keydb \\(inventory" "and names its keydb"

# A second install changes nothing and forgets nothing.
inst install
expect 0 "make install again"
tree >"$T/again"
same "$T/after" "$T/again" "the same files after a second install"

inst uninstall
expect 0 "make uninstall"
tree >"$T/gone"
same "$T/before" "$T/gone" "uninstall leaves exactly what was there before"
inst uninstall
expect 0 "make uninstall again is harmless"

# Under another PREFIX the service names the binary there.
R2="$T/root2"
run make --no-print-directory -C "$TOP" install DESTDIR="$R2" \
    PREFIX=/opt/dsm DSMCERT_BIN="$DSMCERT"
expect 0 "make install PREFIX=/opt/dsm"
grep '^ExecStart=' "$R2/opt/dsm/lib/systemd/system/dsmcert-check.service" \
    >"$T/exec"
assert "the service runs /opt/dsm/bin/dsmcert" \
    grep -q '^ExecStart=/opt/dsm/bin/dsmcert -check ' "$T/exec"
assert "and no other dsmcert" [ "$(grep -c /usr/bin "$T/exec")" -eq 0 ]

# A directory install created but that now holds something else stays.
inst install
expect 0 "install once more"
: >"$R/usr/share/man/man5/other.5"
inst uninstall
expect 0 "uninstall"
assert "a created directory that is not empty stays" \
    [ -f "$R/usr/share/man/man5/other.5" ]
assert "dsmcert's page is gone from it" \
    [ ! -e "$R/usr/share/man/man5/dsmcert.conf.5" ]
assert "the empty ones went" [ ! -e "$R/usr/bin" ]
