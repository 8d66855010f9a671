# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: lab_changed_tasks
short_description: Which tasks an ansible-playbook run changed, host by host
version_added: 0.6.0
description:
  - Reads the text of ansible-playbook's default stdout callback (as a
    command task registers it) and gives, for each host, the tasks and
    handlers that reported C(changed). The test scenarios use it to prove
    that a run rolling out one changed setting changes that and nothing
    else, which also proves every other task idempotent.
options:
  _input:
    description: The run's standard output.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Show what the run changed
  ansible.builtin.debug:
    msg: "{{ run_playbook_result.stdout | sipha.cluster.lab_changed_tasks }}"
"""

RETURN = r"""
_value:
  description:
    - Host name to the names of its changed tasks, as their banners print
      them (the role's name first), in the order they first changed. Hosts
      that changed nothing are absent.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils.playbook_output import changed_tasks


def lab_changed_tasks(output):
    if not isinstance(output, str):
        raise AnsibleFilterError("lab_changed_tasks expects the run's output as text, got %s" % type(output).__name__)
    return changed_tasks(output)


class FilterModule(object):
    def filters(self):
        return {"lab_changed_tasks": lab_changed_tasks}
