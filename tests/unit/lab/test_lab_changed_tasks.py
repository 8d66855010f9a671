# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lab_changed_tasks on site.yml's own output.

The fixtures are the default callback's text of three site.yml runs of the
default scenario (from its timed log, the log prefix cut): the first run on
fresh hosts, an unchanged run, and a run with keepalived_garp_master_delay
changed. The first two run their first play with the free strategy, whose
banners repeat and interleave.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest

from ansible.errors import AnsibleFilterError

from lab_changed_tasks import FilterModule

lab_changed_tasks = FilterModule().filters()["lab_changed_tasks"]

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "playbook_output")


def recorded(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def recap_changed(output):
    """The changed= count of each host in the run's PLAY RECAP."""
    return {
        host: int(changed)
        for host, changed in re.findall(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)", output, re.MULTILINE)
    }


def test_unchanged_run():
    assert lab_changed_tasks(recorded("site_unchanged.txt")) == {}


def test_one_setting_rolled_out():
    assert lab_changed_tasks(recorded("site_rollout_keepalived.txt")) == {
        node: [
            "sipha.cluster.keepalived : Write keepalived.conf, checked by keepalived before it replaces the live one",
            "sipha.cluster.keepalived : Reload keepalived",
        ]
        for node in ("node1", "node2")
    }


def test_first_run_agrees_with_the_recap():
    # The recap counts a changed task once per host, loops included: so
    # does the filter, unless it misread a banner or a result line.
    output = recorded("site_first_run.txt")
    found = lab_changed_tasks(output)
    assert {host: len(tasks) for host, tasks in found.items()} == {
        host: count for host, count in recap_changed(output).items() if count
    }
    # A loop whose items changed is one task.
    assert found["node1"].count("sipha.cluster.node : Set and persist the kernel parameters") == 1
    assert "sipha.cluster.firewall : Write the rule set, checked by nft first" in found["db1"]


def test_delegated_and_looped_results():
    output = "\n".join(
        [
            "changed: [stray]",
            "TASK [Heal the link] ***********",
            "changed: [client -> localhost] => (item=['node1', '10.68.10.12'])",
            "ok: [node1]",
            "RUNNING HANDLER [sipha.cluster.heartbeat : Reload heartbeat] ****",
            "changed: [node2]",
            "    changed: [inside a message]",
            "PLAY RECAP *****",
            "node2                      : ok=1    changed=1    unreachable=0",
        ]
    )
    assert lab_changed_tasks(output) == {
        "client": ["Heal the link"],
        "node2": ["sipha.cluster.heartbeat : Reload heartbeat"],
    }


def test_not_text():
    with pytest.raises(AnsibleFilterError, match="expects the run's output as text"):
        lab_changed_tasks(["changed: [node1]"])
