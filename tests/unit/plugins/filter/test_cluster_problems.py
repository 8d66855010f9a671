# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.cluster_problems import FilterModule
from ansible_collections.sipha.cluster.plugins.plugin_utils import network

cluster_problems = FilterModule().filters()["cluster_problems"]

HOSTS = ["node1", "node2"]
ABSENT = object()  # marks a variable to leave out of the host's vars


def node(private_ip, **overrides):
    """The vars of a sound proxy node, changed by ``overrides``."""
    host_vars = {
        "ansible_host": "192.0.2.1",  # not a node key: never read
        "sipha_private_interface": "eth0",
        "sipha_public_interface": "eth1",
        "sipha_private_ip": private_ip,
        "sipha_vip": "203.0.113.10/24",
        "sipha_public_gateway": "203.0.113.1",
        "sipha_package_proxy": "http://10.0.0.5:3142",
        "node_private_routes": [{"to": "10.1.0.0/16", "via": "10.0.0.1"}],
    }
    for key, value in overrides.items():
        if value is ABSENT:
            host_vars.pop(key, None)
        else:
            host_vars[key] = value
    return host_vars


def problems_of(**overrides):
    """The problems of a two-node cluster whose node1 has ``overrides``."""
    all_vars = {"node1": node("10.0.0.11/24", **overrides), "node2": node("10.0.0.12/24")}
    return cluster_problems(all_vars, HOSTS)


def problems_of_both(**overrides):
    """The problems of a two-node cluster whose nodes both have ``overrides``."""
    all_vars = {"node1": node("10.0.0.11/24", **overrides), "node2": node("10.0.0.12/24", **overrides)}
    return cluster_problems(all_vars, HOSTS)


def assert_one_problem(problems, host, *words):
    """Exactly one message, and it names the host and each of ``words``."""
    assert len(problems) == 1, problems
    assert problems[0].startswith(host + ": "), problems[0]
    for word in words:
        assert word in problems[0], (word, problems[0])


def test_sound_cluster_has_no_problems():
    assert problems_of() == []


def test_only_the_listed_hosts_are_checked():
    all_vars = {
        "node1": node("10.0.0.11/24"),
        "node2": node("10.0.0.12/24"),
        "db1": {"sipha_private_ip": "garbage"},  # not a proxy node
    }
    assert cluster_problems(all_vars, HOSTS) == []


def test_missing_netaddr_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(network, "HAS_NETADDR", False)
    with pytest.raises(AnsibleFilterError, match="netaddr"):
        problems_of()


# Interfaces


def test_interface_defaults_are_eth0_and_eth1():
    assert problems_of(sipha_private_interface=ABSENT, sipha_public_interface=ABSENT) == []


@pytest.mark.parametrize(
    "private_if, public_if, shared",
    [
        ("eth1", "eth1", "eth1"),
        ("ens3", "ens3", "ens3"),
        (ABSENT, "eth0", "eth0"),  # the private default is eth0
        ("eth1", ABSENT, "eth1"),  # the public default is eth1
        ("", "eth0", "eth0"),  # empty counts as unset
    ],
)
def test_same_interface_twice_is_reported(private_if, public_if, shared):
    problems = problems_of(sipha_private_interface=private_if, sipha_public_interface=public_if)
    assert_one_problem(problems, "node1", "sipha_private_interface", "sipha_public_interface", repr(shared))


# Private address


@pytest.mark.parametrize("value", [ABSENT, None, ""])
def test_missing_private_ip_is_reported(value):
    problems = problems_of(sipha_private_ip=value)
    assert_one_problem(problems, "node1", "sipha_private_ip", "not set", "host_vars/node1")


@pytest.mark.parametrize(
    "value",
    [
        "10.0.0.11",  # no prefix length
        "10.0.0.11/33",
        "10.0.0.300/24",
        "node1.example/24",
        "eth0",
        11,
    ],
)
def test_private_ip_not_in_cidr_form_is_reported(value):
    problems = problems_of(sipha_private_ip=value)
    assert_one_problem(problems, "node1", "sipha_private_ip", "CIDR", repr(value))


@pytest.mark.parametrize("value, kind", [("10.0.0.0/24", "network"), ("10.0.0.255/24", "broadcast")])
def test_private_ip_must_be_a_host_address(value, kind):
    problems = problems_of(sipha_private_ip=value)
    assert_one_problem(problems, "node1", "sipha_private_ip", value, kind)


@pytest.mark.parametrize("value", ["10.0.0.10/31", "10.0.0.11/32"])
def test_point_to_point_prefixes_have_no_network_or_broadcast(value):
    assert problems_of(sipha_private_ip=value, node_private_routes=[]) == []


def test_duplicate_private_ip_names_both_nodes():
    all_vars = {"node1": node("10.0.0.11/24"), "node2": node("10.0.0.11/24")}
    problems = cluster_problems(all_vars, HOSTS)
    assert_one_problem(problems, "node2", "sipha_private_ip", "10.0.0.11", "node1")


def test_duplicate_private_ip_is_found_across_prefix_lengths():
    all_vars = {"node1": node("10.0.0.11/24"), "node2": node("10.0.0.11/16")}
    problems = cluster_problems(all_vars, HOSTS)
    assert_one_problem(problems, "node2", "sipha_private_ip", "node1")


# VIP


@pytest.mark.parametrize("value", ["203.0.113.10", "vip", "203.0.113.10/40"])
def test_vip_not_in_cidr_form_is_reported(value):
    problems = problems_of(sipha_vip=value)
    assert_one_problem(problems, "node1", "sipha_vip", "CIDR", repr(value))


def test_vip_inside_the_private_subnet_is_reported():
    problems = problems_of_both(sipha_vip="10.0.0.50/24", sipha_public_gateway="10.0.0.1")
    assert len(problems) == 2, problems
    for host, problem in zip(HOSTS, problems):
        assert problem.startswith(host + ": ") and "10.0.0.0/24" in problem and "private subnet" in problem, problem


def test_vip_equal_to_the_nodes_own_address_is_reported():
    all_vars = {
        "node1": node("10.0.0.11/24", sipha_vip="10.0.0.11/24", sipha_public_gateway="10.0.0.1"),
        "node2": node("10.0.0.12/24", sipha_vip="10.0.0.11/24", sipha_public_gateway="10.0.0.1"),
    }
    problems = cluster_problems(all_vars, HOSTS)
    assert any(p.startswith("node1: ") and "node's own private address" in p for p in problems), problems
    assert any(p.startswith("node2: ") and "node1's own private address" in p for p in problems), problems


@pytest.mark.parametrize("value, kind", [("203.0.113.0/24", "network"), ("203.0.113.255/24", "broadcast")])
def test_vip_must_be_a_host_address(value, kind):
    problems = problems_of_both(sipha_vip=value)
    assert len(problems) == 2 and all(kind + " address" in p and "sipha_vip" in p for p in problems), problems


def test_vip_differing_between_nodes_is_reported():
    problems = problems_of(sipha_vip="203.0.113.20/24")
    assert problems == [
        "sipha_vip differs between the nodes (203.0.113.10/24 on node2; 203.0.113.20/24 on node1); "
        "set it once in group_vars/sip_proxies."
    ]


# Cluster size and HA manager


@pytest.mark.parametrize("hosts", [["node1"], []])
def test_fewer_than_two_nodes_is_reported(hosts):
    all_vars = {"node1": node("10.0.0.11/24")}
    problems = cluster_problems(all_vars, hosts)
    assert len(problems) == 1 and "at least two proxy nodes" in problems[0], problems
    assert ("has %d node" % len(hosts)) in problems[0]


@pytest.mark.parametrize("value", [ABSENT, "keepalived", "heartbeat"])
def test_keepalived_and_heartbeat_are_known_managers(value):
    assert problems_of_both(sipha_ha_manager=value) == []


@pytest.mark.parametrize("value", ["pacemaker", "Heartbeat"])
def test_other_managers_are_reported(value):
    problems = problems_of(sipha_ha_manager=value)
    assert_one_problem(problems, "node1", "sipha_ha_manager", repr(value), "keepalived or heartbeat")


# Public gateway


@pytest.mark.parametrize("value", ["router", "203.0.113.1/24", "203.0.113"])
def test_gateway_not_an_ip_is_reported(value):
    problems = problems_of(sipha_public_gateway=value)
    assert_one_problem(problems, "node1", "sipha_public_gateway", repr(value), "not an IP address")


@pytest.mark.parametrize("value", [ABSENT, None, ""])
def test_gateway_must_be_set(value):
    problems = problems_of(sipha_public_gateway=value)
    assert_one_problem(problems, "node1", "sipha_public_gateway is not set", "upstream router")


def test_an_ipv6_sipha_vip_points_to_sipha_vip6():
    problems = problems_of_both(sipha_vip="2001:db8:20::100/64", sipha_public_gateway="2001:db8:20::1")
    assert len(problems) == 2 and all("IPv6" in p and "sipha_vip6" in p for p in problems), problems


# The IPv6 VIP (dual stack)

DUAL_STACK = {"sipha_vip6": "2001:db8:20::10/64", "sipha_public_gateway6": "2001:db8:20::1"}


@pytest.mark.parametrize("gateway", ["2001:db8:20::1", "fe80::1", "FE80::1"])
def test_a_dual_stack_vip_with_its_gateway_passes(gateway):
    assert problems_of_both(sipha_vip6="2001:db8:20::10/64", sipha_public_gateway6=gateway) == []


def test_a_single_address_ipv6_vip_with_a_link_local_gateway_passes():
    assert problems_of_both(sipha_vip6="2001:db8:20::10/128", sipha_public_gateway6="fe80::1") == []


@pytest.mark.parametrize("value", [ABSENT, None, ""])
def test_no_ipv6_vip_and_no_ipv6_gateway_pass(value):
    assert problems_of_both(sipha_vip6=value, sipha_public_gateway6=value) == []


@pytest.mark.parametrize("gateway", [ABSENT, None, ""])
def test_an_ipv6_vip_without_an_ipv6_gateway_is_reported(gateway):
    problems = problems_of_both(sipha_vip6="2001:db8:20::10/64", sipha_public_gateway6=gateway)
    assert len(problems) == 2, problems
    assert_one_problem(problems[:1], "node1", "sipha_vip6", "no IPv6 gateway", "set sipha_public_gateway6", "fe80::")


def test_an_ipv6_gateway_without_an_ipv6_vip_is_reported():
    problems = problems_of_both(sipha_public_gateway6="2001:db8:20::1")
    assert len(problems) == 2, problems
    assert_one_problem(problems[:1], "node1", "sipha_public_gateway6", "sipha_vip6 is not set")


@pytest.mark.parametrize("value", ["2001:db8:20::10", "203.0.113.11/24", "2001:db8:20::zz/64", "fe80::10/64",
                                   "ff02::10/64", "2001:db8:20::/64", "::1/128"])
def test_a_bad_ipv6_vip_is_reported(value):
    problems = problems_of_both(sipha_vip6=value, sipha_public_gateway6="2001:db8:20::1")
    assert len(problems) == 2 and all("sipha_vip6" in p for p in problems), problems


@pytest.mark.parametrize("gateway, words", [
    ("203.0.113.1", ["not an IPv6 address"]),
    ("router", ["not an IPv6 address"]),
    ("2001:db8:20::10", ["VIP itself"]),
    ("2001:db8:99::1", ["neither in sipha_vip6's prefix 2001:db8:20::/64", "fe80::/10"]),
])
def test_a_bad_ipv6_gateway_is_reported(gateway, words):
    problems = problems_of_both(sipha_vip6="2001:db8:20::10/64", sipha_public_gateway6=gateway)
    assert len(problems) == 2, problems
    assert_one_problem(problems[:1], "node1", "sipha_public_gateway6", *words)


@pytest.mark.parametrize("key, other", [("sipha_vip6", "2001:db8:20::11/64"), ("sipha_public_gateway6", "fe80::1")])
def test_ipv6_settings_differing_between_nodes_are_reported(key, other):
    settings = dict(DUAL_STACK)
    all_vars = {"node1": node("10.0.0.11/24", **settings), "node2": node("10.0.0.12/24", **dict(settings, **{key: other}))}
    problems = cluster_problems(all_vars, HOSTS)
    assert len(problems) == 1 and problems[0].startswith(key + " differs between the nodes"), problems
    assert "node1" in problems[0] and "node2" in problems[0] and other in problems[0]


def test_gateway_equal_to_the_vip_is_reported():
    problems = problems_of(sipha_public_gateway="203.0.113.10")
    assert_one_problem(problems, "node1", "sipha_public_gateway", "VIP itself")


def test_gateway_outside_the_vip_subnet_is_reported():
    problems = problems_of(sipha_public_gateway="198.51.100.1")
    assert_one_problem(problems, "node1", "sipha_public_gateway", "198.51.100.1", "203.0.113.0/24")


# Package proxy


@pytest.mark.parametrize(
    "value",
    [ABSENT, None, "", "http://10.0.0.5:3142", "http://10.0.0.5:3142/", "https://proxy.example", "http://proxy"],
)
def test_good_or_empty_package_proxy_is_accepted(value):
    assert problems_of(sipha_package_proxy=value) == []


@pytest.mark.parametrize(
    "value",
    [
        "10.0.0.5:3142",  # no scheme
        "ftp://10.0.0.5",
        "http://",
        "http://10.0.0.5:3142/apt",  # a path
        "http://10.0.0.5:port",
        "http://proxy example",
    ],
)
def test_bad_package_proxy_is_reported(value):
    problems = problems_of(sipha_package_proxy=value)
    assert_one_problem(problems, "node1", "sipha_package_proxy", repr(value))


# Private routes


@pytest.mark.parametrize("value", [ABSENT, None, []])
def test_no_private_routes_is_fine(value):
    assert problems_of(node_private_routes=value) == []


@pytest.mark.parametrize("to", ["0.0.0.0/0", "10.0.0.0/0"])
def test_default_route_is_reported(to):
    problems = problems_of(node_private_routes=[{"to": to, "via": "10.0.0.1"}])
    assert_one_problem(problems, "node1", "node_private_routes", "default route", to)


@pytest.mark.parametrize("to", ["default", "10.1.0.0/33", "", None])
def test_route_to_not_a_network_is_reported(to):
    problems = problems_of(node_private_routes=[{"to": to, "via": "10.0.0.1"}])
    assert_one_problem(problems, "node1", "node_private_routes", "to: %s" % to, "CIDR")


def test_route_without_to_is_reported():
    problems = problems_of(node_private_routes=[{"via": "10.0.0.1"}])
    assert_one_problem(problems, "node1", "node_private_routes", "CIDR")


@pytest.mark.parametrize("via", ["192.168.1.1", "10.0.1.1", "gateway", None])
def test_route_via_outside_the_private_subnet_is_reported(via):
    problems = problems_of(node_private_routes=[{"to": "10.1.0.0/16", "via": via}])
    assert_one_problem(problems, "node1", "node_private_routes", "via %s" % via, "10.0.0.0/24")


def test_each_bad_route_is_reported():
    routes = [
        {"to": "10.1.0.0/16", "via": "10.0.0.1"},
        {"to": "0.0.0.0/0", "via": "10.0.0.1"},
        {"to": "10.2.0.0/16", "via": "192.168.1.1"},
    ]
    problems = problems_of(node_private_routes=routes)
    assert len(problems) == 2, problems
    assert all(p.startswith("node1: node_private_routes") for p in problems)


# Several problems at once


def test_problems_of_every_node_are_reported_in_host_order():
    all_vars = {
        "node2": node("10.0.0.12/24", sipha_vip="vip"),
        "node1": node("10.0.0.11/24", sipha_package_proxy="proxy"),
    }
    problems = cluster_problems(all_vars, HOSTS)
    assert len(problems) == 2, problems
    assert "node1: sipha_package_proxy" in problems[0]
    assert "node2: sipha_vip" in problems[1]


@pytest.mark.parametrize("routes", [["10.1.0.0/16 via 10.0.0.1"], "10.1.0.0/16", {"to": "10.1.0.0/16"}])
def test_private_routes_must_be_a_list_of_dicts(routes):
    assert_one_problem(problems_of(node_private_routes=routes), "node1", "node_private_routes", "list of")


def test_private_route_with_host_bits_names_the_network_to_write():
    problems = problems_of(node_private_routes=[{"to": "10.30.0.1/24", "via": "10.0.0.1"}])
    assert_one_problem(problems, "node1", "node_private_routes", "10.30.0.1/24", "10.30.0.0/24")


# The floating private address (sipha_private_vip), which faces the media
# servers and moves with the group.


def test_private_vip_sound_on_both_nodes():
    assert problems_of_both(sipha_private_vip="10.0.0.100") == []
    assert problems_of_both(sipha_private_vip="10.0.0.100/24") == []


def test_private_vip_absent_or_empty_is_no_problem():
    assert problems_of_both(sipha_private_vip="") == []
    assert problems_of_both(sipha_private_vip=ABSENT) == []


@pytest.mark.parametrize(
    "value, words",
    [
        ("10.0.1.100", ["not in the private subnet 10.0.0.0/24"]),
        ("10.0.0.0", ["network address"]),
        ("10.0.0.255", ["broadcast address"]),
        ("10.0.0.12", ["node2's own private address"]),
        ("10.0.0.11", ["node1's own private address"]),
        ("10.0.0.100/16", ["another prefix", "(10.0.0.100)"]),
        ("not-an-address", ["must be one address of the private subnet"]),
    ],
)
def test_private_vip_refused(value, words):
    problems = problems_of_both(sipha_private_vip=value)
    assert len(problems) == 2, problems
    for host, problem in zip(HOSTS, problems):
        assert problem.startswith(host + ": sipha_private_vip"), problem
        for word in words:
            assert word in problem, (word, problem)


def test_private_vip_of_the_database_host_refused():
    problems = problems_of_both(sipha_private_vip="10.0.0.21", sipha_db_host="10.0.0.21")
    assert len(problems) == 2 and all("the database host (sipha_db_host)" in p for p in problems), problems


def test_private_vip_must_be_the_same_on_every_node():
    problems = problems_of(sipha_private_vip="10.0.0.100")
    assert problems == [
        "sipha_private_vip differs between the nodes (none on node2; 10.0.0.100 on node1); set it once in "
        "group_vars/sip_proxies."
    ]


# Registrations in memory without replication: the node that takes over
# would not know the phones registered since it started.
@pytest.mark.parametrize("mode", ["write_back", "write_through", "memory"])
@pytest.mark.parametrize("off", [False, "false", "no"])
def test_usrloc_in_memory_without_replication_is_reported(mode, off):
    assert_one_problem(problems_of(kamailio_usrloc_db_mode=mode, kamailio_usrloc_replication=off),
                       "node1", "kamailio_usrloc_replication off", "db_only")


# A cold standby's proxy is not running: nothing reaches its memory.
@pytest.mark.parametrize("standby", [{"kamailio_standby": "cold"}, {"sipha_proxy_standby": "cold"}])
def test_usrloc_in_memory_with_a_cold_standby_is_reported(standby):
    assert_one_problem(problems_of(kamailio_usrloc_db_mode="write_back", **standby),
                       "node1", "cold standby", "db_only")


# Copies reach running nodes only, and a node that starts loads the
# database, which memory never writes.
def test_register_copies_without_a_database_are_reported():
    assert_one_problem(problems_of(kamailio_usrloc_db_mode="memory", kamailio_usrloc_replication_method="register_copy"),
                       "node1", "register_copy", "write_back")


@pytest.mark.parametrize("overrides", [
    {},
    {"kamailio_usrloc_db_mode": "db_only", "sipha_proxy_standby": "cold"},
    {"kamailio_usrloc_db_mode": "db_only", "kamailio_usrloc_replication": False},
    # The role's default mode is db_only, which needs no replication.
    {"kamailio_usrloc_replication": False},
    # The role turns replication on with every other mode.
    {"kamailio_usrloc_db_mode": "write_back"},
    {"kamailio_usrloc_db_mode": "write_back", "kamailio_usrloc_replication": True},
    {"kamailio_usrloc_db_mode": "write_back", "kamailio_usrloc_replication": "true"},
    {"kamailio_usrloc_db_mode": "write_back", "kamailio_usrloc_replication_method": "register_copy"},
    {"kamailio_usrloc_db_mode": "write_through", "kamailio_usrloc_replication_method": "register_copy"},
    {"kamailio_usrloc_db_mode": "memory", "kamailio_usrloc_replication_method": "dmq"},
    # OpenSIPS keeps its own settings (opensips_usrloc_db_mode).
    {"sipha_sip_proxy": "opensips", "kamailio_usrloc_replication": False},
])
def test_usrloc_settings_that_keep_every_registration_pass(overrides):
    assert problems_of(**overrides) == []
