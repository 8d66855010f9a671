# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: haresources_line
short_description: heartbeat's haresources line for the resource group, in the classic order
version_added: 0.4.0
description:
  - The preferred node, then the VIP on the public NIC (C(IPaddr2)), the default route through it,
    the SIP proxy units and the add-on units. heartbeat starts them left to right and stops them
    right to left; every member after the VIP runs the failover role's script (C(resource.d/sipha)).
options:
  _input:
    description: The node that starts the group when the nodes come up together.
    type: str
    required: true
  vip:
    description: The VIP in CIDR form (address/prefix).
    type: str
    required: true
  interface:
    description: The public NIC.
    type: str
    required: true
  proxy_units:
    description: The SIP proxy's systemd units.
    type: list
    elements: str
    default: []
  addon_units:
    description: The add-ons' systemd units, started after the proxy.
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: The group line
  ansible.builtin.debug:
    msg: "{{ 'node1' | sipha.cluster.haresources_line('203.0.113.10/24', 'eth1', ['kamailio.service'], ['rtpengine-daemon.service']) }}"
  # node1 IPaddr2::203.0.113.10/24/eth1 sipha::route sipha::proxy::kamailio.service sipha::addon::rtpengine-daemon.service
"""

RETURN = r"""
_value:
  description: The haresources line.
  type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils.heartbeat_settings import haresources_line


def _haresources_line(preferred, vip, interface, proxy_units=None, addon_units=None):
    if "/" not in str(vip):
        raise AnsibleFilterError("sipha.cluster.haresources_line wants the VIP in CIDR form (address/prefix), got %r" % (vip,))
    return haresources_line(str(preferred), str(vip), str(interface), list(proxy_units or []), list(addon_units or []))


class FilterModule(object):
    def filters(self):
        return {"haresources_line": _haresources_line}
