# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Renders a role's templates with the real ansible-playbook, for the render tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


@pytest.fixture
def run_render(tmp_path):
    """run_render(playbook, cluster, nodes) -> ({(node, template): text}, ansible-playbook's output).

    Writes an inventory of sip_proxies with ``cluster`` as group variables
    (values written as YAML text) and ``nodes`` mapping each node to its
    sipha_private_ip, runs tests/render/<playbook> against it with render_dir
    pointing at a fresh directory, fails the test when the playbook fails,
    and reads what tasks/render_templates.yml wrote for each node.
    """

    def run(playbook, cluster, nodes):
        lines = ["all:", "  children:", "    sip_proxies:", "      vars:"]
        lines += ["        %s: %s" % item for item in cluster.items()]
        lines += ["      hosts:"]
        for name, address in nodes.items():
            lines += ["        %s:" % name, "          ansible_connection: local", "          sipha_private_ip: %s" % address]
        inventory = tmp_path / "hosts.yml"
        inventory.write_text("\n".join(lines) + "\n")
        out = tmp_path / "out"
        out.mkdir()
        # Verbosity 0 whatever the caller's environment says: at -v the set_fact
        # loop would print the rendered secrets, which the tests look for.
        env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_VERBOSITY="0")
        result = subprocess.run(
            [PLAYBOOK_BIN, "-i", str(inventory), "-e", "render_dir=%s" % out, os.path.join(REPO, "tests", "render", playbook)],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout
        rendered = json.loads((out / "rendered.json").read_text())
        files = dict(((name, template), text) for name in nodes for template, text in rendered[name].items())
        return files, result.stdout

    return run
