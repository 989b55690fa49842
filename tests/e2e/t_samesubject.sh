# A bundle of vendor certificates without -label: every one has the same
# subject, so each is labelled from it, "TSM Self-Signed Certificate",
# "... #2", and so on. Planning that must not cost time in the square
# (or cube) of the bundle's size, with the lock held. Each bundle's last
# certificate has the issuer and serial number of one already in the
# database, so -add plans the whole bundle, then refuses it (exit 5):
# what is timed is reading and planning, not NSS's writes. Judged by CPU
# time, which load on the machine does not change: four times the
# certificates may cost about four times as much, not sixteen.
plan 9
SMALL=500
BIG=2000
if [ -n "${SANITIZE:-}" ]; then SMALL=200; BIG=800; fi
mkbundle() {	# mkbundle N FILE: N certificates, one key, one subject
	python3 - "$1" "$2" <<'PY'
import sys, datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([
    x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "TSM"),
    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "TSM Network"),
    x509.NameAttribute(NameOID.COMMON_NAME, "TSM Self-Signed Certificate")])
now = datetime.datetime.now(datetime.timezone.utc)
with open(sys.argv[2], "wb") as f:
    for i in range(int(sys.argv[1])):
        c = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
             .public_key(key.public_key()).serial_number(1000 + i)
             .not_valid_before(now - datetime.timedelta(days=1))
             .not_valid_after(now + datetime.timedelta(days=30))
             .sign(key, hashes.SHA256()))
        f.write(c.public_bytes(serialization.Encoding.PEM))
PY
}
# cpu CMD...: run it, print its user+system CPU time in milliseconds.
cpu() {
	python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL).returncode
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(int((u.ru_utime + u.ru_stime) * 1000))' "$@"
}
# The last serial of each bundle, already in the database under
# another key (made with the same script, the subject every vendor uses).
mkbundle 1 "$T/one.pem"
mkbundle 200 "$T/two.pem"
dsm -add -file "$T/two.pem" -db "$T/db0"
expect 0 "200 vendor certificates without -label"
n=$(certutil -L -d "sql:$T/db0" | grep -c '^TSM Self-Signed Certificate')
assert "all 200 are there (has $n)" [ "$n" = 200 ]
assert "the last is labelled \"TSM Self-Signed Certificate #200\"" \
    sh -c "certutil -L -d sql:$T/db0 | grep -q '^TSM Self-Signed Certificate #200 '"

mkbundle $SMALL "$T/small.pem"
mkbundle $BIG "$T/big.pem"
for n in $SMALL $BIG; do
	python3 - "$T/one.pem" "$T/clash$n.pem" $((1000 + n - 1)) <<'PY'
import sys, datetime
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
c = x509.load_pem_x509_certificate(open(sys.argv[1], "rb").read())
key = ec.generate_private_key(ec.SECP256R1())
now = datetime.datetime.now(datetime.timezone.utc)
n = (x509.CertificateBuilder().subject_name(c.subject).issuer_name(c.issuer)
     .public_key(key.public_key()).serial_number(int(sys.argv[3]))
     .not_valid_before(now - datetime.timedelta(days=1))
     .not_valid_after(now + datetime.timedelta(days=30))
     .sign(key, hashes.SHA256()))
open(sys.argv[2], "wb").write(n.public_bytes(serialization.Encoding.PEM))
PY
	dsm -add -label CLASH -file "$T/clash$n.pem" -db "$T/db$n"
	expect 0 "the clashing certificate for the bundle of $n"
done
a=$(cpu "$DSMCERT" -add -file "$T/small.pem" -db "$T/db$SMALL")
b=$(cpu "$DSMCERT" -add -file "$T/big.pem" -db "$T/db$BIG")
dsm -add -file "$T/big.pem" -db "$T/db$BIG"
expect 5 "the bundle of $BIG is planned whole, then refused"
err_has 'serial number of "CLASH"' "for its last certificate"
n=$(certutil -L -d "sql:$T/db$BIG" | grep -c 'P,,')
assert "nothing of it was imported (has $n)" [ "$n" = 1 ]
[ "$a" -lt 1 ] && a=1
assert "$((BIG / SMALL)) times the certificates cost less than 8 times the CPU ($a ms, $b ms)" \
    [ "$b" -lt $((8 * a)) ]
