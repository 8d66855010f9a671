# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: subscriber_problems
short_description: What is wrong with a list of SIP subscribers
version_added: 0.6.0
description:
  - Checks C(sipha_subscribers) before any host is touched, entry by entry
    (a username, a password or ha1, a domain the proxies serve, no unknown
    keys) and as a whole (no username twice).
  - Messages name the entry and the fix, never a password or hash.
options:
  _input:
    description: The subscribers, each C({username, password or ha1, domain, state}).
    type: list
    elements: dict
    required: true
  domains:
    description: The domains the proxies serve (C(sipha_sip_domains)); an entry's domain must be one of them.
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: Stop on a broken subscribers list
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems }}"
  vars:
    __problems: "{{ sipha_subscribers | sipha.cluster.subscriber_problems(sipha_sip_domains) }}"
"""

RETURN = r"""
_value:
  description: One message per broken rule; empty when the list is sound.
  type: list
  elements: str
"""

from ansible_collections.sipha.cluster.plugins.plugin_utils.subscribers import subscriber_problems


class FilterModule(object):
    def filters(self):
        return {"subscriber_problems": subscriber_problems}
