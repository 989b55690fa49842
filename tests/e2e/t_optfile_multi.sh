# Options that accumulate (the include-exclude list, DOMain, INCLEXCL,
# VIRTUALMountpoint, ...): the client uses every line of them, so -query
# shows every line and -setopt adds a line instead of replacing one.
plan 35

d=$T/fs01
mkdir -p "$d"
chmod 755 "$d"
cp "$TOP/tests/data/fileserver.dsm.sys" "$d/dsm.sys"
cp "$TOP/tests/data/fileserver.dsm.opt" "$d/dsm.opt"
chmod 644 "$d/dsm.sys" "$d/dsm.opt"
export DSM_DIR="$d"

# lines DESC FILE LINE...: FILE holds exactly these lines.
lines() {
	_d=$1 _f=$2
	shift 2
	printf '%s\n' "$@" >"$T/want"
	same "$T/want" "$_f" "$_d"
}

# ---- -query, text ----------------------------------------------------------
dsm -query
expect 0 "-query of a stanza with an include-exclude list"
grep '^EXCLude ' "$T/out" >"$T/got"
lines "every EXCLude line, in file order" "$T/got" 'EXCLude                  /.../core' \
    'EXCLude                  /tmp/.../*' \
    'EXCLude                  /var/tmp/.../*' \
    'EXCLude                  /export/.../*.swp'
grep -i '^EXCLUDE\.DIR ' "$T/out" >"$T/got"
lines "every EXCLUDE.DIR line, whatever its case" "$T/got" 'EXCLUDE.DIR              /proc' \
    'EXCLUDE.DIR              /sys' 'EXCLUDE.DIR              /export/scratch'
grep '^INCLEXCL ' "$T/out" >"$T/got"
lines "both INCLEXCL files, INCLExcl among them" "$T/got" 'INCLEXCL                 /opt/tivoli/tsm/client/ba/bin/inclexcl.def' \
    'INCLEXCL                 /etc/tsm/inclexcl.local'
grep '^DOMain ' "$T/out" >"$T/got"
lines "DOMain: the stanza's lines, then dsm.opt's" "$T/got" 'DOMain                   /export' \
    'DOMain                   /export/projects' 'DOMain                   /' \
    'DOMain                   /var'
grep '^VIRTUALMountpoint ' "$T/out" >"$T/got"
lines "every VIRTUALMountpoint" "$T/got" 'VIRTUALMountpoint        /export/projects' \
    'VIRTUALMountpoint        /export/home'
out_has '^TCPPort +1500$' "single-valued options are one line, as before"
err_lacks() {
	if grep -Eq -- "$1" "$T/err"; then
		nok "$2: stderr has /$1/"; sed 's/^/#   err: /' "$T/err"
	else ok "$2"; fi
}
err_lacks 'set again' "a second INCLEXCL is not warned about"

# ---- -query OPTION: every value, one a line ------------------------------
dsm -query EXCLUDE.DIR
expect 0 "-query EXCLUDE.DIR"
lines "its values alone, one a line" "$T/out" /proc /sys /export/scratch
dsm -query excl
expect 0 "-query of an abbreviation"
lines "the values of EXCLude" "$T/out" '/.../core' '/tmp/.../*' '/var/tmp/.../*' '/export/.../*.swp'
dsm -query dom
expect 0 "-query dom"
lines "DOMain: the stanza's, then dsm.opt's" "$T/out" /export /export/projects / /var
dsm -query -server TSM_DR EXCLUDE
expect 0 "-query of another stanza"
lines "that stanza's own list" "$T/out" '/dr/.../*'
dsm -query -server TSM_DR INCLUDE
expect 4 "an option that accumulates and is not set is not found"

# ---- -query -json: "value" as before, "values" every one -----------------
dsm -query -json
expect 0 "-query -json"
jall '"value" the last line, "values" all, "line" the last' \
    '[.options[] | select(.name == "EXCLude") | [.value, .values, .line]] ==
    [["/export/.../*.swp", ["/.../core", "/tmp/.../*", "/var/tmp/.../*",
    "/export/.../*.swp"], 30]]' \
    '"values" of DOMain from both files' \
    '[.options[] | select(.name == "DOMain") | [.value, .values]] ==
    [["/export/projects", ["/export", "/export/projects", "/", "/var"]]]' \
    '"values" of one line' \
    '[.options[] | select(.name == "domain.vmfull") | .values] ==
    [["vm-fs01;vm-fs02"]]' \
    '"values" for the options that accumulate alone' \
    '[.options[] | select(.values) | .name] == ["INCLEXCL", "INCLude",
    "EXCLude", "DOMain", "EXCLUDE.DIR", "include.fs", "VIRTUALMountpoint",
    "domain.vmfull"]' \
    "the keys of other options are as they were" \
    '[.options[] | select(.name == "TCPPort") | keys] ==
    [["default", "file", "line", "name", "value"]]'

# ---- -setopt adds, -unsetopt removes them all -------------------------------
cp "$d/dsm.sys" "$T/before"
dsm -setopt EXCLUDE.DIR /export/cache
expect 0 "-setopt EXCLUDE.DIR of a new directory"
out_has 'EXCLUDE.DIR /export/cache added in stanza TSM_PROD' "says it added it"
diff "$T/before" "$d/dsm.sys" | grep '^[<>]' >"$T/got"
lines "one line added, after the list, aligned" "$T/got" \
    '>    EXCLUDE.DIR        /export/cache'
dsm -query EXCLUDE.DIR
lines "the others are kept" "$T/out" /proc /sys /export/scratch /export/cache

cp "$d/dsm.sys" "$T/before"
dsm -setopt EXCLUDE.DIR /sys
expect 0 "-setopt EXCLUDE.DIR of a directory excluded already"
out_has 'is there already' "is nothing to do"
same "$T/before" "$d/dsm.sys" "and changes nothing"

dsm -setopt exclude /export/.../*.bak
expect 0 "-setopt EXCLUDE of a new pattern"
dsm -query EXCLUDE
lines "the pattern is added to the others" "$T/out" '/.../core' '/tmp/.../*' '/var/tmp/.../*' \
    '/export/.../*.swp' '/export/.../*.bak'

dsm -unsetopt EXCLUDE.DIR
expect 0 "-unsetopt EXCLUDE.DIR"
if grep -qi 'exclude\.dir' "$d/dsm.sys"; then
	nok "an EXCLUDE.DIR line is left"; else
	ok "every EXCLUDE.DIR line of the stanza is gone"; fi
dsm -query -server TSM_DR EXCLUDE
lines "the other stanza's list is untouched" "$T/out" '/dr/.../*'
