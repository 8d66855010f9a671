# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.sip_socket import FilterModule

sip_socket = FilterModule().filters()["sip_socket"]


def test_vip_in_cidr_form():
    assert sip_socket("203.0.113.10/24") == "udp:203.0.113.10:5060"


def test_plain_address():
    assert sip_socket("10.66.10.11") == "udp:10.66.10.11:5060"


def test_ipv6_gets_brackets_and_short_form():
    assert sip_socket("2001:DB8:0:0::10/64") == "udp:[2001:db8::10]:5060"


@pytest.mark.parametrize(
    "proto, expected",
    [
        ("udp", "udp:203.0.113.10:5060"),
        ("tcp", "tcp:203.0.113.10:5060"),
        ("sctp", "sctp:203.0.113.10:5060"),
        ("ws", "ws:203.0.113.10:5060"),
        ("tls", "tls:203.0.113.10:5061"),  # RFC 3261's port for SIP over TLS
        ("wss", "wss:203.0.113.10:5061"),
        ("TCP", "tcp:203.0.113.10:5060"),  # the daemons want lower case
    ],
)
def test_proto_and_its_default_port(proto, expected):
    assert sip_socket("203.0.113.10/24", proto=proto) == expected


@pytest.mark.parametrize("port", [5080, "5080"])
def test_explicit_port(port):
    assert sip_socket("203.0.113.10", proto="tls", port=port) == "tls:203.0.113.10:5080"


def test_hostport_form():
    assert sip_socket("203.0.113.10/24", form="hostport") == "203.0.113.10:5060"
    assert sip_socket("2001:db8::10/64", proto="wss", form="hostport") == "[2001:db8::10]:5061"


@pytest.mark.parametrize("address", ["sip.example.com", "10.1", "203.0.113.10/33", "", None, 3405803786, "[2001:db8::10]"])
def test_not_an_address(address):
    with pytest.raises(AnsibleFilterError, match="not an IP address"):
        sip_socket(address)


@pytest.mark.parametrize("port", [0, 65536, -1, "sip", True, 5060.5])
def test_bad_port(port):
    with pytest.raises(AnsibleFilterError, match="not a port number"):
        sip_socket("203.0.113.10", port=port)


@pytest.mark.parametrize("proto", ["http", "", None])
def test_unknown_proto(proto):
    with pytest.raises(AnsibleFilterError, match="is not one of sctp, tcp, tls, udp, ws, wss"):
        sip_socket("203.0.113.10", proto=proto)


def test_unknown_form():
    with pytest.raises(AnsibleFilterError, match="form 'uri' is not one of socket, hostport"):
        sip_socket("203.0.113.10", form="uri")
