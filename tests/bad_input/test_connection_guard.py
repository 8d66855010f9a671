# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The node role refuses to remove a default route its own SSH session needs.

Runs the role's real connection guard (tasks_from: connection_guard) against
localhost, with SSH_CONNECTION set in the environment the way sshd sets it
on a node, once from outside the private subnet and once from inside.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")

PLAYBOOK = """
- name: Run the node role's connection guard on this machine
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    sipha_private_ip: 10.0.0.11/24
    node_private_routes: {routes}
  tasks:
    - name: Run the guard
      ansible.builtin.include_role:
        name: sipha.cluster.node
        tasks_from: connection_guard
"""


def run_guard(tmp_path, controller, routes="[]"):
    playbook = tmp_path / "guard.yml"
    playbook.write_text(PLAYBOOK.format(routes=routes))
    env = dict(
        os.environ,
        ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
        ANSIBLE_NOCOLOR="1",
        SSH_CONNECTION="%s 50022 10.0.0.11 22" % controller,
    )
    return subprocess.run(
        [PLAYBOOK_BIN, "-i", "localhost,", "-e", "ansible_python_interpreter=" + sys.executable, str(playbook)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=120, check=False,
    )


def test_controller_outside_the_private_network_is_refused(tmp_path):
    result = run_guard(tmp_path, "198.51.100.7")
    output = " ".join(result.stdout.split())
    assert result.returncode != 0, result.stdout
    assert "Ansible connects from 198.51.100.7" in output
    assert "node_private_routes" in output


@pytest.mark.parametrize(
    "controller, routes",
    [
        ("10.0.0.50", "[]"),  # on the private subnet itself
        ("198.51.100.7", "[{to: 198.51.100.0/24, via: 10.0.0.1}]"),  # behind a private router
    ],
)
def test_controller_reached_without_the_default_route_passes(tmp_path, controller, routes):
    result = run_guard(tmp_path, controller, routes)
    assert result.returncode == 0, result.stdout
