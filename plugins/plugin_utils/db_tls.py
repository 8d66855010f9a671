# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS between the proxies and the shared database: which settings go together."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

CERTIFICATE_PEM = re.compile(r"-----BEGIN CERTIFICATE-----\s[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----")
PRIVATE_KEY_PEM = re.compile(r"-----BEGIN ((?:RSA |EC )?PRIVATE KEY)-----\s[A-Za-z0-9+/=\s]+-----END \1-----")
_BOOLEANS = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}


def _boolean(value):
    """True or False for a setting meant as a boolean, None for anything else."""
    if isinstance(value, bool):
        return value
    return _BOOLEANS.get(str(value).strip().lower())


def pem_problem(name, text, pattern, what):
    """A message when ``text`` is not made only of PEM blocks of ``pattern``."""
    text = str(text).strip()
    if pattern.search(text) and not pattern.sub("", text).strip():
        return []
    return ["%s is not %s in PEM form (-----BEGIN ...----- lines); paste the file's text, not its path." % (name, what)]


def db_tls_problems(settings):
    """Problems of the database TLS settings, empty when all is well.

    ``settings`` holds sipha_db_tls, sipha_db_tls_ca_certificate,
    sipha_db_engine, sipha_sip_proxy and database_hosts (the sip_databases
    group, where the sipdb role makes a CA when none is given). On the
    database host it holds sipdb_tls_certificate and sipdb_tls_private_key
    too, and the server side is judged as well.
    """
    enabled = _boolean(settings.get("sipha_db_tls", False))
    if enabled is None:
        return ["sipha_db_tls is %r; use true or false." % (settings.get("sipha_db_tls"),)]
    if not enabled:
        return []

    problems = []
    if settings.get("sipha_sip_proxy") == "opensips" and settings.get("sipha_db_engine") == "mariadb":
        problems.append(
            "sipha_db_tls is true with OpenSIPS on MariaDB: OpenSIPS's db_mysql takes TLS through its tls_mgm "
            "module, which this release does not configure. Use sipha_db_engine: postgresql (libpq verifies the "
            "database from the unit's environment), or set sipha_db_tls: false."
        )

    ca = str(settings.get("sipha_db_tls_ca_certificate") or "").strip()
    if ca:
        problems.extend(pem_problem("sipha_db_tls_ca_certificate", ca, CERTIFICATE_PEM, "a CA certificate"))
    elif not settings.get("database_hosts"):
        problems.append(
            "sipha_db_tls is true but the proxies have no CA to check the database with: set "
            "sipha_db_tls_ca_certificate to the PEM text of the CA that signed your database's certificate, or "
            "put the database host in the sip_databases group so that the sipdb role makes a private CA."
        )

    if "sipdb_tls_certificate" in settings:
        problems.extend(_server_problems(settings, ca))
    return problems


def _server_problems(settings, ca):
    """The database host's own certificate: both parts or neither, matching the CA."""
    certificate = str(settings.get("sipdb_tls_certificate") or "").strip()
    key = str(settings.get("sipdb_tls_private_key") or "").strip()
    if bool(certificate) != bool(key):
        return [
            "sipdb_tls_certificate and sipdb_tls_private_key go together: give both (a certificate of your own "
            "PKI) or neither (the sipdb role makes a private CA and the server's certificate)."
        ]
    if not certificate:
        if ca:
            return [
                "sipha_db_tls_ca_certificate is set but sipdb_tls_certificate is not: the proxies would check a "
                "certificate the sipdb role makes with a CA of its own against your CA, and refuse it. Give "
                "sipdb_tls_certificate and sipdb_tls_private_key signed by that CA, or remove "
                "sipha_db_tls_ca_certificate."
            ]
        return []
    problems = pem_problem("sipdb_tls_certificate", certificate, CERTIFICATE_PEM, "a certificate")
    problems.extend(pem_problem("sipdb_tls_private_key", key, PRIVATE_KEY_PEM, "an unencrypted private key"))
    if not ca:
        problems.append(
            "sipdb_tls_certificate is given but sipha_db_tls_ca_certificate is not: the proxies need the CA "
            "that signed it to check the database; set sipha_db_tls_ca_certificate to its PEM text."
        )
    return problems
