# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""verify.yml's, status.yml's, switchover.yml's and site.yml's judgements, on recorded nodes.

Each node's VIP state is what the vip_state module makes of a case recorded
from a real kernel (../module_utils/fixtures/vip_state, VIP 10.99.20.100/24,
gateway 10.99.20.1, private address 10.99.10.11), wrapped as Ansible hands a
loop result to the playbook (item, changed, failed).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.rollout_batch import FilterModule as RolloutBatch
from ansible_collections.sipha.cluster.plugins.filter.status_lines import FilterModule as StatusLines
from ansible_collections.sipha.cluster.plugins.filter.switchover_plan import FilterModule as SwitchoverPlan
from ansible_collections.sipha.cluster.plugins.filter.verify_report import FilterModule as VerifyReport
from ansible_collections.sipha.cluster.plugins.module_utils import vip_state

rollout_batch = RolloutBatch().filters()["rollout_batch"]
verify_report = VerifyReport().filters()["verify_report"]
status_lines = StatusLines().filters()["status_lines"]
switchover_plan = SwitchoverPlan().filters()["switchover_plan"]

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "module_utils", "fixtures", "vip_state")
VIP = "10.99.20.100/24"
PROXIES = ["node1", "node2", "node3"]


def read(case, name):
    with open(os.path.join(FIXTURES, case, name)) as f:
        return f.read()


def node(case, name):
    """A vip_state loop result for ``name``, recorded as ``case``."""
    routes = json.loads(read(case, "route4.json")) + json.loads(read(case, "route6.json"))
    result = vip_state.node_state(json.loads(read(case, "addr.json")), routes, read(case, "ss.txt"), VIP, gateway="10.99.20.1", check_sip=True)
    result.update({"item": name, "changed": False, "failed": False})
    return result


def unreachable(name):
    return {"item": name, "unreachable": True, "changed": False, "msg": "Failed to create temporary directory"}


def ha(*lines):
    return {"stdout_lines": list(lines), "rc": 0}


# verify.yml


def test_sound_cluster_has_no_failures():
    report = verify_report([node("active", "node1"), node("standby", "node2")], [ha("active", "MASTER"), ha("active", "BACKUP")], VIP, "keepalived")
    assert report["failures"] == []
    assert report["holders"] == ["node1"]
    assert [entry["name"] for entry in report["nodes"]] == ["node1", "node2"]
    assert report["lines"][0].split()[:4] == ["node1", "active", "ha=MASTER", "sip=True"]
    assert "default=default via 10.99.20.1 dev eth1 src 10.99.20.100" in report["lines"][0]
    assert report["lines"][0].endswith("problems=0")
    assert report["lines"][1].split()[:4] == ["node2", "standby", "ha=BACKUP", "sip=False"]
    assert "default=-" in report["lines"][1]


def test_two_holders_are_a_split_brain():
    report = verify_report([node("active", "node1"), node("active", "node2")], [ha("active", "MASTER")] * 2, VIP, "keepalived")
    assert report["failures"] == ["The VIP %s is on node1 and node2 at once: split brain." % VIP]


def test_no_holder_means_the_service_is_down():
    report = verify_report([node("standby", "node1"), node("standby", "node2")], [ha("active", "BACKUP")] * 2, VIP, "keepalived")
    assert len(report["failures"]) == 1
    assert report["failures"][0].startswith("No reachable node holds the VIP %s: the service is down." % VIP)
    assert report["failures"][0].endswith("on node1, node2.")


def test_a_node_that_cannot_be_read_fails_unless_allowed_down():
    reads = [node("active", "node1"), unreachable("node2")]
    has = [ha("active", "MASTER"), {"unreachable": True}]
    report = verify_report(reads, has, VIP, "heartbeat")
    assert report["failures"] == [
        "Could not read node2: Failed to create temporary directory. Bring the node back, or pass -e verify_allow_down=true to check the others alone."
    ]
    assert report["lines"][1].split()[:2] == ["node2", "down"]
    assert verify_report(reads, has, VIP, "heartbeat", allow_down=True)["failures"] == []


def test_a_stopped_ha_manager_is_named_with_the_command_to_start_it():
    report = verify_report([node("active", "node1"), node("standby", "node2")], [ha("active", "ACTIVE"), ha("inactive", "STANDBY")], VIP, "heartbeat")
    assert report["failures"] == [
        "The HA manager is not running on node2: the cluster cannot fail over to it. Start it (systemctl start heartbeat) or re-run site.yml."
    ]
    assert "ha=STOPPED" in report["lines"][1]


def test_a_node_breaking_a_rule_is_named_with_its_problem():
    # The sentence molecule's verify.yml step looks for after it breaks node1.
    reads = [node("holder-private-gateway", "node1"), node("standby", "node2")]
    report = verify_report(reads, [ha("active", "MASTER"), ha("active", "BACKUP")], VIP, "keepalived")
    assert len(report["failures"]) == 1
    assert report["failures"][0].startswith("node1: The private NIC eth0 has a default route")


def test_every_broken_rule_is_reported_at_once():
    report = verify_report([node("active", "node1"), node("standby-default-route", "node2")], [ha("active", "MASTER"), ha("failed", "?")], VIP, "keepalived")
    assert [failure.split(":")[0] for failure in report["failures"]] == ["The HA manager is not running on node2", "node2"]


def test_a_missing_ha_read_counts_as_stopped():
    report = verify_report([node("active", "node1")], [], VIP, "keepalived")
    assert report["nodes"][0]["ha_active"] is False
    assert report["nodes"][0]["ha_state"] == "?"


def test_verify_report_refuses_what_is_not_a_results_list():
    with pytest.raises(AnsibleFilterError, match="results lists"):
        verify_report({"results": []}, [], VIP, "keepalived")


# status.yml


def global_addresses(case):
    """What ``ip -j -4 addr show scope global`` prints, from the recorded ``ip -j addr show``."""
    links = json.loads(read(case, "addr.json"))
    for link in links:
        link["addr_info"] = [info for info in link.get("addr_info", []) if info.get("family") == "inet" and info.get("scope") == "global"]
    return json.dumps([link for link in links if link["addr_info"]])


def test_status_marks_the_vip_and_names_the_way_out():
    lines = status_lines(
        ["node1", "node2", "db1"],
        [["sip_proxies", "lab"], ["lab", "sip_proxies"], ["ungrouped"]],
        [global_addresses("active"), global_addresses("standby"), "[]"],
        [read("active", "route4.json"), read("standby", "route4.json"), '[{"dst": "default", "dev": "eth0", "flags": []}]'],
        vip="10.99.20.100",
    )
    assert lines[0].split() == ["node1", "sip_proxies", "10.99.10.11", "10.99.20.100(VIP)", "default", "via", "10.99.20.1"]
    assert lines[1].split() == ["node2", "sip_proxies", "10.99.10.11", "-"]
    # A device route has no gateway; a host in no group of its own says -.
    assert lines[2].split() == ["db1", "-", "default", "via", "dev"]


def test_status_without_a_vip_marks_nothing():
    lines = status_lines(["node1"], [["sip_proxies"]], [global_addresses("active")], ["[]"])
    assert "(VIP)" not in lines[0]


def test_status_refuses_lists_of_different_lengths_and_bad_json():
    with pytest.raises(AnsibleFilterError, match="one groups list"):
        status_lines(["node1", "node2"], [[]], ["[]"], ["[]"])
    with pytest.raises(AnsibleFilterError, match="not JSON"):
        status_lines(["node1"], [[]], ["ip: command not found"], ["[]"])


# switchover.yml


def plan(cases, has, manager="keepalived", **options):
    names = ["node%d" % (i + 1) for i in range(len(cases))]
    states = [node(case, name) if case else unreachable(name) for case, name in zip(cases, names)]
    return switchover_plan(names, states, has, PROXIES, manager, **options)


HEALTHY_BACKUP = ha("active", "BACKUP", "healthy")
MASTER = ha("active", "MASTER", "healthy")


def test_the_first_fit_standby_is_the_target():
    result = plan(["active", "standby", "standby"], [MASTER, ha("active", "FAULT", "unhealthy"), HEALTHY_BACKUP])
    assert result == {"active": "node1", "holders": ["node1"], "target": "node3", "fit": ["node3"], "problem": ""}


def test_a_requested_fit_standby_is_taken():
    result = plan(["active", "standby", "standby"], [MASTER, HEALTHY_BACKUP, HEALTHY_BACKUP], requested="node3")
    assert (result["target"], result["problem"]) == ("node3", "")


@pytest.mark.parametrize(
    "cases, has, options, problem",
    [
        (["active", "active"], [MASTER, MASTER], {}, "The VIP is on node1 and node2; a switchover needs exactly one active node."),
        (["standby", "standby"], [HEALTHY_BACKUP] * 2, {}, "The VIP is on no node; a switchover needs exactly one active node."),
        (["active", "standby"], [MASTER, ha("active", "BACKUP", "unhealthy")], {}, "No standby is fit to take over (each needs keepalived running"),
        (["active", "standby"], [MASTER, HEALTHY_BACKUP], {"requested": "node9"}, "switchover_to=node9 is not a node of sip_proxies."),
        (["active", "standby"], [MASTER, HEALTHY_BACKUP], {"requested": "node1"}, "node1 is already the active node."),
        (
            ["active", "standby", None],
            [MASTER, HEALTHY_BACKUP, {}],
            {"requested": "node3"},
            "node3 is not fit to take over: keepalived/state/check = unreachable; ",
        ),
        (
            ["active", "standby-public-address"],
            [MASTER, HEALTHY_BACKUP],
            {"requested": "node2"},
            "node2 is not fit to take over: keepalived/state/check = active/BACKUP/healthy; The public NIC eth1 has an address of its own",
        ),
        (["active", "standby"], [MASTER, HEALTHY_BACKUP], {"keeps_holder": False}, "keepalived_nopreempt is false"),
    ],
)
def test_a_switchover_that_cannot_be_done_safely_is_refused(cases, has, options, problem):
    assert plan(cases, has, **options)["problem"].startswith(problem)


def test_heartbeat_switches_over_between_two_nodes_only():
    has = [ha("active", "ACTIVE", "healthy"), ha("active", "STANDBY", "healthy")]
    names = ["node1", "node2"]
    states = [node("active", "node1"), node("standby", "node2")]
    assert switchover_plan(names, states, has, names, "heartbeat")["problem"] == ""
    assert switchover_plan(names, states, has, PROXIES, "heartbeat")["problem"].startswith("heartbeat hands the group to its one peer")


def test_heartbeat_standbys_are_fit_before_and_after_holding_the_group():
    # heartbeat's state file says STANDBY once a node gave the group away,
    # and does not exist on a node that never held it.
    result = plan(
        ["active", "standby", "standby", "standby"],
        [ha("active", "ACTIVE", "healthy"), ha("active", "unknown", "healthy"), ha("active", "STANDBY", "healthy"), ha("active", "ACTIVE", "healthy")],
        "heartbeat",
    )
    assert result["fit"] == ["node2", "node3"]
    assert result["target"] == "node2"


def test_switchover_plan_refuses_an_unknown_manager_and_short_lists():
    with pytest.raises(AnsibleFilterError, match="ha_manager must be one of heartbeat, keepalived"):
        switchover_plan(["node1"], [{}], [{}], PROXIES, "pacemaker")
    with pytest.raises(AnsibleFilterError, match="one state and one HA read per node"):
        switchover_plan(["node1", "node2"], [{}], [{}], PROXIES, "keepalived")


# site.yml: how many proxy nodes its proxies' play changes at once


def units(*states):
    """``systemctl show --property=LoadState --value kamailio opensips keepalived heartbeat`` as site.yml registers it.

    systemd 252 (bookworm) prints an empty line between two units' values:
    "not-found", "", "not-found", ... (recorded on a lab node).
    """
    lines = []
    for state in states:
        lines += [state, ""]
    return {"stdout_lines": lines[:-1], "stdout": "\n".join(lines[:-1]), "rc": 0, "changed": False}


NONE_INSTALLED = ("not-found",) * 4


def fresh(name):
    # A node before its first install: no VIP, none of the four units.
    return {"__node_vip_state": node("standby", name), "__site_cluster_units": units(*NONE_INSTALLED)}


def test_a_first_install_sets_up_every_node_at_once():
    hostvars = {name: fresh(name) for name in PROXIES}
    assert rollout_batch(hostvars, PROXIES) == "100%"


@pytest.mark.parametrize(
    "change",
    [
        {"__node_vip_state": node("active", "node2")},
        {"__site_cluster_units": units("loaded", "not-found", "loaded", "not-found")},
        # Installed and stopped (a maintenance window): its configuration works, keep it.
        {"__site_cluster_units": units("loaded", "not-found", "not-found", "not-found")},
        # A switch to heartbeat: the keepalived that was installed still counts.
        {"__site_cluster_units": units("not-found", "not-found", "loaded", "not-found")},
        {"__site_cluster_units": units("not-found", "masked", "not-found", "not-found")},
    ],
    ids=["holds-the-vip", "installed", "installed-and-stopped", "other-ha-manager", "masked"],
)
def test_one_node_with_a_configuration_to_keep_makes_the_rollout_one_node_at_a_time(change):
    hostvars = {name: fresh(name) for name in PROXIES}
    hostvars["node2"].update(change)
    assert rollout_batch(hostvars, PROXIES) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"__node_vip_state": None},
        {"__site_cluster_units": {"skipped": True, "changed": False}},
        {"__site_cluster_units": {"unreachable": True, "msg": "Failed to connect"}},
        {"__site_cluster_units": units()},
        {"__node_vip_state": {"failed": True, "msg": "ip: not found"}},
    ],
    ids=["vip-not-read", "units-skipped", "units-unreachable", "units-empty", "vip-read-failed"],
)
def test_a_node_that_was_not_read_counts_as_installed(change):
    hostvars = {name: fresh(name) for name in PROXIES}
    hostvars["node3"].update(change)
    assert rollout_batch(hostvars, PROXIES) == 1


def test_a_node_the_first_play_never_reached_counts_as_installed():
    # --limit node1,node2: node3 has no registered reads at all.
    hostvars = {name: fresh(name) for name in PROXIES[:2]}
    hostvars["node3"] = {"sipha_private_ip": "10.99.10.13/24"}
    assert rollout_batch(hostvars, PROXIES) == 1
    assert rollout_batch({}, PROXIES) == 1


def test_no_proxy_node_at_all_is_one_at_a_time():
    assert rollout_batch({}, []) == 1
