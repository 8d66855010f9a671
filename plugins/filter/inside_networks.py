# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: inside_networks
short_description: The networks a SIP proxy node relays nothing to but a trusted peer
version_added: 0.6.0
description:
  - The node's private subnet, the networks of its private routes (where the
    database, mgmt and the operators' hosts are), the VIP, and the addresses
    no SIP request may go to whoever asks (unspecified, loopback, link-local,
    multicast, broadcast), as CIDRs.
  - The proxies' configurations drop a request bound there unless the next
    hop is a trusted peer, so a forged Route or a registered Contact cannot
    make the proxy a way into the private network.
options:
  _input:
    description: The node's private address in CIDR form (C(sipha_private_ip)).
    type: str
    required: true
  private_routes:
    description: The node's C(node_private_routes), C({to, via}) each.
    type: list
    elements: dict
    default: []
  vip:
    description:
      - The VIP (C(sipha_vip)), with or without its prefix, or a list of VIPs (C(sipha_vip) and the IPv6
        C(sipha_vip6) of a dual-stack cluster); empty entries are skipped.
    type: raw
requirements:
  - netaddr
"""

EXAMPLES = r"""
- name: The networks nothing is relayed to
  ansible.builtin.debug:
    msg: "{{ sipha_private_ip | sipha.cluster.inside_networks(node_private_routes, sipha_vip) }}"

- name: The same on a dual-stack cluster
  ansible.builtin.debug:
    msg: "{{ sipha_private_ip | sipha.cluster.inside_networks(node_private_routes, [sipha_vip, sipha_vip6]) }}"
"""

RETURN = r"""
_value:
  description: CIDRs, the node's own networks first.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import edge_config, network


def inside_networks(private_ip, private_routes=None, vip=None):
    if not network.HAS_NETADDR:
        raise AnsibleFilterError("sipha.cluster.inside_networks needs the Python library netaddr on the controller")
    return edge_config.inside_networks(private_ip, private_routes, vip)


class FilterModule(object):
    def filters(self):
        return {"inside_networks": inside_networks}
