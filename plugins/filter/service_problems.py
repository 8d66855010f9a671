# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: service_problems
short_description: What is wrong with a node's proxy, database and media server settings
version_added: 0.3.0
description:
  - Checks the SIP proxy, media relay and database choices, that the shared
    database and the media servers lie on the private network (a standby has
    no default route), that the database password is set and is not an
    example value, and that the dispatcher has media servers to send to.
  - playbooks/preflight.yml runs it before any host is touched.
options:
  _input:
    description: The node's effective settings, keyed by variable name.
    type: dict
    required: true
  nodes:
    description: Every proxy node's variables (C(sipha_private_ip), C(node_private_routes)), keyed by name.
    type: dict
    required: true
requirements:
  - netaddr
"""

EXAMPLES = r"""
- name: Stop on broken service settings
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems }}"
  vars:
    __problems: "{{ __common_proxy_settings | sipha.cluster.service_problems(__nodes) }}"
"""

RETURN = r"""
_value:
  description: One message per broken rule; empty when the settings are sound.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import network, service_config


def service_problems(settings, nodes):
    if not network.HAS_NETADDR:
        raise AnsibleFilterError("sipha.cluster.service_problems needs the Python library netaddr on the controller")
    return service_config.service_problems(settings, nodes)


class FilterModule(object):
    def filters(self):
        return {"service_problems": service_problems}
