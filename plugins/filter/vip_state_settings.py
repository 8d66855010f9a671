# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: vip_state_settings
short_description: A proxy node's VIPs, gateways and NICs, as the vip_state module's cluster option takes them
version_added: 0.7.0
description:
  - Reads C(sipha_vip), C(sipha_vip6), C(sipha_public_gateway), C(sipha_public_gateway6),
    C(sipha_private_interface) and C(sipha_public_interface) from one node's variables and returns them
    under the names of M(sipha.cluster.vip_state)'s O(sipha.cluster.vip_state#module:cluster) option.
  - One place for what every reader of a node's state passes (the roles, the playbooks, the tests), so
    that a setting added to the cluster (the IPv6 VIP) reaches all of them.
options:
  _input:
    description: One node's variables, for example C(hostvars[item]).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Read each node's state
  sipha.cluster.vip_state:
    cluster: "{{ hostvars[item] | sipha.cluster.vip_state_settings }}"
    fail_on_problems: false
  delegate_to: "{{ item }}"
  loop: "{{ groups['sip_proxies'] }}"
"""

RETURN = r"""
_value:
  description: vip, vip6, gateway, gateway6, private_interface and public_interface; unset ones are null.
  type: dict
"""

from ansible_collections.sipha.cluster.plugins.plugin_utils.cluster_config import vip_state_settings


class FilterModule(object):
    def filters(self):
        return {"vip_state_settings": vip_state_settings}
