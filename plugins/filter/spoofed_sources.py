# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: spoofed_sources
short_description: The sources no packet arriving on a node's public NIC may have
version_added: 0.6.0
description:
  - The cluster's own networks (the output of P(sipha.cluster.inside_networks#filter))
    and the node's own addresses, split by IP version; without the
    addresses that are never a source or are a legitimate one on the
    public segment (IPv6 link-local, multicast, unspecified).
  - The firewall role drops and counts such packets before routing sees them.
options:
  _input:
    description: The cluster's networks, as P(sipha.cluster.inside_networks#filter) gives them.
    type: list
    elements: str
    required: true
  node_addresses:
    description: The node's own addresses besides those networks.
    type: list
    elements: str
    default: []
requirements:
  - netaddr
"""

EXAMPLES = r"""
- name: What the public NIC refuses as a source
  ansible.builtin.debug:
    msg: "{{ sipha_private_ip | sipha.cluster.inside_networks(node_private_routes, sipha_vip) | sipha.cluster.spoofed_sources }}"
"""

RETURN = r"""
_value:
  description: The sources of each family.
  type: dict
  contains:
    ipv4:
      description: IPv4 networks and addresses.
      type: list
      elements: str
    ipv6:
      description: IPv6 networks and addresses.
      type: list
      elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import firewall, network


def spoofed_sources(inside_networks, node_addresses=None):
    if not network.HAS_NETADDR:
        raise AnsibleFilterError("sipha.cluster.spoofed_sources needs the Python library netaddr on the controller")
    try:
        return firewall.spoofed_sources(inside_networks, node_addresses or [])
    except ValueError as exc:
        raise AnsibleFilterError("sipha.cluster.spoofed_sources: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"spoofed_sources": spoofed_sources}
