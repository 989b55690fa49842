# -setopt writes only the option names the client documents (issue 25):
# the client refuses to start on one it does not know.
plan 14
mkdir -p "$T/c" && chmod 755 "$T/c"
printf 'SErvername SRV1\n' >"$T/c/dsm.opt"
printf 'SErvername SRV1\n   TCPServeraddress srv1.example.com\n' >"$T/c/dsm.sys"
cp "$T/c/dsm.sys" "$T/sys.before"

dsm -setopt -optfile "$T/c/dsm.opt" SSLACCEPTCERTFROMSERVER NO
expect 2 "a misspelt option is refused"
err_has 'SSLACCEPTCERTFROMSERVER is not an option the client documents' \
    "says so"
err_has 'did you mean SSLACCEPTCERTFROMSERV' "and suggests the right one"
err_has '\-force' "and how to write it all the same"
assert "nothing written" cmp -s "$T/c/dsm.sys" "$T/sys.before"

dsm -setopt -optfile "$T/c/dsm.opt" sslacceptcertfromserv NO
expect 0 "the documented name, any case"
dsm -setopt -optfile "$T/c/dsm.opt" SCHEDMOD prompted
expect 0 "a documented option dsmcert does not use, abbreviated"
assert "written" grep -q '^ *SCHEDMOD prompted' "$T/c/dsm.sys"
dsm -setopt -optfile "$T/c/dsm.opt" SCHEDMO prompted
expect 2 "shorter than its documented abbreviation (SCHEDMODe)"
dsm -setopt -optfile "$T/c/dsm.opt" NEWCLIENTOPTION yes
expect 2 "an unknown name, nothing near it"
err_has 'NEWCLIENTOPTION is not an option the client documents$' \
    "no guess when nothing is near"
dsm -setopt -optfile "$T/c/dsm.opt" -force NEWCLIENTOPTION yes
expect 0 "with -force it is written (a newer client's option)"
err_has 'written as asked' "with a warning"
assert "written" grep -q '^ *NEWCLIENTOPTION yes' "$T/c/dsm.sys"
