# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""scripts/molecule_times.py on lines of a scenario's timed log."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))

import molecule_times  # noqa: E402

# Lines as the default scenario's timed log has them (shortened): the side
# effect (p=100) starts site.yml (p=200) from one of its tasks; a result's
# second line carries no prefix.
LOG = """\
2026-12-03 11:26:06,207 p=100 u=root n=ansible INFO| PLAY [Get the client ready to probe the VIP] *****
2026-12-03 11:26:07,675 p=100 u=root n=ansible INFO| PLAY [Rollout: a changed HA setting] *****
2026-12-03 11:26:08,000 p=100 u=root n=ansible INFO| TASK [Run site.yml] *****
2026-12-03 11:26:09,000 p=200 u=root n=ansible INFO| PLAY [Check the proxy nodes' settings before touching any host] *****
2026-12-03 11:26:10,500 p=200 u=root n=ansible INFO| PLAY [Set up the HA manager] *****
2026-12-03 11:27:39,000 p=200 u=root n=ansible INFO| PLAY RECAP *****
2026-12-03 11:27:40,000 p=100 u=root n=ansible INFO| ok: [client] =>
    msg: done
2026-12-03 11:27:47,675 p=100 u=root n=ansible INFO| PLAY [Fault 1: the active node dies] *****
2026-12-03 11:28:07,675 p=100 u=root n=ansible INFO| PLAY RECAP *****
"""


def test_runs_in_order_of_start():
    found = molecule_times.runs(LOG.splitlines())
    assert [pid for pid, events in found] == ["100", "200"]
    # A run ends at its last logged line, not at its last play.
    assert found[1][1][-1][1] is None


def test_each_play_lasts_until_the_next_or_the_end():
    events = dict(molecule_times.runs(LOG.splitlines()))
    seconds, names = molecule_times.plays(events["100"])
    assert names == ["Get the client ready to probe the VIP", "Rollout: a changed HA setting", "Fault 1: the active node dies"]
    assert seconds == [1.468, 100.0, 20.0]


def test_report_lists_the_plays_of_long_runs_only():
    out = molecule_times.report(LOG.splitlines(), plays_over=2)
    assert out[0] == "11:26:06   121.5 s  p=100  Get the client ready to probe the VIP"
    assert out[2] == "            100.0 s    Rollout: a changed HA setting"
    assert out[4] == "11:26:09    90.0 s  p=200  Check the proxy nodes' settings before touching any host"
    assert len(out) == 5
