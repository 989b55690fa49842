#!/bin/sh
# make deb / make rpm: the package, built from a copy of the tree so that
# the build's clean step leaves this checkout's build/ and bin/ alone.
#
#   sh scripts/package.sh deb|rpm OUTDIR
#
# The .deb comes from debian/ with dpkg-buildpackage -b, the .rpm from
# dsmcert.spec with rpmbuild -bb; either lands in OUTDIR, its build log
# beside it. The version is VERSION's: debian/changelog and dsmcert.spec
# have to carry the same, or nothing is built. Environment:
#   DEB_BUILD_OPTIONS   as dpkg-buildpackage takes it (nocheck: no tests,
#                       and the nocheck build profile with it)
#   RPM_NOCHECK=1       rpmbuild --nocheck (no %check)
# Outside the Red Hat family rpmbuild runs with --nodeps: BuildRequires
# name Red Hat packages, which dpkg knows by other names.
set -u

[ $# -eq 2 ] || { echo "usage: package.sh deb|rpm OUTDIR" >&2; exit 1; }
kind=$1
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$2" || exit 1
out=$(cd "$2" && pwd)
me="package.sh"

die() { echo "$me: $*" >&2; exit 1; }

version=$(cat "$top/VERSION") || exit 1
deb_version=$(sed -n '1s/^dsmcert (\([^)]*\)).*/\1/p' "$top/debian/changelog")
rpm_version=$(sed -n 's/^Version:[[:space:]]*//p' "$top/dsmcert.spec")
[ "$deb_version" = "$version" ] ||
	die "debian/changelog is at '$deb_version', VERSION at $version"
[ "$rpm_version" = "$version" ] ||
	die "dsmcert.spec is at '$rpm_version', VERSION at $version"

# files: the tree's files as git knows them (tracked, or new and not
# ignored), so that work not yet committed is in the package; outside a
# git checkout, everything but what a build makes.
files() {
	if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$top" ls-files --cached --others --exclude-standard |
		    while IFS= read -r f; do
			if [ -e "$top/$f" ] || [ -L "$top/$f" ]; then
				printf '%s\n' "$f"
			fi
		done
	else
		(cd "$top" && find . \( -path ./build -o -path ./bin -o \
		    -path ./demo -o -path ./.git \) -prune -o ! -type d -print)
	fi
}

work=$(mktemp -d "${TMPDIR:-/tmp}/dsmcert-$kind.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM
src="$work/dsmcert-$version"
mkdir "$src" || exit 1
files | (cd "$top" && tar -cf - -T -) | tar -C "$src" -xf - ||
	die "cannot copy the tree"
log="$out/$kind.log"

case $kind in
deb)
	arch=$(dpkg --print-architecture) || exit 1
	pkg="dsmcert_${version}_$arch.deb"
	# Without the tests, their tools are not needed to build either.
	case " ${DEB_BUILD_OPTIONS:-} " in
	*" nocheck "*)
		DEB_BUILD_PROFILES="${DEB_BUILD_PROFILES:+$DEB_BUILD_PROFILES }nocheck"
		export DEB_BUILD_PROFILES
		;;
	esac
	echo "$me: dpkg-buildpackage -us -uc -b (log: $log)"
	(cd "$src" && dpkg-buildpackage -us -uc -b) >"$log" 2>&1 || {
		tail -n 40 "$log" >&2
		die "dpkg-buildpackage failed; the whole log is $log"
	}
	built="$work/$pkg"
	;;
rpm)
	arch=$(rpm --eval '%{_arch}') || exit 1
	release=$(rpm --eval "$(sed -n 's/^Release:[[:space:]]*//p' \
	    "$top/dsmcert.spec")") || exit 1
	pkg="dsmcert-$version-$release.$arch.rpm"
	set -- -bb --define "_topdir $work/rpmbuild" --define "_sourcedir $work"
	rpm -q rpm >/dev/null 2>&1 || set -- "$@" --nodeps
	[ "${RPM_NOCHECK:-0}" = 1 ] && set -- "$@" --nocheck
	tar -C "$work" -czf "$work/dsmcert-$version.tar.gz" \
	    "dsmcert-$version" || die "cannot make the source tarball"
	echo "$me: rpmbuild $* (log: $log)"
	rpmbuild "$@" "$src/dsmcert.spec" >"$log" 2>&1 || {
		tail -n 40 "$log" >&2
		die "rpmbuild failed; the whole log is $log"
	}
	built="$work/rpmbuild/RPMS/$arch/$pkg"
	;;
*)
	die "unknown package kind $kind"
	;;
esac

[ -f "$built" ] || die "no $pkg after the build; see $log"
mv "$built" "$out/$pkg" || exit 1
echo "$me: wrote $out/$pkg"
