# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A proxy role run without preflight refuses a database URL with no password.

Runs the check the kamailio and opensips roles enter before they write the
URL (roles/_service, tasks_from: db_url_check) on this machine, on the URL
roles/common builds from the sipha_db_* settings, with and without
sipha_db_password. It reads and writes nothing on the host.
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
- name: Check the database URL roles/common builds
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    sipha_db_host: 10.0.0.21
{password}
  tasks:
    - name: Run the check
      ansible.builtin.include_role:
        name: sipha.cluster._service
        tasks_from: db_url_check
      vars:
        __service_db_url: "{{{{ __common_db_url }}}}"
"""


def run_check(tmp_path, password_line):
    playbook = tmp_path / "check.yml"
    playbook.write_text(PLAYBOOK.format(password=password_line))
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    return subprocess.run(
        [PLAYBOOK_BIN, "-i", "localhost,", "-e", "ansible_python_interpreter=" + sys.executable, str(playbook)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=120, check=False,
    )


@pytest.mark.parametrize("password_line", ["", "    sipha_db_password: ''"], ids=["unset", "empty"])
def test_url_without_a_password_is_refused(tmp_path, password_line):
    result = run_check(tmp_path, password_line)
    output = " ".join(result.stdout.split())
    assert result.returncode != 0, result.stdout
    assert "The proxy's database URL has no password: set sipha_db_password" in output


def test_url_with_a_password_passes(tmp_path):
    result = run_check(tmp_path, "    sipha_db_password: a-long-enough-secret-for-the-test")
    assert result.returncode == 0, result.stdout
    assert "a-long-enough-secret" not in result.stdout
