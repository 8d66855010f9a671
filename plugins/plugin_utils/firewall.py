# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The firewall of a cluster host: what its rule set admits, and the inputs
that would make it wrong, checked before any host is touched.

The firewall role renders the plan into one nftables table of its own; the
judgement (which sources are spoofed on the public NIC, which addresses go
into which family's set, what an operator got wrong) lives here so that it
is tested without a host.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sipha.cluster.plugins.plugin_utils.edge_config import NEVER_RELAYED
from ansible_collections.sipha.cluster.plugins.plugin_utils.network import flag, netaddr, whole_number

# Ansible connections that reach a host over the network through its SSH
# daemon: a firewall without an admin network would lock them out.
SSH_CONNECTIONS = (
    "ssh", "paramiko", "paramiko_ssh", "ansible.builtin.ssh", "ansible.legacy.ssh",
    "ansible.builtin.paramiko_ssh", "ansible.legacy.paramiko_ssh", "ansible.netcommon.libssh",
)
PROTOCOLS = ("tcp", "udp")
INTERFACES = ("private", "public")


def families(items):
    """The addresses or CIDRs of ``items`` split by IP version: {"ipv4": [...], "ipv6": [...]}.

    Overlapping entries are merged (an nftables interval set refuses
    overlaps), networks are written with their host bits off and single
    addresses without a prefix, in address order. Raises ValueError on an
    entry that is not an address or a CIDR.
    """
    split = {"ipv4": [], "ipv6": []}
    for item in items or []:
        network = _network(item)
        if network is None:
            raise ValueError("%r is not an IP address or a network in CIDR form" % (item,))
        split["ipv%d" % network.version].append(network.cidr)
    return {
        key: [str(network.ip) if network.size == 1 else str(network) for network in netaddr.cidr_merge(networks)]
        for key, networks in split.items()
    }


def spoofed_sources(inside_networks, node_addresses=()):
    """What no packet arriving on the public NIC may claim as its source.

    The cluster's own networks (the private subnet, the networks behind the
    private routes, the VIP) and the node's own addresses, as
    edge_config.inside_networks lists them, without the addresses that
    are never a source anyway or are a legitimate one there: IPv6
    link-local (the router's neighbour discovery comes from it), multicast,
    the unspecified address (duplicate address detection).
    """
    listed = [item for item in list(inside_networks or []) + list(node_addresses or []) if item not in NEVER_RELAYED]
    return families(listed)


def port_range(low, high, name_low, name_high):
    """Problems of a port range given as two variables, as messages."""
    first, last = whole_number(low), whole_number(high)
    if first is None or last is None or not 1 <= first <= 65535 or not 1 <= last <= 65535:
        return ["%s and %s must be port numbers (1-65535), got %r and %r." % (name_low, name_high, low, high)]
    if first > last:
        return [
            "%s (%d) is above %s (%d): that is not a range; swap them." % (name_low, first, name_high, last)
        ]
    return []


def _network(value):
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        return None
    try:
        return netaddr.IPNetwork(value.strip())
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return None


def _allow_problems(host, allow, on_node=True):
    if not isinstance(allow, list):
        return ["%s: firewall_allow must be a list of {interface, proto, port, sources}, got %r." % (host, allow)]
    problems = []
    for index, rule in enumerate(allow):
        where = "%s: firewall_allow[%d]" % (host, index)
        if not isinstance(rule, dict):
            problems.append("%s must be a mapping {interface, proto, port, sources}, got %r." % (where, rule))
            continue
        if rule.get("proto") not in PROTOCOLS:
            problems.append("%s.proto must be one of %s, got %r." % (where, ", ".join(PROTOCOLS), rule.get("proto")))
        if rule.get("interface", "private") not in INTERFACES:
            problems.append("%s.interface must be private or public, got %r." % (where, rule.get("interface")))
        elif rule.get("interface") == "public" and not on_node:
            problems.append(
                "%s.interface is public, but %s is no proxy node and has no public NIC; leave interface out "
                "(the rule then applies to every NIC of the host)." % (where, host)
            )
        port = rule.get("port")
        bounds = str(port).split("-", 1) if isinstance(port, (int, str)) and not isinstance(port, bool) else [None]
        problems.extend(port_range(bounds[0], bounds[-1], where + ".port (start)", where + ".port (end)"))
        sources = rule.get("sources")
        if not isinstance(sources, list) or not sources:
            problems.append("%s.sources must be a non-empty list of addresses or CIDRs; the firewall admits nobody by default." % where)
            continue
        for source in sources:
            if _network(source) is None:
                problems.append("%s.sources has %r, which is not an address or a CIDR such as 192.0.2.0/24." % (where, source))
    return problems


def firewall_problems(hosts):
    """Messages for every firewall input that is wrong, before any host is touched.

    ``hosts`` maps an inventory name to its settings: sipha_firewall,
    sipha_admin_networks, connection (ansible_connection), firewall_allow,
    on_node (false on the database host), and relay_ports: {name_low, name_high, low, high} when the host runs a
    media relay whose RTP range the public NIC admits.
    """
    problems = []
    for host, settings in sorted(hosts.items()):
        if not flag(settings.get("sipha_firewall", True)):
            continue
        admins = settings.get("sipha_admin_networks")
        if not isinstance(admins, list):
            problems.append(
                "%s: sipha_admin_networks must be a list of CIDRs (where operators and Ansible connect from), got %r."
                % (host, admins)
            )
            admins = []
        for network in admins:
            if _network(network) is None or "/" not in str(network):
                problems.append(
                    "%s: sipha_admin_networks has %r, which is not a network in CIDR form such as 10.0.0.0/24 "
                    "(a single host: 10.0.0.5/32)." % (host, network)
                )
        connection = str(settings.get("connection") or "ssh")
        if not admins and connection in SSH_CONNECTIONS:
            problems.append(
                "%s: the firewall (sipha_firewall) admits SSH only from sipha_admin_networks, which is empty, and "
                "Ansible connects over SSH (%s): the run would lock you out. Put the network you connect from in "
                "sipha_admin_networks (group_vars/all), or set sipha_firewall: false to keep the host's own firewall."
                % (host, connection)
            )
        relay = settings.get("relay_ports")
        if relay:
            problems.extend(
                "%s: %s" % (host, message)
                for message in port_range(relay.get("low"), relay.get("high"), relay.get("name_low"), relay.get("name_high"))
            )
        problems.extend(_allow_problems(host, settings.get("firewall_allow", []), flag(settings.get("on_node", True))))
    return problems
