# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SIP over TLS on the VIP: the certificate and key the user gives, judged
before any host is touched.

Every node serves the same certificate (the phones see one VIP), so the
pair comes from the inventory as PEM text. A pair that does not match, or a
certificate out of its validity, would let the proxy start and every phone's
handshake fail: refused here instead, with the fix.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    HAS_CRYPTOGRAPHY = True
except ImportError:  # pragma: no cover - ansible-core depends on it
    HAS_CRYPTOGRAPHY = False

from ansible_collections.sipha.cluster.plugins.plugin_utils.db_tls import CERTIFICATE_PEM, PRIVATE_KEY_PEM, pem_problem

_CERTIFICATE = "sipha_sip_tls_certificate"
_PRIVATE_KEY = "sipha_sip_tls_private_key"


def sip_tls_problems(settings, now=None):
    """Problems of the SIP TLS settings, empty when all is well.

    ``settings`` holds ``proxy_name`` (the proxy role's variable prefix),
    ``protocols`` (its transports), ``port`` and ``tls_port``,
    sipha_sip_tls_certificate and sipha_sip_tls_private_key (PEM text).
    OpenSIPS may go without the pair: it then reads files the node has.
    ``now`` (an aware datetime) stands in for the clock in tests.
    """
    certificate = str(settings.get(_CERTIFICATE) or "").strip()
    key = str(settings.get(_PRIVATE_KEY) or "").strip()
    protocols = settings.get("protocols") or []
    prefix = settings.get("proxy_name") or "kamailio"
    if "tls" not in protocols:
        return []
    if "tcp" in protocols and str(settings.get("tls_port")) == str(settings.get("port")):
        return [
            "%s_tls_port is %s, the port TCP listens on too (%s_port): the proxy cannot bind both. "
            "Give TLS its own port (5061, the default)." % (prefix, settings.get("tls_port"), prefix)
        ]
    if prefix == "opensips" and not certificate and not key:
        # OpenSIPS may read a pair the node already has (opensips_tls_certificate).
        return []
    if not certificate or not key:
        return [
            "tls is in %s_protocols but %s or %s is empty: give the PEM text of the certificate "
            "the phones will see (its chain after it) and of its unencrypted private key (keep it in a vault), "
            "or take tls out of the protocols." % (prefix, _CERTIFICATE, _PRIVATE_KEY)
        ]
    problems = pem_problem(_CERTIFICATE, certificate, CERTIFICATE_PEM, "a certificate")
    problems.extend(pem_problem(_PRIVATE_KEY, key, PRIVATE_KEY_PEM, "an unencrypted private key"))
    if problems or not HAS_CRYPTOGRAPHY:
        return problems
    return _pair_problems(certificate, key, now or datetime.datetime.now(datetime.timezone.utc))


def _pair_problems(certificate_text, key_text, now):
    """The first certificate of the chain: readable, matching the key, valid now."""
    try:
        certificate = x509.load_pem_x509_certificate(certificate_text.encode())
    except ValueError as error:
        return ["%s cannot be read as an X.509 certificate (%s); give the PEM text of the server's certificate." % (_CERTIFICATE, error)]
    try:
        key = serialization.load_pem_private_key(key_text.encode(), password=None)
    except (ValueError, TypeError) as error:
        return ["%s cannot be read as an unencrypted private key (%s); give the key without a passphrase." % (_PRIVATE_KEY, error)]

    problems = []
    if _public_der(certificate.public_key()) != _public_der(key.public_key()):
        problems.append(
            "%s does not match %s: the certificate (the first one, if a chain follows) was issued for another key. "
            "Give the key the certificate was made for, or a certificate for this key." % (_CERTIFICATE, _PRIVATE_KEY)
        )
    not_before, not_after = _validity(certificate)
    if now > not_after:
        problems.append(
            "%s expired on %s: phones refuse it. Renew it and give the new PEM text." % (_CERTIFICATE, not_after.strftime("%Y-%m-%d %H:%M UTC"))
        )
    elif now < not_before:
        problems.append(
            "%s is not valid before %s: phones refuse it until then (check the clock of the machine that made it)."
            % (_CERTIFICATE, not_before.strftime("%Y-%m-%d %H:%M UTC"))
        )
    return problems


def _public_der(public_key):
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _validity(certificate):
    """Its validity as aware datetimes, whatever the cryptography release."""
    if hasattr(certificate, "not_valid_after_utc"):
        return certificate.not_valid_before_utc, certificate.not_valid_after_utc
    utc = datetime.timezone.utc
    return certificate.not_valid_before.replace(tzinfo=utc), certificate.not_valid_after.replace(tzinfo=utc)
