# -add -pkcs11 and -list -pkcs11: certificates on a softhsm2 token with its
# own configuration and token directory, written with pkcs11-tool.
plan 63
DB="$T/keydb"
MOD=/usr/lib/softhsm/libsofthsm2.so
mkdir -p "$T/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\n' \
    "$T" >"$T/softhsm2.conf"
export SOFTHSM2_CONF="$T/softhsm2.conf"

# mktoken LABEL: a token with SO PIN 12345678 and user PIN 1234.
mktoken() {
	softhsm2-util --init-token --free --label "$1" --so-pin 12345678 \
	    --pin 1234 >/dev/null
}
# putcert TOKEN PEM ID LABEL: the certificate written onto the token.
putcert() {
	der "$2" >"$T/put.der" && [ -s "$T/put.der" ] &&
	pkcs11-tool --module "$MOD" --token-label "$1" --login --pin 1234 \
	    --write-object "$T/put.der" --type cert --id "$3" \
	    --label "$4" >/dev/null 2>&1
}

mkca root "/O=Example Corp/CN=Example Root CA"
mkca sub "/O=Example Corp/CN=Example Issuing CA"
mkca other "/O=Other Corp/CN=Other Root CA"
mkdated old -20 2
assert "softhsm2 token ROOTS made" mktoken ROOTS
assert "softhsm2 token SPARE made" mktoken SPARE
# Written out of id order: the listing is in id order all the same.
assert "issuing CA written with id 02" putcert ROOTS "$T/sub.pem" 02 sub
assert "root written with id 01" putcert ROOTS "$T/root.pem" 01 root
assert "other root written on SPARE" putcert SPARE "$T/other.pem" 0a other
printf '1234\n' >"$T/pin"
printf '9999\n' >"$T/badpin"
chmod 600 "$T/pin" "$T/badpin"

# -list reads the token only.
dsm -list -pkcs11 "$MOD" -token ROOTS -db "$DB"
expect 0 "-list -pkcs11 lists a token"
assert "no key database was made by listing a token" [ ! -e "$DB" ]
n=$(grep -c '^  SHA-256:' "$T/out")
assert "two certificates on ROOTS (has $n)" [ "$n" = 2 ]
out_has "$(fp "$T/root.pem")" "the root's fingerprint, as openssl prints it"
out_has "$(fp "$T/sub.pem")" "the issuing CA's fingerprint"
assert "in id order: 01 first, then 02" \
    sh -c "grep '^  id:' '$T/out' | tr -d ' ' | paste -sd' ' - |
        grep -qx 'id:01 id:02'"
out_has '^ROOTS$' "each entry is headed by its token"
out_has 'subject: +CN=Example Root CA,O=Example Corp' "subject shown"
out_has 'issuer: +CN=Example Root CA,O=Example Corp' "issuer shown"
out_has 'not after: +[0-9]{4}-' "dates shown"

dsm -list -pkcs11 "$MOD" -json
expect 0 "-list -pkcs11 -json of every token"
assert "JSON: three certificates, with token, id and sha256" \
    sh -c "jq -e 'length == 3 and
        ([.[] | .token + \"/\" + .id] == [\"ROOTS/01\", \"ROOTS/02\",
            \"SPARE/0A\"]) and
        (.[0].sha256 == \"$(fp "$T/root.pem")\") and
        (.[2].subject == \"CN=Other Root CA,O=Other Corp\")' <'$T/out' \
        >/dev/null"

dsm -list -pkcs11 "$MOD" -token ROOTS -id 02 -json
expect 0 "-id picks one object"
assert "only the id 02 certificate" \
    sh -c "jq -e 'length == 1 and .[0].sha256 == \"$(fp "$T/sub.pem")\"' \
        <'$T/out' >/dev/null"

# Bad input: exit 2 or 4, a message naming the module or token.
dsm -list -pkcs11 "$T/nowhere.so"
expect 2 "a module that is not there is bad input"
err_has "nowhere.so: cannot open PKCS#11 module" "the message names it"
printf 'not a library\n' >"$T/junk.so"
dsm -list -pkcs11 "$T/junk.so"
expect 2 "a file that is not a PKCS#11 library is bad input"
err_has "junk.so: cannot load it as a PKCS#11 module" "and says so"
dsm -list -pkcs11 "$MOD" -token NOSUCH
expect 4 "a token that is not there is not found"
err_has 'no token labelled "NOSUCH" \(there are .*"ROOTS"' \
    "names the token and the ones there are"
dsm -list -pkcs11 "$MOD" -token ROOTS -id 7f
expect 4 "an id no certificate has is not found"
err_has 'no certificate with id 7F on token "ROOTS"' "names id and token"
dsm -list -pkcs11 "$MOD" -id xyz
expect 1 "an id that is not hex is a usage error"
dsm -list -token ROOTS
expect 1 "-token without -pkcs11 is a usage error"
dsm -list -pkcs11 "$MOD" -server SERVER1
expect 1 "-server does not select on a token"

# -add: same labels, trust and idempotence as -add -file.
dsm -add -server SERVER1 -pkcs11 "$MOD" -token ROOTS -id 01 -db "$DB"
expect 0 "-add -pkcs11 -id imports one certificate"
out_has 'imported .* as "SERVER1"' "says what it imported"
assert "certutil: SERVER1 is a trusted CA (C,,)" \
    sh -c "certutil -L -d sql:$DB | grep -Eq '^SERVER1 +C,,'"
certutil -L -d "sql:$DB" -n SERVER1 -a >"$T/got.pem" 2>/dev/null
assert "the certificate in the database is the one on the token" \
    [ "$(fp "$T/got.pem")" = "$(fp "$T/root.pem")" ]
dsm -list -server SERVER1 -db "$DB" -json
assert "-list shows it for SERVER1" \
    sh -c "jq -e '.[0].server == \"SERVER1\"' <'$T/out' >/dev/null"

certlist "$DB" >"$T/before"
dsm -add -server SERVER1 -pkcs11 "$MOD" -token ROOTS -id 01 -db "$DB"
expect 0 "adding it again succeeds"
out_has 'unchanged' "and says nothing changed"
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "the database is as it was"

# Several certificates are a bundle: NAME, NAME #2, ... by token, by id.
dsm -add -server CORP -pkcs11 "$MOD" -db "$DB"
expect 0 "every token's certificates as one bundle"
out_has 'already in the key database as "SERVER1"' \
    "the root, already there, keeps its label"
out_has 'Issuing CA.* as "CORP #2"' "the second by id is CORP #2"
out_has 'Other Root CA.* as "CORP #3"' "the next token's follows"
certutil -L -d "sql:$DB" -n "CORP #3" -a >"$T/got.pem" 2>/dev/null
assert "CORP #3 holds the SPARE token's certificate" \
    [ "$(fp "$T/got.pem")" = "$(fp "$T/other.pem")" ]

# All or nothing: an expired certificate on the token stops the lot.
assert "expired certificate written on SPARE" \
    putcert SPARE "$T/old.pem" 0b old
certlist "$DB" >"$T/before"
dsm -add -server NEW -pkcs11 "$MOD" -token SPARE -db "$DB"
expect 2 "an expired certificate on the token is refused"
err_has 'token "SPARE".*expired' "the refusal names the token"
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "nothing from the token was imported"

# PINs: only from a private file; a wrong one changes nothing.
dsm -add -server PIN1 -pkcs11 "$MOD" -token ROOTS -id 02 -pinfile \
    "$T/badpin" -db "$DB"
expect 2 "a wrong PIN is bad input"
err_has 'token "ROOTS": wrong PIN in .*badpin' "names the token and file"
certlist "$DB" >"$T/after"
same "$T/before" "$T/after" "a wrong PIN changes nothing"
chmod 644 "$T/pin"
dsm -list -pkcs11 "$MOD" -token ROOTS -pinfile "$T/pin"
expect 2 "a PIN file readable by others is refused"
err_has 'pin: PIN file is readable by group or others' "and says why"
chmod 600 "$T/pin"
dsm -list -pkcs11 "$MOD" -pinfile "$T/pin"
expect 2 "a PIN with several tokens and no -token is refused"
err_has 'name one with -token' "asks for -token"
dsm -list -pkcs11 "$MOD" -token ROOTS -id 02 -pinfile "$T/pin" -json
expect 0 "the right PIN logs in and lists"
assert "the id 02 certificate after login" \
    sh -c "jq -e '.[0].sha256 == \"$(fp "$T/sub.pem")\"' <'$T/out' \
        >/dev/null"

mktoken EMPTY
dsm -add -server E -pkcs11 "$MOD" -token EMPTY -db "$DB"
expect 4 "a token without certificates has nothing to add"
err_has 'no certificate on the token' "says so"
err_has 'pinfile' "and that private ones need a PIN"

# libpkcs11-helper (not part of NSS) is loaded by the commands that read
# a token; every other command starts without it and its libcrypto.
readelf -d "$DSMCERT" >"$T/dynamic"
assert "the binary does not need libpkcs11-helper to start" \
    sh -c '! grep -q "NEEDED.*libpkcs11-helper" "$1"' sh "$T/dynamic"
mkdir "$T/badlib" && : >"$T/badlib/libpkcs11-helper.so.1"
run env LD_LIBRARY_PATH="$T/badlib" "$DSMCERT" -list -pkcs11 "$MOD" \
    -db "$DB"
assert "without a usable libpkcs11-helper a token read fails (exit $RC)" \
    [ "$RC" != 0 ]
err_has 'cannot load libpkcs11-helper\.so\.1: .*needed for PKCS#11 tokens' \
    "naming the library and what needs it"
run env LD_LIBRARY_PATH="$T/badlib" "$DSMCERT" -list -db "$DB"
expect 0 "-list of the key database does not need it"
