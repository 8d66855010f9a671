# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vip_state rules against real kernel output.

Every case under fixtures/vip_state/ was recorded by fixtures/vip_state/record.sh
in a throwaway network namespace (veth NICs eth0 and eth1, iproute2 6.1):
the output of ip -j addr show, ip -j -4/-6 route show default and
ss -H -l -n -u -t, unedited. The IPv4 cases use the VIP 10.99.20.100/24 and
the gateway 10.99.20.1, the IPv6 ones 2001:db8:20::100/64 and 2001:db8:20::1;
eth0 has 10.99.10.11/24 everywhere.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.sipha.cluster.plugins.module_utils import vip_state

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "vip_state")
IPV4 = {"vip": "10.99.20.100/24", "gateway": "10.99.20.1"}
IPV6 = {"vip": "2001:db8:20::100/64", "gateway": "2001:db8:20::1"}


def recorded(case):
    """The parsed addresses, both families' default routes and the ss text of a case."""

    def read(name):
        with open(os.path.join(FIXTURES, case, name)) as f:
            return f.read()

    routes = json.loads(read("route4.json")) + json.loads(read("route6.json"))
    return json.loads(read("addr.json")), routes, read("ss.txt")


def state(case, **params):
    """node_state of a recorded case; IPv4 VIP and gateway unless ``params`` say otherwise."""
    settings = dict(IPV6 if case.startswith("ipv6") else IPV4)
    settings.update(params)
    return vip_state.node_state(*recorded(case), **settings)


def assert_one_problem(result, *words):
    """Exactly one problem, and it names each of ``words``."""
    assert len(result["problems"]) == 1, result["problems"]
    for word in words:
        assert word in result["problems"][0], (word, result["problems"][0])


# Sound nodes


def test_healthy_active_node():
    result = state("active", check_sip=True, expect="active")
    assert result == {
        "vip": "10.99.20.100",
        "holds_vip": True,
        "vip6": None,
        "holds_vip6": False,
        "vip_interface": "eth1",
        "public_link_up": True,
        "default_routes": [{"via": "10.99.20.1", "dev": "eth1", "src": "10.99.20.100", "metric": 0, "family": "inet"}],
        "private_gateway": False,
        "private_gateways": [],
        "stray_default_routes": [],
        "public_addresses": [],
        "holds_private_vip": False,
        "sip_listening": True,
        "sip_sockets": ["udp 10.99.20.100:5060", "tcp 10.99.20.100:5060"],
        "wildcard_listeners": [],
        "role": "active",
        "problems": [],
    }


def test_healthy_standby_node():
    result = state("standby", check_sip=True, expect="standby")
    assert result == {
        "vip": "10.99.20.100",
        "holds_vip": False,
        "vip6": None,
        "holds_vip6": False,
        "vip_interface": None,
        "public_link_up": True,
        "default_routes": [],
        "private_gateway": False,
        "private_gateways": [],
        "stray_default_routes": [],
        "public_addresses": [],
        "holds_private_vip": False,
        "sip_listening": False,  # 10.99.10.11:5060 is on the private address, not the VIP
        "sip_sockets": [],
        "wildcard_listeners": [],
        "role": "standby",
        "problems": [],
    }


def test_healthy_ipv6_active_node():
    result = state("ipv6-active", check_sip=True, expect="active")
    assert result["problems"] == []
    assert result["vip"] == "2001:db8:20::100"
    assert result["vip_interface"] == "eth1"
    assert result["default_routes"] == [
        {"via": "2001:db8:20::1", "dev": "eth1", "src": "2001:db8:20::100", "metric": 1024, "family": "inet6"}
    ]
    assert result["sip_sockets"] == ["udp [2001:db8:20::100]:5060"]


def test_healthy_ipv6_standby_node_ignores_link_local_addresses():
    result = state("ipv6-standby", expect="standby")
    assert result["problems"] == []
    assert result["public_addresses"] == []


def test_vip_is_found_in_any_spelling():
    result = state("ipv6-active", vip="2001:0DB8:0020:0000::0100")
    assert result["holds_vip"] and result["vip"] == "2001:db8:20::100"


# Dual stack: an IPv6 VIP beside the IPv4 one

DUAL = dict(IPV4, vip6="2001:db8:20::100/64", gateway6="2001:db8:20::1")


def dual(case, **params):
    return state(case, **dict(DUAL, **params))


def test_healthy_dual_stack_active_node():
    result = dual("dualstack-active", check_sip=True, expect="active")
    assert result["problems"] == []
    assert (result["holds_vip"], result["holds_vip6"], result["vip6"]) == (True, True, "2001:db8:20::100")
    assert result["stray_default_routes"] == [] and result["public_addresses"] == []
    assert result["sip_sockets"] == ["udp 10.99.20.100:5060", "udp [2001:db8:20::100]:5060"]


def test_healthy_dual_stack_standby_node():
    result = dual("dualstack-standby", check_sip=True, expect="standby")
    assert result["problems"] == []
    assert (result["holds_vip"], result["holds_vip6"]) == (False, False)


def test_a_link_local_ipv6_gateway_is_judged_like_any_other():
    assert dual("dualstack-link-local-gateway", gateway6="fe80::1", check_sip=True)["problems"] == []
    result = dual("dualstack-link-local-gateway", check_sip=True)
    assert_one_problem(result, "2001:db8:20::100", "via 2001:db8:20::1", "default via fe80::1 dev eth1")


def test_a_holder_of_the_ipv4_vip_alone_is_reported():
    result = dual("dualstack-ipv4-only")
    assert len(result["problems"]) == 1, result["problems"]
    assert "holds the VIP 10.99.20.100 but not 2001:db8:20::100" in result["problems"][0]
    assert result["holds_vip"] and not result["holds_vip6"]


def test_a_holder_without_the_ipv6_default_route_is_reported():
    result = dual("dualstack-without-ipv6-route")
    assert_one_problem(result, "holds the VIP 2001:db8:20::100", "no default route via 2001:db8:20::1 dev eth1")


def test_a_holder_deaf_on_the_ipv6_vip_is_reported():
    result = dual("dualstack-no-ipv6-listener", check_sip=True)
    assert_one_problem(result, "nothing listens for SIP", "[2001:db8:20::100]:5060")
    assert result["sip_listening"] is False


def test_the_ipv6_route_is_not_an_extra_route_of_the_ipv4_vip():
    """Without vip6 the same node has an address of its own on the public NIC
    and an IPv6 default route too many: every family's routes are judged
    against the one VIP."""
    assert dual("dualstack-active")["problems"] == []
    result = state("dualstack-active")
    assert len(result["problems"]) == 2, result["problems"]
    assert "address of its own (2001:db8:20::100/64)" in result["problems"][0]
    assert "default routes besides" in result["problems"][1] and "via 2001:db8:20::1" in result["problems"][1]
    assert [entry["family"] for entry in result["stray_default_routes"]] == ["inet6"]


def test_a_dual_stack_node_passes_the_health_checks_reading():
    assert vip_state.group_state(*recorded("dualstack-active")[:2], vip=DUAL["vip"], vip6=DUAL["vip6"], gateway=DUAL["gateway"],
                                 gateway6=DUAL["gateway6"]) == {"holds_vip": True, "public_link_up": True, "holder_route": True}


@pytest.mark.parametrize("case", ["dualstack-ipv4-only", "dualstack-without-ipv6-route"])
def test_a_holder_missing_its_ipv6_half_needs_the_route_repair(case):
    kernel = vip_state.group_state(*recorded(case)[:2], vip=DUAL["vip"], vip6=DUAL["vip6"], gateway=DUAL["gateway"],
                                   gateway6=DUAL["gateway6"])
    assert kernel == {"holds_vip": True, "public_link_up": True, "holder_route": False}


@pytest.mark.parametrize("params, words", [
    ({"vip6": "10.99.20.101"}, "vip6 must be an IPv6 address"),
    ({"vip6": "fe80::100"}, "global unicast"),
    ({"vip6": None, "gateway6": "2001:db8:20::1"}, "without vip6"),
    ({"gateway6": "10.99.20.1"}, "gateway6"),
    ({"gateway6": "2001:db8:20::100"}, "not the VIP"),
])
def test_impossible_ipv6_parameters_stop_the_check(params, words):
    with pytest.raises(vip_state.ParameterError, match=words):
        dual("dualstack-active", **params)


# The named interfaces exist


def test_missing_public_interface_is_reported():
    result = state("standby", public_interface="ens4")
    assert_one_problem(result, "ens4", "public_interface")
    assert result["public_link_up"] is False


def test_missing_private_interface_is_reported():
    assert_one_problem(state("standby", private_interface="ens3"), "ens3", "private_interface")


# Rule 1: no default route on the private NIC


def test_private_gateway_is_reported():
    result = state("standby-private-gateway")
    assert_one_problem(result, "private NIC eth0", "default via 10.99.10.1 dev eth0", "no gateway")
    assert result["private_gateway"] is True
    assert result["private_gateways"] == ["10.99.10.1"]


def test_private_gateway_is_not_also_a_standby_default_route():
    # The same route must not be blamed twice (rule 5 skips the private NIC).
    assert len(state("standby-private-gateway")["problems"]) == 1


# Rule 2: the public NIC has no address of its own


def test_own_address_on_public_nic_is_reported():
    result = state("standby-public-address")
    assert_one_problem(result, "public NIC eth1", "10.99.20.11/24", "only the VIP 10.99.20.100")
    assert result["public_addresses"] == ["10.99.20.11/24"]
    assert result["holds_vip"] is False


# Rule 3: the VIP only on the public NIC


def test_vip_on_private_nic_is_reported():
    result = state("vip-on-private")
    assert_one_problem(result, "VIP 10.99.20.100 is on eth0", "public NIC eth1")
    assert result["holds_vip"] is True
    assert result["vip_interface"] == "eth0"


# Rule 4: the holder has exactly the one default route


@pytest.mark.parametrize(
    "case, found",
    [
        ("holder-without-default", "found: none"),
        ("holder-without-src", "found: default via 10.99.20.1 dev eth1)"),
        ("holder-wrong-src", "found: default via 10.99.20.1 dev eth1 src 10.99.10.11)"),
        ("holder-wrong-gateway", "found: default via 10.99.20.254 dev eth1 src 10.99.20.100)"),
    ],
)
def test_holder_without_the_right_default_route_is_reported(case, found):
    result = state(case)
    assert_one_problem(result, "holds the VIP 10.99.20.100", "no default route via 10.99.20.1 dev eth1 src 10.99.20.100", found)


def test_holder_with_only_a_private_gateway_gets_both_problems():
    problems = state("holder-private-gateway")["problems"]
    assert len(problems) == 2, problems
    assert "private NIC eth0 has a default route (default via 10.99.10.1 dev eth0)" in problems[0]
    assert "no default route via 10.99.20.1 dev eth1 src 10.99.20.100 (found: none besides the private NIC's)" in problems[1]


def test_ipv6_holder_without_source_is_reported():
    result = state("ipv6-holder-without-src")
    assert_one_problem(result, "no default route via 2001:db8:20::1 dev eth1 src 2001:db8:20::100", "found: default via 2001:db8:20::1 dev eth1 metric 1024")


def test_any_gateway_will_do_when_none_is_given():
    assert state("holder-wrong-gateway", gateway=None)["problems"] == []


def test_missing_default_route_without_gateway_is_still_reported():
    assert_one_problem(state("holder-without-default", gateway=None), "no default route via the public gateway dev eth1 src 10.99.20.100")


def test_holder_with_an_extra_default_route_is_reported():
    result = state("holder-extra-default")
    assert_one_problem(result, "besides default via 10.99.20.1 dev eth1 src 10.99.20.100:", "default via 10.99.20.254 dev eth1 src 10.99.20.100 metric 100")


def test_each_hop_of_a_multipath_route_counts_as_a_default_route():
    result = state("holder-multipath-default")
    assert result["default_routes"] == [
        {"via": "10.99.20.1", "dev": "eth1", "src": "10.99.20.100", "metric": 0, "family": "inet"},
        {"via": "10.99.20.2", "dev": "eth1", "src": "10.99.20.100", "metric": 0, "family": "inet"},
    ]
    # A repair keeps the first hop, which is what the rules allow, and removes the second.
    assert result["stray_default_routes"] == result["default_routes"][1:]
    assert_one_problem(result, "besides default via 10.99.20.1", "default via 10.99.20.2 dev eth1 src 10.99.20.100;")


# Rule 5: no default route without the VIP


def test_standby_with_default_route_is_reported():
    result = state("standby-default-route")
    assert_one_problem(result, "does not hold the VIP 10.99.20.100", "default via 10.99.20.1 dev eth1", "must have none")
    assert result["role"] == "standby"


# Rule 6: the expected role


@pytest.mark.parametrize("case", ["active", "standby"])
def test_any_role_is_accepted_by_default(case):
    assert state(case, expect="any")["problems"] == []


def test_standby_expected_active_is_reported():
    assert_one_problem(state("standby", expect="active"), "should be active", "10.99.20.100")


def test_active_expected_standby_is_reported():
    assert_one_problem(state("active", expect="standby"), "should be standby", "10.99.20.100 on eth1")


# Rule 7: the holder listens for SIP (check_sip)


def test_missing_sip_listener_is_reported_when_asked():
    result = state("active-no-sip-listener", check_sip=True)
    assert_one_problem(result, "nothing listens for SIP on UDP 10.99.20.100:5060")
    assert result["sip_listening"] is False


def test_missing_sip_listener_is_not_a_problem_by_default():
    assert state("active-no-sip-listener")["problems"] == []


def test_standby_needs_no_sip_listener():
    assert state("standby", check_sip=True)["problems"] == []


@pytest.mark.parametrize(
    "case, socket",
    [
        ("active-wildcard-listener", "udp 0.0.0.0:5060"),
        ("active-dualstack-listener", "udp *:5060"),  # IPv6 socket that takes IPv4 too
        ("active-device-listener", "udp 0.0.0.0%eth1:5060"),
        ("ipv6-wildcard-listener", "udp [::]:5060"),
    ],
)
def test_wildcard_listener_counts(case, socket):
    result = state(case, check_sip=True)
    assert result["problems"] == []
    assert result["sip_listening"] is True
    assert result["sip_sockets"] == [socket]


@pytest.mark.parametrize(
    "case",
    [
        "active-v6only-listener",  # [::] with IPV6_V6ONLY never sees IPv4
        "active-private-device-listener",  # 0.0.0.0 bound to eth0 never sees eth1
    ],
)
def test_listener_that_cannot_receive_for_the_vip_does_not_count(case):
    result = state(case, check_sip=True)
    assert_one_problem(result, "nothing listens for SIP")
    assert result["sip_sockets"] == []


def test_sip_port_is_a_parameter():
    assert_one_problem(state("active", sip_port=5080, check_sip=True), "10.99.20.100:5080")


def test_tcp_alone_is_no_sip_listener():
    # Phones and trunks send SIP over UDP first; TCP is reported but not enough.
    result = state("active-tcp-only-listener", check_sip=True)
    assert result["sip_sockets"] == ["tcp 10.99.20.100:5060"]
    assert_one_problem(result, "nothing listens for SIP")


# Rule 8: the holder's public link is up


def test_lost_carrier_on_public_nic_is_reported():
    result = state("public-carrier-lost")
    assert_one_problem(result, "public NIC eth1 is down", "LOWERLAYERDOWN", "NO-CARRIER")
    assert result["public_link_up"] is False


def test_public_nic_set_down_also_loses_the_default_route():
    # The kernel drops the routes of a link that is set down.
    problems = state("public-admin-down")["problems"]
    assert len(problems) == 2, problems
    assert "no default route via 10.99.20.1" in problems[0]
    assert "public NIC eth1 is down (state DOWN" in problems[1]


def test_standby_with_link_down_has_no_problem():
    result = state("standby-carrier-lost")
    assert result["problems"] == []
    assert result["public_link_up"] is False


def test_lower_up_not_operstate_says_the_link_is_up():
    links = dict((link["ifname"], link) for link in recorded("active")[0])
    assert links["lo"]["operstate"] == "UNKNOWN"
    assert vip_state.link_up(links["lo"]) is True
    assert vip_state.link_up(links["eth1"]) is True


# Parameters


@pytest.mark.parametrize(
    "params, words",
    [
        ({"vip": "vip"}, ["vip must be an IP address", "'vip'"]),
        ({"vip": "10.99.20.300/24"}, ["vip must be an IP address"]),
        ({"vip": "10.99.20.100/40"}, ["vip must be an IP address"]),
        ({"vip": "0.0.0.0"}, ["unicast"]),
        ({"gateway": "router"}, ["gateway must be an IP address", "'router'"]),
        ({"gateway": "10.99.20.100"}, ["gateway 10.99.20.100 is the VIP"]),
        ({"gateway": "2001:db8:20::1"}, ["same IP version"]),
        ({"public_interface": "eth0"}, ["both 'eth0'"]),
        ({"public_interface": ""}, ["interface names"]),
        ({"sip_port": 0}, ["sip_port"]),
        ({"sip_port": 70000}, ["sip_port"]),
        ({"expect": "master"}, ["expect must be one of active, standby, any"]),
    ],
)
def test_bad_parameters_are_refused(params, words):
    with pytest.raises(vip_state.ParameterError) as error:
        state("active", **params)
    for word in words:
        assert word in str(error.value)


def test_check_parameters_returns_addresses():
    vip, gateway = vip_state.check_parameters("2001:db8:20::100/64", gateway="2001:db8:20::1")
    assert (str(vip), str(gateway)) == ("2001:db8:20::100", "2001:db8:20::1")
    assert vip_state.check_parameters("10.99.20.100")[1] is None


# Parsing


def test_parse_sockets_reads_every_recorded_form():
    text = "".join(recorded(case)[2] for case in ("active-device-listener", "active-dualstack-listener", "ipv6-active"))
    parsed = dict((sock["local"], sock) for sock in vip_state.parse_sockets(text))
    assert parsed["0.0.0.0%eth1:5060"] == {"proto": "udp", "local": "0.0.0.0%eth1:5060", "address": "0.0.0.0", "device": "eth1", "port": 5060}
    assert parsed["*:5060"]["address"] == "*"
    assert parsed["[2001:db8:20::100]:5060"]["address"] == "2001:db8:20::100"
    assert parsed["10.99.10.11:22"]["proto"] == "tcp"


def test_parse_sockets_skips_what_it_does_not_know():
    assert vip_state.parse_sockets("\nraw UNCONN 0 0 *:ipv6-icmp *:*\nudp UNCONN 0 0 10.0.0.1:x 0.0.0.0:*\n") == []


def test_route_words():
    entry = {"via": None, "dev": "eth1", "src": "10.99.20.100", "metric": 0, "table": "main"}
    assert vip_state.route_words(entry) == "default dev eth1 src 10.99.20.100 table main"


# What a repair removes


def test_a_standby_would_lose_every_default_route():
    result = state("standby-default-route")
    assert result["stray_default_routes"] == result["default_routes"] != []


def test_a_private_gateway_is_stray_on_the_holder_too():
    result = state("holder-private-gateway")
    assert [entry["dev"] for entry in result["stray_default_routes"]] == ["eth0"]


def test_the_holder_keeps_its_route_through_the_gateway():
    result = state("holder-extra-default")
    kept = [entry for entry in result["default_routes"] if entry not in result["stray_default_routes"]]
    assert kept == [{"via": "10.99.20.1", "dev": "eth1", "src": "10.99.20.100", "metric": 0, "family": "inet"}]
    assert len(result["stray_default_routes"]) == 1


def test_a_device_route_is_told_apart_by_its_source():
    assert vip_state.default_routes([{"dst": "default", "dev": "eth1", "prefsrc": "2001:db8::1"}])[0]["family"] == "inet6"
    assert vip_state.default_routes([{"dst": "default", "dev": "eth1"}])[0]["family"] is None


# What listens on every address (and so on the VIP)


@pytest.mark.parametrize(
    "case, found",
    [
        ("active", []),
        ("active-wildcard-listener", ["udp 0.0.0.0:5060"]),
        ("active-dualstack-listener", ["udp *:5060"]),
        ("active-v6only-listener", ["udp [::]:5060"]),
        # Bound to the public NIC: every address there, the VIP included.
        ("active-device-listener", ["udp 0.0.0.0%eth1:5060"]),
        # Bound to the private NIC: not reachable through the VIP.
        ("active-private-device-listener", []),
    ],
)
def test_wildcard_listeners_are_reported(case, found):
    assert state(case)["wildcard_listeners"] == found


def test_wildcard_listeners_are_no_problem_unless_asked():
    assert state("active-wildcard-listener")["problems"] == []


def test_an_unexpected_wildcard_listener_is_a_problem():
    assert_one_problem(state("active-wildcard-listener", wildcard_allowed=["tcp/22"]), "udp 0.0.0.0:5060", "eth1", "only tcp/22 may")


def test_an_allowed_wildcard_listener_is_no_problem():
    assert state("active-wildcard-listener", wildcard_allowed=["udp/5060"])["problems"] == []


def test_nothing_allowed_on_every_address():
    assert_one_problem(state("active-dualstack-listener", wildcard_allowed=[]), "udp *:5060", "only none may")


# The floating private address (sipha_private_vip): on the holder's private
# NIC, nowhere else. The recorded eth0 gets it as the kernel lists a second
# address of the subnet.


def with_private_vip(case):
    links, routes, sockets = recorded(case)
    for link in links:
        if link["ifname"] == "eth0":
            link["addr_info"].append({"family": "inet", "local": "10.99.10.100", "prefixlen": 24, "scope": "global",
                                      "secondary": True, "label": "eth0", "valid_life_time": 4294967295,
                                      "preferred_life_time": 4294967295})
    return links, routes, sockets


def test_holder_with_the_private_vip_is_sound():
    result = vip_state.node_state(*with_private_vip("active"), private_vip="10.99.10.100", **IPV4)
    assert result["holds_private_vip"] and result["problems"] == []


def test_holder_without_the_private_vip_is_reported():
    result = state("active", private_vip="10.99.10.100/24")
    assert not result["holds_private_vip"]
    assert_one_problem(result, "holds the VIP 10.99.20.100 but not the floating private address 10.99.10.100 on eth0")


def test_standby_with_the_private_vip_is_reported():
    result = vip_state.node_state(*with_private_vip("standby"), private_vip="10.99.10.100", **IPV4)
    assert_one_problem(result, "does not hold the VIP", "has the floating private address 10.99.10.100 (on eth0)")


def test_standby_without_the_private_vip_and_no_private_vip_at_all_are_sound():
    assert state("standby", private_vip="10.99.10.100")["problems"] == []
    assert state("active", private_vip="")["problems"] == []


def test_a_private_vip_that_is_no_address_is_refused():
    with pytest.raises(vip_state.ParameterError, match="private_vip must be an IP address"):
        state("active", private_vip="ten.nine")
