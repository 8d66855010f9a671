# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How molecule judges the calls held through a takeover (lab_held_calls)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "lab", "filter_plugins"))

from lab_held_calls import held_calls  # noqa: E402  (a lab plugin, outside the collection)

FAULT = 1000.0
OUTAGE = 2.5


def stream(first=990.0, last=1030.0, gap=2.7):
    return {"first": first, "last": last, "packets": 1800, "max_gap": gap, "gap_from": FAULT}


def judge(caller_lines, answers=None, streams=None):
    answers = answers if answers is not None else {"media1": ["INVITE c1@x pai= call=2"]}
    streams = streams if streams is not None else {
        "client": {"10.66.30.10:20000": stream()}, "media1": {"10.66.10.31:6004": stream(gap=3.1)}}
    return held_calls([{"lines": caller_lines, "media_port": 20000}], answers, streams, "client", FAULT, OUTAGE)


ANSWERED = "c1@x answered by sipha-lab-media media1 call 1"


def test_a_call_whose_media_came_back_in_time_and_ended_passes():
    answers = {"media1": ["INVITE c1@x pai= call=2", "BYE c1@x answered"]}
    verdicts = judge([ANSWERED, "c1@x ended by a BYE from the other end"], answers=answers)
    assert verdicts == [{"call_id": "c1@x", "caller_gap_s": 2.7, "callee_gap_s": 3.1, "callee": "media1",
                         "back": True, "resumed": True, "ended": True, "passed": True, "why": ""}]


def test_a_silence_longer_than_the_outage_and_a_second_fails():
    streams = {"client": {"10.66.30.10:20000": stream(gap=3.6)}, "media1": {"10.66.10.31:6004": stream()}}
    verdict = judge([ANSWERED, "c1@x ended by this end's BYE"], streams=streams)[0]
    assert not verdict["passed"] and not verdict["resumed"]
    assert verdict["back"]  # late, but back
    assert verdict["why"] == "the caller's RTP stopped for 3.60 s (at most 3.50 s)"


def test_media_that_never_came_back_fails():
    streams = {"client": {"10.66.30.10:20000": stream(last=1001.0, gap=0.02)}, "media1": {"10.66.10.31:6004": stream()}}
    verdict = judge([ANSWERED, "c1@x ended by this end's BYE"], streams=streams)[0]
    assert verdict["why"] == "the caller's RTP stopped at the takeover"
    assert not verdict["back"]


def test_an_end_that_received_nothing_fails():
    verdict = judge([ANSWERED, "c1@x ended by this end's BYE"], answers={})[0]
    assert verdict["callee"] is None and verdict["callee_gap_s"] is None
    assert verdict["why"] == "the callee received no RTP"
    assert not verdict["back"]


def test_a_call_without_its_bye_answered_fails_though_its_media_came_back():
    verdict = judge([ANSWERED])[0]
    assert verdict["resumed"] and not verdict["ended"] and not verdict["passed"]
    assert verdict["why"] == "no BYE answered 200"


def test_only_answered_calls_are_judged_in_the_callers_order():
    lines = ["c2@x answered by sipha-lab-phone call 2", ANSWERED, "c3@x failed"]
    assert [verdict["call_id"] for verdict in judge(lines)] == ["c2@x", "c1@x"]


def test_the_media_port_follows_sipps_auto_media_port():
    from lab_held_calls import media_port

    assert media_port(6000, 1) == 6000
    assert media_port(22000, 3) == 22008
    assert media_port(6000, 2501) == 6000  # SIPp wraps after 2,500 calls


def test_a_bye_from_the_answering_end_needs_its_200_back_there():
    verdict = judge([ANSWERED, "c1@x ended by a BYE from the other end"])[0]
    assert not verdict["passed"] and not verdict["ended"]
    assert verdict["why"] == "the answering end's BYE got no 200 back"
