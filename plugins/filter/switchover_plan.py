# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: switchover_plan
short_description: Which node gives the group away, which takes it, or why a switchover cannot be done
version_added: 0.7.0
description:
  - Judges what switchover.yml read on each proxy node, the VIP state
    (M(sipha.cluster.vip_state)) and three lines (the HA manager's unit
    state, the failover state file, C(healthy) or C(unhealthy) from
    C(sipha-failover check)).
  - A fit standby holds no VIP, has no problem, runs the HA manager as a
    standby and passes its health check. Without C(requested) the first fit
    standby is the target.
options:
  _input:
    description: The proxy nodes read, in inventory order.
    type: list
    elements: str
    required: true
  states:
    description: Each node's vip_state result, in the same order.
    type: list
    elements: dict
    required: true
  ha_reads:
    description: Each node's HA read (a command result with C(stdout_lines)), in the same order.
    type: list
    elements: dict
    required: true
  proxies:
    description: Every node of C(sip_proxies), to check C(requested) against.
    type: list
    elements: str
    required: true
  ha_manager:
    description: C(keepalived) or C(heartbeat).
    type: str
    required: true
  requested:
    description: C(switchover_to), or empty.
    type: str
    default: ""
  keeps_holder:
    description: False when the HA manager would hand the group back at once (keepalived without nopreempt).
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Choose the target
  ansible.builtin.set_fact:
    __plan: >-
      {{ ansible_play_hosts | sipha.cluster.switchover_plan(
           ansible_play_hosts | map('extract', hostvars, '__state') | list,
           ansible_play_hosts | map('extract', hostvars, '__ha') | list,
           groups['sip_proxies'], 'keepalived', requested=switchover_to | default('')) }}
"""

RETURN = r"""
_value:
  description: C(active), C(holders), C(target), C(fit) and C(problem) (empty when the switchover may go ahead).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import cluster_report


def switchover_plan(hosts, states, ha_reads, proxies, ha_manager, requested="", keeps_holder=True):
    if not len(hosts) == len(states) == len(ha_reads):
        raise AnsibleFilterError("sipha.cluster.switchover_plan needs one state and one HA read per node")
    if ha_manager not in cluster_report.STANDBY_STATES:
        managers = ", ".join(sorted(cluster_report.STANDBY_STATES))
        raise AnsibleFilterError("sipha.cluster.switchover_plan: ha_manager must be one of %s, got %r" % (managers, ha_manager))
    nodes = [{"name": h, "state": s, "ha": r} for h, s, r in zip(hosts, states, ha_reads)]
    return cluster_report.switchover_plan(nodes, list(proxies), ha_manager, requested or "", keeps_holder)


class FilterModule(object):
    def filters(self):
        return {"switchover_plan": switchover_plan}
