# Hostile and broken input: exit 2, the file named, the database unchanged.
plan 53
DB="$T/keydb"
mkcert good
dsm -add -server GOOD -file "$T/good.pem" -db "$DB"
expect 0 "a database to protect"
certlist "$DB" >"$T/before"

: >"$T/empty.pem"
dsm -add -server X -file "$T/empty.pem" -db "$DB"
expect 2 "empty file"
err_has "empty.pem" "names the empty file"
db_unchanged "empty"

head -c 3000 /dev/urandom >"$T/random.bin"
dsm -add -server X -file "$T/random.bin" -db "$DB"
expect 2 "binary garbage"
err_has "random.bin" "names the garbage file"
db_unchanged "garbage"

printf 'hello\nthis is not a certificate\n' >"$T/text.txt"
dsm -add -server X -file "$T/text.txt" -db "$DB"
expect 2 "plain text"
db_unchanged "text"

head -c 700 "$T/good.pem" >"$T/trunc.pem"
dsm -add -server X -file "$T/trunc.pem" -db "$DB"
expect 2 "truncated PEM"
err_has "trunc.pem:1:" "names file and line of the truncated block"
db_unchanged "truncated"

der "$T/good.pem" >"$T/good.der"
head -c 400 "$T/good.der" >"$T/trunc.der"
dsm -add -server X -file "$T/trunc.der" -db "$DB"
expect 2 "truncated DER"
db_unchanged "truncated DER"

sed '3s/./#/' "$T/good.pem" >"$T/badb64.pem"
dsm -add -server X -file "$T/badb64.pem" -db "$DB"
expect 2 "corrupted base64"
db_unchanged "corrupted"

openssl req -new -key "$T/good.key" -subj "/CN=req" -out "$T/req.csr"
dsm -add -server X -file "$T/req.csr" -db "$DB"
expect 2 "a certificate request"
err_has "signing request, not a certificate" "says it is a request"
db_unchanged "request"

cp "$T/good.key" "$T/key.pem"
dsm -add -server X -file "$T/key.pem" -db "$DB"
expect 2 "a private key alone"
err_has "no certificate" "says there is no certificate"

dsm -add -server X -file "$T/does-not-exist.pem" -db "$DB"
expect 2 "missing file"
err_has "does-not-exist.pem" "names the missing file"

mkdir "$T/adir"
dsm -add -server X -file "$T/adir" -db "$DB"
expect 2 "a directory"
db_unchanged "directory"

# All or nothing: a bundle with one expired certificate imports nothing.
mkdated old -24 12
mkdated future 12 12
mkcert fresh
cat "$T/fresh.pem" "$T/old.pem" "$T/future.pem" >"$T/mixed.pem"
dsm -add -server MIX -file "$T/mixed.pem" -db "$DB"
expect 2 "a bundle with expired and future certificates"
err_has "mixed.pem:[0-9]+: .*CN=old.* expired on" "names the expired one"
err_has "mixed.pem:[0-9]+: .*CN=future.* not valid before" "names the future one"
db_unchanged "all or nothing"

dsm -add -server OLD -file "$T/old.pem" -db "$DB"
expect 2 "expired alone is refused"
dsm -add -server OLD -file "$T/old.pem" -db "$DB" -force
expect 0 "expired with -force is imported"
err_has "warning: .*expired" "with a warning"

# A fresh database is not created for bad input.
dsm -add -server X -file "$T/random.bin" -db "$T/newdb"
expect 2 "bad input into a database that does not exist"
assert "no database directory was created" [ ! -e "$T/newdb" ]

# Weak certificates are warned about, not refused.
openssl req -x509 -newkey rsa:1024 -sha1 -nodes -keyout "$T/weak.key" \
    -out "$T/weak.pem" -days 30 -subj "/CN=weak" 2>/dev/null
dsm -add -server WEAK -file "$T/weak.pem" -db "$DB"
expect 0 "a weak certificate is imported"
err_has "1024-bit RSA key" "warned about the small key"
err_has "weak signature" "warned about SHA-1"

# DER that is not a certificate is named as the PEM path names it.
certlist "$DB" >"$T/before"
openssl req -new -key "$T/good.key" -subj "/CN=req" -outform DER \
    -out "$T/req.der"
dsm -add -server X -file "$T/req.der" -db "$DB"
expect 2 "a DER certificate request"
err_has "req.der: a certificate signing request \(DER\), not a certificate" \
    "says it is a request"
db_unchanged "DER request"
: >"$T/index.txt"
printf '[ca]\ndefault_ca = d\n[d]\ndatabase = %s\ndefault_md = sha256\ndefault_crl_days = 30\n' \
    "$T/index.txt" >"$T/crl.cnf"
openssl ca -gencrl -config "$T/crl.cnf" -keyfile "$T/good.key" \
    -cert "$T/good.pem" -out "$T/crl.pem" 2>/dev/null
openssl crl -in "$T/crl.pem" -outform DER -out "$T/crl.der"
dsm -add -server X -file "$T/crl.der" -db "$DB"
expect 2 "a DER revocation list"
err_has "crl.der: no certificate in the file, only a certificate revocation list" \
    "says it is a revocation list"
db_unchanged "DER CRL"
dsm -add -server X -file "$T/crl.pem" -db "$DB"
expect 2 "a PEM revocation list"
err_has "crl.pem:1: no certificate in the file, only X509 CRL" \
    "the PEM one says so too"

openssl crl2pkcs7 -in "$T/crl.pem" -out "$T/onlycrl.p7b"
dsm -add -server X -file "$T/onlycrl.p7b" -db "$DB"
expect 2 "a PKCS#7 bundle without certificates"
err_has "onlycrl.p7b:1: a PKCS#7 bundle with no certificate" "says so"
db_unchanged "empty PKCS#7"
openssl crl2pkcs7 -nocrl -certfile "$T/good.pem" -out "$T/good.p7b"
sed '3s/./#/' "$T/good.p7b" >"$T/bad.p7b"
dsm -add -server X -file "$T/bad.p7b" -db "$DB"
expect 2 "a corrupted PKCS#7 bundle"
err_has "bad.p7b:1: " "names the file and line"
db_unchanged "corrupted PKCS#7"

printf '\377\376' >"$T/utf16.pem"
iconv -f UTF-8 -t UTF-16LE "$T/good.pem" >>"$T/utf16.pem"
dsm -add -server X -file "$T/utf16.pem" -db "$DB"
expect 2 "a PEM file saved as UTF-16"
err_has "utf16.pem: UTF-16 text" "says what the file is"
