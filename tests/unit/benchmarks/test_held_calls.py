# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark's established calls: what a trial keeps of them, and the table."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "benchmarks"))

import held_calls  # noqa: E402
import report  # noqa: E402


def verdict(call_id, caller_gap, callee_gap, back=True, resumed=True, ended=True, why=""):
    return {"call_id": call_id, "caller_gap_s": caller_gap, "callee_gap_s": callee_gap, "callee": "media1",
            "back": back, "resumed": resumed, "ended": ended, "passed": not why, "why": why}


def test_a_trial_keeps_the_longer_gap_of_each_call_whose_media_came_back():
    result = held_calls.summary([
        verdict("a", 3.1, 3.2),
        verdict("b", 5.0, 3.0, resumed=False, why="the caller's RTP stopped for 5.00 s (at most 4.10 s)"),
        # Its media never came back: its longest silence before the fault says nothing.
        verdict("c", 0.02, None, back=False, resumed=False, ended=False, why="the callee received no RTP"),
    ], expected=20, followed=19)
    assert result["held_gaps_s"] == [3.2, 5.0]
    assert result["held_up_at_fault"] == 3 and result["held_calls"] == 20
    assert result["held_media_resumed"] == 2 and result["held_media_resumed_in_time"] == 1
    assert result["held_ended_cleanly"] == 2 and result["held_passed"] == 1
    assert result["held_followed_by_standby"] == 19
    assert result["held_failures"] == {"b": "the caller's RTP stopped for 5.00 s (at most 4.10 s)",
                                       "c": "the callee received no RTP"}


SESSIONS = """\
callid:   1-77@10.66.30.10 | deletionmark:  no | created:  1796543446 | proxy:127.0.0.1:58853 | redis_keyspace:2 | foreign:yes
callid:   2-77@10.66.30.10 | deletionmark:  no | created:  1796543447 | proxy:127.0.0.1:58853 | redis_keyspace:2 | foreign:yes
callid:   9-50@10.66.30.10 | deletionmark:  no | created:  1796543400 | proxy:127.0.0.1:58853 | redis_keyspace:2 | foreign:yes
callid:   8-50@10.66.30.10 | deletionmark: yes | created:  1796543447 | proxy:127.0.0.1:58853 | redis_keyspace:2 | foreign:yes
callid:   7-50@10.66.30.10 | deletionmark:  no | created:  1796543447 | proxy:127.0.0.1:58853 | redis_keyspace:1 | foreign:no
"""


def test_the_standby_follows_the_calls_another_relay_set_up_since_the_start():
    # Not the older call, not one being deleted, not its own.
    assert held_calls.followed_sessions(SESSIONS, 1796543446.5) == 2
    assert held_calls.followed_sessions("error: connection refused", 0) == 0


def test_newer_rtpengine_names_the_fields_shorter():
    text = ("ID:   1-77@10.66.30.10 | del:n | creat:  1796549855 | prx:127.0.0.1:51950 | redis: 1 | frgn:y | rec:n\n"
            "ID:   2-77@10.66.30.10 | del:n | creat:  1796549855 | prx:127.0.0.1:51950 | redis: 1 | frgn:n | rec:n\n")
    assert held_calls.followed_sessions(text, 1796549850) == 1


def held_trial(gaps, outage=3.0, up=20, back=None, passed=None, ended=None):
    return {"outage_s": outage, "held_calls": 20, "held_up_at_fault": up, "held_followed_by_standby": up,
            "held_media_resumed": len(gaps) if back is None else back, "held_media_resumed_in_time": len(gaps),
            "held_gaps_s": gaps, "held_ended_cleanly": up if ended is None else ended,
            "held_passed": up if passed is None else passed}


def test_the_established_calls_table_has_a_row_per_profile_and_fault_in_their_order():
    node = {"profile": "keepalived-fast", "fault": "node-stopped",
            "trials": [held_trial([0.7, 0.8, 0.9]), held_trial([0.6, 1.0], outage=0.7)]}
    crash = {"profile": "keepalived-fast", "fault": "proxy-crashed", "trials": [{"outage_s": 0.7}]}  # no held calls
    database = {"profile": "keepalived-fast", "db_outage": [held_trial([0.02, 0.03], outage=None, passed=19)]}
    first = {"profile": "heartbeat", "fault": "link-down", "trials": [held_trial([3.5], outage=3.4, up=19, ended=18)]}
    rows = report.held_rows([first, database, crash, node])
    assert [(row["profile"], row["fault"]) for row in rows] == [
        ("heartbeat", "link-down"), ("keepalived-fast", "node-stopped"), ("keepalived-fast", "db-down")]
    assert rows[1]["gap_median_s"] == 0.8 and rows[1]["gap_max_s"] == 1.0 and rows[1]["outage_median_s"] == 1.85
    text = "\n".join(report.held_table(rows))
    assert "| heartbeat | link-down | 1 | 19 of 20 | 1 | 3.50 / 3.50 / 3.50 | 3.40 | 18 | 19 |" in text
    assert "| keepalived-fast | node-stopped | 2 | 40 of 40 | 5 | 0.80 / 1.00 / 1.00 | 1.85 | 40 | 40 |" in text
    assert "| keepalived-fast | db-down | 1 | 20 of 20 | 2 | 0.03 / 0.03 / 0.03 | none (nothing moves) | 20 | 19 |" in text


def test_a_run_without_held_calls_leaves_the_table_out():
    assert report.held_rows([{"profile": "p", "fault": "link-down", "trials": [{"outage_s": 0.2}]}]) == []
    assert "established calls" not in report.table([], [], {}, held=[])
