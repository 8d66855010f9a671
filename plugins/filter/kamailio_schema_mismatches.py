# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: kamailio_schema_mismatches
short_description: Which tables of a database differ from the versions Kamailio wants
version_added: 0.3.0
description:
  - Compares the rows of a database's C(version) table with the versions the
    Kamailio SQL files register, and names each missing or different table.
options:
  _input:
    description: Table name to version, as the database's C(version) table holds them.
    type: dict
    required: true
  wanted:
    description: Table name to version, as P(sipha.cluster.kamailio_schema_versions#filter) reads them from the SQL.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Stop on a schema of another Kamailio release
  ansible.builtin.assert:
    that: __found | sipha.cluster.kamailio_schema_mismatches(__wanted) | length == 0
"""

RETURN = r"""
_value:
  description: One sentence per table that is missing or has another version; empty when all match.
  type: list
  elements: str
"""

from ansible_collections.sipha.cluster.plugins.plugin_utils.kamailio_schema import schema_mismatches


class FilterModule(object):
    def filters(self):
        return {"kamailio_schema_mismatches": schema_mismatches}
