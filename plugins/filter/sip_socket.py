# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: sip_socket
short_description: A SIP listening socket or host:port string for an address
version_added: 0.2.0
description:
  - Turns an IP address, or an address in CIDR form such as C(sipha_vip),
    into the C(proto:address:port) string that Kamailio's C(listen=) and
    OpenSIPS' C(socket=) take, for example C(udp:203.0.113.10:5060).
  - With O(form=hostport) it gives C(address:port) instead, for advertised
    addresses, Via headers and SIP URIs.
  - A CIDR prefix is dropped. IPv6 addresses are written in their short form
    and in brackets, for example C(udp:[2001:db8::10]:5060).
options:
  _input:
    description: An IP address or an address in CIDR form.
    type: str
    required: true
  proto:
    description:
      - The transport, in any case; the result has it in lower case.
      - Kamailio carries WebSocket over its V(tcp) and V(tls) sockets;
        V(ws) and V(wss) sockets are for OpenSIPS.
    type: str
    choices: [udp, tcp, tls, sctp, ws, wss]
    default: udp
  port:
    description:
      - The port, 1..65535.
      - When not given, 5060 for V(udp), V(tcp), V(sctp) and V(ws); 5061 for
        V(tls) and V(wss).
    type: int
  form:
    description:
      - V(socket) gives C(proto:address:port); V(hostport) gives C(address:port).
    type: str
    choices: [socket, hostport]
    default: socket
requirements:
  - netaddr
"""

EXAMPLES = r"""
- name: Listen on the VIP over UDP and TLS
  ansible.builtin.set_fact:
    kamailio_listen:
      - "{{ sipha_vip | sipha.cluster.sip_socket }}"  # udp:203.0.113.10:5060
      - "{{ sipha_vip | sipha.cluster.sip_socket(proto='tls') }}"  # tls:203.0.113.10:5061

- name: Address to advertise in Via and Record-Route
  ansible.builtin.set_fact:
    kamailio_advertise: "{{ '2001:db8::10/64' | sipha.cluster.sip_socket(form='hostport') }}"  # [2001:db8::10]:5060
"""

RETURN = r"""
_value:
  description: C(proto:address:port) or, with O(form=hostport), C(address:port).
  type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import network, sip


def sip_socket(address, proto="udp", port=None, form="socket"):
    if not network.HAS_NETADDR:
        raise AnsibleFilterError("sipha.cluster.sip_socket needs the Python library netaddr on the controller")
    try:
        return sip.sip_socket(address, proto=proto, port=port, form=form)
    except ValueError as exc:
        raise AnsibleFilterError("sipha.cluster.sip_socket: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"sip_socket": sip_socket}
