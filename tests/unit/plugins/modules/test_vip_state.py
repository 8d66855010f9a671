# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vip_state module around its rules: commands, parameters, failing or not.

The commands answer with the kernel output recorded under
tests/unit/plugins/module_utils/fixtures/vip_state/ (see record.sh there).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest
import yaml

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.sipha.cluster.plugins.modules import vip_state

from .module_contract import Exited, assert_documented_options_match_the_argument_spec

FIXTURES = os.path.join(os.path.dirname(__file__), os.pardir, "module_utils", "fixtures", "vip_state")
IP = "/usr/sbin/ip"
SS = "/usr/bin/ss"
COMMANDS = {
    (IP, "-j", "addr", "show"): "addr.json",
    (IP, "-j", "-4", "route", "show", "default"): "route4.json",
    (IP, "-j", "-6", "route", "show", "default"): "route6.json",
    (SS, "-H", "-l", "-n", "-u", "-t"): "ss.txt",
}


class Node(object):
    """A node whose commands print a recorded case; ``answers`` overrides single commands."""

    def __init__(self, case, answers=None):
        self.case = case
        self.answers = answers or {}
        self.calls = []

    def run_command(self, args):
        args = tuple(args)
        self.calls.append(args)
        if args in self.answers:
            return self.answers[args]
        with open(os.path.join(FIXTURES, self.case, COMMANDS[args])) as f:
            return 0, f.read(), ""


def run(monkeypatch, case, answers=None, **args):
    """Run main() on a recorded case; return (failed, result, node)."""
    node = Node(case, answers)

    def exit_json(module, **result):
        raise Exited(False, result)

    def fail_json(module, **result):
        raise Exited(True, result)

    monkeypatch.setattr(basic.AnsibleModule, "run_command", lambda module, args, **kwargs: node.run_command(args))
    monkeypatch.setattr(basic.AnsibleModule, "get_bin_path", lambda module, name, required=False: {"ip": IP, "ss": SS}[name])
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    with patch_module_args(args), pytest.raises(Exited) as exited:
        vip_state.main()
    return exited.value.failed, exited.value.result, node


def test_sound_node_reports_its_state(monkeypatch):
    failed, result, node = run(monkeypatch, "active", vip="10.99.20.100/24", gateway="10.99.20.1", check_sip=True)
    assert not failed
    assert result["changed"] is False
    assert result["role"] == "active"
    assert result["problems"] == []
    assert result["sip_sockets"] == ["udp 10.99.20.100:5060", "tcp 10.99.20.100:5060"]
    assert sorted(node.calls) == sorted(COMMANDS)


def test_every_returned_key_is_documented(monkeypatch):
    documented = set(yaml.safe_load(vip_state.RETURN))
    for case in ("active", "standby-private-gateway"):
        dummy, result, dummy = run(monkeypatch, case, vip="10.99.20.100/24", fail_on_problems=False)
        assert set(result) - {"changed"} == documented


def test_documented_options_match_the_argument_spec(monkeypatch):
    assert_documented_options_match_the_argument_spec(monkeypatch, vip_state)


def test_check_mode_reports_the_same(monkeypatch):
    dummy, normal, dummy = run(monkeypatch, "standby", vip="10.99.20.100/24")
    dummy, checked, dummy = run(monkeypatch, "standby", vip="10.99.20.100/24", _ansible_check_mode=True)
    assert checked == normal


def test_problems_fail_the_module_with_all_facts(monkeypatch):
    failed, result, dummy = run(monkeypatch, "standby-private-gateway", vip="10.99.20.100/24")
    assert failed
    assert result["msg"].startswith("1 problem(s) on this node: The private NIC eth0 has a default route")
    assert result["private_gateways"] == ["10.99.10.1"]
    assert result["role"] == "standby"


def test_problems_are_only_reported_when_asked(monkeypatch):
    failed, result, dummy = run(monkeypatch, "standby-private-gateway", vip="10.99.20.100/24", fail_on_problems=False)
    assert not failed
    assert len(result["problems"]) == 1


def test_parameters_reach_the_rules(monkeypatch):
    args = dict(vip="10.99.20.100", private_interface="eth0", public_interface="eth1", sip_port=5060, check_sip=True, expect="standby")
    failed, result, dummy = run(monkeypatch, "active-no-sip-listener", **args)
    assert failed
    assert len(result["problems"]) == 2
    assert "should be standby" in result["problems"][0]
    assert "nothing listens for SIP" in result["problems"][1]


def test_ipv6_vip(monkeypatch):
    failed, result, dummy = run(monkeypatch, "ipv6-active", vip="2001:db8:20::100/64", gateway="2001:db8:20::1", expect="active")
    assert not failed
    assert result["vip"] == "2001:db8:20::100"


@pytest.mark.parametrize(
    "args, message",
    [
        ({"vip": "203.0.113.10/33"}, "vip must be an IP address"),
        ({"vip": "10.99.20.100/24", "gateway": "gw1"}, "gateway must be an IP address"),
        ({"vip": "10.99.20.100/24", "gateway": "10.99.20.100"}, "is the VIP itself"),
        ({"vip": "10.99.20.100/24", "public_interface": "eth0"}, "two NICs"),
    ],
)
def test_bad_parameters_fail_before_reading_the_node(monkeypatch, args, message):
    failed, result, node = run(monkeypatch, "active", **args)
    assert failed
    assert message in result["msg"]
    assert node.calls == []


def test_bad_choice_is_refused_by_the_argument_spec(monkeypatch):
    failed, result, dummy = run(monkeypatch, "active", vip="10.99.20.100", expect="master")
    assert failed
    assert "expect" in result["msg"]


def test_kernel_without_ipv6_has_no_ipv6_routes(monkeypatch):
    no_ipv6 = {(IP, "-j", "-6", "route", "show", "default"): (2, "", "RTNETLINK answers: Address family not supported by protocol\n")}
    failed, result, dummy = run(monkeypatch, "active", answers=no_ipv6, vip="10.99.20.100/24", gateway="10.99.20.1")
    assert not failed
    assert len(result["default_routes"]) == 1


def test_failing_command_fails_the_module(monkeypatch):
    broken = {(IP, "-j", "addr", "show"): (1, "", "Cannot open netlink socket: Permission denied\n")}
    failed, result, dummy = run(monkeypatch, "active", answers=broken, vip="10.99.20.100/24")
    assert failed
    assert result["msg"] == "/usr/sbin/ip -j addr show failed (rc=1): Cannot open netlink socket: Permission denied"


def test_ip_without_json_fails_the_module(monkeypatch):
    old_ip = {(IP, "-j", "addr", "show"): (0, "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n", "")}
    failed, result, dummy = run(monkeypatch, "active", answers=old_ip, vip="10.99.20.100/24")
    assert failed
    assert "printed no JSON" in result["msg"]


# The cluster option: a node's settings in one dict (sipha.cluster.vip_state_settings).

DUAL_STACK = {"vip": "10.99.20.100/24", "gateway": "10.99.20.1", "vip6": "2001:db8:20::100/64", "gateway6": "2001:db8:20::1",
              "private_interface": "eth0", "public_interface": "eth1"}


def test_the_cluster_option_carries_a_dual_stack_nodes_settings(monkeypatch):
    failed, result, dummy = run(monkeypatch, "dualstack-active", cluster=DUAL_STACK, check_sip=True, expect="active")
    assert not failed, result
    assert (result["holds_vip"], result["holds_vip6"], result["problems"]) == (True, True, [])


def test_null_settings_in_the_cluster_option_take_the_defaults(monkeypatch):
    cluster = dict(DUAL_STACK, vip6=None, gateway6=None, private_interface=None, public_interface=None)
    failed, result, dummy = run(monkeypatch, "active", cluster=cluster, check_sip=True)
    assert not failed, result
    assert result["vip6"] is None and result["vip_interface"] == "eth1"


def test_a_node_holding_only_its_ipv4_vip_fails_with_the_half_group(monkeypatch):
    failed, result, dummy = run(monkeypatch, "dualstack-ipv4-only", cluster=DUAL_STACK)
    assert failed and "but not 2001:db8:20::100" in result["msg"]


def test_a_setting_given_twice_is_refused(monkeypatch):
    failed, result, dummy = run(monkeypatch, "active", cluster=DUAL_STACK, gateway="10.99.20.1")
    assert failed and result["msg"] == "gateway given both on its own and in cluster; give each setting once"


def test_a_vip_is_required_somewhere(monkeypatch):
    failed, result, dummy = run(monkeypatch, "active", cluster={"gateway": "10.99.20.1"})
    assert failed and result["msg"] == "vip is required, on its own or in cluster"
