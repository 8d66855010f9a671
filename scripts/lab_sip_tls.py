# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make the lab's SIP TLS certificate: a lab CA, and the proxies' certificate
signed by it, written as the lab inventory's group_vars file.

Lab-only and committed on purpose, like the lab's other secrets: every lab
(and every molecule scenario, whatever its addresses) serves the same
certificate, named by DNS (LAB_SIP_NAME), and the lab's TLS phone checks it
against the lab CA. Run it again to renew (ten years).

    python3 scripts/lab_sip_tls.py inventories/lab/group_vars/all/sip_tls.yml
"""

import datetime
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

LAB_SIP_NAME = "sip.sipha-lab.test"
DAYS = 3650


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


def make(now):
    """(CA certificate, server certificate, server key) as PEM text."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    key = ec.generate_private_key(ec.SECP256R1())
    until = now + datetime.timedelta(days=DAYS)
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("sipha lab SIP CA"))
        .issuer_name(_name("sipha lab SIP CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server = (
        x509.CertificateBuilder()
        .subject_name(_name(LAB_SIP_NAME))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(LAB_SIP_NAME)]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        # Python 3.13's strict verification (Debian 13's phones here) wants it.
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    as_pem = serialization.Encoding.PEM
    return ca.public_bytes(as_pem).decode(), server.public_bytes(as_pem).decode(), _pem(key)


def _block(name, text):
    return "%s: |\n%s" % (name, "".join("  %s\n" % line for line in text.strip().splitlines()))


def main(path):
    ca, certificate, key = make(datetime.datetime.now(datetime.timezone.utc))
    with open(path, "w") as out:
        out.write(
            "---\n"
            "# SIP over TLS in the lab, made by scripts/lab_sip_tls.py (run it again to\n"
            "# renew). Lab-only, committed on purpose: a real cluster's key lives in a\n"
            "# vault, and its certificate comes from the operator's own CA.\n"
            "lab_sip_tls_name: %s\n%s%s%s"
            % (LAB_SIP_NAME, _block("lab_sip_tls_ca_certificate", ca), _block("sipha_sip_tls_certificate", certificate),
               _block("sipha_sip_tls_private_key", key))
        )


if __name__ == "__main__":
    main(sys.argv[1])
