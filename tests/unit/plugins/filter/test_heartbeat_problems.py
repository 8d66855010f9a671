# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.haresources_line import FilterModule as LineFilters
from ansible_collections.sipha.cluster.plugins.filter.heartbeat_problems import FilterModule

heartbeat_problems = FilterModule().filters()["heartbeat_problems"]
haresources_line = LineFilters().filters()["haresources_line"]

SECRET = "Zt4-unit-test-heartbeat-key"


def device(host):
    return {"type": "external/ipmi", "params": {"hostname": host, "ipaddr": "192.0.2.20", "userid": "fence", "passwd": "pw"}}


def settings(host, **overrides):
    """One node's effective settings as preflight publishes them (strings, as templated)."""
    values = {
        "node_name": host,
        "authkeys_secret": SECRET,
        "keepalive": "1",
        "warntime": "3",
        "deadtime": "5",
        "initdead": "20",
        "udpport": "694",
        "auto_failback": False,
        "preferred_node": "node1",
        "second_link_interface": "",
        "second_link_address": "",
        "stonith": True,
        "stonith_device": device(host),
        "units": ["kamailio.service", "rtpengine-daemon.service"],
    }
    values.update(overrides)
    return values


def problems_of(node1=None, node2=None, **shared):
    """Problems of a two-node cluster: ``shared`` on both, node1/node2 dicts on one."""
    return heartbeat_problems({
        "node1": settings("node1", **dict(shared, **(node1 or {}))),
        "node2": settings("node2", **dict(shared, **(node2 or {}))),
    })


def assert_one_problem(problems, *words):
    assert len(problems) == 1, problems
    for word in words:
        assert word in problems[0], (word, problems[0])


def test_sound_cluster_has_no_problems():
    assert problems_of() == []


def test_fractional_times_are_sound():
    assert problems_of(keepalive="0.5", warntime="1.5", deadtime="2", initdead="4") == []


@pytest.mark.parametrize("secret", [None, "", "   "])
def test_missing_secret(secret):
    problems = problems_of(authkeys_secret=secret)
    assert len(problems) == 2  # each node says so
    assert "heartbeat_authkeys_secret is not set" in problems[0]
    assert "openssl rand" in problems[0]


def test_short_secret_names_its_length_but_not_the_secret():
    problems = problems_of(authkeys_secret="Short-Key-17chars")
    assert len(problems) == 2
    assert "17 characters long; use at least 20" in problems[0]
    assert "Short-Key-17chars" not in " ".join(problems)


@pytest.mark.parametrize("secret", ["CHANGE_ME-heartbeat-key-0001", "vault_heartbeat_secret_value"])
def test_example_secret(secret):
    problems = problems_of(authkeys_secret=secret)
    assert any("still an example value" in problem for problem in problems), problems


def test_secret_with_a_blank():
    problems = problems_of(authkeys_secret="two words make a bad key here")
    assert any("blank or '#'" in problem for problem in problems), problems


def test_secrets_that_differ():
    problems = problems_of(node2={"authkeys_secret": SECRET + "-other"})
    assert_one_problem(problems, "heartbeat_authkeys_secret differs")
    assert SECRET not in problems[0]


@pytest.mark.parametrize("deadtime", ["1", "0.5"])
def test_deadtime_not_greater_than_keepalive(deadtime):
    problems = problems_of(deadtime=deadtime, warntime="1", initdead="20")
    assert any("heartbeat_deadtime (%s s) must be greater than heartbeat_keepalive (1 s)" % deadtime in p for p in problems), problems


def test_warntime_outside_keepalive_and_deadtime():
    problems = problems_of(warntime="6")
    assert len(problems) == 2
    assert "heartbeat_warntime (6 s) must lie between" in problems[0]


def test_initdead_shorter_than_twice_deadtime():
    problems = problems_of(initdead="9")
    assert len(problems) == 2
    assert "heartbeat_initdead (9 s) must be at least twice heartbeat_deadtime (5 s)" in problems[0]


@pytest.mark.parametrize("value", ["fast", "0", "-1", True])
def test_times_that_are_not_seconds(value):
    problems = problems_of(keepalive=value)
    assert len(problems) == 2, problems
    assert "node1: heartbeat_keepalive is %r; give a positive number of seconds" % (value,) in problems[0]


def test_sub_millisecond_time():
    problems = problems_of(node1={"keepalive": "0.0005", "warntime": "3"})
    assert any("whole milliseconds" in problem for problem in problems), problems


def test_timing_that_differs_between_nodes():
    problems = problems_of(node2={"deadtime": "6", "initdead": "20"})
    assert_one_problem(problems, "heartbeat_deadtime differs", "5 on node1", "6 on node2", "group sip_proxies")


def test_same_node_name_twice():
    problems = problems_of(node2={"node_name": "node1", "stonith_device": device("node1")})
    assert_one_problem(problems, "heartbeat_node_name 'node1' is used by node1, node2")


def test_node_name_that_is_no_host_name():
    problems = problems_of(node1={"node_name": "node 1"})
    assert_one_problem(problems, "node1: heartbeat_node_name is 'node 1'")


@pytest.mark.parametrize("port", ["0", "70000", "ha"])
def test_bad_udp_port(port):
    problems = problems_of(udpport=port)
    assert len(problems) == 2
    assert "heartbeat_udpport is %r" % port in problems[0]


def test_second_link_needs_interface_and_address():
    problems = problems_of(node1={"second_link_interface": "eth2"})
    assert_one_problem(problems, "node1: heartbeat_second_link_interface and heartbeat_second_link_address go together")


def test_preferred_node_that_is_no_proxy_node():
    problems = problems_of(preferred_node="node3")
    assert_one_problem(problems, "heartbeat_preferred_node is 'node3'")


@pytest.mark.parametrize("missing", [None, {}])
def test_stonith_without_a_device_for_a_node(missing):
    problems = problems_of(node2={"stonith_device": missing})
    assert_one_problem(problems, "node2: heartbeat_stonith_device is not set", "external/ipmi", "heartbeat_stonith: false")


def test_stonith_off_needs_no_device():
    assert problems_of(stonith=False, stonith_device=None) == []


def test_stonith_with_three_nodes():
    nodes = {host: settings(host) for host in ("node1", "node2", "node3")}
    problems = heartbeat_problems(nodes)
    assert_one_problem(problems, "heartbeat_stonith is on with 3 nodes")


def test_device_parameter_with_a_blank():
    broken = device("node1")
    broken["params"]["passwd"] = "two words"
    problems = problems_of(node1={"stonith_device": broken})
    assert_one_problem(problems, "node1: heartbeat_stonith_device.params.passwd")
    assert "two words" not in problems[0]


def test_device_without_a_type():
    problems = problems_of(node1={"stonith_device": {"params": {"ipaddr": "192.0.2.20"}}})
    assert_one_problem(problems, "node1: heartbeat_stonith_device.type is None")


def ipmi_on(interface, host="node1"):
    with_interface = device(host)
    with_interface["params"].update(interface=interface, passwd="Ipmi-unit-secret")
    return with_interface


@pytest.mark.parametrize("interface", ["lan", "LAN", "Lan"])
def test_ipmi_over_lan_is_refused_naming_the_variable_and_the_fix(interface):
    problems = problems_of(node1={"stonith_device": ipmi_on(interface)})
    assert_one_problem(
        problems, "node1: heartbeat_stonith_device.params.interface is lan", "IPMI 1.5", "clear text",
        "Use lanplus", "heartbeat_stonith_ipmi_allow_lan: true")
    # The password is not in the message.
    assert "Ipmi-unit-secret" not in problems[0]


def test_ipmi_over_lan_is_refused_on_every_node_that_has_it():
    problems = problems_of(stonith_device=None, node1={"stonith_device": ipmi_on("lan", "node1")},
                           node2={"stonith_device": ipmi_on("lan", "node2")})
    assert len(problems) == 2, problems
    assert problems[0].startswith("node1: ") and problems[1].startswith("node2: ")


@pytest.mark.parametrize("allowed", [True, "true", "yes", "True"])
def test_ipmi_over_lan_when_explicitly_allowed(allowed):
    assert problems_of(node1={"stonith_device": ipmi_on("lan"), "stonith_ipmi_allow_lan": allowed}) == []


@pytest.mark.parametrize("allowed", [False, "false", "False", None, ""])
def test_ipmi_over_lan_not_allowed_by_a_false_setting(allowed):
    problems = problems_of(node1={"stonith_device": ipmi_on("lan"), "stonith_ipmi_allow_lan": allowed})
    assert_one_problem(problems, "node1: heartbeat_stonith_device.params.interface is lan")


def test_ipmi_allow_lan_is_judged_on_the_node_whose_device_it_is():
    # node2's permission does not cover node1's device.
    problems = problems_of(node1={"stonith_device": ipmi_on("lan")}, node2={"stonith_ipmi_allow_lan": True})
    assert_one_problem(problems, "node1: heartbeat_stonith_device.params.interface is lan")


@pytest.mark.parametrize("interface", ["lanplus", "LANPLUS", "open"])
def test_ipmi_over_other_interfaces_is_sound(interface):
    assert problems_of(node1={"stonith_device": ipmi_on(interface)}) == []


def test_ipmi_lan_refused_for_the_password_file_plugin_too():
    named = ipmi_on("lan")
    named["type"] = "external/sipha-ipmi"
    problems = problems_of(node1={"stonith_device": named})
    assert_one_problem(problems, "node1: heartbeat_stonith_device.params.interface is lan")


def test_interface_lan_of_another_device_type_is_not_judged():
    other = {"type": "external/sipha-docker", "params": {"hostname": "node1", "ipaddr": "192.0.2.20", "interface": "lan"}}
    assert problems_of(node1={"stonith_device": other}) == []


def test_unit_that_haresources_cannot_name():
    problems = problems_of(node1={"units": ["kamailio.service", "my::unit"]})
    assert_one_problem(problems, "node1: the unit 'my::unit' cannot be named in haresources")


def test_not_a_dict_of_dicts():
    with pytest.raises(AnsibleFilterError):
        heartbeat_problems(["node1"])


# haresources


def test_haresources_line_is_in_the_classic_order():
    line = haresources_line("node1", "203.0.113.10/24", "eth1", ["kamailio.service"], ["rtpengine-daemon.service", "x.service"])
    assert line == (
        "node1 IPaddr2::203.0.113.10/24/eth1 sipha::route sipha::proxy::kamailio.service "
        "sipha::addon::rtpengine-daemon.service sipha::addon::x.service"
    )


def test_haresources_line_without_add_ons():
    assert haresources_line("n2", "198.51.100.5/28", "bond1", ["opensips.service"]) == (
        "n2 IPaddr2::198.51.100.5/28/bond1 sipha::route sipha::proxy::opensips.service"
    )


def test_haresources_line_wants_cidr():
    with pytest.raises(AnsibleFilterError, match="CIDR"):
        haresources_line("node1", "203.0.113.10", "eth1", [], [])
