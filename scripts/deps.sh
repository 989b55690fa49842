#!/bin/sh
# Install the Debian packages dsmcert needs to build and test, only those
# that are missing. Safe to run again; does nothing when all are present.
set -eu

PKGS="build-essential pkg-config libnss3-dev libnss3-tools libsqlite3-dev sqlite3 libpkcs11-helper1-dev
libiniparser-dev check libjansson-dev openssl softhsm2 opensc cppcheck
clang valgrind jq iproute2 python3 python3-cryptography
python3-prometheus-client prometheus"
# Optional lists, only when asked for: "deps.sh ansible" (make
# check-ansible), "deps.sh prometheus" (promtool, for make
# check-prometheus), "deps.sh packages" (make deb, make rpm, make
# check-packages).
case ${1:-} in
ansible) PKGS="ansible-core" ;;
prometheus) PKGS="prometheus" ;;
packages) PKGS="debhelper dpkg-dev fakeroot lintian rpm man-db" ;;
esac

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
