# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""site.yml stops before the proxies when the database host failed.

The database host is set up in a play with the free strategy, which goes
on with the other hosts when one fails; playbooks/database_ready.yml is
what stops the run then. These run it with the real ansible-playbook on
hosts that all run on the controller (nothing is changed on them).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
BEGAN = "the proxies' play began"


# SSH to a port nothing listens on: refused at once, the host unreachable.
UNREACHABLE = "\n          ansible_connection: ssh\n          ansible_host: 127.0.0.1\n          ansible_port: 1"


def run(tmp_path, fail_hosts, limit=None, unreachable_host=None):
    hosts = dict((name, UNREACHABLE if name == unreachable_host else "") for name in ("db1", "node1", "node2"))
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(
        "all:\n  vars:\n    ansible_connection: local\n    ansible_python_interpreter: \"{{ ansible_playbook_python }}\"\n  children:\n"
        "    sip_databases:\n      hosts:\n        db1:%(db1)s\n"
        "    sip_proxies:\n      hosts:\n        node1:%(node1)s\n        node2:%(node2)s\n" % hosts
    )
    argv = [PLAYBOOK_BIN, "-i", str(inventory), "-e", json.dumps({"fail_hosts": fail_hosts})]
    argv += ["--limit", limit] if limit else []
    argv += [os.path.join(REPO, "tests", "bad_input", "database_ready_run.yml")]
    # The output the asserts read, whatever the caller's environment says.
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_VERBOSITY="0",
               ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default", ANSIBLE_CALLBACK_RESULT_FORMAT="yaml")
    return subprocess.run(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=120, check=False)


@pytest.mark.parametrize("fail_hosts, unreachable_host", [
    pytest.param(["db1"], None, id="database-host-failed"),
    pytest.param([], "db1", id="database-host-unreachable"),
])
def test_a_failed_database_host_stops_the_run_before_the_proxies(tmp_path, fail_hosts, unreachable_host):
    result = run(tmp_path, fail_hosts, unreachable_host=unreachable_host)
    assert result.returncode != 0, result.stdout
    assert "db1 failed above" in result.stdout, result.stdout
    assert BEGAN not in result.stdout, result.stdout


@pytest.mark.parametrize("fail_hosts, limit", [
    pytest.param([], None, id="nothing-failed"),
    # Under --limit the database host is not part of the run.
    pytest.param(["db1"], "sip_proxies", id="database-host-left-out-by-limit"),
])
def test_the_proxies_play_goes_on(tmp_path, fail_hosts, limit):
    result = run(tmp_path, fail_hosts, limit)
    assert result.returncode == 0, result.stdout
    assert BEGAN in result.stdout, result.stdout


def test_a_failed_proxy_leaves_the_others_to_go_on(tmp_path):
    # As before the merged play: the failed proxy drops out, the rest go on
    # (the run still ends failed).
    result = run(tmp_path, ["node1"])
    assert result.returncode != 0, result.stdout
    assert "ok: [node2] => \n    msg: %s" % BEGAN in result.stdout, result.stdout
    assert "ok: [node1] => \n    msg: %s" % BEGAN not in result.stdout, result.stdout
