# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: kamailio_schema_versions
short_description: The tables a Kamailio SQL file creates, with their versions
version_added: 0.3.0
description:
  - Reads the C(INSERT INTO version) rows of a Kamailio C(<module>-create.sql)
    file and returns which tables it creates and at which version.
options:
  _input:
    description: The text of the SQL file.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Tables of usrloc-create.sql
  ansible.builtin.debug:
    msg: "{{ lookup('ansible.builtin.file', 'usrloc-create.sql') | sipha.cluster.kamailio_schema_versions }}"
  # {"location": 9, "location_attrs": 1}
"""

RETURN = r"""
_value:
  description: Table name to version.
  type: dict
"""

from ansible_collections.sipha.cluster.plugins.plugin_utils.kamailio_schema import schema_versions


class FilterModule(object):
    def filters(self):
        return {"kamailio_schema_versions": schema_versions}
