# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: subscriber_statements
short_description: The SQL that brings a subscriber table to the wanted rows
version_added: 0.6.0
description:
  - Compares the wanted rows (P(sipha.cluster.subscriber_rows#filter)) with
    the rows the table holds and returns the statements that add, change
    and remove what differs, in batches, with positional C(%s) arguments
    (PyMySQL and psycopg2 take the same).
  - When nothing differs, nothing is returned, so a second run changes nothing.
options:
  _input:
    description: The wanted rows, as P(sipha.cluster.subscriber_rows#filter) returns them.
    type: dict
    required: true
  current:
    description: The rows the table holds, with the same columns.
    type: list
    elements: dict
    required: true
  engine:
    description: C(mariadb) or C(postgresql).
    type: str
    required: true
  exclusive:
    description: Remove every row that is not wanted, too.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Work out the statements
  ansible.builtin.set_fact:
    __statements: "{{ __rows | sipha.cluster.subscriber_statements(__current, 'mariadb') }}"
  no_log: true
"""

RETURN = r"""
_value:
  description: C({query, args, label}) per statement; labels count rows and show no value.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils.subscribers import subscriber_statements as statements


def subscriber_statements(wanted, current, engine, exclusive=False):
    try:
        return statements(wanted, current, engine, exclusive)
    except ValueError as error:
        raise AnsibleFilterError(str(error))


class FilterModule(object):
    def filters(self):
        return {"subscriber_statements": subscriber_statements}
