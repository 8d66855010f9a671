# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SIP edge rules, through the service_problems filter preflight runs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.sipha.cluster.plugins.filter.service_problems import FilterModule

service_problems = FilterModule().filters()["service_problems"]

NODES = {"node1": {"sipha_private_ip": "10.0.0.11/24"}, "node2": {"sipha_private_ip": "10.0.0.12/24"}}
SECRET = "Kx9-a-sip-secret-of-its-own"


def settings(**overrides):
    values = {
        "sipha_sip_proxy": "kamailio",
        "sipha_media_relay": "rtpengine",
        "sipha_db_engine": "mariadb",
        "sipha_db_host": "10.0.0.21",
        "sipha_db_password": "Xq7-long-enough-secret",
        "proxy_name": "kamailio",
        "dispatcher": False,
        "auth": True,
        "register_networks": [],
        "sipha_sip_secret": SECRET,
        "sipha_sip_domains": ["sip.example.com", "203.0.113.10"],
        "sipha_trusted_peers": ["198.51.100.7", "198.51.100.64/28", "2001:db8::5"],
        "sipha_flood_exempt_networks": ["192.0.2.0/24"],
        "sipha_max_contacts": 5,
        "sipha_flood_requests": "50",
        "sipha_flood_window": 2,
        "sipha_flood_ban_seconds": 300,
    }
    values.update(overrides)
    return values


def only(problems):
    assert len(problems) == 1, problems
    return problems[0]


def test_sound_edge_settings_have_no_problems():
    assert service_problems(settings(), NODES) == []


@pytest.mark.parametrize("secret", [None, ""])
def test_a_missing_secret_names_the_vault(secret):
    message = only(service_problems(settings(sipha_sip_secret=secret), NODES))
    assert "sipha_sip_secret is not set" in message and "vault" in message


@pytest.mark.parametrize(
    "secret, words",
    [
        ("short-secret", "has 12 characters; use at least 16"),
        ("CHANGE_ME-to-a-long-secret", "still an example value"),
        ('a-long-secret-with-"quote', "a quote, a backslash"),
        ("a long secret with blanks", "a blank"),
        ("Xq7-long-enough-secret", "is the database password"),
    ],
)
def test_a_weak_or_breaking_secret_is_refused(secret, words):
    assert words in only(service_problems(settings(sipha_sip_secret=secret), NODES))


def test_auth_off_without_registration_networks_is_an_open_registrar():
    message = only(service_problems(settings(auth=False), NODES))
    assert message.startswith("kamailio_auth is off and kamailio_register_networks is empty")
    assert "open registrar" in message and "turn kamailio_auth back on" in message.lower()


def test_auth_off_is_allowed_with_registration_networks_and_named_for_opensips():
    assert service_problems(settings(auth="false", register_networks=["10.50.0.0/16"]), NODES) == []
    message = only(service_problems(settings(auth=False, proxy_name="opensips", sipha_sip_proxy="opensips"), NODES))
    assert message.startswith("opensips_auth is off and opensips_register_networks is empty")


@pytest.mark.parametrize(
    "peers, words",
    [
        (["trunk.example.net"], "sipha_trusted_peers[0] is 'trunk.example.net', which is not an address or CIDR"),
        (["198.51.100.7", "300.1.1.1"], "sipha_trusted_peers[1] is '300.1.1.1'"),
        (["0.0.0.0/0"], "every address on the internet"),
        ("198.51.100.7", "must be a list"),
    ],
)
def test_a_trusted_peer_that_is_not_an_address_is_refused(peers, words):
    assert words in only(service_problems(settings(sipha_trusted_peers=peers), NODES))


def test_registration_and_exempt_networks_are_checked_too():
    assert "kamailio_register_networks[0] is 'phones'" in only(
        service_problems(settings(register_networks=["phones"]), NODES))
    assert "sipha_flood_exempt_networks[0] is '::/0', which is every address" in only(
        service_problems(settings(sipha_flood_exempt_networks=["::/0"]), NODES))


@pytest.mark.parametrize(
    "name, value",
    [("sipha_max_contacts", 0), ("sipha_flood_requests", "many"), ("sipha_flood_window", -1), ("sipha_flood_ban_seconds", 0)],
)
def test_numbers_must_be_positive_whole_numbers(name, value):
    assert only(service_problems(settings(**{name: value}), NODES)).startswith("%s is %r" % (name, value))


@pytest.mark.parametrize("domains", [[], "sip.example.com", ["sip example"], ["a" * 65]])
def test_domains_must_be_a_list_of_host_names(domains):
    assert "sipha_sip_domains" in only(service_problems(settings(sipha_sip_domains=domains), NODES))
