# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""sipha-failover's health judgement (failover_health) on the recorded kernel output of the vip_state tests.

The node is a stand-in that reads the kernel from a recorded case through
vip_state.group_state and records what the check asks and tells it; so the
check on the node and verify.yml's vip_state are tested on the same
fixtures. tests/unit/roles/failover/test_sipha_failover.py runs the
installed layout (bash, sipha-health and these modules) end to end.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.sipha.cluster.plugins.module_utils import failover_health as health
from ansible_collections.sipha.cluster.plugins.module_utils import vip_state

from .test_vip_state import FIXTURES, IPV4, IPV6, recorded

CASES = sorted(name for name in os.listdir(FIXTURES) if os.path.isdir(os.path.join(FIXTURES, name)))


def settings_for(case="active", **overrides):
    params = IPV6 if case.startswith("ipv6") else IPV4
    env = {
        "VIP": params["vip"].partition("/")[0],
        "PUBLIC_IF": "eth1",
        "GATEWAY": params["gateway"],
        "PROXY_UNITS": "proxy.service",
        "PROXY_STANDBY": "hot",
        "ADDON_UNITS": "relay.service",
        "ADDON_STANDBY": "cold",
        "SIP_CHECK": "yes",
        "SIP_PORT": "5060",
        "SIP_TIMEOUT": "1.0",
        "PEERS": "10.99.10.12 10.99.10.13",
        "VIP_GUARD": "yes",
        "WATCH_INTERVAL": "1",
        "WATCH_FALL": "2",
        "RESTART_LIMIT": "2",
        "RESTART_WINDOW": "60",
        "HANDOVER_COMMAND": "hb_standby all",
        "HANDOVER_TIMEOUT": "30",
    }
    env.update(overrides)
    return health.Settings(env, watch=True)


class Node(object):
    """A node whose kernel is a recorded case; units, probes and guard as the test sets them."""

    def __init__(self, case, settings):
        links, routes, dummy = recorded(case)
        self.kernel_state = vip_state.group_state(links, routes, settings.vip, settings.public_if, settings.gateway)
        self.changing = False
        self.state = "MASTER"
        self.states = {}
        self.db_wait = set()
        self.route_repairs = False
        self.peer = None
        self.sip = True
        self.guard_lets_in = True
        self.asked = []
        self.logged = []

    def group_changing(self):
        return self.changing

    def kernel(self):
        return self.kernel_state

    def recorded_state(self):
        return self.state

    def unit_states(self, units):
        self.asked.append("units " + " ".join(units))
        return [self.states.get(unit, "active") for unit in units]

    def waits_for_db(self, unit):
        return unit in self.db_wait

    def repair_route(self):
        self.asked.append("repair route")
        if self.route_repairs:
            self.kernel_state = dict(self.kernel_state, holder_route=True)

    def answering_peer(self):
        self.asked.append("peers")
        return self.peer

    def sip_answers(self):
        self.asked.append("sip")
        return self.sip

    def guard(self, holding):
        self.asked.append("guard %s" % ("yes" if holding else "no"))
        return self.guard_lets_in

    def log(self, priority, message):
        self.logged.append("%s: %s" % (priority, message))


def prepared(case="active", **settings):
    """The settings and a stand-in node of a recorded case."""
    conf = settings_for(case, **settings)
    return conf, Node(case, conf)


def judged(case, **settings):
    conf, node = prepared(case, **settings)
    return health.check(node, conf), node


# What the check makes of every recorded node with its units running, its
# proxy answering and the guard letting it in. A holder needs its public
# link and its route (a wrong one is put back, which the stand-in cannot);
# the rest is verify.yml's business, not a reason to move the group.
VERDICTS = {
    "public-admin-down": (health.NODE_BROKEN, "the public link eth1 is down"),
    "public-carrier-lost": (health.NODE_BROKEN, "the public link eth1 is down"),
    "holder-private-gateway": (health.NODE_BROKEN, "no default route via 10.99.20.1 with source 10.99.20.100"),
    "holder-without-default": (health.NODE_BROKEN, "no default route via 10.99.20.1 with source 10.99.20.100"),
    "holder-without-src": (health.NODE_BROKEN, "no default route via 10.99.20.1 with source 10.99.20.100"),
    "holder-wrong-gateway": (health.NODE_BROKEN, "no default route via 10.99.20.1 with source 10.99.20.100"),
    "holder-wrong-src": (health.NODE_BROKEN, "no default route via 10.99.20.1 with source 10.99.20.100"),
    "ipv6-holder-without-src": (health.NODE_BROKEN, "no default route via 2001:db8:20::1 with source 2001:db8:20::100"),
}


@pytest.mark.parametrize("case", CASES)
def test_every_recorded_node(case):
    verdict, node = judged(case)
    expected, words = VERDICTS.get(case, (health.OK, None))
    assert verdict == expected, node.logged
    if words:
        assert any(words in line for line in node.logged), node.logged
    else:
        assert [line for line in node.logged if "failed" in line] == []
    holder = node.kernel_state["holds_vip"]
    # Only a holder that can serve asks its proxy, and it asks before its guard probes.
    assert ("sip" in node.asked) == (holder and expected == health.OK)
    if expected == health.OK:
        assert node.asked[-1] == ("guard yes" if holder else "units proxy.service")
    else:
        assert "guard yes" not in node.asked


@pytest.mark.parametrize("case", CASES)
def test_the_check_and_vip_state_read_the_kernel_alike(case):
    links, routes, sockets = recorded(case)
    conf = settings_for(case)
    kernel = vip_state.group_state(links, routes, conf.vip, "eth1", conf.gateway)
    state = vip_state.node_state(links, routes, sockets, conf.vip, "eth0", "eth1", conf.gateway)
    assert kernel["holds_vip"] == (state["vip_interface"] == "eth1")
    assert kernel["public_link_up"] == state["public_link_up"]
    # The holder's route is there exactly when vip_state finds no "no default route" problem.
    missing = any("but has no default route" in problem for problem in state["problems"])
    assert kernel["holder_route"] == (kernel["holds_vip"] and not missing)


def test_a_lost_route_put_back_is_no_failure():
    conf, node = prepared("holder-without-default")
    node.route_repairs = True
    assert health.check(node, conf) == health.OK
    assert "repair route" in node.asked
    assert node.logged == ["warning: check: 10.99.20.100 is here but the default route is missing; adding it again"]


@pytest.mark.parametrize("state", health.LEAVING)
def test_a_holder_the_ha_manager_is_taking_the_group_from_gets_no_route_back(state):
    # heartbeat stopped the route member (STANDBY) and removes the VIP next.
    conf, node = prepared("holder-without-default")
    node.route_repairs = True
    node.state = state
    assert health.check(node, conf) == health.OK
    assert node.asked == [] and node.logged == []


@pytest.mark.parametrize("state", ["MASTER", "ACTIVE", ""])
def test_a_holder_that_keeps_the_group_gets_its_route_back(state):
    conf, node = prepared("holder-without-default")
    node.route_repairs = True
    node.state = state
    assert health.check(node, conf) == health.OK
    assert "repair route" in node.asked


def test_no_gateway_means_no_route_to_judge():
    verdict, node = judged("holder-without-default", GATEWAY="")
    assert verdict == health.OK and "repair route" not in node.asked


def test_a_check_while_the_group_moves_judges_nothing_but_the_guard():
    conf, node = prepared()
    node.changing = True
    node.states["proxy.service"] = "failed"
    node.guard_lets_in = False
    # The holder's guard still asks (a newcomer must not pass its grace meanwhile).
    assert health.check(node, conf) == health.NODE_BROKEN
    assert node.asked == ["guard yes"]
    conf, node = prepared(VIP_GUARD="no")
    node.changing = True
    assert health.check(node, conf) == health.OK and node.asked == []


def test_a_standby_kept_out_by_the_guard_fails_before_its_units_are_asked():
    conf, node = prepared("standby")
    node.guard_lets_in = False
    assert health.check(node, conf) == health.NODE_BROKEN
    assert node.asked == ["guard no"]


def test_a_standby_asks_only_for_its_hot_units():
    verdict, node = judged("standby")
    assert verdict == health.OK
    assert node.asked == ["guard no", "units proxy.service"]


def test_the_holder_asks_for_its_cold_units_too():
    verdict, node = judged("active")
    assert verdict == health.OK
    assert node.asked == ["units proxy.service relay.service", "sip", "guard yes"]


@pytest.mark.parametrize("state", ["failed", "inactive", ""])
def test_a_unit_down_fails_the_services(state):
    conf, node = prepared()
    node.states["relay.service"] = state
    assert health.check(node, conf) == health.SERVICE_FAILED
    assert node.logged == ["warning: check failed: relay.service is %s" % (state or "unknown")]


@pytest.mark.parametrize("state", health.IN_TRANSITION)
def test_restart_first(state):
    conf, node = prepared()
    node.states["proxy.service"] = state
    assert health.check(node, conf) == health.OK
    assert "sip" not in node.asked and "peers" not in node.asked
    assert node.logged == ["info: check: proxy.service is %s, waiting for systemd" % state]


def test_a_holder_whose_proxy_waits_for_the_database_hands_the_group_to_a_peer_that_runs():
    conf, node = prepared()
    node.states["proxy.service"] = "activating"
    node.db_wait.add("proxy.service")
    assert health.check(node, conf) == health.OK
    assert node.asked[-2:] == ["peers", "guard yes"] and node.logged == []
    node.peer = "10.99.10.12"
    assert health.check(node, conf) == health.NODE_BROKEN
    assert "the one on 10.99.10.12 runs; the group goes there" in node.logged[-1]


def test_a_standby_whose_proxy_waits_asks_no_peer():
    conf, node = prepared("standby")
    node.states["proxy.service"] = "activating"
    node.db_wait.add("proxy.service")
    assert health.check(node, conf) == health.OK
    assert "peers" not in node.asked


def test_a_silent_proxy_fails_the_services_before_the_guard_probes():
    conf, node = prepared()
    node.sip = False
    assert health.check(node, conf) == health.SERVICE_FAILED
    assert "guard yes" not in node.asked
    assert node.logged == ["warning: check failed: no answer to SIP OPTIONS on 10.99.20.100:5060 within 1.0 s"]
    verdict, node = judged("active", SIP_CHECK="no")
    assert verdict == health.OK and "sip" not in node.asked


def test_the_health_check_asks_the_proxys_health_port():
    # failover.conf names the proxy's health socket (sipha_health_port);
    # without it, the phones' port as before.
    conf = settings_for("active", HEALTH_PORT="5059")
    assert conf.sip_port == "5059"
    assert settings_for("active").sip_port == "5060"


def test_the_guard_keeps_a_healthy_holder_out():
    conf, node = prepared()
    node.guard_lets_in = False
    assert health.check(node, conf) == health.NODE_BROKEN


def test_given_up_is_failed_only():
    assert health.given_up(["a", "b", "c", "d"], ["failed", "activating", "inactive", "active"]) == ["a"]


# The watch (heartbeat): restart first, then hand over.

def test_the_watch_restarts_up_to_the_limit_then_hands_over():
    watch = health.Watch(settings_for())  # fall 2, limit 2 in 60 s
    failed = health.SERVICE_FAILED
    assert [watch.after_check(failed, t) for t in range(6)] == [None, "restart", None, "restart", None, "hand over"]
    watch.handed_over()
    assert [watch.after_check(failed, t) for t in range(6, 8)] == [None, "restart"]


def test_a_passing_check_or_the_vip_leaving_starts_the_fall_again():
    watch = health.Watch(settings_for())  # fall 2
    assert [watch.after_check(v, 0) for v in (1, 0, 1, 0, 1)] == [None] * 5
    watch.not_holding()
    assert watch.after_check(1, 0) is None
    assert watch.after_check(1, 0) == "restart"


def test_restarts_leave_the_window():
    watch = health.Watch(settings_for(WATCH_FALL="1"))
    assert [watch.after_check(1, t) for t in (0, 1, 2)] == ["restart", "restart", "hand over"]
    watch.handed_over()
    assert watch.after_check(1, 100) == "restart"
    # At 161 the restart of 100 has left the 60 s window, the one of 159 has not.
    assert [watch.after_check(1, t) for t in (159, 161, 162)] == ["restart", "restart", "hand over"]


def test_a_broken_node_hands_over_without_a_restart():
    watch = health.Watch(settings_for(WATCH_FALL="1"))
    assert watch.after_check(health.NODE_BROKEN, 0) == "hand over, node broken"
    assert watch.restarts == []


def test_systemd_s_restarts_count_from_the_second_look():
    watch = health.Watch(settings_for(WATCH_FALL="1"))
    assert watch.systemd_restarted("proxy.service", 4, 0) is False  # what it was before the watch began
    assert watch.systemd_restarted("proxy.service", 4, 1) is False
    assert watch.systemd_restarted("proxy.service", 5, 2) is True
    assert watch.after_check(1, 3) == "restart"
    assert watch.after_check(1, 4) == "hand over"


@pytest.mark.parametrize("name, value, words", [
    ("WATCH_INTERVAL", "soon", "WATCH_INTERVAL must be a number, got 'soon'"),
    ("WATCH_FALL", "0", "WATCH_FALL must be at least 1"),
    ("RESTART_WINDOW", "", "RESTART_WINDOW must be a number"),
    ("VIP", "", "VIP and PUBLIC_IF must be set"),
])
def test_settings_that_cannot_be_used(name, value, words):
    with pytest.raises(health.SettingsError) as error:
        settings_for(**{name: value})
    assert words in str(error.value)


def test_a_check_never_fails_over_a_watch_setting():
    conf = health.Settings({"VIP": "10.99.20.100", "PUBLIC_IF": "eth1", "WATCH_FALL": "zero"})
    assert conf.proxy_units == [] and conf.sip_check is False and not hasattr(conf, "watch_fall")
