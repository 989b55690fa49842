#!/usr/bin/python3
# eccerts.py KEY PREFIX N FIRST [PREFIX N FIRST]...: N self-signed
# certificates on the EC key in KEY, CN=PREFIX-1 to PREFIX-N, serial
# numbers FIRST+1 on, valid for 30 days from now, as PEM on standard
# output, for each group in turn: what N runs of
#     openssl req -x509 -key KEY -days 30 -subj /CN=PREFIX-i -set_serial S
# make (the v3_ca extensions of openssl.cnf included), in one process
# instead of N (python3 and its cryptography take 0.2 s to start). For
# lib.sh's eccerts.
import datetime
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID


def main():
    keyfile, groups = sys.argv[1], sys.argv[2:]
    with open(keyfile, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    pub = key.public_key()
    ski = x509.SubjectKeyIdentifier.from_public_key(pub)
    aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)
    bc = x509.BasicConstraints(ca=True, path_length=None)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    out = sys.stdout.buffer
    for g in range(0, len(groups) - 2, 3):
        certs(key, pub, ski, aki, bc, now, out,
              groups[g], int(groups[g + 1]), int(groups[g + 2]))


def certs(key, pub, ski, aki, bc, now, out, prefix, n, first):
    for i in range(1, n + 1):
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "%s-%d" % (prefix, i))])
        cert = (x509.CertificateBuilder()
                .subject_name(name).issuer_name(name).public_key(pub)
                .serial_number(first + i)
                .not_valid_before(now)
                .not_valid_after(now + datetime.timedelta(days=30))
                .add_extension(ski, critical=False)
                .add_extension(aki, critical=False)
                .add_extension(bc, critical=True)
                .sign(key, hashes.SHA256()))
        out.write(cert.public_bytes(serialization.Encoding.PEM))


main()
