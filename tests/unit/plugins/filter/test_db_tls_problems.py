# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.db_tls_problems import FilterModule
from ansible_collections.sipha.cluster.plugins.filter.service_problems import FilterModule as ServiceFilters

db_tls_problems = FilterModule().filters()["db_tls_problems"]
service_problems = ServiceFilters().filters()["service_problems"]

# Shapes only: the rules read the PEM armour, not the numbers inside.
CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUQ2Vy\ndGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
KEY = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEG\n-----END PRIVATE KEY-----\n"


def proxy(**overrides):
    values = {
        "sipha_db_tls": True,
        "sipha_db_tls_ca_certificate": "",
        "sipha_db_engine": "mariadb",
        "sipha_sip_proxy": "kamailio",
        "database_hosts": ["db1"],
    }
    values.update(overrides)
    return values


def database(**overrides):
    values = proxy(sipdb_tls_certificate="", sipdb_tls_private_key="")
    values.update(overrides)
    return values


def test_off_needs_nothing_else():
    assert db_tls_problems(proxy(sipha_db_tls=False, database_hosts=[], sipha_sip_proxy="opensips")) == []


@pytest.mark.parametrize("value", [True, "true", "yes", False, "no"])
def test_booleans_as_inventories_give_them(value):
    assert db_tls_problems(proxy(sipha_db_tls=value)) == []


def test_not_a_boolean_is_named():
    (message,) = db_tls_problems(proxy(sipha_db_tls="sometimes"))
    assert message.startswith("sipha_db_tls is 'sometimes'")


def test_private_ca_from_the_database_host():
    assert db_tls_problems(proxy()) == []
    assert db_tls_problems(database()) == []


def test_no_ca_anywhere_is_refused():
    (message,) = db_tls_problems(proxy(database_hosts=[]))
    assert "sipha_db_tls_ca_certificate" in message and "sip_databases" in message


def test_a_database_of_your_own_with_its_ca():
    assert db_tls_problems(proxy(database_hosts=[], sipha_db_tls_ca_certificate=CERTIFICATE)) == []


@pytest.mark.parametrize("text", ["/etc/ssl/ca.pem", KEY, CERTIFICATE + "trailing words", "-----BEGIN CERTIFICATE-----"])
def test_ca_that_is_not_a_pem_certificate(text):
    (message,) = db_tls_problems(proxy(sipha_db_tls_ca_certificate=text))
    assert message.startswith("sipha_db_tls_ca_certificate is not a CA certificate in PEM form")


def test_a_chain_of_certificates_is_accepted():
    assert db_tls_problems(proxy(sipha_db_tls_ca_certificate=CERTIFICATE + CERTIFICATE)) == []


def test_opensips_on_mariadb_is_refused():
    (message,) = db_tls_problems(proxy(sipha_sip_proxy="opensips"))
    assert "OpenSIPS" in message and "sipha_db_tls: false" in message


def test_opensips_on_postgresql_is_fine():
    assert db_tls_problems(proxy(sipha_sip_proxy="opensips", sipha_db_engine="postgresql")) == []


def test_own_pki_with_all_three():
    settings = database(sipha_db_tls_ca_certificate=CERTIFICATE, sipdb_tls_certificate=CERTIFICATE,
                        sipdb_tls_private_key=KEY)
    assert db_tls_problems(settings) == []


@pytest.mark.parametrize("given", ["sipdb_tls_certificate", "sipdb_tls_private_key"])
def test_certificate_and_key_go_together(given):
    settings = database(sipha_db_tls_ca_certificate=CERTIFICATE, **{given: CERTIFICATE if "certificate" in given else KEY})
    (message,) = db_tls_problems(settings)
    assert message.startswith("sipdb_tls_certificate and sipdb_tls_private_key go together")


def test_own_certificate_without_its_ca():
    (message,) = db_tls_problems(database(sipdb_tls_certificate=CERTIFICATE, sipdb_tls_private_key=KEY))
    assert message.startswith("sipdb_tls_certificate is given but sipha_db_tls_ca_certificate is not")


def test_own_ca_with_a_made_certificate_would_not_verify():
    (message,) = db_tls_problems(database(sipha_db_tls_ca_certificate=CERTIFICATE))
    assert message.startswith("sipha_db_tls_ca_certificate is set but sipdb_tls_certificate is not")


def test_key_that_is_not_a_key():
    settings = database(sipha_db_tls_ca_certificate=CERTIFICATE, sipdb_tls_certificate=CERTIFICATE,
                        sipdb_tls_private_key=CERTIFICATE)
    (message,) = db_tls_problems(settings)
    assert message.startswith("sipdb_tls_private_key is not an unencrypted private key")


def test_input_must_be_a_dict():
    with pytest.raises(AnsibleFilterError):
        db_tls_problems(["sipha_db_tls"])


def test_service_problems_carry_the_tls_rules():
    nodes = {"node1": {"sipha_private_ip": "10.0.0.11/24"}}
    settings = {
        "sipha_sip_proxy": "opensips",
        "sipha_media_relay": "rtpengine",
        "sipha_db_engine": "mariadb",
        "sipha_db_host": "10.0.0.21",
        "sipha_db_password": "Xq7-long-enough-secret",
        "proxy_name": "opensips",
        "dispatcher": False,
        "sipha_sip_secret": "Kx9-a-sip-secret-of-its-own-32-chars",
        "sipha_sip_domains": ["203.0.113.10"],
        "sipha_db_tls": True,
        "database_hosts": ["db1"],
    }
    assert any("tls_mgm" in message for message in service_problems(settings, nodes))
    settings["sipha_db_tls"] = False
    assert not any("sipha_db_tls" in message for message in service_problems(settings, nodes))
