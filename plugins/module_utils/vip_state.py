# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one proxy node's kernel says about the VIP, its routes and SIP.

Pure functions over what ``ip -j addr show``, ``ip -j -4/-6 route show
default`` and ``ss -H -l -n -u -t`` print, so that the vip_state module stays
a thin wrapper and every rule is tested against recorded kernel output. Only
the standard library: the nodes have no netaddr.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

EXPECT_CHOICES = ("active", "standby", "any")


class ParameterError(ValueError):
    """A parameter that is wrong whatever the node looks like."""


def _address(value, name):
    try:
        # ip_interface takes both "203.0.113.10" and "203.0.113.10/24".
        return ipaddress.ip_interface(str(value)).ip
    except ValueError:
        raise ParameterError(
            "%s must be an IP address, optionally with a prefix length (203.0.113.10 or 203.0.113.10/24), got %r" % (name, value)
        )


def check_private_vip(private_vip):
    """The floating private address as an address; ParameterError when it is none."""
    return _address(private_vip, "private_vip")


def check_parameters(vip, private_interface="eth0", public_interface="eth1", gateway=None, sip_port=5060, expect="any"):
    """Return the VIP and the gateway as addresses, or raise ParameterError.

    These mistakes would make every report wrong (a gateway of the other
    family can never match a route), so they stop the module instead of
    turning up as problems of the node.
    """
    vip_ip = _address(vip, "vip")
    if vip_ip.is_unspecified or vip_ip.is_loopback or vip_ip.is_multicast:
        raise ParameterError("vip must be a unicast address that can float between nodes, got %r" % (vip,))
    gateway_ip = None
    if gateway not in (None, ""):
        gateway_ip = _address(gateway, "gateway")
        if gateway_ip.version != vip_ip.version:
            raise ParameterError("gateway %s and vip %s must be of the same IP version" % (gateway_ip, vip_ip))
        if gateway_ip == vip_ip:
            raise ParameterError("gateway %s is the VIP itself; it must be the public router's address" % gateway_ip)
    if not private_interface or not public_interface:
        raise ParameterError("private_interface and public_interface must be interface names, got %r and %r" % (private_interface, public_interface))
    if private_interface == public_interface:
        raise ParameterError("private_interface and public_interface are both %r; the design needs two NICs" % private_interface)
    if not isinstance(sip_port, int) or not 0 < sip_port < 65536:
        raise ParameterError("sip_port must be a port number from 1 to 65535, got %r" % (sip_port,))
    if expect not in EXPECT_CHOICES:
        raise ParameterError("expect must be one of %s, got %r" % (", ".join(EXPECT_CHOICES), expect))
    return vip_ip, gateway_ip


def check_ipv6_vip(vip_ip, vip6=None, gateway6=None):
    """The IPv6 VIP of a dual-stack cluster and its gateway as addresses
    ((None, None) without one), or raise ParameterError. ``vip_ip`` is the
    IPv4 VIP check_parameters returned."""
    if vip6 in (None, ""):
        if gateway6 not in (None, ""):
            raise ParameterError("gateway6 %s is given without vip6; the IPv6 default route goes out from the IPv6 VIP" % gateway6)
        return None, None
    vip6_ip = _address(vip6, "vip6")
    if vip6_ip.version != 6 or vip_ip.version != 4:
        raise ParameterError("vip6 must be an IPv6 address beside an IPv4 vip, got vip %s and vip6 %s" % (vip_ip, vip6_ip))
    if vip6_ip.is_unspecified or vip6_ip.is_loopback or vip6_ip.is_multicast or vip6_ip.is_link_local:
        raise ParameterError("vip6 must be a global unicast address that can float between nodes, got %r" % (vip6,))
    gateway6_ip = None
    if gateway6 not in (None, ""):
        gateway6_ip = _address(gateway6, "gateway6")
        if gateway6_ip.version != 6 or gateway6_ip == vip6_ip:
            raise ParameterError("gateway6 %s must be the public router's IPv6 address, not the VIP nor an IPv4 one" % gateway6_ip)
    return vip6_ip, gateway6_ip


def check_node_parameters(vip, private_interface="eth0", public_interface="eth1", gateway=None, sip_port=5060, expect="any",
                          vip6=None, gateway6=None):
    """check_parameters and check_ipv6_vip at once, as node_state and the
    module take the settings: (vip, gateway, vip6, gateway6) as addresses,
    or ParameterError."""
    vip_ip, gateway_ip = check_parameters(vip, private_interface, public_interface, gateway, sip_port, expect)
    return (vip_ip, gateway_ip) + check_ipv6_vip(vip_ip, vip6, gateway6)


def _vips(vip_ip, gateway_ip, vip6_ip, gateway6_ip):
    """The floating addresses with their gateways and the route family each
    one judges: one entry that judges every default route (one VIP), or one
    per IP version (dual stack)."""
    if vip6_ip is None:
        return [(vip_ip, gateway_ip, None)]
    return [(vip_ip, gateway_ip, "inet"), (vip6_ip, gateway6_ip, "inet6")]


def _on_public(public, address):
    for info in (public or {}).get("addr_info") or []:
        try:
            if ipaddress.ip_address(info.get("local")) == address:
                return True
        except ValueError:
            continue
    return False


def link_up(link):
    """Whether the link can carry traffic.

    operstate is no help: veths in Docker and loopbacks say UNKNOWN while
    working. LOWER_UP (carrier) is only set while the link is also UP.
    """
    flags = link.get("flags") or []
    return "UP" in flags and "LOWER_UP" in flags


def default_routes(routes):
    """The default routes of ``ip -j route show default``, one entry per next hop.

    A multipath route lists its hops under ``nexthops``; each hop is a way
    out of the node and is judged on its own.
    """
    found = []
    for route in routes:
        for hop in route.get("nexthops") or [route]:
            entry = {
                "via": hop.get("gateway"),
                "dev": hop.get("dev"),
                "src": route.get("prefsrc"),
                "metric": route.get("metric", 0),  # ip omits IPv4 metric 0
                # The module tags each route with the family it asked for;
                # a device route has no address to tell it by.
                "family": route.get("family") or _family(hop.get("gateway") or route.get("prefsrc")),
            }
            if "table" in route:
                entry["table"] = route["table"]
            found.append(entry)
    return found


def _family(address):
    try:
        return "inet6" if ipaddress.ip_address(address).version == 6 else "inet"
    except ValueError:
        return None


def holder_route(holds_vip, vip_ip, gateway_ip, public_interface, routes):
    """The one default route the rules allow (public NIC, via the gateway, VIP as source), or None."""
    if not holds_vip:
        return None
    for entry in routes:
        if entry["dev"] == public_interface and entry["src"] == str(vip_ip) and (gateway_ip is None or entry["via"] == str(gateway_ip)):
            return entry
    return None


def group_state(links, routes, vip, public_interface="eth1", gateway=None, vip6=None, gateway6=None):
    """What sipha-failover's health check asks of the kernel: three booleans.

    ``holds_vip``: the VIP is on the public NIC, where the HA manager puts it;
    ``public_link_up``: that NIC carries traffic (link_up); ``holder_route``:
    the default route the holder needs is there (holder_route), and with a
    dual-stack VIP (``vip6``) the IPv6 VIP and its route too. ``links`` is
    the parsed JSON of ``ip -j addr show`` (the public NIC's alone will do),
    ``routes`` of ``ip -j route show default``. node_state judges with the
    same functions, so the check on the node and verify.yml cannot disagree.
    """
    vip_ip = _address(vip, "vip")
    gateway_ip = _address(gateway, "gateway") if gateway not in (None, "") else None
    vip6_ip, gateway6_ip = check_ipv6_vip(vip_ip, vip6, gateway6)
    public = None
    for link in links:
        if link.get("ifname") == public_interface:
            public = link
    holds_vip = _on_public(public, vip_ip)
    defaults = default_routes(routes)
    routed = True
    for address, via, family in _vips(vip_ip, gateway_ip, vip6_ip, gateway6_ip):
        family_routes = [entry for entry in defaults if family in (None, entry["family"])]
        routed = routed and holder_route(holds_vip and _on_public(public, address), address, via, public_interface, family_routes) is not None
    return {"holds_vip": holds_vip, "public_link_up": public is not None and link_up(public), "holder_route": routed}


def route_words(entry):
    """A default route entry in the words of ``ip route``, for messages."""
    words = ["default"]
    for key, word in (("via", "via"), ("dev", "dev"), ("src", "src"), ("metric", "metric"), ("table", "table")):
        if entry.get(key) not in (None, "", 0):
            words.extend([word, str(entry[key])])
    return " ".join(words)


def parse_sockets(text):
    """The sockets of ``ss -H -l -n -u -t`` as dicts: proto, local, address, device, port.

    ss is read rather than /proc/net/{udp,tcp}{,6}: it comes with iproute2
    like ip, and it prints addresses in their usual form instead of the
    byte-swapped hex words of /proc, which are easy to get wrong for IPv6.
    iproute2 6.1 has no JSON output for ss, so the columns are split here:
    Netid State Recv-Q Send-Q Local Peer. ``local`` is the column as printed,
    for example ``10.0.0.1:5060``, ``[2001:db8::1]:5060``, ``*:5060`` (an IPv6
    socket that takes IPv4 too) or ``0.0.0.0%eth1:5060`` (bound to a device).
    """
    sockets = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 5 or fields[0] not in ("udp", "tcp"):
            continue
        host, dummy, port = fields[4].rpartition(":")
        host, dummy, device = host.partition("%")
        try:
            port = int(port)
        except ValueError:
            continue
        sockets.append({"proto": fields[0], "local": fields[4], "address": host.strip("[]"), "device": device or None, "port": port})
    return sockets


def serves(sock, vip, interface, port):
    """Whether a socket receives packets for ``vip`` (an address) on ``port``."""
    if sock["port"] != port or (sock["device"] and sock["device"] != interface):
        return False
    if sock["address"] == "*":  # IPv6 wildcard without IPV6_V6ONLY: both families
        return True
    try:
        address = ipaddress.ip_address(sock["address"])
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address == vip or (address.is_unspecified and address.version == vip.version)


def _endpoint(address, port):
    return ("[%s]:%d" if address.version == 6 else "%s:%d") % (address, port)


def _route_list(entries):
    return "; ".join(route_words(entry) for entry in entries)


def _route_problem(holds_vip, vip_ip, gateway_ip, public_interface, routes, best, private_too):
    """Rules 4 and 5 on the default routes not on the private NIC, as one sentence or None.

    The holder needs exactly one: on the public NIC, via the gateway when
    one is given, with the VIP as source (``best``, from holder_route). A
    node without the VIP needs none.
    """
    if not holds_vip:
        if not routes:
            return None
        return "This node does not hold the VIP %s but has a default route (%s); a standby node must have none." % (vip_ip, _route_list(routes))
    extra = [entry for entry in routes if entry is not best]
    if best is None:
        wanted = "via %s dev %s src %s" % (gateway_ip or "the public gateway", public_interface, vip_ip)
        found = _route_list(extra) or ("none besides the private NIC's" if private_too else "none")
        return "This node holds the VIP %s but has no default route %s (found: %s); the VIP holder needs exactly that default route." % (vip_ip, wanted, found)
    if extra:
        return "This node holds the VIP %s and has default routes besides %s: %s; the VIP holder must have only that one." % (
            vip_ip,
            route_words(best),
            _route_list(extra),
        )
    return None


def wildcard_listeners(sockets, public_interface):
    """The sockets that take packets for every address, the VIP included, as "proto local".

    A socket bound to the unspecified address (0.0.0.0, ::, * for IPv6
    with IPv4 too) without a device, or with the public NIC as its device,
    answers on the public NIC whatever the design meant it for.
    """
    found = []
    for sock in sockets:
        if sock["device"] and sock["device"] != public_interface:
            continue
        if sock["address"] == "*" or sock["address"] in ("0.0.0.0", "::"):
            found.append("%s %s" % (sock["proto"], sock["local"]))
    return found


def _wildcard_problem(listeners, allowed, public_interface):
    unexpected = [entry for entry in listeners if "%s/%s" % (entry.split()[0], entry.rpartition(":")[2]) not in allowed]
    if not unexpected:
        return None
    return (
        "Sockets listen on every address, the public NIC %s included: %s; only %s may. Bind them to the private "
        "address or the loopback, or remove the package that brought them (ss -lntup names the process)."
        % (public_interface, ", ".join(unexpected), ", ".join(allowed) or "none")
    )


def node_state(
    links, routes, sockets_text, vip, private_interface="eth0", public_interface="eth1", gateway=None, sip_port=5060,
    check_sip=False, expect="any", wildcard_allowed=None, private_vip=None, vip6=None, gateway6=None,
):
    """Facts and problems of one node.

    ``links`` is the parsed JSON of ``ip -j addr show``, ``routes`` the parsed
    JSON of ``ip -j -4 route show default`` and ``ip -j -6 route show default``
    in one list, ``sockets_text`` what ``ss -H -l -n -u -t`` printed. Raises
    ParameterError for parameters that cannot be right. ``wildcard_allowed``
    ("tcp/22", "udp/694") lists what may listen on every address; None
    checks nothing of the kind. ``private_vip`` (the floating private
    address, with or without prefix) must be on the private NIC of the VIP
    holder and nowhere else; None or "" checks nothing of the kind.
    ``vip6`` and ``gateway6`` (dual stack) are the IPv6 VIP and gateway: the
    holder has both VIPs, each with its own default route, a standby
    neither; each family's default routes are then judged against its own VIP.

    Each broken rule gives at most one sentence, and each default route is
    blamed once: a route on the private NIC is a private gateway, never also
    an extra route of the holder or a route of a standby.
    """
    vip_ip, gateway_ip, vip6_ip, gateway6_ip = check_node_parameters(
        vip, private_interface, public_interface, gateway, sip_port, expect, vip6, gateway6)
    floating = [vip_ip] + ([vip6_ip] if vip6_ip is not None else [])
    by_name = dict((link.get("ifname"), link) for link in links)
    public = by_name.get(public_interface)

    vip_on = []
    vip6_on = []
    public_addresses = []
    for link in links:
        for info in link.get("addr_info") or []:
            try:
                address = ipaddress.ip_address(info.get("local"))
            except ValueError:
                continue
            if address == vip_ip:
                vip_on.append(link.get("ifname"))
            elif address == vip6_ip:
                vip6_on.append(link.get("ifname"))
            elif link is public and info.get("scope") == "global":
                public_addresses.append("%s/%s" % (address, info.get("prefixlen")))
    holds_vip = bool(vip_on)
    private_vip_ip = check_private_vip(private_vip) if private_vip else None
    private_vip_on = [
        link.get("ifname") for link in links for info in link.get("addr_info") or []
        if private_vip_ip is not None and info.get("local") == str(private_vip_ip)
    ]
    vip_interface = public_interface if public_interface in vip_on else (vip_on[0] if vip_on else None)
    public_link_up = public is not None and link_up(public)

    defaults = default_routes(routes)
    private_routes = [entry for entry in defaults if entry["dev"] == private_interface]
    other_routes = [entry for entry in defaults if entry["dev"] != private_interface]

    sip_sockets = []
    sip_listening = False
    sockets = parse_sockets(sockets_text)
    wildcards = wildcard_listeners(sockets, public_interface)
    deaf = list(floating)  # the VIPs nothing listens on for SIP over UDP
    for sock in sockets:
        for address in floating:
            if serves(sock, address, vip_interface or public_interface, sip_port):
                sip_sockets.append("%s %s" % (sock["proto"], sock["local"]))
                if sock["proto"] == "udp" and address in deaf:
                    deaf.remove(address)
                break
    sip_listening = not deaf

    problems = []
    if private_interface not in by_name:
        problems.append("There is no interface %s (private_interface) on this node; it must be the NIC with the node's private address." % private_interface)
    if public is None:
        problems.append("There is no interface %s (public_interface) on this node; it must be the NIC that carries the VIP." % public_interface)
    if private_routes:
        problems.append(
            "The private NIC %s has a default route (%s); the private network must have no gateway, remove it."
            % (private_interface, _route_list(private_routes))
        )
    if public_addresses:
        problems.append(
            "The public NIC %s has an address of its own (%s); only the VIP %s may be there, remove it."
            % (public_interface, ", ".join(public_addresses), vip_ip)
        )
    for address, found_on in ((vip_ip, vip_on), (vip6_ip, vip6_on)):
        wrong_place = [name for name in found_on if name != public_interface]
        if wrong_place:
            problems.append("The VIP %s is on %s; it belongs on the public NIC %s only." % (address, ", ".join(wrong_place), public_interface))
    if vip6_ip is not None and holds_vip != bool(vip6_on):
        held, missing = (vip_ip, vip6_ip) if holds_vip else (vip6_ip, vip_ip)
        problems.append(
            "This node holds the VIP %s but not %s; both move together (one group): the HA manager brings both "
            "up or neither (keepalived's instance, heartbeat's group)." % (held, missing)
        )

    allowed = []
    for address, via, family in _vips(vip_ip, gateway_ip, vip6_ip, gateway6_ip):
        holds = bool(vip_on if address == vip_ip else vip6_on)
        family_routes = [entry for entry in other_routes if family in (None, entry["family"])]
        best = holder_route(holds, address, via, public_interface, family_routes)
        route_problem = _route_problem(holds, address, via, public_interface, family_routes, best, bool(private_routes))
        if route_problem:
            problems.append(route_problem)
        if best is not None:
            allowed.append(best)

    if expect == "active" and not holds_vip:
        problems.append("This node should be active but does not hold the VIP %s on %s." % (vip_ip, public_interface))
    elif expect == "standby" and holds_vip:
        problems.append("This node should be standby but holds the VIP %s on %s." % (vip_ip, vip_interface))

    if check_sip and holds_vip and deaf:
        problems.append(
            "This node holds the VIP %s but nothing listens for SIP on UDP %s (nor on a wildcard address); start the SIP proxy or fix its listen address."
            % (vip_ip if vip_ip in deaf else deaf[0], " or ".join(_endpoint(address, sip_port) for address in deaf))
        )
    if holds_vip and public is not None and not public_link_up:
        problems.append(
            "This node holds the VIP %s but the link of its public NIC %s is down (state %s, flags %s); it must be up with carrier (LOWER_UP)."
            % (vip_ip, public_interface, public.get("operstate"), ",".join(public.get("flags") or []) or "none")
        )

    if private_vip_ip is not None:
        if holds_vip and private_interface not in private_vip_on:
            problems.append(
                "This node holds the VIP %s but not the floating private address %s on %s; the media servers' "
                "requests of calls that are up go nowhere: the failover scripts add it with the group "
                "(sipha-failover up)." % (vip_ip, private_vip_ip, private_interface)
            )
        elif not holds_vip and private_vip_on:
            problems.append(
                "This node does not hold the VIP %s but has the floating private address %s (on %s); the node that "
                "holds the group has it too, and the media servers' calls split between the two: remove it here "
                "(ip addr del)." % (vip_ip, private_vip_ip, ", ".join(private_vip_on))
            )

    if wildcard_allowed is not None:
        wildcard_problem = _wildcard_problem(wildcards, wildcard_allowed, public_interface)
        if wildcard_problem:
            problems.append(wildcard_problem)

    return {
        "vip": str(vip_ip),
        "holds_vip": holds_vip,
        "vip6": str(vip6_ip) if vip6_ip is not None else None,
        "holds_vip6": bool(vip6_on),
        "vip_interface": vip_interface,
        "public_link_up": public_link_up,
        "default_routes": defaults,
        "private_gateway": bool(private_routes),
        "private_gateways": [entry["via"] for entry in private_routes if entry["via"]],
        # What a repair removes: every default route but the holder's one.
        "stray_default_routes": [entry for entry in defaults if not any(entry is best for best in allowed)],
        "public_addresses": public_addresses,
        "holds_private_vip": bool(private_vip_on),
        "sip_listening": sip_listening,
        "sip_sockets": sip_sockets,
        "wildcard_listeners": wildcards,
        "role": "active" if holds_vip else "standby",
        "problems": problems,
    }
