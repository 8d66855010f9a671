# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: subscriber_rows
short_description: The subscriber table's rows for a list of SIP subscribers
version_added: 0.6.0
description:
  - Turns C(sipha_subscribers) into the rows the proxy's subscriber table
    should hold, with digest hashes of each password for its domain (the
    realm), never the password itself.
  - Kamailio's table has C(ha1) and C(ha1b); OpenSIPS 3.x's C(ha1),
    C(ha1_sha256) and C(ha1_sha512t256).
options:
  _input:
    description: The subscribers, checked by P(sipha.cluster.subscriber_problems#filter) first.
    type: list
    elements: dict
    required: true
  default_domain:
    description: The domain of entries that name none.
    type: str
    required: true
  proxy:
    description: Whose schema, C(kamailio) or C(opensips).
    type: str
    default: kamailio
"""

EXAMPLES = r"""
- name: Work out the rows
  ansible.builtin.set_fact:
    __rows: "{{ sipha_subscribers | sipha.cluster.subscriber_rows('sip.example.com', 'kamailio') }}"
  no_log: true
"""

RETURN = r"""
_value:
  description: C(present), the rows to hold, and C(absent), the [username, domain] keys to remove.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils.subscribers import subscriber_rows as rows


def subscriber_rows(subscribers, default_domain, proxy="kamailio"):
    try:
        return rows(subscribers, default_domain, proxy)
    except ValueError as error:
        raise AnsibleFilterError(str(error))


class FilterModule(object):
    def filters(self):
        return {"subscriber_rows": subscriber_rows}
