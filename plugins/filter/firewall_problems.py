# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: firewall_problems
short_description: What is wrong with the firewall's inputs, before any host is touched
version_added: 0.6.0
description:
  - Admin networks that are not CIDRs, a firewall that would lock out an
    Ansible that connects over SSH (no admin network), a media relay's
    port range that is not a range, extra rules without sources.
  - Each message names the host, the variable and the fix.
options:
  _input:
    description:
      - Inventory name to settings, C(sipha_firewall), C(sipha_admin_networks),
        C(connection) (the host's C(ansible_connection)), C(firewall_allow),
        and C(relay_ports) (C({name_low, name_high, low, high})) on a node
        with a media relay.
    type: dict
    required: true
requirements:
  - netaddr
"""

EXAMPLES = r"""
- name: Assert the firewall's inputs
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems }}"
  vars:
    __problems: "{{ __settings | sipha.cluster.firewall_problems }}"
"""

RETURN = r"""
_value:
  description: One sentence per problem; empty when there is none.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import firewall, network


def firewall_problems(hosts):
    if not network.HAS_NETADDR:
        raise AnsibleFilterError("sipha.cluster.firewall_problems needs the Python library netaddr on the controller")
    if not isinstance(hosts, dict):
        raise AnsibleFilterError("sipha.cluster.firewall_problems expects a mapping of host name to settings, got %r" % (hosts,))
    return firewall.firewall_problems(hosts)


class FilterModule(object):
    def filters(self):
        return {"firewall_problems": firewall_problems}
