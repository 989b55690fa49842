#!/bin/sh
# make install / make uninstall.
#
#   PREFIX=DIR sh scripts/install.sh install|uninstall ROOT BIN
#
# ROOT is $(DESTDIR)$(PREFIX), which uninstall never removes; PREFIX alone
# is where the files will be found when in use (default /usr/local): the
# systemd units name the binary by it. Install records the directories it had to
# create, so that uninstall removes those (when empty) and no others: an
# empty share/man/man5 that was there before is not ours to remove.
set -eu

[ $# -eq 3 ] || { echo "usage: install.sh install|uninstall ROOT BIN" >&2; exit 1; }
action=$1
root=$2
bin=$3
src=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-/usr/local}
doc=share/doc/dsmcert
record=$doc/installed-dirs

# One line per file: mode, source (relative to the tree), destination,
# and "bin" for a file whose /usr/bin/dsmcert becomes PREFIX's. Units go
# to lib/systemd/system under PREFIX, which systemd reads for /usr and
# /usr/local.
files() {
	cat <<EOF
0755 $bin bin/dsmcert
0644 man/dsmcert.1 share/man/man1/dsmcert.1
0644 man/dsmcert.conf.5 share/man/man5/dsmcert.conf.5
0644 contrib/bash-completion/dsmcert share/bash-completion/completions/dsmcert
0644 contrib/dsmcert.conf.example $doc/dsmcert.conf.example
0755 contrib/postinst-hook.sh $doc/postinst-hook.sh
0644 contrib/systemd/dsmcert-check.service lib/systemd/system/dsmcert-check.service bin
0644 contrib/systemd/dsmcert-check.timer lib/systemd/system/dsmcert-check.timer
EOF
}

# mkdirs DIR: create DIR and its missing parents under $root, appending
# each one created to $created (parents first).
mkdirs() {
	path=""
	for part in $(echo "$1" | tr / ' '); do
		path=${path:+$path/}$part
		if [ ! -d "$root/$path" ]; then
			mkdir -m 0755 "$root/$path"
			created="$created$path
"
		fi
	done
}

case $action in
install)
	created=""
	[ -d "$root" ] || mkdir -p "$root"
	files | while read -r mode from to _; do
		case $from in /*) ;; *) from=$src/$from ;; esac
		[ -f "$from" ] || { echo "install.sh: $from: no such file" >&2; exit 1; }
	done
	# The record lives in $doc; take it over from an earlier install so
	# that a second install does not forget what the first created.
	old=""
	[ -f "$root/$record" ] && old=$(cat "$root/$record")
	for d in $(files | while read -r _ _ to _; do dirname "$to"; done | sort -u); do
		mkdirs "$d"
	done
	files | while read -r mode from to how; do
		case $from in /*) ;; *) from=$src/$from ;; esac
		if [ "$how" = bin ]; then
			sed "s|/usr/bin/dsmcert|$prefix/bin/dsmcert|g" "$from" \
			    >"$root/$to.tmp"
			install -m "$mode" "$root/$to.tmp" "$root/$to"
			rm -f "$root/$to.tmp"
		else
			install -m "$mode" "$from" "$root/$to"
		fi
		echo "installed $root/$to"
	done
	printf '%s\n%s' "$old" "$created" | sed '/^$/d' | awk '!seen[$0]++' \
	    >"$root/$record"
	chmod 0644 "$root/$record"
	;;
uninstall)
	files | while read -r _ _ to _; do
		if [ -e "$root/$to" ] || [ -L "$root/$to" ]; then
			rm -f "$root/$to"
			echo "removed $root/$to"
		fi
	done
	dirs=""
	if [ -f "$root/$record" ]; then
		dirs=$(cat "$root/$record")
		rm -f "$root/$record"
	fi
	# Deepest first; a directory that holds anything else stays. The doc
	# directory is ours even when an earlier install left no record.
	for d in $(printf '%s\n' "$dirs" $doc | sed '/^$/d' | sort -ru); do
		rmdir "$root/$d" 2>/dev/null || :
	done
	;;
*)
	echo "install.sh: unknown action $action" >&2
	exit 1
	;;
esac
