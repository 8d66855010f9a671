# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: kamailio_schema_plan
short_description: Which Kamailio schema files a database still needs
version_added: 0.3.0
description:
  - Given the tables each Kamailio schema file creates and the tables a
    database has, says which files to load (none of their tables exist) and
    which modules are there only in part (some tables exist, some do not).
options:
  _input:
    description: Module name to the table versions its file creates (P(sipha.cluster.kamailio_schema_versions#filter)).
    type: dict
    required: true
  existing:
    description: Names of the tables the database has.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Files to load
  ansible.builtin.debug:
    msg: "{{ (__expected | sipha.cluster.kamailio_schema_plan(__tables)).load }}"
"""

RETURN = r"""
_value:
  description: C(load) and C(partial), lists of module names in the input's order.
  type: dict
"""

from ansible_collections.sipha.cluster.plugins.plugin_utils.kamailio_schema import schema_plan


class FilterModule(object):
    def filters(self):
        return {"kamailio_schema_plan": schema_plan}
