# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: status_lines
short_description: One line per host, what is where, for status.yml
version_added: 0.7.0
description:
  - Each line names the host, its first group, its global IPv4 addresses (the
    VIP marked) and its default gateway, or C(-) without one.
options:
  _input:
    description: The hosts, in the order to print them.
    type: list
    elements: str
    required: true
  groups:
    description: Each host's C(group_names), in the same order.
    type: list
    elements: list
    required: true
  addresses:
    description: What C(ip -j -4 addr show scope global) printed on each host.
    type: list
    elements: str
    required: true
  routes:
    description: What C(ip -j route show default) printed on each host.
    type: list
    elements: str
    required: true
  vip:
    description: The VIP's address, or empty.
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Print one line per host
  ansible.builtin.debug:
    msg: >-
      {{ ansible_play_hosts_all | sipha.cluster.status_lines(
           ansible_play_hosts_all | map('extract', hostvars, 'group_names') | list,
           ansible_play_hosts_all | map('extract', hostvars, ['__addr', 'stdout']) | list,
           ansible_play_hosts_all | map('extract', hostvars, ['__route', 'stdout']) | list,
           vip='203.0.113.10') }}
"""

RETURN = r"""
_value:
  description: One line per host.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import cluster_report


def status_lines(hosts, groups, addresses, routes, vip=""):
    if not len(hosts) == len(groups) == len(addresses) == len(routes):
        raise AnsibleFilterError("sipha.cluster.status_lines needs one groups list, addresses text and routes text per host")
    try:
        return cluster_report.status_lines(
            [{"name": h, "groups": g, "addresses": a, "routes": r} for h, g, a, r in zip(hosts, groups, addresses, routes)], vip
        )
    except ValueError as e:
        raise AnsibleFilterError("sipha.cluster.status_lines: a host's ip -j output is not JSON: %s" % e)


class FilterModule(object):
    def filters(self):
        return {"status_lines": status_lines}
