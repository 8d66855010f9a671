# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: verify_report
short_description: The cluster rules judged from what verify.yml read off every proxy node
version_added: 0.7.0
description:
  - Takes the results of a loop of M(sipha.cluster.vip_state) over the proxy
    nodes and of a loop that printed each node's HA manager state
    (C(systemctl is-active)) and failover state file, in the same order.
  - Returns one entry per node, the VIP holders, one table line per node and
    the broken rules as sentences (a node that cannot be read, an HA manager
    that is not running, no or two VIP holders, a node's own problems).
options:
  _input:
    description: The C(results) of the vip_state loop; C(item) is the node's name.
    type: list
    elements: dict
    required: true
  ha_reads:
    description: The C(results) of the HA manager loop, in the same order.
    type: list
    elements: dict
    required: true
  vip:
    description: The VIP, for messages.
    type: str
    required: true
  ha_manager:
    description: C(keepalived) or C(heartbeat), for messages.
    type: str
    required: true
  allow_down:
    description: A node that cannot be read is shown as down instead of failing the check.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Judge the cluster
  ansible.builtin.set_fact:
    __report: "{{ __states.results | sipha.cluster.verify_report(__ha.results, sipha_vip, 'keepalived') }}"
"""

RETURN = r"""
_value:
  description: C(nodes), C(holders), C(lines) and C(failures) (empty when the cluster is sound).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import cluster_report


def verify_report(state_reads, ha_reads, vip, ha_manager, allow_down=False):
    if not isinstance(state_reads, list) or not isinstance(ha_reads, list):
        raise AnsibleFilterError("sipha.cluster.verify_report expects the results lists of the two loops, got %r and %r" % (type(state_reads), type(ha_reads)))
    return cluster_report.verify_report(state_reads, ha_reads, vip, ha_manager, allow_down)


class FilterModule(object):
    def filters(self):
        return {"verify_report": verify_report}
