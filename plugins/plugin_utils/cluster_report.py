# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the day-2 playbooks judge from what they read off the live nodes.

verify.yml, status.yml, switchover.yml and site.yml read each node (the vip_state
module, ``systemctl is-active``, the failover state file, ``ip -j``) and
then decide: is the cluster sound, what is where, which node may take the
group. Those decisions live here, as plain functions over the registered
results, so that they are tested on recorded output rather than written as
Jinja loops inside playbooks.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.sipha.cluster.plugins.plugin_utils.network import route_text

# What each HA manager's standby looks like in the failover state file: the
# last keepalived transition (notify), or heartbeat's group marker (the
# route resource). "unknown": the node never held or gave up the group.
STANDBY_STATES = {
    "keepalived": ("BACKUP",),
    "heartbeat": ("STANDBY", "unknown"),
}


def _lines(read):
    """A shell read's output lines, padded so that a failed read says '?'."""
    return list(read.get("stdout_lines") or []) + ["?", "?", "?"]


def _shorten(text, width=90):
    return text if len(text) <= width else text[: width - 3] + "..."


def node_reports(state_reads, ha_reads):
    """One dict per node from the two loops of verify.yml, in inventory order.

    ``state_reads`` are the vip_state loop results (``item`` is the node;
    an unreachable or failed read has no ``holds_vip``), ``ha_reads`` the
    results of ``systemctl is-active MANAGER; cat STATE`` in the same order.
    """
    nodes = []
    for index, read in enumerate(state_reads):
        ha = _lines(ha_reads[index] if index < len(ha_reads) else {})
        nodes.append(
            {
                "name": read.get("item"),
                "up": "holds_vip" in read,
                "why": read.get("msg") or "unreachable",
                "state": read,
                "ha_active": ha[0] == "active",
                "ha_state": ha[1],
            }
        )
    return nodes


def node_line(node):
    """One line of verify.yml's table."""
    if not node["up"]:
        return "%-10s %-8s %s" % (node["name"], "down", _shorten(str(node["why"])))
    state = node["state"]
    routes = "; ".join(route_text(route) for route in state.get("default_routes") or []) or "-"
    return "%-10s %-8s ha=%-7s sip=%-5s default=%-45s problems=%d" % (
        node["name"],
        state.get("role"),
        node["ha_state"] if node["ha_active"] else "STOPPED",
        state.get("sip_listening"),
        routes,
        len(state.get("problems") or []),
    )


def cluster_failures(nodes, vip, ha_manager, allow_down=False):
    """The broken cluster rules as sentences, most basic first; empty when sound.

    A node that cannot be read fails the check unless ``allow_down`` (a node
    stopped on purpose); the others must still keep the rules.
    """
    failures = []
    up = [node for node in nodes if node["up"]]
    down = [node for node in nodes if not node["up"]]
    if down and not allow_down:
        failures.append(
            "Could not read %s: %s. Bring the node back, or pass -e verify_allow_down=true to check the others alone."
            % (", ".join(node["name"] for node in down), "; ".join(str(node["why"]) for node in down))
        )
    stopped = [node["name"] for node in up if not node["ha_active"]]
    if stopped:
        failures.append(
            "The HA manager is not running on %s: the cluster cannot fail over to it. Start it (systemctl start %s) or re-run site.yml."
            % (", ".join(stopped), ha_manager)
        )
    holders = vip_holders(nodes)
    if len(holders) > 1:
        failures.append("The VIP %s is on %s at once: split brain." % (vip, " and ".join(holders)))
    elif not holders:
        failures.append(
            "No reachable node holds the VIP %s: the service is down. Check the HA manager"
            " (journalctl -t sipha-failover -t Keepalived_vrrp) on %s." % (vip, ", ".join(node["name"] for node in up))
        )
    for node in up:
        problems = node["state"].get("problems") or []
        if problems:
            failures.append("%s: %s" % (node["name"], " ".join(problems)))
    return failures


def vip_holders(nodes):
    """The nodes that could be read and hold the VIP."""
    return [node["name"] for node in nodes if node["up"] and node["state"].get("holds_vip")]


def verify_report(state_reads, ha_reads, vip, ha_manager, allow_down=False):
    """Everything verify.yml shows and asserts: nodes, holders, lines, failures."""
    nodes = node_reports(state_reads, ha_reads)
    return {
        "nodes": nodes,
        "holders": vip_holders(nodes),
        "lines": [node_line(node) for node in nodes],
        "failures": cluster_failures(nodes, vip, ha_manager, allow_down),
    }


def status_line(name, groups, addresses, routes, vip):
    """One line of status.yml: the host, its first group, its addresses, its way out.

    ``addresses`` is the parsed ``ip -j -4 addr show scope global``,
    ``routes`` the parsed ``ip -j route show default``; ``vip`` (an address,
    or empty) is marked where it is.
    """
    found = []
    for link in addresses:
        for info in link.get("addr_info") or []:
            local = info.get("local")
            found.append("%s%s" % (local, "(VIP)" if vip and local == vip else ""))
    group = next((group for group in groups if group not in ("ungrouped", "lab")), "-")
    way_out = ",".join(route.get("gateway", "dev") for route in routes)
    return "%-7s %-13s %-33s %s" % (name, group, " ".join(found), "default via " + way_out if way_out else "-")


def status_lines(hosts, vip):
    """status.yml's table; ``hosts`` are dicts of name, groups and the two ``ip -j`` texts."""
    return [
        status_line(host["name"], host.get("groups") or [], json.loads(host["addresses"] or "[]"), json.loads(host["routes"] or "[]"), vip)
        for host in hosts
    ]


def fit_standbys(nodes, ha_manager):
    """The standbys that can take the group now, in inventory order.

    ``nodes`` are dicts of name, ``state`` (vip_state) and ``ha`` (the lines
    of: the manager's unit state, the failover state file, the health
    check's "healthy"/"unhealthy"). Fit means: no VIP, no problem in
    vip_state, the HA manager running, a standby's state, the check passing.
    """
    standby = STANDBY_STATES[ha_manager]
    fit = []
    for node in nodes:
        state = node.get("state") or {}
        ha = _lines(node.get("ha") or {})
        if state.get("holds_vip") or "holds_vip" not in state or state.get("problems"):
            continue
        if ha[0] == "active" and ha[1] in standby and ha[2] == "healthy":
            fit.append(node["name"])
    return fit


def switchover_plan(nodes, proxies, ha_manager, requested="", keeps_holder=True):
    """Which node gives the group away, which takes it, or why it cannot be done.

    ``requested`` is switchover_to (empty: the first fit standby).
    ``keeps_holder`` is false when the HA manager would give the group back
    to the old holder at once (keepalived without nopreempt; heartbeat's
    auto_failback acts only when a node joins, so hb_standby's move stays).
    Returns active, holders, target, fit and problem (empty when the
    switchover may go ahead: a playbook templates it as a message either way).
    """
    holders = [node["name"] for node in nodes if (node.get("state") or {}).get("holds_vip")]
    fit = fit_standbys(nodes, ha_manager)
    target = requested or (fit[0] if fit else "")
    plan = {"active": holders[0] if holders else "", "holders": holders, "target": target, "fit": fit, "problem": ""}
    by_name = dict((node["name"], node) for node in nodes)
    if len(holders) != 1:
        plan["problem"] = "The VIP is on %s; a switchover needs exactly one active node." % (" and ".join(holders) or "no node")
    elif not target:
        plan["problem"] = (
            "No standby is fit to take over (each needs %s running as a standby, a passing health check and no problem in vip_state)."
            % ha_manager
        )
    elif target not in proxies:
        plan["problem"] = "switchover_to=%s is not a node of sip_proxies." % target
    elif target == plan["active"]:
        plan["problem"] = "%s is already the active node." % target
    elif target not in fit:
        node = by_name.get(target) or {}
        ha = (node.get("ha") or {}).get("stdout_lines") or ["unreachable"]
        plan["problem"] = "%s is not fit to take over: %s/state/check = %s; %s" % (
            target,
            ha_manager,
            "/".join(ha),
            " ".join((node.get("state") or {}).get("problems") or []),
        )
    elif ha_manager == "heartbeat" and len(proxies) != 2:
        # hb_standby gives the group to "the other node": with more, it picks.
        plan["problem"] = "heartbeat hands the group to its one peer (hb_standby); a switchover needs exactly two nodes in sip_proxies."
    elif not keeps_holder:
        plan["problem"] = (
            "keepalived_nopreempt is false: the node with the highest priority takes the VIP back at once. Change the priorities instead."
        )
    return plan


def rollout_batch(nodes):
    """How many proxy nodes site.yml's proxy play may change at once.

    ``nodes`` are dicts of ``state`` (vip_state) and ``units`` (the
    registered ``systemctl show --property=LoadState --value`` of every
    proxy and HA manager unit), one per node of sip_proxies. All at once
    (``"100%"``) only on a first install: every node was read, none holds
    the VIP, and none has any of those units ("not-found" for each). Then
    no node has a working configuration to keep. Otherwise one node at a
    time, also when a node was not read at all (left out by --limit, or
    failed before): a configuration that cannot start stops the run on the
    first node, and the others keep theirs, running or not.
    """
    if not nodes:
        return 1
    for node in nodes:
        state = node.get("state") or {}
        # systemctl prints an empty line between the units' values.
        units = [line for line in (node.get("units") or {}).get("stdout_lines") or [] if line.strip()]
        if state.get("holds_vip") is not False or not units:
            return 1
        if any(unit != "not-found" for unit in units):
            return 1
    return "100%"
