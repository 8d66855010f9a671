# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.keepalived_problems import FilterModule

keepalived_problems = FilterModule().filters()["keepalived_problems"]


def settings(**overrides):
    """One node's effective settings as preflight publishes them (strings, as templated)."""
    values = {
        "priority": "150",
        "nopreempt": True,
        "vrrp_version": "3",
        "advert_int": "1",
        "auth_pass": "",
        "virtual_router_id": "51",
        "check_interval": "1",
        "check_timeout": "4",
        "unicast": True,
    }
    values.update(overrides)
    return values


def problems_of(node1=None, node2=None, **shared):
    """Problems of a two-node cluster: ``shared`` on both, node1/node2 dicts on one."""
    return keepalived_problems({
        "node1": settings(**dict(shared, **(node1 or {}))),
        "node2": settings(**dict(dict(shared, priority="140"), **(node2 or {}))),
    })


def test_sound_settings_have_no_problems():
    assert problems_of() == []


@pytest.mark.parametrize("advert", ["0.01", "0.2", "1", 3, "40.95"])
def test_vrrp3_takes_centiseconds_up_to_40_95(advert):
    assert problems_of(advert_int=advert) == []


@pytest.mark.parametrize("advert", ["0", "0.001", "0.015", "41", "-1", "fast", "nan", None])
def test_vrrp3_advert_out_of_range_is_reported(advert):
    problems = problems_of(advert_int=advert)
    assert len(problems) == 2 and all("keepalived_advert_int" in p for p in problems), problems
    assert problems[0].startswith("node1: ")


@pytest.mark.parametrize("advert", ["0.5", "256", "0"])
def test_vrrp2_takes_whole_seconds(advert):
    problems = problems_of(vrrp_version="2", advert_int=advert)
    assert len(problems) == 2 and all("VRRPv2 takes whole seconds" in p for p in problems), problems


def test_vrrp2_whole_seconds_are_fine():
    assert problems_of(vrrp_version=2, advert_int="2") == []


@pytest.mark.parametrize("version", ["1", "4", "three"])
def test_unknown_vrrp_version_is_reported(version):
    problems = problems_of(vrrp_version=version)
    assert any("keepalived_vrrp_version" in p for p in problems), problems


@pytest.mark.parametrize("priority", ["0", "255", "-5", "high", "100.5"])
def test_priority_out_of_range_is_reported(priority):
    problems = problems_of(node1={"priority": priority})
    assert problems == [problems[0]] and "node1: keepalived_priority" in problems[0] and "1 to 254" in problems[0]


@pytest.mark.parametrize("router_id", ["0", "256", "x"])
def test_router_id_out_of_range_is_reported(router_id):
    problems = problems_of(virtual_router_id=router_id)
    assert len(problems) == 2 and all("keepalived_virtual_router_id" in p for p in problems), problems


def test_password_needs_vrrp2():
    problems = problems_of(auth_pass="s3cret")
    assert len(problems) == 2 and all("has no authentication" in p for p in problems), problems
    assert problems_of(auth_pass="s3cret", vrrp_version="2") == []


def test_password_longer_than_eight_is_reported_without_showing_it():
    problems = problems_of(auth_pass="much-too-long", vrrp_version="2")
    assert len(problems) == 2 and all("13 characters" in p for p in problems), problems
    assert not any("much-too-long" in p for p in problems)


@pytest.mark.parametrize("key, one, other", [
    ("advert_int", "1", "0.5"),
    ("virtual_router_id", "51", "52"),
    ("vrrp_version", "3", "2"),
    ("nopreempt", True, "false"),
    ("unicast", "yes", False),
])
def test_shared_settings_must_match(key, one, other):
    problems = [p for p in problems_of(node1={key: one}, node2={key: other}) if "differs" in p]
    assert len(problems) == 1 and ("keepalived_%s differs" % key) in problems[0], problems
    assert "node1" in problems[0] and "node2" in problems[0]


def test_differing_password_is_reported_hidden():
    problems = problems_of(vrrp_version="2", node1={"auth_pass": "aaaa"}, node2={"auth_pass": "bbbb"})
    assert len(problems) == 1 and "keepalived_auth_pass differs" in problems[0]
    assert "aaaa" not in problems[0] and "(hidden)" in problems[0]


def test_duplicate_priorities_with_preemption_are_reported():
    problems = problems_of(nopreempt=False, node2={"priority": "150"})
    assert problems == [
        "keepalived_priority is 150 on node1 and node2; with preemption (keepalived_nopreempt: false) every node "
        "needs its own priority, or the VIP goes to whichever has the higher IP: set keepalived_priority per host "
        "in host_vars."
    ]


def test_duplicate_priorities_without_preemption_are_fine():
    assert problems_of(node2={"priority": "150"}) == []


@pytest.mark.parametrize("key", ["check_interval", "check_timeout"])
def test_check_timing_must_be_whole_seconds(key):
    problems = problems_of(node1={key: "0.5"})
    assert problems == [problems[0]] and ("keepalived_%s" % key) in problems[0]


@pytest.mark.parametrize("value", [["node1"], {"node1": "x"}, "node1"])
def test_bad_input_shape_is_a_clear_error(value):
    with pytest.raises(AnsibleFilterError, match="dict of node name to settings"):
        keepalived_problems(value)


@pytest.mark.parametrize("password", ["a b", "a#b", "ab!", 'q"x', "it's"])
def test_password_that_keepalived_conf_would_cut_is_reported(password):
    problems = problems_of(vrrp_version="2", auth_pass=password)
    assert len(problems) == 2 and all("would cut off" in p for p in problems), problems
    assert not any(password in p for p in problems)


FLAP = {"flap_limit": "3", "flap_window": "900", "flap_hold_down": "600"}


@pytest.mark.parametrize("flap", [FLAP, dict(FLAP, flap_limit="0", flap_window="x", flap_hold_down="0"), {}])
def test_sound_flap_damping_or_none_has_no_problems(flap):
    assert problems_of(**flap) == []


@pytest.mark.parametrize("limit", ["-1", "two", "2.5", None])
def test_a_flap_limit_that_is_not_a_count_is_reported(limit):
    flap = dict(FLAP)
    flap["flap_limit"] = limit
    problems = problems_of(**flap)
    assert len(problems) == 2 and all("failover_flap_limit is" in p and "0 to turn flap damping off" in p
                                      for p in problems), problems


@pytest.mark.parametrize("key", ["flap_window", "flap_hold_down"])
@pytest.mark.parametrize("seconds", ["0", "-5", "soon", None])
def test_flap_damping_needs_a_window_and_a_hold_down(key, seconds):
    problems = problems_of(node1=dict(FLAP, **{key: seconds}), node2=FLAP)
    assert problems == ["node1: failover_%s is %r; use whole seconds %s, at least 1 (or failover_flap_limit: 0 to turn "
                        "flap damping off)." % (key, seconds, "over which losses count" if key == "flap_window"
                                                else "a flapping node stays out")]


@pytest.mark.parametrize("timeout, sip_timeout", [("4", "1.0"), ("3", "1.0"), ("3", "0.5"), ("5", "2.5"), ("40", "1")])
def test_a_check_timeout_with_room_beyond_the_sip_probe_is_fine(timeout, sip_timeout):
    assert problems_of(check_timeout=timeout, sip_timeout=sip_timeout) == []


@pytest.mark.parametrize("timeout, sip_timeout, least", [("2", "1.0", 3), ("1", "0.2", 3), ("4", "2.5", 5)])
def test_a_check_timeout_that_would_kill_a_slow_healthy_check_is_reported(timeout, sip_timeout, least):
    problems = problems_of(node1={"check_timeout": timeout}, node2={"check_timeout": "40"}, sip_timeout=sip_timeout)
    assert problems == [
        "node1: keepalived_check_timeout is %s, but the check waits up to failover_sip_timeout (%s s) for a SIP answer "
        "and needs about 2 s more for the rest on a busy node; keepalived would kill a slow healthy check and count it "
        "failed. Set keepalived_check_timeout to at least %d (or lower failover_sip_timeout)." % (timeout, sip_timeout, least)
    ]


@pytest.mark.parametrize("sip_timeout", ["0", "-1", "soon", "nan", None])
def test_a_sip_timeout_that_is_not_a_wait_is_reported(sip_timeout):
    problems = problems_of(sip_timeout=sip_timeout)
    assert len(problems) == 2 and all("failover_sip_timeout is %r" % sip_timeout in p for p in problems), problems
