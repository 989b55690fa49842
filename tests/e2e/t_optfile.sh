# -query, -setopt and -unsetopt on realistic option files.
plan 84

d=$T/client
mkdir -p "$d"
chmod 755 "$d"
cp "$TOP/tests/data/multi.dsm.sys" "$d/dsm.sys"
cp "$TOP/tests/data/unix.dsm.opt" "$d/dsm.opt"
chmod 644 "$d/dsm.sys" "$d/dsm.opt"
export DSM_DIR="$d"

# one_line FILE TEXT DESC: FILE holds exactly TEXT and a newline.
one_line() {
	printf '%s\n' "$2" >"$T/want"
	same "$T/want" "$1" "$3"
}

# ---- -query ----------------------------------------------------------
dsm -query
expect 0 "-query finds dsm.opt and dsm.sys through DSM_DIR"
out_has '^SErvername +server_b$' "stanza chosen by SErvername in dsm.opt"
out_has '^TCPPort +1543$' "value read through the abbreviation tcpp"
out_has '^SSL +NO  \(default\)$' "a default is marked as one"
out_has '^TCPADMINPort +1543  \(default\)$' "TCPADMINPort defaults to TCPPort"
out_has '^ERRORLOGName +/var/log/tsm b/dsmerror.log$' "quoted value unquoted"
out_has '^TXNBytelimit +25600$' "unknown options are shown as they are"
out_has '^DOMain +/home /var$' "dsm.opt options are part of the node's view"

dsm -query tcpport
expect 0 "-query OPTION"
one_line "$T/out" 1543 "one OPTION: its value alone on one line"

dsm -query -server DR_SERVER sslreq
expect 0 "-server picks a stanza, without case"
one_line "$T/out" Yes "the value as the file writes it"

dsm -query -server nosuch
expect 4 "an unknown stanza is not found"
err_has 'no stanza SErvername nosuch' "the message names the stanza"

dsm -query ASNODEname
expect 4 "an option that is not set and has no default"

dsm -query tcp
expect 1 "a name too short for any option is a usage error"
err_has 'ambiguous' "and says why"

dsm -query -json -server server_a
expect 0 "-query -json"
out_has '"stanza": "server_a"' "JSON names the stanza"
out_has '"stanza_from": "-server"' "and why it was chosen"
out_has '"name": "SSLACCEPTCERTFROMSERV"' "JSON lists the options"
out_has '"default": true' "and marks defaults"

dsm -query -optfile "$d/dsm.sys"
expect 0 "-optfile naming a dsm.sys"
out_has '^TCPServeraddress +backup-a.example.com$' \
    "without dsm.opt, DEFAULTServer picks the stanza"

# ---- -setopt -----------------------------------------------------------
cp "$d/dsm.sys" "$T/before"
dsm -setopt SSL yes
expect 0 "-setopt SSL yes"
out_has 'SSL set to YES in stanza server_b' "says what it did"
dsm -query SSL
one_line "$T/out" YES "-query reads the new value back"
diff "$T/before" "$d/dsm.sys" | grep '^[<>]' >"$T/diff"
one_line "$T/diff" '>    SSL                YES' \
    "one line added, aligned with the stanza, every other byte kept"
same "$T/before" "$d/dsm.sys.bak" "the backup holds the previous version"

cp "$d/dsm.sys" "$T/after"
dsm -setopt ssl Yes
expect 0 "-setopt of the value already there"
out_has 'nothing to do' "says there is nothing to do"
same "$T/after" "$d/dsm.sys" "and changes nothing"

dsm -setopt -server server_a tcpport 1600
expect 0 "-setopt of an existing line"
if grep -q '^   TCPPort            1600$' "$d/dsm.sys"; then
	ok "rewritten in place, indentation and spacing kept"
else
	nok "TCPPort line not rewritten in place"
fi

cp "$d/dsm.sys" "$T/after"
for bad in "TCPPort 99999" "TCPPort 0" "SSL maybe" "SSLREQ always" \
    "SSLACCEPTCERTFROMSERV Y"; do
	# shellcheck disable=SC2086
	dsm -setopt $bad
	expect 1 "-setopt $bad is refused"
done
err_has 'SSLACCEPTCERTFROMSERV: "Y" is not YES or NO' "naming the allowed values"
dsm -setopt tcp x
expect 1 "-setopt with a name too short"
dsm -setopt SSL
expect 1 "-setopt without a value"
dsm -setopt -server nosuch SSL yes
expect 4 "-setopt in a stanza that does not exist"
same "$T/after" "$d/dsm.sys" "refused edits change nothing"

dsm -setopt SErvername nosuch
expect 4 "-setopt SErvername of a stanza dsm.sys lacks"
dsm -setopt SErvername server_a
expect 0 "-setopt SErvername changes the choice in dsm.opt"
dsm -query TCPServeraddress
one_line "$T/out" backup-a.example.com "the node now uses server_a"

dsm -setopt DOMain /opt
expect 0 "-setopt of a dsm.opt option"
if tail -n 1 "$d/dsm.opt" | grep -q '^DOMain         /opt$'; then
	ok "added to dsm.opt, aligned"
else
	nok "DOMain not added to dsm.opt"
fi

# ---- -unsetopt -----------------------------------------------------------
dsm -unsetopt -server server_b tcpp
expect 0 "-unsetopt"
dsm -query -server server_b TCPPort
one_line "$T/out" 1500 "the default is back"
dsm -unsetopt -server server_b TCPPort
expect 0 "-unsetopt of an option not set"
out_has 'nothing to do' "is nothing to do"
dsm -unsetopt DOMain
expect 0 "-unsetopt of a dsm.opt option"
if grep -qi '^dom' "$d/dsm.opt"; then nok "DOMain left in dsm.opt"; else
	ok "every DOMain line removed"; fi

# ---- Windows style: dsm.opt alone ----------------------------------------
unset DSM_DIR
w=$T/win
mkdir -p "$w"
cp "$TOP/tests/data/windows.dsm.opt" "$w/dsm.opt"
dsm -setopt -optfile "$w/dsm.opt" SSLACCEPTCERTFROMSERV yes
expect 0 "-setopt on a dsm.opt without dsm.sys"
grep -c '^SSLACCEPTCERTFROMSERV YES$' "$w/dsm.opt" >"$T/n"
one_line "$T/n" 1 "edited where it stands"
DSM_CONFIG="$w/dsm.opt" run "$DSMCERT" -query SSLACC
expect 1 "a name one letter short of SSLACCEPTCERTFROMSERV"
DSM_CONFIG="$w/dsm.opt" run "$DSMCERT" -query TCPPORT
expect 0 "DSM_CONFIG names dsm.opt"
one_line "$T/out" 1500 "upper-case file read"

# ---- line endings and byte-order mark ----------------------------------------
c=$T/crlf
mkdir -p "$c"
cp "$TOP/tests/data/crlf.dsm.sys" "$c/dsm.sys"
dsm -setopt -optfile "$c/dsm.sys" -server srv2 TCPPort 1543
expect 0 "-setopt on a CRLF file"
lf=$(wc -l <"$c/dsm.sys")
cr=$(tr -cd '\r' <"$c/dsm.sys" | wc -c)
if [ "$lf" -eq "$cr" ] && grep -q 'TCPPort            1543' "$c/dsm.sys"
then ok "CRLF stays CRLF, new line included"; else
	nok "CRLF file has $lf lines and $cr CRs"; fi
cp "$TOP/tests/data/bom.dsm.opt" "$c/dsm.opt"
dsm -setopt -optfile "$c/dsm.opt" SSLFIPSMODE yes
expect 0 "-setopt on a file with a byte-order mark"
b=$(head -c 3 "$c/dsm.opt" | od -An -tx1 | tr -d ' ')
if [ "$b" = efbbbf ]; then ok "the byte-order mark is kept"; else
	nok "the file starts with $b"; fi

# ---- symbolic links -------------------------------------------------------
mkdir -p "$T/etc" "$T/node"
cp "$TOP/tests/data/multi.dsm.sys" "$T/etc/dsm.sys"
ln -s ../etc/dsm.sys "$T/node/dsm.sys"
dsm -setopt -optfile "$T/node/dsm.sys" -server server_a SSL no
expect 0 "-setopt through a symbolic link"
if [ -L "$T/node/dsm.sys" ] && [ "$(readlink "$T/node/dsm.sys")" = ../etc/dsm.sys ]
then ok "the link stays a link to the same place"; else nok "the link is gone"; fi
if grep -q 'SSL                NO' "$T/etc/dsm.sys"; then
	ok "the file it points to is edited"; else nok "target not edited"; fi

# ---- refusals ---------------------------------------------------------------
g=$T/gw
mkdir -p "$g"
cp "$TOP/tests/data/multi.dsm.sys" "$g/dsm.sys"
chmod 664 "$g/dsm.sys"
cp "$g/dsm.sys" "$T/before"
dsm -setopt -optfile "$g/dsm.sys" SSL yes
expect 2 "a group-writable file is refused"
err_has 'writable by group or others' "and the message says why"
same "$T/before" "$g/dsm.sys" "the file is left as it was"
chmod 644 "$g/dsm.sys"
chmod 777 "$g"
dsm -setopt -optfile "$g/dsm.sys" SSL yes
expect 2 "a file in a world-writable directory is refused"
chmod 755 "$g"

cp "$TOP/tests/data/bad/port-range.dsm.sys" "$g/dsm.sys"
cp "$g/dsm.sys" "$T/before"
dsm -setopt -optfile "$g/dsm.sys" SSL yes
expect 2 "a file that does not parse is not edited"
err_has "$g/dsm.sys:3: TCPPort: \"99999\" is not a port" "the error names FILE:LINE"
same "$T/before" "$g/dsm.sys" "the bad file is unchanged"
if [ -e "$g/dsm.sys.bak" ]; then nok "a backup was written"; else
	ok "no backup either"; fi
dsm -query -optfile "$g/dsm.sys"
expect 2 "-query of a bad file"
cp "$TOP/tests/data/bad/too-short.dsm.sys" "$g/dsm.sys"
dsm -query -optfile "$g/dsm.sys"
expect 2 "a line with a name too short"
err_has "dsm.sys:2: TCP is ambiguous" "names the line"

cp "$TOP/tests/data/dup.dsm.sys" "$g/dsm.sys"
dsm -query -optfile "$g/dsm.sys" -server s1 TCPPort
expect 0 "an option given twice"
one_line "$T/out" 1501 "the last one wins"
err_has 'warning: .*dsm.sys:4: TCPPort is set again \(first at line 3\)' \
    "with a warning naming both lines"

# Root editing a file that belongs to someone else is warned about.
if [ "$(id -u)" = 0 ]; then
	mkdir -m 755 "$T/user"
	printf 'SErvername S\n   TCPServeraddress a.example\n' >"$T/user/dsm.sys"
	printf 'SErvername S\n' >"$T/user/dsm.opt"
	chown 4242:4242 "$T/user/dsm.sys" "$T/user/dsm.opt" "$T/user"
	chmod 644 "$T/user/dsm.sys" "$T/user/dsm.opt"
	dsm -setopt -optfile "$T/user/dsm.opt" SSL YES
	expect 0 "root edits a user's dsm.sys"
	err_has "warning: .*dsm.sys belongs to uid 4242, not root" "with a warning"
	assert "the owner is kept" [ "$(stat -c %u "$T/user/dsm.sys")" = 4242 ]
else
	skip 3 "only root edits another user's file"
fi
