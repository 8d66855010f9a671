# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SIP listening sockets and host:port strings for Kamailio and OpenSIPS.

Errors are ValueError with a sentence the filter shows to the operator as it is.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sipha.cluster.plugins.plugin_utils.network import address_of, whole_number

# RFC 3261 section 19.1.2: 5060 for SIP, 5061 for SIP over TLS. WebSocket
# (RFC 7118) has no default of its own; ws/wss follow their plain/TLS twins.
DEFAULT_PORTS = {"udp": 5060, "tcp": 5060, "sctp": 5060, "ws": 5060, "tls": 5061, "wss": 5061}
FORMS = ("socket", "hostport")


def _address(value):
    """The address of an address or CIDR string ("203.0.113.10/24"), or ValueError."""
    ip = address_of(value)
    if ip is None:
        raise ValueError("%r is not an IP address or an address in CIDR form such as 203.0.113.10/24" % (value,))
    return ip


def _port(value, proto):
    if value is None:
        return DEFAULT_PORTS[proto]
    number = whole_number(value)
    if number is None or not 1 <= number <= 65535:
        raise ValueError("port %r is not a port number (1..65535)" % (value,))
    return number


def sip_socket(address, proto="udp", port=None, form="socket"):
    """``proto:addr:port`` (form "socket") or ``addr:port`` (form "hostport").

    IPv6 addresses go in brackets in both forms: Kamailio's ``listen``,
    OpenSIPS' ``socket`` and SIP URIs (RFC 3261 section 25.1) all need them
    to tell the address's colons from the port's.
    """
    proto_name = proto.lower() if isinstance(proto, str) else proto
    if proto_name not in DEFAULT_PORTS:
        raise ValueError("proto %r is not one of %s" % (proto, ", ".join(sorted(DEFAULT_PORTS))))
    if form not in FORMS:
        raise ValueError("form %r is not one of %s" % (form, ", ".join(FORMS)))
    ip = _address(address)
    number = _port(port, proto_name)
    host = "[%s]" % ip if ip.version == 6 else str(ip)
    hostport = "%s:%d" % (host, number)
    if form == "hostport":
        return hostport
    return "%s:%s" % (proto_name, hostport)


# nathelper's nat_uac_test checks, by the bit the old integer form gave each
# (Kamailio still takes the bits; OpenSIPS 3.x takes the names).
NAT_TESTS = (
    (1, "private-contact"),
    (2, "diff-ip-src-via"),
    (4, "private-via"),
    (8, "private-sdp"),
    (16, "diff-port-src-via"),
    (32, "diff-ip-src-contact"),
    (64, "diff-port-src-contact"),
    (128, "carrier-grade-nat"),
)


def nat_test_names(flags):
    """OpenSIPS's comma-separated check names for nat_uac_test bits (19 -> private-contact,...)."""
    bits = whole_number(flags)
    if bits is None or not 0 < bits < 256:
        raise ValueError("nat_uac_test flags %r are not a number from 1 to 255 (a sum of 1, 2, 4, ... 128)" % (flags,))
    return ",".join(name for bit, name in NAT_TESTS if bits & bit)
