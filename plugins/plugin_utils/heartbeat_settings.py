# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""heartbeat (haresources mode): the rules its settings must follow, and its haresources line.

Each node's effective settings (role defaults with the inventory over them)
come in as one dict per node, keyed by the inventory name; messages name the
host, the variable and the fix.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from decimal import Decimal, InvalidOperation

from ansible_collections.sipha.cluster.plugins.plugin_utils.network import flag
from ansible_collections.sipha.cluster.plugins.plugin_utils.shared_settings import differing

# sha1 over a short secret is guessable offline from one captured heartbeat.
SECRET_MIN = 20
# Left over from an example: never a real secret.
EXAMPLE_SECRETS = ("change_me", "changeme", "secret", "example", "vault_")
# ha.cf and authkeys split words on blanks and start comments at "#".
WORD = re.compile(r"^[^\s#]+$")
# What heartbeat calls a node: uname -n, a host name.
NODE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Resource names and their arguments are separated by "::" in haresources.
UNIT = re.compile(r"^[A-Za-z0-9@._\\-]+$")
# Settings every node must share, or the nodes judge each other differently.
SHARED = ("keepalive", "warntime", "deadtime", "initdead", "udpport", "auto_failback", "stonith", "preferred_node")
STONITH_TYPE = re.compile(r"^[A-Za-z0-9_./-]+$")
# The fence types that drive a BMC over IPMI with ipmitool (the role runs
# external/ipmi as external/sipha-ipmi, which reads the password from a file).
IPMI_TYPES = ("external/ipmi", "external/sipha-ipmi")


def _seconds(value):
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def _timing_problems(host, node):
    problems = []
    times = {}
    for key in ("keepalive", "warntime", "deadtime", "initdead"):
        times[key] = _seconds(node.get(key))
        if times[key] is None:
            problems.append("%s: heartbeat_%s is %r; give a positive number of seconds." % (host, key, node.get(key)))
        elif times[key] != times[key].quantize(Decimal("0.001")):
            problems.append("%s: heartbeat_%s is %s; heartbeat counts whole milliseconds." % (host, key, node.get(key)))
    if None in times.values():
        return problems
    if times["deadtime"] <= times["keepalive"]:
        problems.append(
            "%s: heartbeat_deadtime (%s s) must be greater than heartbeat_keepalive (%s s), or a peer is declared dead "
            "between two heartbeats; make deadtime several keepalives long (e.g. keepalive 1, deadtime 5)."
            % (host, node["deadtime"], node["keepalive"])
        )
    if not times["keepalive"] <= times["warntime"] < times["deadtime"]:
        problems.append(
            "%s: heartbeat_warntime (%s s) must lie between heartbeat_keepalive (%s s) and heartbeat_deadtime (%s s): "
            "it warns of a late heartbeat before the peer is declared dead."
            % (host, node["warntime"], node["keepalive"], node["deadtime"])
        )
    if times["initdead"] < 2 * times["deadtime"]:
        problems.append(
            "%s: heartbeat_initdead (%s s) must be at least twice heartbeat_deadtime (%s s): a booting node whose network "
            "comes up late would otherwise fence a healthy peer." % (host, node["initdead"], node["deadtime"])
        )
    return problems


def _secret_problems(host, secret):
    if secret is None or str(secret).strip() == "":
        return [
            "%s: heartbeat_authkeys_secret is not set; set it (ansible-vault) to a random string of at least %d characters, "
            "e.g. from `openssl rand -base64 30`." % (host, SECRET_MIN)
        ]
    secret = str(secret)
    problems = []
    if any(word in secret.lower() for word in EXAMPLE_SECRETS):
        problems.append("%s: heartbeat_authkeys_secret is still an example value; set a random one (ansible-vault)." % host)
    if len(secret) < SECRET_MIN:
        problems.append(
            "%s: heartbeat_authkeys_secret is %d characters long; use at least %d (sha1 over a short secret is "
            "guessed offline from one captured heartbeat)." % (host, len(secret), SECRET_MIN)
        )
    if not WORD.match(secret):
        problems.append("%s: heartbeat_authkeys_secret has a blank or '#' in it, which authkeys would cut off; leave them out." % host)
    return problems


def _ipmi_problems(where, device, allow_lan):
    """An IPMI device on interface lan (IPMI 1.5: unencrypted, the password may go in clear text), unless allowed."""
    if device.get("type") not in IPMI_TYPES or not isinstance(device.get("params"), dict):
        return []
    interface = str(device["params"].get("interface", "")).strip().lower()
    if interface != "lan" or flag(allow_lan):
        return []
    return [
        "%s.params.interface is lan: IPMI 1.5, whose sessions are not encrypted and may carry the BMC password "
        "in clear text. Use lanplus (IPMI 2.0), or set heartbeat_stonith_ipmi_allow_lan: true if this BMC speaks "
        "nothing else." % where
    ]


def _device_problems(host, device, allow_lan=False):
    """Problems of the fence device that powers off `host`."""
    where = "%s: heartbeat_stonith_device" % host
    if not isinstance(device, dict) or not device:
        return [
            "%s is not set, but heartbeat_stonith is on: say how the peers power this node off, e.g. "
            "{type: external/ipmi, params: {hostname: %s, ipaddr: BMC-ADDRESS, userid: USER, passwd: PASSWORD, "
            "interface: lanplus}} in its host_vars, or set heartbeat_stonith: false and accept two active nodes on "
            "a cut heartbeat link." % (where, host)
        ]
    problems = []
    kind = device.get("type")
    if not isinstance(kind, str) or not STONITH_TYPE.match(kind):
        problems.append("%s.type is %r; give a cluster-glue stonith type such as external/ipmi or rhcs/docker." % (where, kind))
    params = device.get("params", {})
    if not isinstance(params, dict):
        return problems + ["%s.params must be a mapping of parameter name to value." % where]
    for name, value in params.items():
        if not WORD.match(str(name)) or "=" in str(name) or not WORD.match(str(value)):
            problems.append(
                "%s.params.%s: names and values go into ha.cf as name=value words, so they may not be empty or hold "
                "blanks or '#'." % (where, name)
            )
    return problems + _ipmi_problems(where, device, allow_lan)


def heartbeat_problems(nodes):
    """Problems of the nodes' effective heartbeat settings (host -> dict); empty when sound."""
    problems = []
    hosts = sorted(nodes)
    names = {}
    for host in hosts:
        node = nodes[host]
        name = node.get("node_name")
        if not isinstance(name, str) or not NODE_NAME.match(name):
            problems.append("%s: heartbeat_node_name is %r; give the host's name as `uname -n` prints it." % (host, name))
        names.setdefault(name, []).append(host)
        problems.extend(_timing_problems(host, node))
        problems.extend(_secret_problems(host, node.get("authkeys_secret")))
        udpport = node.get("udpport")
        if isinstance(udpport, bool) or not str(udpport).isdigit() or not 1 <= int(str(udpport)) <= 65535:
            problems.append("%s: heartbeat_udpport is %r; give a UDP port (694 is heartbeat's own)." % (host, udpport))
        if bool(node.get("second_link_interface")) != bool(node.get("second_link_address")):
            problems.append(
                "%s: heartbeat_second_link_interface and heartbeat_second_link_address go together: set both (this node's "
                "NIC on the second link and its address there) or neither." % host
            )
        for unit in node.get("units", []):
            if not UNIT.match(str(unit)):
                problems.append("%s: the unit %r cannot be named in haresources (only letters, digits and @._-)." % (host, unit))
    for name, owners in names.items():
        if len(owners) > 1:
            problems.append(
                "heartbeat_node_name %r is used by %s; every node needs its own (its `uname -n`)." % (name, ", ".join(owners))
            )
    preferred = {str(nodes[host].get("preferred_node")) for host in hosts}
    for value in preferred:
        if value not in nodes:
            problems.append(
                "heartbeat_preferred_node is %r, which is not one of the proxy nodes (%s)." % (value, ", ".join(hosts))
            )

    for key, shown in differing(nodes, SHARED, flags=("auto_failback", "stonith")):
        problems.append("heartbeat_%s differs between the nodes (%s); set it once for the group sip_proxies." % (key, shown))
    secrets = {str(nodes[host].get("authkeys_secret")) for host in hosts}
    if len(secrets) > 1:
        problems.append("heartbeat_authkeys_secret differs between the nodes; the nodes would drop each other's heartbeats.")

    if any(flag(nodes[host].get("stonith")) for host in hosts):
        if len(hosts) > 2:
            problems.append(
                "heartbeat_stonith is on with %d nodes; in haresources mode heartbeat drives one fence device per node, "
                "the peer's, which covers two nodes. Use two nodes, or keepalived." % len(hosts)
            )
        for host in hosts:
            problems.extend(
                _device_problems(host, nodes[host].get("stonith_device"), nodes[host].get("stonith_ipmi_allow_lan"))
            )
    return problems


def haresources_line(preferred, vip, interface, proxy_units, addon_units):
    """The one haresources line: the group in the classic order, started left to right, stopped right to left.

    The VIP on the public NIC (IPaddr2), the default route through it, the
    SIP proxy, the add-ons; each member after the VIP goes through the
    failover role's script (resource.d/sipha). The route member also brings
    the floating private address and the IPv6 VIP of a dual-stack cluster.
    """
    members = ["IPaddr2::%s/%s" % (vip, interface), "sipha::route"]
    members += ["sipha::proxy::%s" % unit for unit in proxy_units]
    members += ["sipha::addon::%s" % unit for unit in addon_units]
    return " ".join([preferred] + members)
