# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: rollout_batch
short_description: How many proxy nodes site.yml may change at once
version_added: 0.7.0
description:
  - All proxy nodes at once (C(100%)) only on a first install, when no node
    holds the VIP and no node has any of the SIP proxies or HA managers
    installed. Otherwise one node at a time (C(1)), also when a node was
    not read.
  - Reads what site.yml's first play registered on each node,
    C(__node_vip_state) (the node role's M(sipha.cluster.vip_state) read)
    and C(__site_cluster_units) (C(systemctl show --property=LoadState) of
    kamailio, opensips, keepalived and heartbeat), so that its proxies'
    play can template C(serial) with it.
options:
  _input:
    description: C(hostvars), or any mapping of inventory name to variables.
    type: dict
    required: true
  hosts:
    description: The proxy nodes, C(groups['sip_proxies']).
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Set up the proxies, one at a time unless this is a first install
  hosts: sip_proxies
  serial: "{{ hostvars | sipha.cluster.rollout_batch(groups['sip_proxies']) }}"
  roles:
    - sipha.cluster.kamailio
"""

RETURN = r"""
_value:
  description: C(1), or C(100%) on a first install.
  type: raw
"""

from ansible_collections.sipha.cluster.plugins.plugin_utils import cluster_report


def rollout_batch(all_vars, hosts):
    nodes = []
    for host in hosts:
        # A node the first play never reached has neither read.
        host_vars = all_vars[host] if host in all_vars else {}
        nodes.append({"state": host_vars.get("__node_vip_state"), "units": host_vars.get("__site_cluster_units")})
    return cluster_report.rollout_batch(nodes)


class FilterModule(object):
    def filters(self):
        return {"rollout_batch": rollout_batch}
