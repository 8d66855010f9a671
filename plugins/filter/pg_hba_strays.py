# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: pg_hba_strays
short_description: The pg_hba.conf lines of an account that are not wanted
version_added: 0.6.0
description:
  - Takes the rules C(community.postgresql.postgresql_pg_hba) reads and
    returns the network lines (C(host), C(hostssl), C(hostnossl)) of one
    database and user whose source is not one of O(sources) or whose type
    is not one of O(contypes).
  - Lines of other databases or users are the administrator's and never
    returned.
options:
  _input:
    description: The C(pg_hba) list postgresql_pg_hba returns.
    type: list
    elements: dict
    required: true
  database:
    description: The database the account uses.
    type: str
    required: true
  user:
    description: The account.
    type: str
    required: true
  sources:
    description: The wanted sources, in the form postgresql_pg_hba reports them (C(10.0.0.11/32)).
    type: list
    elements: str
    required: true
  contypes:
    description: The wanted line types.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: The account's lines other than hostssl from the proxy nodes
  ansible.builtin.debug:
    msg: "{{ pg_hba_rules | sipha.cluster.pg_hba_strays('kamailio', 'kamailio', ['10.0.0.11/32'], ['hostssl']) }}"
"""

RETURN = r"""
_value:
  description: The stray lines as C(contype) and C(source), each once, in the order of the file.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import db_clients


def pg_hba_strays(lines, database, user, sources, contypes):
    if not isinstance(lines, list):
        raise AnsibleFilterError("sipha.cluster.pg_hba_strays: expected the list of pg_hba rules, got %r" % (lines,))
    return db_clients.pg_hba_strays(lines, database, user, list(sources), list(contypes))


class FilterModule(object):
    def filters(self):
        return {"pg_hba_strays": pg_hba_strays}
