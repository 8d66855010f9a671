# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: keepalived_problems
short_description: What is wrong with the nodes' keepalived (VRRP) settings, in plain sentences
version_added: 0.2.0
description:
  - Checks each node's effective VRRP settings (advert interval for the VRRP version, priority 1-254,
    router id 1-255, password only with VRRPv2 and at most 8 characters) and the rules across nodes
    (the shared settings are equal everywhere; with preemption every node has its own priority).
  - Each message names the host, the variable and the fix. playbooks/preflight.yml runs it before any
    host is touched.
options:
  _input:
    description:
      - Node name to settings, with the keys C(priority), C(nopreempt), C(vrrp_version), C(advert_int),
        C(auth_pass), C(virtual_router_id), C(check_interval), C(check_timeout), C(unicast).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Stop on broken VRRP settings
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems }}"
  vars:
    __problems: >-
      {{ dict(ansible_play_hosts_all | zip(ansible_play_hosts_all | map('extract', hostvars, '__keepalived_settings')))
         | sipha.cluster.keepalived_problems }}
"""

RETURN = r"""
_value:
  description: One message per broken rule; empty when the settings are sound.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils.vrrp_settings import keepalived_problems


def _keepalived_problems(nodes):
    if not isinstance(nodes, dict) or not all(isinstance(value, dict) for value in nodes.values()):
        raise AnsibleFilterError("sipha.cluster.keepalived_problems expects a dict of node name to settings dict")
    return keepalived_problems(nodes)


class FilterModule(object):
    def filters(self):
        return {"keepalived_problems": _keepalived_problems}
