# A full disk, for real: the key database on a small tmpfs filled up to
# a few kilobytes. An import that would not fit is refused before it
# writes (non-zero exit), leaving both files sound and the certificates
# exactly the old ones; one that fits is whole.
plan 26
MNT="$T/mnt"
mkdir "$MNT"
if ! mount -t tmpfs -o size=4m,mode=0700 tmpfs "$MNT" 2>/dev/null; then
	skip_rest "mounting a tmpfs needs root"
	return 0 2>/dev/null || exit 0
fi
e2e_finish() { umount "$MNT" 2>/dev/null; }
mkcert first
eccerts full 100 >"$T/bundle.pem"
failed=0
for room in 16 96 400 1200 3000; do
	DB="$MNT/db"
	rm -rf "$DB" "$MNT/fill"
	dsm -add -server FIRST -file "$T/first.pem" -db "$DB"
	avail=$(df -k --output=avail "$MNT" | tail -n 1)
	dd if=/dev/zero of="$MNT/fill" bs=1k count=$((avail - room)) \
	    2>/dev/null
	certlist "$DB" >"$T/before"
	dsm -add -server FULL -file "$T/bundle.pem" -db "$DB"
	rc=$RC
	certlist "$DB" >"$T/after"
	n=$(grep -Ec '^FULL( #[0-9]+)? ' "$T/after")
	if [ "$rc" = 0 ]; then
		assert "$room KB free: imported whole ($n of 100)" [ "$n" = 100 ]
		assert "$room KB free: and says nothing of a refusal" \
		    sh -c "! grep -Eq 'was (imported|written)' '$T/err'"
	else
		failed=$((failed + 1))
		same "$T/before" "$T/after" \
		    "$room KB free: exit $rc, and the certificates are the old ones"
		err_has 'nothing (from .*bundle\.pem )?was (imported|written)' \
		    "$room KB free: says nothing was imported"
	fi
	for f in cert9.db key4.db; do
		r=$(sqlite3 "$DB/$f" 'PRAGMA integrity_check' 2>&1)
		assert "$room KB free: $f passes integrity_check ($r)" [ "$r" = ok ]
	done
	rm -f "$MNT/fill"
	dsm -list -db "$DB"
	expect 0 "$room KB free: the database opens once there is room again"
done
assert "the disk ran full in some trials ($failed)" [ "$failed" -gt 0 ]
