# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules that span variables or nodes, checked before any host is touched.

Each rule returns plain sentences that name the host, the variable and the
fix, because they are shown to the operator as they are.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.sipha.cluster.plugins.plugin_utils.network import netaddr
from ansible_collections.sipha.cluster.plugins.plugin_utils.shared_settings import differing

NODE_KEYS = (
    "sipha_private_interface",
    "sipha_public_interface",
    "sipha_private_ip",
    "sipha_vip",
    "sipha_public_gateway",
    "sipha_vip6",
    "sipha_public_gateway6",
    "sipha_package_proxy",
    "node_private_routes",
    "sipha_ha_manager",
    "sipha_private_vip",
    "sipha_db_host",
    "sipha_sip_proxy",
    "kamailio_usrloc_db_mode",
    "kamailio_usrloc_replication",
    "kamailio_usrloc_replication_method",
    "kamailio_standby",
    "sipha_proxy_standby",
)

# The IPv6 VIP and its gateway: the same on every node.
DUAL_STACK_KEYS = ("sipha_vip6", "sipha_public_gateway6")

# Managers a cluster can run today; heartbeat joins with its role.
HA_MANAGERS = ("keepalived", "heartbeat")

_PROXY_URL = re.compile(r"^https?://[^/\s:]+(:\d{1,5})?/?$")


def _interface(value):
    """An interface address "a.b.c.d/len" (host bits set), or None."""
    if not isinstance(value, str) or "/" not in value:
        return None
    try:
        ip = netaddr.IPNetwork(value)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return None
    return ip


def _address(value):
    try:
        return netaddr.IPAddress(str(value))
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return None


def _usrloc_problems(host, node):
    """Registrations kept in memory must reach the other nodes: without
    replication, the node that takes over knows only what it loaded when it
    started (the role's defaults turn it on with every such mode). Unset
    values read as the role's defaults: db_only, and replication on."""
    if (node.get("sipha_sip_proxy") or "kamailio") != "kamailio":
        return []
    mode = node.get("kamailio_usrloc_db_mode") or "db_only"
    replication = node.get("kamailio_usrloc_replication", True)
    if isinstance(replication, str):
        replication = replication.strip().lower() not in ("false", "no", "off", "0", "")
    if mode == "db_only":
        return []
    standby = node.get("kamailio_standby") or node.get("sipha_proxy_standby") or "hot"
    if standby == "cold":
        return [
            "%s: kamailio_usrloc_db_mode is %s with a cold standby (kamailio_standby/sipha_proxy_standby cold); a "
            "proxy that is not running receives no replicated registration, and the node that takes over would start "
            "with the database's last flush only: use kamailio_usrloc_db_mode db_only, or a hot standby." % (host, mode)
        ]
    if not replication:
        return [
            "%s: kamailio_usrloc_db_mode is %s with kamailio_usrloc_replication off; the node that takes over would "
            "know only the registrations it loaded when it started: turn kamailio_usrloc_replication on, or use "
            "kamailio_usrloc_db_mode db_only." % (host, mode)
        ]
    method = node.get("kamailio_usrloc_replication_method") or "dmq"
    if method == "register_copy" and mode == "memory":
        return [
            "%s: kamailio_usrloc_replication_method register_copy with kamailio_usrloc_db_mode memory; copies "
            "reach only the nodes that are running, and a node that starts loads what it knows from the database, "
            "which memory never writes: use kamailio_usrloc_db_mode write_back (or write_through), or "
            "kamailio_usrloc_replication_method dmq." % host
        ]
    return []


def _node_problems(host, node):
    problems = _usrloc_problems(host, node)
    private_if = node.get("sipha_private_interface") or "eth0"
    public_if = node.get("sipha_public_interface") or "eth1"
    if private_if == public_if:
        problems.append(
            "%s: sipha_private_interface and sipha_public_interface are both %r; the design needs two NICs "
            "(private with the node's IP, public for the VIP): set them to two different interfaces." % (host, private_if)
        )

    private_ip = node.get("sipha_private_ip")
    private = _interface(private_ip)
    if private_ip in (None, ""):
        problems.append(
            "%s: sipha_private_ip is not set; set it in host_vars/%s to the node's address on the private "
            "network in CIDR form, for example 10.0.0.11/24." % (host, host)
        )
    elif private is None:
        problems.append(
            "%s: sipha_private_ip is %r; it must be the node's private address in CIDR form, "
            "for example 10.0.0.11/24." % (host, private_ip)
        )
    elif private.size > 2 and private.ip in (private.network, private.broadcast):
        problems.append(
            "%s: sipha_private_ip %s is the %s address of its subnet; use a host address."
            % (host, private_ip, "network" if private.ip == private.network else "broadcast")
        )

    vip_value = node.get("sipha_vip")
    vip = _interface(vip_value)
    if vip_value not in (None, "") and vip is None:
        problems.append("%s: sipha_vip is %r; it must be the floating public address in CIDR form, for example 203.0.113.10/24." % (host, vip_value))
    if vip is not None and vip.size > 2 and vip.ip in (vip.network, vip.broadcast):
        problems.append(
            "%s: sipha_vip %s is the %s address of its subnet; use a host address."
            % (host, vip_value, "network" if vip.ip == vip.network else "broadcast")
        )
    if vip is not None and private is not None and vip.ip == private.ip:
        problems.append(
            "%s: sipha_vip %s is the node's own private address (sipha_private_ip); the VIP is a separate public "
            "address that moves between nodes." % (host, vip.ip)
        )
    elif vip is not None and private is not None and vip.ip in private:
        problems.append(
            "%s: sipha_vip %s lies in the private subnet %s; the VIP belongs on the public segment." % (host, vip_value, private.cidr)
        )

    if vip is not None and vip.version == 6:
        problems.append(
            "%s: sipha_vip %s is an IPv6 address; sipha_vip is the IPv4 VIP (an IPv6-only public segment is not "
            "supported): keep an IPv4 address there and put the IPv6 one in sipha_vip6." % (host, vip_value)
        )

    gateway_value = node.get("sipha_public_gateway")
    if gateway_value in (None, ""):
        problems.append(
            "%s: sipha_public_gateway is not set; the active node's default route goes through it: set it to the "
            "upstream router's address on the public segment, for example 203.0.113.1." % host
        )
    else:
        gateway = _address(gateway_value)
        if gateway is None:
            problems.append("%s: sipha_public_gateway is %r, which is not an IP address." % (host, gateway_value))
        elif vip is not None:
            if gateway == vip.ip:
                problems.append(
                    "%s: sipha_public_gateway is the VIP itself (%s); set it to the upstream router's address." % (host, gateway)
                )
            elif gateway not in vip:
                problems.append(
                    "%s: sipha_public_gateway %s is outside the VIP's subnet %s; the active node could not reach it."
                    % (host, gateway, vip.cidr)
                )

    problems.extend(_vip6_problems(host, node, private))

    manager = node.get("sipha_ha_manager")
    if manager not in (None, "") and manager not in HA_MANAGERS:
        problems.append(
            "%s: sipha_ha_manager is %r; set it to %s." % (host, manager, " or ".join(HA_MANAGERS))
        )

    proxy = node.get("sipha_package_proxy")
    if proxy not in (None, "") and not _PROXY_URL.match(str(proxy)):
        problems.append(
            "%s: sipha_package_proxy is %r; it must be a URL such as http://10.0.0.5:3142 (or empty for none)." % (host, proxy)
        )

    routes = node.get("node_private_routes") or []
    if not isinstance(routes, list) or not all(isinstance(route, dict) for route in routes):
        problems.append(
            "%s: node_private_routes must be a list of {to: <network/len>, via: <private router>} entries, got %r."
            % (host, routes)
        )
        routes = []
    for route in routes:
        dest = str(route.get("to", ""))
        try:
            dest_net = netaddr.IPNetwork(dest)
        except (netaddr.AddrFormatError, ValueError, TypeError):
            problems.append("%s: node_private_routes has 'to: %s', which is not a network in CIDR form." % (host, dest))
            continue
        if dest_net.prefixlen > 0 and dest_net.ip != dest_net.network:
            problems.append(
                "%s: node_private_routes has 'to: %s', which has host bits set; the kernel refuses it: write %s."
                % (host, dest, dest_net.cidr)
            )
        if dest_net.prefixlen == 0:
            problems.append(
                "%s: node_private_routes has a default route (%s); nodes have no default gateway on the private "
                "network by design: list the private networks to reach instead." % (host, dest)
            )
        via = _address(route.get("via"))
        if via is None or (private is not None and via not in private):
            problems.append(
                "%s: node_private_routes route to %s goes via %s, which is not an address in the private subnet%s."
                % (host, dest, route.get("via"), " " + str(private.cidr) if private is not None else "")
            )
    return problems


def _vip6_problems(host, node, private):
    """The IPv6 VIP (dual stack: it moves with the IPv4 one) and its gateway:
    both or neither; the gateway in the VIP's prefix or link-local, as IPv6
    routers often are."""
    vip_value = node.get("sipha_vip6")
    gateway_value = node.get("sipha_public_gateway6")
    if vip_value in (None, ""):
        if gateway_value not in (None, ""):
            return [
                "%s: sipha_public_gateway6 is %s but sipha_vip6 is not set; the IPv6 default route goes out from "
                "the IPv6 VIP: set sipha_vip6, or leave sipha_public_gateway6 empty." % (host, gateway_value)
            ]
        return []
    vip = _interface(vip_value)
    if vip is None or vip.version != 6:
        return [
            "%s: sipha_vip6 is %r; it must be the floating public IPv6 address with the public segment's prefix, "
            "for example 2001:db8:20::10/64 (or empty for none)." % (host, vip_value)
        ]
    if vip.ip.is_link_local() or vip.ip.is_multicast() or vip.ip.is_loopback() or (vip.prefixlen < 127 and vip.ip == vip.network):
        return [
            "%s: sipha_vip6 %s is not a global unicast address of its prefix (link-local, multicast, loopback or the "
            "subnet-router address); use an address the internet can reach." % (host, vip_value)
        ]
    problems = []
    if private is not None and private.version == 6 and vip.ip in private:
        problems.append(
            "%s: sipha_vip6 %s lies in the private subnet %s; the VIP belongs on the public segment."
            % (host, vip_value, private.cidr)
        )
    if gateway_value in (None, ""):
        problems.append(
            "%s: sipha_vip6 %s has no IPv6 gateway; the active node's IPv6 default route goes through it: set "
            "sipha_public_gateway6 to the upstream router's IPv6 address on the public segment (in %s, or its "
            "link-local fe80:: address)." % (host, vip_value, vip.cidr)
        )
        return problems
    gateway = _address(gateway_value)
    if gateway is None or gateway.version != 6:
        problems.append(
            "%s: sipha_public_gateway6 is %r, which is not an IPv6 address; set it to the upstream router's IPv6 "
            "address on the public segment." % (host, gateway_value)
        )
    elif gateway == vip.ip:
        problems.append(
            "%s: sipha_public_gateway6 is the IPv6 VIP itself (%s); set it to the upstream router's address." % (host, gateway)
        )
    elif gateway not in vip and not gateway.is_link_local():
        problems.append(
            "%s: sipha_public_gateway6 %s is neither in sipha_vip6's prefix %s nor link-local (fe80::/10); the "
            "active node could not reach it." % (host, gateway, vip.cidr)
        )
    return problems


def cluster_problems(nodes):
    """Problems of the proxy nodes' settings.

    ``nodes`` maps each node's inventory name to its variables (only the keys
    in NODE_KEYS are read). Returns a list of messages, empty when all is well.
    """
    problems = []
    if len(nodes) < 2:
        problems.append(
            "sip_proxies has %d node%s (%s); a cluster needs at least two proxy nodes to fail over to: "
            "add another host to the group." % (len(nodes), "" if len(nodes) == 1 else "s", ", ".join(sorted(nodes)) or "none")
        )
    seen = {}
    vips = {}
    for host in sorted(nodes):
        node = nodes[host]
        problems.extend(_node_problems(host, node))
        private = _interface(node.get("sipha_private_ip"))
        if private is not None:
            if str(private.ip) in seen:
                problems.append(
                    "%s: sipha_private_ip %s is also %s's; every node needs its own private address."
                    % (host, private.ip, seen[str(private.ip)])
                )
            else:
                seen[str(private.ip)] = host
        vip = _interface(nodes[host].get("sipha_vip"))
        if vip is not None:
            vips.setdefault(str(vip), []).append(host)
    for host in sorted(nodes):
        vip = _interface(nodes[host].get("sipha_vip"))
        if vip is not None and str(vip.ip) in seen and seen[str(vip.ip)] != host:
            problems.append(
                "%s: sipha_vip %s is %s's own private address (sipha_private_ip); the VIP must be an address "
                "no node owns." % (host, vip.ip, seen[str(vip.ip)])
            )
    if len(vips) > 1:
        problems.append(
            "sipha_vip differs between the nodes (%s); set it once in group_vars/sip_proxies."
            % "; ".join("%s on %s" % (vip, ", ".join(owners)) for vip, owners in sorted(vips.items()))
        )
    # Unset and empty are the same (none), as the roles read them.
    dual_stack = dict((host, dict((key, nodes[host].get(key) or "none") for key in DUAL_STACK_KEYS)) for host in nodes)
    for key, shown in differing(dual_stack, DUAL_STACK_KEYS):
        problems.append("%s differs between the nodes (%s); set it once in group_vars/sip_proxies." % (key, shown))
    problems.extend(_private_vip_problems(nodes, seen))
    return problems


def _private_vip_problems(nodes, own_addresses):
    """The floating private address: in every node's private subnet, the
    same on every node, and nobody's own address (a node's, the database
    host's). ``own_addresses`` maps each node's private
    address to its host."""
    problems = []
    values = {}
    for host in sorted(nodes):
        value = nodes[host].get("sipha_private_vip")
        if value in (None, ""):
            values.setdefault("", []).append(host)
            continue
        values.setdefault(str(value), []).append(host)
        address = _address(str(value).split("/", 1)[0])
        private = _interface(nodes[host].get("sipha_private_ip"))
        if address is None:
            problems.append(
                "%s: sipha_private_vip is %r; it must be one address of the private subnet, for example 10.0.0.100, "
                "or empty for none." % (host, value)
            )
            continue
        if private is None:
            continue
        if "/" in str(value) and _interface(str(value)) is not None and _interface(str(value)).prefixlen != private.prefixlen:
            problems.append(
                "%s: sipha_private_vip %s has another prefix than the private subnet %s; write the address alone "
                "(%s): it takes the subnet's prefix." % (host, value, private.cidr, address)
            )
        if address not in private.cidr:
            problems.append(
                "%s: sipha_private_vip %s is not in the private subnet %s (sipha_private_ip); the media servers reach "
                "the active node there: pick a free address of that subnet." % (host, address, private.cidr)
            )
        elif private.size > 2 and address in (private.network, private.broadcast):
            problems.append(
                "%s: sipha_private_vip %s is the %s address of %s; use a host address."
                % (host, address, "network" if address == private.network else "broadcast", private.cidr)
            )
        owner = own_addresses.get(str(address))
        owner = "%s's own private address (sipha_private_ip)" % owner if owner else _other_owner(nodes[host], address)
        if owner:
            problems.append(
                "%s: sipha_private_vip %s is %s; the floating private address must be one that no host owns, so "
                "that it can move with the group." % (host, address, owner)
            )
    if len(values) > 1:
        problems.append(
            "sipha_private_vip differs between the nodes (%s); set it once in group_vars/sip_proxies."
            % "; ".join("%s on %s" % (value or "none", ", ".join(owners)) for value, owners in sorted(values.items()))
        )
    return problems


def _other_owner(node, address):
    """Who else owns ``address``: the database host. (The media servers'
    list is often built from other hosts' variables, which a filter given
    hostvars cannot resolve: the proxy roles' preflight checks it.)"""
    if str(node.get("sipha_db_host", "")) == str(address):
        return "the database host (sipha_db_host)"
    return None


# The vip_state module's cluster option, from the inventory's names.
VIP_STATE_KEYS = (
    ("vip", "sipha_vip"),
    ("vip6", "sipha_vip6"),
    ("gateway", "sipha_public_gateway"),
    ("gateway6", "sipha_public_gateway6"),
    ("private_interface", "sipha_private_interface"),
    ("public_interface", "sipha_public_interface"),
)


def vip_state_settings(host_vars):
    """One node's VIPs, gateways and NICs under vip_state's names; unset or empty ones are None."""
    settings = {}
    for option, variable in VIP_STATE_KEYS:
        value = host_vars[variable] if variable in host_vars else None
        settings[option] = str(value) if value not in (None, "") else None
    return settings
