# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The firewall's inputs (firewall_problems, which preflight runs) and the
address sets its rule set is written from (ip_families, spoofed_sources)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.firewall_problems import FilterModule as Problems
from ansible_collections.sipha.cluster.plugins.filter.inside_networks import FilterModule as Inside
from ansible_collections.sipha.cluster.plugins.filter.ip_families import FilterModule as Families
from ansible_collections.sipha.cluster.plugins.filter.spoofed_sources import FilterModule as Spoofed

firewall_problems = Problems().filters()["firewall_problems"]
ip_families = Families().filters()["ip_families"]
spoofed_sources = Spoofed().filters()["spoofed_sources"]
inside_networks = Inside().filters()["inside_networks"]

RELAY = {"name_low": "rtpengine_port_min", "name_high": "rtpengine_port_max", "low": 30000, "high": 40000}


def host(**overrides):
    values = {
        "sipha_firewall": True,
        "sipha_admin_networks": ["10.30.0.0/24"],
        "connection": "ssh",
        "firewall_allow": [],
        "relay_ports": dict(RELAY),
    }
    values.update(overrides)
    return values


def test_a_sound_inventory_has_no_problem():
    assert firewall_problems({"node1": host(), "db1": host(relay_ports={})}) == []


def test_no_admin_network_over_ssh_would_lock_the_operator_out():
    problems = firewall_problems({"node1": host(sipha_admin_networks=[])})
    assert len(problems) == 1
    assert "node1" in problems[0] and "sipha_admin_networks" in problems[0] and "lock you out" in problems[0]
    assert "sipha_firewall: false" in problems[0]


@pytest.mark.parametrize("connection", ["community.docker.docker", "local", "ansible.builtin.local"])
def test_no_admin_network_is_fine_when_ansible_does_not_come_over_ssh(connection):
    assert firewall_problems({"node1": host(sipha_admin_networks=[], connection=connection)}) == []


def test_an_unset_connection_is_ssh():
    assert firewall_problems({"node1": host(sipha_admin_networks=[], connection=None)}) != []


def test_the_firewall_off_is_not_judged():
    assert firewall_problems({"node1": host(sipha_firewall="false", sipha_admin_networks="nonsense")}) == []


@pytest.mark.parametrize("network", ["10.30.0.0", "10.30.0.0/33", "office", "10.30.0.0/24\n", ""])
def test_an_admin_network_that_is_not_a_cidr(network):
    problems = firewall_problems({"node1": host(sipha_admin_networks=[network])})
    assert len(problems) == 1
    assert "sipha_admin_networks has %r" % (network,) in problems[0] and "CIDR" in problems[0]


def test_admin_networks_not_a_list():
    problems = firewall_problems({"node1": host(sipha_admin_networks="10.30.0.0/24")})
    assert any("must be a list" in message for message in problems)


@pytest.mark.parametrize(
    "low, high, words",
    [(40000, 30000, "not a range; swap them"), ("30000", "x", "must be port numbers"), (0, 100, "must be port numbers"), (1, 70000, "must be port numbers")],
)
def test_a_relay_port_range_that_is_not_a_range(low, high, words):
    problems = firewall_problems({"node1": host(relay_ports=dict(RELAY, low=low, high=high))})
    assert len(problems) == 1
    assert words in problems[0] and "rtpengine_port_min" in problems[0] and "rtpengine_port_max" in problems[0]


def test_a_range_given_as_text_is_fine():
    assert firewall_problems({"node1": host(relay_ports=dict(RELAY, low="30000", high="30000"))}) == []


@pytest.mark.parametrize(
    "rule, words",
    [
        ({"proto": "sctp", "port": 9100, "sources": ["10.0.0.5/32"]}, "proto must be one of tcp, udp"),
        ({"proto": "tcp", "port": "9200-9100", "sources": ["10.0.0.5/32"]}, "not a range"),
        ({"proto": "tcp", "port": "http", "sources": ["10.0.0.5/32"]}, "must be port numbers"),
        ({"proto": "tcp", "port": 9100}, "sources must be a non-empty list"),
        ({"proto": "tcp", "port": 9100, "sources": ["anywhere"]}, "not an address or a CIDR"),
        ({"proto": "tcp", "port": 9100, "sources": ["10.0.0.5/32"], "interface": "eth0"}, "interface must be private or public"),
        ("tcp/9100", "must be a mapping"),
    ],
)
def test_extra_rules_are_checked(rule, words):
    problems = firewall_problems({"node1": host(firewall_allow=[rule])})
    assert len(problems) == 1
    assert "firewall_allow[0]" in problems[0] and words in problems[0]


def test_a_public_rule_on_the_database_host():
    rule = {"interface": "public", "proto": "tcp", "port": 9100, "sources": ["10.0.0.5/32"]}
    problems = firewall_problems({"db1": host(on_node=False, relay_ports={}, firewall_allow=[rule])})
    assert len(problems) == 1
    assert "firewall_allow[0].interface is public" in problems[0] and "no proxy node" in problems[0]


def test_a_sound_extra_rule():
    rule = {"interface": "public", "proto": "udp", "port": "5080-5081", "sources": ["0.0.0.0/0", "::/0"]}
    assert firewall_problems({"node1": host(firewall_allow=[rule])}) == []


def test_the_filter_wants_a_mapping():
    with pytest.raises(AnsibleFilterError):
        firewall_problems(["node1"])


def test_families_split_merge_and_normalise():
    # An nftables interval set refuses overlapping elements: 10.0.0.7 is in 10.0.0.0/24.
    assert ip_families(["10.0.0.7/24", "2001:db8::1/64", "10.0.0.7", "10.0.0.0/24", "192.0.2.1/32"]) == {
        "ipv4": ["10.0.0.0/24", "192.0.2.1"],
        "ipv6": ["2001:db8::/64"],
    }


def test_families_refuse_what_is_no_address():
    with pytest.raises(AnsibleFilterError, match="'office'"):
        ip_families(["office"])


def test_spoofed_sources_are_the_cluster_networks_without_link_local_or_multicast():
    inside = inside_networks("10.0.0.11/24", [{"to": "10.30.0.0/24", "via": "10.0.0.1"}], "203.0.113.10/24")
    spoofed = spoofed_sources(inside, ["10.0.0.11"])
    assert spoofed["ipv4"] == ["10.0.0.0/24", "10.30.0.0/24", "203.0.113.10"]
    # The router's neighbour discovery comes from fe80::/10; never refuse it.
    assert spoofed["ipv6"] == []
