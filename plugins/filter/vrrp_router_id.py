# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: vrrp_router_id
short_description: A stable VRRP virtual_router_id for a cluster name
version_added: 0.2.0
description:
  - Derives a VRRP C(virtual_router_id) in the range 1..255 from a cluster's
    name, so each cluster gets its own id without anyone keeping a list.
  - The id is the CRC-32 of the name's UTF-8 bytes mapped onto 1..255. It is
    the same on every run and every controller, so a rollout never changes a
    running cluster's id. The name is used as given, so V(SIP-A) and V(sip-a)
    give different ids.
  - When the id is in O(avoid), the next free id upwards is used (255 wraps to
    1); the result depends only on the name and O(avoid).
options:
  _input:
    description: The cluster's name.
    type: str
    required: true
  avoid:
    description:
      - Router ids already in use on the segment, for example by other VRRP
        clusters or routers. Numbers or digit strings in 1..255.
    type: list
    elements: int
    default: []
"""

EXAMPLES = r"""
- name: Pick the cluster's VRRP id
  ansible.builtin.set_fact:
    keepalived_virtual_router_id: "{{ 'sip-prod' | sipha.cluster.vrrp_router_id }}"

- name: Pick an id the site's routers do not use
  ansible.builtin.set_fact:
    keepalived_virtual_router_id: "{{ 'sip-prod' | sipha.cluster.vrrp_router_id(avoid=[51, 52]) }}"
"""

RETURN = r"""
_value:
  description: The virtual router id, 1..255.
  type: int
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import vrrp


def vrrp_router_id(name, avoid=None):
    try:
        return vrrp.router_id(name, avoid)
    except ValueError as exc:
        raise AnsibleFilterError("sipha.cluster.vrrp_router_id: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"vrrp_router_id": vrrp_router_id}
