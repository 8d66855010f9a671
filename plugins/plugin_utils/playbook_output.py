# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read what an ansible-playbook run changed from its default output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

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
