#!/bin/sh
# The key pool of the end-to-end tests (see lib.sh):
#
#   sh tests/e2e/keys.sh DIR [N]
#
# makes N (16) RSA-2048 keys in DIR, 1.key to N.key, each with its
# PKCS#12 (N.p12) for certutil, and one RSA-3072 key, rsa3072.key (one
# generation can take seconds), side by side, E2E_JOBS (the number of
# processors) at a time, the files read-only. A pool that is
# there already is kept: make keeps one in the build directory, so
# that the keys are made once, not on every make check.
set -u
dir=$1
n=${2:-16}
top=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(cat "$dir/.done" 2>/dev/null)" = "$n rsa3072" ] && exit 0
rm -rf "$dir"
mkdir -p "$dir" &&
    { seq 1 "$n"; echo rsa3072; } |
    xargs -P "${E2E_JOBS:-$(nproc 2>/dev/null || echo 1)}" \
    -I @ sh -c '. "$1/tests/e2e/lib.sh" && mkpoolkey "$2/@.key" "$2/@.p12"' \
    sh "$top" "$dir" && chmod a-w "$dir"/* &&
    echo "$n rsa3072" >"$dir/.done" || {
	echo "e2e: cannot make the key pool in $dir" >&2
	exit 1
}
