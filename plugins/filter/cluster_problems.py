# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: cluster_problems
short_description: What is wrong with the proxy nodes' settings, in plain sentences
version_added: 0.1.0
description:
  - Checks the rules that span several variables or several nodes (two
    different NICs, a private address in CIDR form on every node and unique
    across nodes, the VIP outside the private subnet, the gateway inside the
    VIP's subnet and not the VIP, a well-formed package proxy URL, no default
    route among the private routes).
  - Each message names the host, the variable and the fix. playbooks/preflight.yml
    runs it before any host is touched.
options:
  _input:
    description: C(hostvars), or any mapping of inventory name to variables.
    type: dict
    required: true
  hosts:
    description: The proxy nodes to check, for example C(groups['sip_proxies']).
    type: list
    elements: str
    required: true
requirements:
  - netaddr
"""

EXAMPLES = r"""
- name: Stop on a broken inventory
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join(' ') }}"
  vars:
    __problems: "{{ hostvars | sipha.cluster.cluster_problems(groups['sip_proxies']) }}"
"""

RETURN = r"""
_value:
  description: One message per broken rule; empty when the settings are sound.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import cluster_config, network


def cluster_problems(all_vars, hosts):
    if not network.HAS_NETADDR:
        raise AnsibleFilterError("sipha.cluster.cluster_problems needs the Python library netaddr on the controller")
    nodes = {}
    for host in hosts:
        host_vars = all_vars[host]
        nodes[host] = {key: host_vars[key] for key in cluster_config.NODE_KEYS if key in host_vars}
    return cluster_config.cluster_problems(nodes)


class FilterModule(object):
    def filters(self):
        return {"cluster_problems": cluster_problems}
