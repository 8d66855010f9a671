# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: interface_of
short_description: The NIC that carries an address, and its prefix, from C(ip -j addr)
version_added: 0.1.0
description:
  - Finds the interface name of a host's own address in the parsed output of
    C(ip -j addr show), for a daemon that wants the NIC by name (keepalived
    on the database hosts), with the address's prefix length. An empty
    dict when no NIC has it.
options:
  _input:
    description: The parsed output of C(ip -j addr show).
    type: list
    elements: dict
    required: true
  address:
    description: The address to look for.
    type: str
    required: true
requirements:
  - netaddr
"""

EXAMPLES = r"""
- name: Find the private NIC
  ansible.builtin.set_fact:
    __nic: "{{ (ip_addr.stdout | from_json | sipha.cluster.interface_of('10.20.0.21')).interface }}"
"""

RETURN = r"""
_value:
  description: C(interface) (the NIC's name) and C(prefix) (the address's prefix length), or nothing.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import db_cluster, network


def interface_of(addresses, address):
    if not network.HAS_NETADDR:
        raise AnsibleFilterError("sipha.cluster.interface_of needs the Python library netaddr on the controller")
    if not isinstance(addresses, list):
        raise AnsibleFilterError("sipha.cluster.interface_of expects the parsed output of `ip -j addr`, got %r" % (addresses,))
    return db_cluster.interface_of(addresses, address)


class FilterModule(object):
    def filters(self):
        return {"interface_of": interface_of}
