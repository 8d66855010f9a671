# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: wildcard_listeners
short_description: The sockets that listen on every address of a host
version_added: 0.6.0
description:
  - Reads what C(ss -H -l -n -u -t) printed and returns the sockets bound to
    the unspecified address (0.0.0.0, ::, *), without a device or on the
    given interface, as protocol and local address.
  - The same reading as the P(sipha.cluster.vip_state#module) module's, for
    hosts that are not proxy nodes (the database host).
options:
  _input:
    description: The output of C(ss -H -l -n -u -t).
    type: str
    required: true
  interface:
    description: A socket bound to this device counts too (the public NIC of a node).
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: What listens on every address
  ansible.builtin.debug:
    msg: "{{ ss_output.stdout | sipha.cluster.wildcard_listeners }}"
  # ["tcp 0.0.0.0:22"]
"""

RETURN = r"""
_value:
  description: Protocol and C(ss) local address of each socket, for example C(tcp 0.0.0.0:22).
  type: list
  elements: str
"""

from ansible_collections.sipha.cluster.plugins.module_utils import vip_state


def wildcard_listeners(text, interface=""):
    return vip_state.wildcard_listeners(vip_state.parse_sockets(str(text)), interface or None)


class FilterModule(object):
    def filters(self):
        return {"wildcard_listeners": wildcard_listeners}
