# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: route_text
short_description: A route from C(ip -j route) as one readable line
version_added: 0.1.0
description:
  - Turns one route object of C(ip -j route show), or one default route of
    M(sipha.cluster.vip_state), into the words C(ip route)
    prints, for messages and status tables, for example
    C(default via 203.0.113.1 dev eth1 src 203.0.113.10).
options:
  _input:
    description: One route object.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Show the default routes
  ansible.builtin.debug:
    msg: "{{ ip_route.stdout | from_json | map('sipha.cluster.route_text') | list }}"
"""

RETURN = r"""
_value:
  description: The route in C(ip route) words.
  type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import network


def route_text(route):
    if not isinstance(route, dict):
        raise AnsibleFilterError("sipha.cluster.route_text expects one route object from `ip -j route`, got %r" % (route,))
    return network.route_text(route)


class FilterModule(object):
    def filters(self):
        return {"route_text": route_text}
