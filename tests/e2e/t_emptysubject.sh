# A certificate may have an empty subject and be named by its
# subjectAltName alone (some appliances issue them so). Text output says
# "(empty subject)" where the subject goes, never a blank; JSON keeps the
# subject as it is, "".
plan 14
DB="$T/keydb"
mkca root "/O=Example Corp/CN=Example Root CA"
mkca country "/C=DE"
poolkey empty &&
openssl req -x509 -key "$T/empty.key" \
    -out "$T/empty.pem" -days 365 -subj "/" \
    -addext "subjectAltName=critical,DNS:tsm.example.com" \
    -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null
if [ "$(openssl x509 -in "$T/empty.pem" -noout -subject)" = "subject=" ]
then ok "openssl made a certificate with an empty subject"; else
	nok "the test certificate has a subject"; fi
cat "$T/root.pem" "$T/country.pem" "$T/empty.pem" >"$T/bundle.pem"
sha=$(fp "$T/empty.pem")

dsm -add -file "$T/bundle.pem" -db "$DB"
expect 0 "a bundle with a certificate of empty subject is imported"
out_has "^imported \(empty subject\) as \"certificate #2\" \(SHA-256 $sha," \
    "its line says \"(empty subject)\""
out_has '^imported C=DE as "certificate" ' \
    "a subject without a name to label by is printed as it is"
out_lacks '  ' "no line has two blanks where a subject belongs"
assert "certutil lists it under its label" \
    sh -c "certutil -L -d sql:$DB | grep -Eq '^certificate #2 +P,,'"

dsm -list -label "certificate #2" -db "$DB"
expect 0 "-list of it"
out_has '^  subject:     \(empty subject\)$' "-list says its subject is empty"
out_has '^  issuer:      \(empty issuer\)$' "and its issuer, as it is self-signed"
dsm -list -label "certificate #2" -db "$DB" -json
assert "-list -json keeps the subject as it is: \"\"" \
    jq -e '.[0].subject == "" and .[0].issuer == ""' "$T/out"

dsm -add -file "$T/empty.pem" -label appliance -db "$DB"
expect 0 "adding it again under another label changes nothing"
out_has "^unchanged: \(empty subject\) \(SHA-256 $sha\) is already in the key database as \"certificate #2\"$" \
    "and says which certificate is there, and as what"

dsm -delete -label "certificate #2" -db "$DB"
expect 0 "-delete of it"
out_has "^deleted \"certificate #2\" \(\(empty subject\), SHA-256 $sha\)$" \
    "the deletion says so too"
