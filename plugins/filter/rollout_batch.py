# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: rollout_batch
short_description: How many proxy nodes site.yml may change at once
version_added: 0.7.0
description:
  - One node at a time (C(1)) while any proxy node may be serving (it holds
    the VIP, its SIP proxy or HA manager runs, or it was not read). All of
    them at once (C(100%)) only on a cluster where none serves, a first
    install.
  - Reads what the node role registered on each node earlier in the run,
    C(__node_vip_state) (its M(sipha.cluster.vip_state) read) and
    C(__node_units) (C(systemctl is-active) of the proxy and the HA
    manager), so that site.yml's proxies' play can template its C(serial)
    with it.
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
- name: Set up the proxies, one at a time once the cluster serves
  hosts: sip_proxies
  serial: "{{ hostvars | sipha.cluster.rollout_batch(groups['sip_proxies']) }}"
  roles:
    - sipha.cluster.kamailio
"""

RETURN = r"""
_value:
  description: C(1), or C(100%) when no proxy node serves.
  type: raw
"""

from ansible_collections.sipha.cluster.plugins.plugin_utils import cluster_report


def rollout_batch(all_vars, hosts):
    nodes = []
    for host in hosts:
        # A node the node role never reached has neither read.
        host_vars = all_vars[host] if host in all_vars else {}
        nodes.append({"state": host_vars.get("__node_vip_state"), "units": host_vars.get("__node_units")})
    return cluster_report.rollout_batch(nodes)


class FilterModule(object):
    def filters(self):
        return {"rollout_batch": rollout_batch}
