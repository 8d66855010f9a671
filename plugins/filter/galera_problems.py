# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: galera_problems
short_description: What keeps the replicated database from being whole
version_added: 0.1.0
description:
  - From every database host's C(wsrep_%) status and whether it holds the
    database's floating address, says what is wrong. A host not Synced in
    the primary component, fewer members than the inventory names, the
    floating address on no host or on two. playbooks/verify.yml runs it.
options:
  _input:
    description: >-
      Host name to its report: the lines C(NAME<tab>VALUE) of C(SHOW GLOBAL STATUS LIKE 'wsrep_%')
      and a line C(holds_address<tab>1) or C(0); or a dict of C(status) and C(holds_address).
    type: dict
    required: true
  members:
    description: How many voters the inventory names (database hosts and arbitrators).
    type: int
    required: true
"""

EXAMPLES = r"""
- name: Assert that the database cluster is whole
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems }}"
  vars:
    __problems: "{{ __reports | sipha.cluster.galera_problems(3) }}"
"""

RETURN = r"""
_value:
  description: One message per problem; empty when the cluster is whole.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import db_cluster


def galera_problems(reports, members):
    if not isinstance(reports, dict):
        raise AnsibleFilterError("sipha.cluster.galera_problems expects a dict of host reports, got %r" % (reports,))
    return db_cluster.galera_problems(reports, int(members))


class FilterModule(object):
    def filters(self):
        return {"galera_problems": galera_problems}
