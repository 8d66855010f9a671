# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SIP edge rules, through the service_problems filter preflight runs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.sipha.cluster.plugins.filter.service_problems import FilterModule

service_problems = FilterModule().filters()["service_problems"]

NODES = {"node1": {"sipha_private_ip": "10.0.0.11/24"}, "node2": {"sipha_private_ip": "10.0.0.12/24"}}
SECRET = "Kx9-a-sip-secret-of-its-own-32-chars"


def settings(**overrides):
    values = {
        "sipha_sip_proxy": "kamailio",
        "sipha_media_relay": "rtpengine",
        "sipha_db_engine": "mariadb",
        "sipha_db_host": "10.0.0.21",
        "sipha_db_password": "Xq7-long-enough-secret-and-the-database-too",
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
        ("short-secret", "has 12 characters; use at least 32"),
        ("CHANGE_ME-to-a-long-secret", "still an example value"),
        ('a-long-secret-with-"quote-in-the-middle-of-it', "a quote, a backslash"),
        ("a long secret with blanks in it, and many", "a blank"),
        ("Xq7-long-enough-secret-and-the-database-too", "is the database password"),
    ],
)
def test_a_weak_or_breaking_secret_is_refused(secret, words):
    found = service_problems(settings(sipha_sip_secret=secret), NODES)
    assert any(words in message for message in found), found


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


@pytest.mark.parametrize(
    "peers, words",
    [
        (["10.0.0.0/8"], "takes in node1's private address, node2's private address, the database"),
        (["203.0.113.0/24"], "takes in the VIP"),
        (["192.0.0.0/3"], "536870912 addresses"),
        (["2001:db8::/16"], "at least /32"),
    ],
)
def test_a_trusted_peer_must_not_be_a_slice_of_the_internet_nor_take_the_cluster_in(peers, words):
    found = service_problems(settings(sipha_trusted_peers=peers, sipha_vip="203.0.113.10/24"), NODES)
    assert any(words in message for message in found), found


def test_edge_settings_must_be_alike_on_every_node_and_the_secret_is_never_shown():
    nodes = {"node1": dict(NODES["node1"], sipha_sip_secret=SECRET, sipha_trusted_peers=["198.51.100.7"]),
             "node2": dict(NODES["node2"], sipha_sip_secret=SECRET + "-other", sipha_trusted_peers=["198.51.100.7"])}
    message = only(service_problems(settings(), nodes))
    assert message.startswith("sipha_sip_secret differs between the nodes ((hidden) on node1; (hidden) on node2)")
    assert SECRET not in message


def test_inside_networks_hold_the_private_side_the_vip_and_what_no_request_may_go_to():
    from ansible_collections.sipha.cluster.plugins.filter.inside_networks import FilterModule as Inside

    inside = Inside().filters()["inside_networks"]
    found = inside("10.0.0.11/24", [{"to": "10.9.0.0/16", "via": "10.0.0.1"}, {"to": "10.0.0.0/24", "via": "10.0.0.1"}],
                   "203.0.113.10/24")
    assert found[:3] == ["10.0.0.0/24", "10.9.0.0/16", "203.0.113.10/32"]
    for never in ("0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "::1/128", "fe80::/10"):
        assert never in found
    assert len(found) == len(set(found))
    assert inside("2001:db8:1::11/64", [], "2001:db8:10::100")[:2] == ["2001:db8:1::/64", "2001:db8:10::100/128"]
