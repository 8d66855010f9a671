# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: heartbeat_problems
short_description: What is wrong with the nodes' heartbeat settings, in plain sentences
version_added: 0.4.0
description:
  - Checks each node's effective heartbeat settings (authkeys secret set and long enough; keepalive
    below warntime below deadtime; initdead at least twice deadtime; node names distinct; a fence
    device for every node when STONITH is on, and at most two nodes then; no IPMI device with
    C(interface=lan), IPMI 1.5 with its cleartext password, unless C(stonith_ipmi_allow_lan) is true)
    and that the shared settings are equal on every node.
  - Each message names the host, the variable and the fix. playbooks/preflight.yml runs it before any
    host is touched.
options:
  _input:
    description:
      - Node name to settings, with the keys C(node_name), C(authkeys_secret), C(keepalive), C(warntime),
        C(deadtime), C(initdead), C(udpport), C(auto_failback), C(preferred_node), C(second_link_interface),
        C(second_link_address), C(stonith), C(stonith_device), C(stonith_ipmi_allow_lan), C(units).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Stop on broken heartbeat settings
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems }}"
  vars:
    __problems: >-
      {{ dict(ansible_play_hosts_all | zip(ansible_play_hosts_all | map('extract', hostvars, '__heartbeat_settings')))
         | sipha.cluster.heartbeat_problems }}
"""

RETURN = r"""
_value:
  description: One message per broken rule; empty when the settings are sound.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils.heartbeat_settings import heartbeat_problems


def _heartbeat_problems(nodes):
    if not isinstance(nodes, dict) or not all(isinstance(value, dict) for value in nodes.values()):
        raise AnsibleFilterError("sipha.cluster.heartbeat_problems expects a dict of node name to settings dict")
    return heartbeat_problems(nodes)


class FilterModule(object):
    def filters(self):
        return {"heartbeat_problems": _heartbeat_problems}
