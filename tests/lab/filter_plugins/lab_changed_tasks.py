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
    msg: "{{ run_playbook_result.stdout | lab_changed_tasks }}"
"""

RETURN = r"""
_value:
  description:
    - Host name to the names of its changed tasks, as their banners print
      them (the role's name first), in the order they first changed. Hosts
      that changed nothing are absent.
  type: dict
"""

import re

from ansible.errors import AnsibleFilterError

# The banner the default callback prints before a task's or a handler's
# results. Under the free strategy it prints the banner again whenever the
# next result belongs to another task, so every result line sits under the
# banner of its own task.
_BANNER = re.compile(r"^(?:TASK|RUNNING HANDLER) \[(?P<task>.+)\] \**$")
# "changed: [node1]", "changed: [node1 -> node2(...)] => (item=...)".
_CHANGED = re.compile(r"^changed: \[(?P<host>[^\] ]+)")


def changed_tasks(output):
    """Return {host: [task, ...]} for every task that reported a change.

    ``output`` is the text of ansible-playbook's default stdout callback.
    A task is listed once per host, in the order it first changed, however
    many of its loop items changed; a delegated task is listed under the
    host it ran for. Hosts that changed nothing are absent.
    """
    found = {}
    task = None
    for line in output.splitlines():
        banner = _BANNER.match(line)
        if banner:
            task = banner.group("task")
            continue
        change = _CHANGED.match(line)
        if change and task is not None:
            tasks = found.setdefault(change.group("host"), [])
            if task not in tasks:
                tasks.append(task)
    return found


def lab_changed_tasks(output):
    if not isinstance(output, str):
        raise AnsibleFilterError("lab_changed_tasks expects the run's output as text, got %s" % type(output).__name__)
    return changed_tasks(output)


class FilterModule(object):
    def filters(self):
        return {"lab_changed_tasks": lab_changed_tasks}
