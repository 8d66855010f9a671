# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules for keepalived's VRRP settings that span nodes, checked before any host is touched.

Each node's effective settings (role defaults with the inventory over them)
come in as one dict per node; messages name the host, the variable and the
fix, because the operator reads them as they are.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from decimal import ROUND_CEILING, Decimal, InvalidOperation

from ansible_collections.sipha.cluster.plugins.plugin_utils.network import flag
from ansible_collections.sipha.cluster.plugins.plugin_utils.shared_settings import differing

# VRRPv3 carries the interval in centiseconds in 12 bits (RFC 5798 5.2.7);
# VRRPv2 in whole seconds in 8 bits (RFC 3768 5.3.7).
V3_MIN, V3_MAX = Decimal("0.01"), Decimal("40.95")
V2_MIN, V2_MAX = 1, 255
# 255 belongs to the owner of the address; a floating VIP has no owner.
PRIORITY_MIN, PRIORITY_MAX = 1, 254
# keepalived sends only the first 8 characters of a PASS password.
AUTH_PASS_MAX = 8
# keepalived.conf starts a comment at "#" or "!" and splits words on blanks.
AUTH_PASS_CHARS = re.compile(r'^[^\s#!"\']+$')

# What the health check needs beyond its SIP probe's own wait
# (failover_sip_timeout): the VIP guard's ARP probe (0.3 s) and a dozen
# short processes, which took up to 1.3 s on a lab node while site.yml ran
# beside it on the same two cores. keepalived kills a check that outlasts
# keepalived_check_timeout and counts it failed, so a timeout without this
# room takes a busy but healthy node out (two such checks move the VIP).
CHECK_ROOM_S = 2

# Settings every node must share, or the nodes are not one VRRP instance.
SHARED = ("vrrp_version", "advert_int", "virtual_router_id", "nopreempt", "auth_pass", "unicast")


def _decimal(value):
    """`value` as a Decimal (NaN and infinities included), or None when it is not a number at all."""
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def _int(value):
    number = None if isinstance(value, bool) else _decimal(value)
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else None


def _node_problems(host, node):
    problems = []
    version = _int(node.get("vrrp_version"))
    if version not in (2, 3):
        problems.append("%s: keepalived_vrrp_version is %r; use 3 (sub-second adverts) or 2 (needed for a password)."
                        % (host, node.get("vrrp_version")))

    raw = node.get("advert_int")
    advert = _decimal(raw)
    if advert is None or not advert.is_finite():
        problems.append("%s: keepalived_advert_int is %r, which is not a number of seconds." % (host, raw))
    elif version == 3 and not (V3_MIN <= advert <= V3_MAX and advert == advert.quantize(V3_MIN)):
        problems.append(
            "%s: keepalived_advert_int is %s; with VRRPv3 it must be 0.01 to 40.95 seconds in steps of 0.01 "
            "(a peer takes over about three intervals after the active node goes silent)." % (host, raw)
        )
    elif version == 2 and not (advert == advert.to_integral_value() and V2_MIN <= advert <= V2_MAX):
        problems.append(
            "%s: keepalived_advert_int is %s; VRRPv2 takes whole seconds from 1 to 255. For sub-second adverts "
            "set keepalived_vrrp_version: 3." % (host, raw)
        )

    priority = _int(node.get("priority"))
    if priority is None or not PRIORITY_MIN <= priority <= PRIORITY_MAX:
        problems.append("%s: keepalived_priority is %r; it must be a whole number from 1 to 254." % (host, node.get("priority")))

    router_id = _int(node.get("virtual_router_id"))
    if router_id is None or not 1 <= router_id <= 255:
        problems.append("%s: keepalived_virtual_router_id is %r; it must be 1 to 255." % (host, node.get("virtual_router_id")))

    password = node.get("auth_pass") or ""
    if password and version == 3:
        problems.append(
            "%s: keepalived_auth_pass is set but keepalived_vrrp_version is 3, which has no authentication; "
            "set keepalived_vrrp_version: 2 (whole-second adverts) or remove the password." % host
        )
    if password and not AUTH_PASS_CHARS.match(password):
        problems.append(
            "%s: keepalived_auth_pass has a space, quote, '#' or '!' in it, which keepalived.conf would cut off or "
            "read as a comment; use letters, digits and punctuation other than those." % host
        )
    if len(password) > AUTH_PASS_MAX:
        problems.append(
            "%s: keepalived_auth_pass is %d characters long; VRRP sends only %d, so use at most %d."
            % (host, len(password), AUTH_PASS_MAX, AUTH_PASS_MAX)
        )

    problems.extend(_flap_problems(host, node))

    interval, timeout = _int(node.get("check_interval")), _int(node.get("check_timeout"))
    if interval is None or interval < 1:
        problems.append("%s: keepalived_check_interval is %r; use whole seconds, at least 1." % (host, node.get("check_interval")))
    if timeout is None or timeout < 1:
        problems.append("%s: keepalived_check_timeout is %r; use whole seconds, at least 1." % (host, node.get("check_timeout")))
    elif "sip_timeout" in node:
        problems.extend(_timeout_room(host, timeout, node.get("sip_timeout")))
    return problems


def _timeout_room(host, timeout, sip_timeout):
    """keepalived's check timeout against the check's own SIP deadline (the failover role's failover_sip_timeout)."""
    sip = _decimal(sip_timeout)
    if sip is None or not sip.is_finite() or sip <= 0:
        return ["%s: failover_sip_timeout is %r; use the seconds the health check waits for a SIP answer, "
                "e.g. 1.0." % (host, sip_timeout)]
    least = int((sip + CHECK_ROOM_S).to_integral_value(rounding=ROUND_CEILING))
    if timeout < least:
        return ["%s: keepalived_check_timeout is %d, but the check waits up to failover_sip_timeout (%s s) for a SIP "
                "answer and needs about %d s more for the rest on a busy node; keepalived would kill a slow healthy "
                "check and count it failed. Set keepalived_check_timeout to at least %d (or lower "
                "failover_sip_timeout)." % (host, timeout, sip_timeout, CHECK_ROOM_S, least)]
    return []


def _flap_problems(host, node):
    """Flap damping (the failover role's failover_flap_*), when the node's settings carry it."""
    if "flap_limit" not in node:
        return []
    limit = _int(node.get("flap_limit"))
    if limit is None or limit < 0:
        return ["%s: failover_flap_limit is %r; use a whole number of losses of the group (3 holds a node down at "
                "its third loss within the window), or 0 to turn flap damping off." % (host, node.get("flap_limit"))]
    problems = []
    for key, meaning in (("flap_window", "over which losses count"), ("flap_hold_down", "a flapping node stays out")):
        seconds = _int(node.get(key))
        if limit > 0 and (seconds is None or seconds < 1):
            problems.append("%s: failover_%s is %r; use whole seconds %s, at least 1 (or failover_flap_limit: 0 to "
                            "turn flap damping off)." % (host, key, node.get(key), meaning))
    return problems


def keepalived_problems(nodes):
    """Problems of the nodes' effective keepalived settings (host -> dict); empty when sound."""
    problems = []
    hosts = sorted(nodes)
    for host in hosts:
        problems.extend(_node_problems(host, nodes[host]))

    for key, shown in differing(nodes, SHARED, flags=("nopreempt", "unicast"), hidden=("auth_pass",)):
        problems.append(
            "keepalived_%s differs between the nodes (%s); all nodes of one VRRP instance need the same value: "
            "set it once in group_vars/sip_proxies." % (key, shown)
        )

    preempting = [host for host in hosts if not flag(nodes[host].get("nopreempt", True))]
    if preempting:
        owners = {}
        for host in preempting:
            owners.setdefault(_int(nodes[host].get("priority")), []).append(host)
        for priority, same in sorted(owners.items(), key=lambda item: str(item[0])):
            if priority is not None and len(same) > 1:
                problems.append(
                    "keepalived_priority is %d on %s; with preemption (keepalived_nopreempt: false) every node needs "
                    "its own priority, or the VIP goes to whichever has the higher IP: set keepalived_priority "
                    "per host in host_vars." % (priority, " and ".join(same))
                )
    return problems
