# Run as root among users who are not: a link or directory of another
# user leads root only to that user's own files. "ln -s /etc/passwd
# dsm.sys" in their own directory must not make root edit, back up or
# lock the password file; here a file of root's in $T stands for it.
plan 16
if [ "$(id -u)" != 0 ] || ! id nobody >/dev/null 2>&1; then
	skip_rest "needs root and the user nobody"
	return 0 2>/dev/null || exit 0
fi
chmod 755 "$T"
U="$T/u"
mkdir "$U" && chown nobody "$U" && chmod 755 "$U"
asnobody() { runuser -u nobody -- "$@"; }
printf 'SErvername S1\n   TCPServeraddress s1.example.com\n' >"$T/rootsys"
printf 'secret\n' >"$T/rootpw"
chmod 600 "$T/rootpw"
mkcert rootcert
cp "$T/rootsys" "$T/rootsys.orig"

# nobody's own files, in nobody's directory: root may edit them.
asnobody sh -c "printf 'SErvername S1\n' >'$U/dsm.opt'; cp '$T/rootsys' '$U/dsm.sys'; chmod 644 '$U/dsm.opt' '$U/dsm.sys'"
dsm -setopt -optfile "$U/dsm.opt" SSL YES
expect 0 "root edits nobody's own dsm.sys"
assert "it keeps its owner" [ "$(stat -c %U "$U/dsm.sys")" = nobody ]

# A link of nobody's to a file of root's.
asnobody rm -f "$U/dsm.sys"
asnobody ln -s "$T/rootsys" "$U/dsm.sys"
dsm -setopt -optfile "$U/dsm.opt" SSL NO
expect 2 "root does not edit root's file through nobody's link"
err_has "dsm.sys: reached through link $U/dsm.sys, which belongs to nobody, but the file it leads to belongs to root" \
    "naming the link and whose it is"
same "$T/rootsys.orig" "$T/rootsys" "root's file is untouched"
assert "no backup of it was made" [ ! -e "$T/rootsys.bak" ]
assert "no lock file beside it" [ ! -e "$T/rootsys.lock" ]

# The same for a password file, a certificate file and an output file.
asnobody ln -s "$T/rootpw" "$U/pw"
dsm -add -server S -file "$T/rootcert.pem" -pwfile "$U/pw" -db "$T/db"
expect 3 "-pwfile through nobody's link to root's file is refused"
err_has 'pw: reached through link' "naming it"
assert "no database was made" [ ! -e "$T/db/cert9.db" ]
asnobody ln -s "$T/rootcert.pem" "$U/cert.pem"
dsm -add -server S -file "$U/cert.pem" -db "$T/db"
expect 2 "-file through nobody's link to root's file is refused"
dsm -add -server S -file "$T/rootcert.pem" -db "$T/db"
expect 0 "a certificate to export"
printf 'keep\n' >"$T/rootout"
asnobody ln -s "$T/rootout" "$U/out.pem"
dsm -export -label S -file "$U/out.pem" -db "$T/db"
expect 2 "-export through nobody's link to root's file is refused"
assert "root's file is untouched" [ "$(cat "$T/rootout")" = keep ]
assert "the link is still nobody's link" [ -L "$U/out.pem" ]
# Into nobody's directory, a new file: nothing of anyone else's at stake.
dsm -export -label S -file "$U/new.pem" -db "$T/db"
expect 0 "-export of a new file into nobody's directory"
