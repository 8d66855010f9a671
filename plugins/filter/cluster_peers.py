# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: cluster_peers
short_description: The private addresses of the other nodes of a cluster
version_added: 0.2.0
description:
  - Returns the address of every node in the list except the current one, in
    list order, without the CIDR prefix, as keepalived's C(unicast_peer) block
    and heartbeat's C(ucast) lines want them.
  - Every node's variable is checked, the current node's too, so a missing or
    broken address fails on all nodes alike. Two nodes with the same address
    are an error.
  - A cluster of one node has no peers; the result is then empty.
options:
  _input:
    description: The cluster's nodes by inventory name, for example C(groups['sip_proxies']).
    type: list
    elements: str
    required: true
  hostvars:
    description: C(hostvars), or any mapping of inventory name to variables.
    type: dict
    required: true
  current:
    description: The node the result is for, normally C(inventory_hostname). It must be in the list.
    type: str
    required: true
  key:
    description: The host variable that holds each node's address, as an address or in CIDR form.
    type: str
    default: sipha_private_ip
requirements:
  - netaddr
"""

EXAMPLES = r"""
- name: Unicast VRRP to the other nodes
  ansible.builtin.set_fact:
    keepalived_unicast_peers: "{{ groups['sip_proxies'] | sipha.cluster.cluster_peers(hostvars, inventory_hostname) }}"

- name: Peers on a dedicated heartbeat link
  ansible.builtin.set_fact:
    heartbeat_ucast_peers: "{{ groups['sip_proxies'] | sipha.cluster.cluster_peers(hostvars, inventory_hostname, key='heartbeat_link_ip') }}"
"""

RETURN = r"""
_value:
  description: The other nodes' addresses, without prefix, in list order.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import network, peers


def cluster_peers(hosts, all_vars, current, key="sipha_private_ip"):
    if not network.HAS_NETADDR:
        raise AnsibleFilterError("sipha.cluster.cluster_peers needs the Python library netaddr on the controller")
    try:
        return peers.cluster_peers(hosts, all_vars, current, key=key)
    except ValueError as exc:
        raise AnsibleFilterError("sipha.cluster.cluster_peers: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"cluster_peers": cluster_peers}
