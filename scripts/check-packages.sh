#!/bin/sh
# make check-packages: the packages of build/packages/ as an admin gets
# them.
#   .deb  its name and control fields, its files, lintian without errors;
#         then installed on this machine with dpkg -i and used: -version,
#         man -w, the completion, a real -add into a scratch database, the
#         systemd units; then dpkg -r and dpkg --purge, after which nothing
#         of it is left.
#   .rpm  rpm -qp: its name, version, files (rpm -qpl) and Requires
#         (rpm -qpR).
#
#   sh scripts/check-packages.sh PKGDIR       (KEEP=1 keeps the temporary dir)
#
# Needs root, for dpkg -i. It refuses to run where dsmcert is installed
# already, from a package or by make install PREFIX=/usr: removing the
# test's would take the admin's away. Nothing under /etc/dsmcert is read or
# written; the test checks that too.
set -u

[ $# -eq 1 ] || { echo "usage: check-packages.sh PKGDIR" >&2; exit 1; }
top=$(cd "$(dirname "$0")/.." && pwd)
pkgdir=$(cd "$1" && pwd) || exit 1
me=check-packages
version=$(cat "$top/VERSION") || exit 1
arch=$(dpkg --print-architecture) || exit 1
deb="$pkgdir/dsmcert_${version}_$arch.deb"

die() { echo "$me: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (dpkg -i); run as root on a machine you may install on"
if dpkg-query -W -f='${Status}\n' dsmcert 2>/dev/null | grep -qv 'not-installed'; then
	die "dsmcert is installed on this machine ($(dpkg-query -W \
	    -f='${Version} ${Status}' dsmcert)); the test installs and removes its own, so remove that one first (dpkg --purge dsmcert)"
fi
[ -f "$deb" ] || die "$deb: no such file (make deb)"

T=$(mktemp -d "${TMPDIR:-/tmp}/dsmcert-packages.XXXXXX") || exit 1
installed=0
cleanup() {
	if [ "$installed" = 1 ]; then
		echo "# $me: purging the dsmcert the test installed"
		dpkg --purge dsmcert >/dev/null 2>&1
	fi
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
mkdir -p "$T/home"
export HOME="$T/home" LC_ALL=C
unset DSMCERT_DB DSMCERT_CONF DSM_DIR DSM_CONFIG PASSWORDDIR

. "$top/scripts/tap.sh"
# run CMD...: stdout in $T/out, stderr in $T/err, status in $RC.
run() {
	"$@" >"$T/out" 2>"$T/err"
	RC=$?
}
show() { sed 's/^/#   /' "$@"; }
# out_is TEXT: the last run exited 0 and printed exactly TEXT.
out_is() { [ "$RC" -eq 0 ] && [ "$(cat "$T/out")" = "$1" ]; }
# same WANT GOT DESC: two lists, the difference shown when they differ.
same() {
	if cmp -s "$1" "$2"; then ok "$3"; else
		nok "$3"; diff "$1" "$2" | show; fi
}

# ---- the .deb, unpacked -----------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
check "deb: package dsmcert" [ "$(field Package)" = dsmcert ]
check "deb: version $version, from VERSION" [ "$(field Version)" = "$version" ]
check "deb: architecture $arch" [ "$(field Architecture)" = "$arch" ]
field Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | sort >"$T/depends"
for lib in libnss3 libnspr4 libiniparser1 libjansson4 libpkcs11-helper1 libc6; do
	check "deb: depends on $lib" grep -qx "$lib" "$T/depends"
done

# The files, the units wherever this debhelper puts them (/lib before
# the /usr merge, /usr/lib after).
dpkg-deb -c "$deb" | awk '{ print substr($1, 1, 1) " " $6 }' |
    sed 's| \./| /|; s|/$||' >"$T/contents"
sed -n 's/^- //p' "$T/contents" | sed 's|^/lib/systemd/|/usr/lib/systemd/|' |
    sort >"$T/files"
cat >"$T/want" <<EOF
/usr/bin/dsmcert
/usr/lib/systemd/system/dsmcert-check.service
/usr/lib/systemd/system/dsmcert-check.timer
/usr/share/bash-completion/completions/dsmcert
/usr/share/doc/dsmcert/NOTICE
/usr/share/doc/dsmcert/README.md.gz
/usr/share/doc/dsmcert/changelog.gz
/usr/share/doc/dsmcert/copyright
/usr/share/doc/dsmcert/dsmcert.conf.example
/usr/share/doc/dsmcert/postinst-hook.sh
/usr/share/man/man1/dsmcert.1.gz
/usr/share/man/man5/dsmcert.conf.5.gz
EOF
same "$T/want" "$T/files" "deb: exactly the expected files"
unit=$(sed -n 's/^- \(.*\/dsmcert-check.service\)$/\1/p' "$T/contents")
unitdir=$(dirname "${unit:-/nonexistent/x}")

run lintian --fail-on error "$deb"
if [ "$RC" -eq 0 ] && ! grep -q '^E: ' "$T/out"; then
	ok "lintian: no errors"
else
	nok "lintian: errors (exit $RC)"
fi
show "$T/out"

# ---- installed on this machine ----------------------------------------
# Everything named dsmcert in the places a package reaches, and what is
# under /etc/dsmcert, before the install: afterwards it must be the same.
traces() {
	find /usr /lib /etc /var/lib/dpkg/info /var/lib/systemd \
	    -xdev -name '*dsmcert*' 2>/dev/null | sort
}
etc_state() {
	[ -d /etc/dsmcert ] || { echo "no /etc/dsmcert"; return; }
	find /etc/dsmcert -printf '%p %m %s %T@\n' | sort
}
traces >"$T/traces.before"
etc_state >"$T/etc.before"
sed -n 's/^- //p' "$T/contents" | while IFS= read -r f; do
	[ -e "$f" ] || [ -L "$f" ] || continue
	die "$f is there already, from no package: the test would overwrite it and take it away (make uninstall PREFIX=/usr?)"
done || exit 1
# The directories the package brings that are not there yet, so that
# the check after the purge can tell they went too.
sed -n 's/^d //p' "$T/contents" | while IFS= read -r d; do
	[ -n "$d" ] && [ ! -d "$d" ] && echo "$d"
done >"$T/newdirs"

installed=1
run dpkg -i "$deb"
if [ "$RC" -eq 0 ]; then ok "dpkg -i"; else nok "dpkg -i (exit $RC)"; show "$T/out" "$T/err"; fi
check "dpkg: installed" [ "$(dpkg-query -W -f='${Status}' dsmcert 2>/dev/null)" = "install ok installed" ]
check "dsmcert is /usr/bin/dsmcert on PATH" [ "$(command -v dsmcert)" = /usr/bin/dsmcert ]

run dsmcert -version
check "dsmcert -version: dsmcert $version" out_is "dsmcert $version"
run man -w dsmcert
check "man -w dsmcert: /usr/share/man/man1/dsmcert.1.gz" \
    out_is /usr/share/man/man1/dsmcert.1.gz
run man -w 5 dsmcert.conf
check "man -w 5 dsmcert.conf: /usr/share/man/man5/dsmcert.conf.5.gz" \
    out_is /usr/share/man/man5/dsmcert.conf.5.gz
comp=/usr/share/bash-completion/completions/dsmcert
check "the bash completion is in place" [ -f "$comp" ]
check "  and is bash" bash -n "$comp"
check "the installer hook is in place" sh -n /usr/share/doc/dsmcert/postinst-hook.sh

# A real -add: a server certificate into a scratch key database.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/srv.key" \
    -out "$T/srv.arm" -days 30 \
    -subj "/C=US/O=TSM/OU=TSM Network/CN=TSM Self-Signed Certificate" \
    -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null ||
    die "openssl failed"
run dsmcert -add -server PKGTEST -file "$T/srv.arm" -db "$T/keydb"
if [ "$RC" -eq 0 ]; then ok "dsmcert -add into a scratch database"; else
	nok "dsmcert -add (exit $RC)"; show "$T/out" "$T/err"; fi
run certutil -L -d "sql:$T/keydb"
check "certutil sees the certificate" grep -q '^PKGTEST ' "$T/out"
run dsmcert -add -server PKGTEST -file "$T/srv.arm" -db "$T/keydb"
check "a second -add changes nothing (exit 0)" [ "$RC" -eq 0 ]

# The units: where they belong, the timer left off, both well-formed.
check "the service in $unitdir" [ -f "$unitdir/dsmcert-check.service" ]
check "the timer in $unitdir" [ -f "$unitdir/dsmcert-check.timer" ]
check "the timer is not enabled by the install" \
    [ ! -e /etc/systemd/system/timers.target.wants/dsmcert-check.timer ]
grep '^ExecStart=' "$unitdir/dsmcert-check.service" >"$T/exec" 2>/dev/null
check "the service runs /usr/bin/dsmcert -check" \
    grep -q '^ExecStart=/usr/bin/dsmcert -check -prom ' "$T/exec"
if command -v systemd-analyze >/dev/null 2>&1; then
	run systemd-analyze verify "$unitdir/dsmcert-check.service" \
	    "$unitdir/dsmcert-check.timer"
	if [ "$RC" -eq 0 ] && [ ! -s "$T/err" ]; then
		ok "systemd-analyze verify: the units are clean"
	else
		nok "systemd-analyze verify (exit $RC)"; show "$T/out" "$T/err"
	fi
else
	echo "# systemd-analyze is not here: the units are not verified"
fi

# ---- removed -----------------------------------------------------------
# The textfile the packaged timer writes: kept by remove, gone with the
# purge (node_exporter would export the last status forever). A file or
# directory that was there before the test is put back afterwards.
promdir=/var/lib/prometheus/node-exporter
prom=$promdir/dsmcert.prom
promnew=
[ -d /var/lib/prometheus ] || promnew=/var/lib/prometheus
[ -d "$promdir" ] || { mkdir -p "$promdir" && promnew="$promdir $promnew"; }
[ -e "$prom" ] && cp -p "$prom" "$T/prom.saved"
echo 'dsmcert_status 0' >"$prom"
run dpkg -r dsmcert
if [ "$RC" -eq 0 ]; then ok "dpkg -r"; else nok "dpkg -r (exit $RC)"; show "$T/out" "$T/err"; fi
left=$(sed -n 's/^[^d] //p' "$T/contents" | while IFS= read -r f; do
	if [ -e "$f" ] || [ -L "$f" ]; then echo "$f"; fi; done)
check "dpkg -r: none of the package's files is left" [ -z "$left" ]
[ -z "$left" ] || echo "$left" | show
check "dpkg -r keeps $prom" [ -f "$prom" ]
run dpkg --purge dsmcert
if [ "$RC" -eq 0 ]; then ok "dpkg --purge"; else nok "dpkg --purge (exit $RC)"; show "$T/out" "$T/err"; fi
installed=0
check "dpkg --purge removes $prom" [ ! -e "$prom" ]
rm -f "$prom"
[ -e "$T/prom.saved" ] && cp -p "$T/prom.saved" "$prom"
for d in $promnew; do rmdir "$d"; done
check "dpkg no longer knows dsmcert" \
    [ -z "$(dpkg-query -W -f='${Status}' dsmcert 2>/dev/null | grep -v not-installed)" ]
left=$(while IFS= read -r d; do [ -d "$d" ] && echo "$d"; done <"$T/newdirs")
check "the directories it brought went with it" [ -z "$left" ]
[ -z "$left" ] || echo "$left" | show
traces >"$T/traces.after"
same "$T/traces.before" "$T/traces.after" "nothing named dsmcert is left (/usr /lib /etc, dpkg and systemd state)"
etc_state >"$T/etc.after"
same "$T/etc.before" "$T/etc.after" "/etc/dsmcert is as it was"

# ---- the .rpm ----------------------------------------------------------
rpmarch=$(rpm --eval '%{_arch}')
set -- "$pkgdir"/dsmcert-"$version"-*."$rpmarch".rpm
rpmf=$1
if [ $# -eq 1 ] && [ -f "$rpmf" ]; then ok "rpm: $(basename "$rpmf")"; else
	nok "rpm: one dsmcert-$version-*.$rpmarch.rpm in $pkgdir (make rpm)"; fi
run rpm -qp --qf '%{NAME} %{VERSION}\n' "$rpmf"
check "rpm: dsmcert at version $version" [ "$(cat "$T/out")" = "dsmcert $version" ]

# Files; the man pages are compressed where rpmbuild's policy does that,
# and .build-id links come and go with the debuginfo setup.
run rpm -qpl "$rpmf"
grep -v '^/usr/lib/\.build-id' "$T/out" | sed 's/\.gz$//' | sort >"$T/rpmfiles"
cat >"$T/want" <<EOF
/usr/bin/dsmcert
/usr/lib/systemd/system/dsmcert-check.service
/usr/lib/systemd/system/dsmcert-check.timer
/usr/share/bash-completion/completions/dsmcert
/usr/share/doc/dsmcert
/usr/share/doc/dsmcert/NOTICE
/usr/share/doc/dsmcert/README.md
/usr/share/doc/dsmcert/dsmcert.conf.example
/usr/share/doc/dsmcert/postinst-hook.sh
/usr/share/licenses/dsmcert
/usr/share/licenses/dsmcert/LICENSE
/usr/share/man/man1/dsmcert.1
/usr/share/man/man5/dsmcert.conf.5
EOF
same "$T/want" "$T/rpmfiles" "rpm -qpl: exactly the expected files"

run rpm -qpR "$rpmf"
sed 's/ *$//' "$T/out" >"$T/requires"
for r in nss iniparser jansson pkcs11-helper; do
	check "rpm -qpR: Requires $r" grep -qx "$r" "$T/requires"
done
for so in libnss3.so libiniparser.so.1 libjansson.so.4; do
	check "rpm -qpR: $so, found in the binary" \
	    grep -q "^$so()" "$T/requires"
done

tap_end
