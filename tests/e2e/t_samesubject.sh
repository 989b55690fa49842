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
# All the certificates, in one python3 (each start costs 0.2 s): the
# bundles one.pem (1), two.pem (200), small.pem ($SMALL) and big.pem
# ($BIG), each on a key of its own, every one with the subject every
# vendor server uses; and clashN.pem for N = $SMALL and $BIG, on another
# key, with the subject and issuer of one.pem and the serial of the last
# of bundle N.
python3 - "$T" "$SMALL" "$BIG" <<'PY'
import sys, datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
t, small, big = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
name = x509.Name([
    x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "TSM"),
    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "TSM Network"),
    x509.NameAttribute(NameOID.COMMON_NAME, "TSM Self-Signed Certificate")])
now = datetime.datetime.now(datetime.timezone.utc)
def cert(key, serial):
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(serial)
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .sign(key, hashes.SHA256()))
def bundle(n, path):    # n certificates, one key, one subject
    key = ec.generate_private_key(ec.SECP256R1())
    with open(path, "wb") as f:
        for i in range(n):
            f.write(cert(key, 1000 + i).public_bytes(serialization.Encoding.PEM))
bundle(1, t + "/one.pem")
bundle(200, t + "/two.pem")
bundle(small, t + "/small.pem")
bundle(big, t + "/big.pem")
for n in (small, big):
    key = ec.generate_private_key(ec.SECP256R1())
    with open("%s/clash%d.pem" % (t, n), "wb") as f:
        f.write(cert(key, 1000 + n - 1).public_bytes(serialization.Encoding.PEM))
PY
# cpu CMD...: run it, print its user+system CPU time in milliseconds.
cpu() {
	python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL).returncode
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(int((u.ru_utime + u.ru_stime) * 1000))' "$@"
}
dsm -add -file "$T/two.pem" -db "$T/db0"
expect 0 "200 vendor certificates without -label"
n=$(certutil -L -d "sql:$T/db0" | grep -c '^TSM Self-Signed Certificate')
assert "all 200 are there (has $n)" [ "$n" = 200 ]
assert "the last is labelled \"TSM Self-Signed Certificate #200\"" \
    sh -c "certutil -L -d sql:$T/db0 | grep -q '^TSM Self-Signed Certificate #200 '"

# The last serial of each bundle, already in the database under
# another key (clashN.pem, made above).
for n in $SMALL $BIG; do
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
