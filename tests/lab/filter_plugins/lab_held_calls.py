# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: lab_held_calls
short_description: Which calls held through a takeover kept their media and ended cleanly
version_added: 0.7.0
description:
  - Puts together, call by call, what the lab's SIPp logs and tcpdump's
    captures say of the calls that were up when the active node died: the
    caller's log (the call's number, hence its media port, and how the call
    ended), the answering end's log (its host, the call's number, and the
    200 OK to a BYE it sent), and the RTP streams each host
    received (C(sipha-lab-rtp streams), keyed by destination address:port).
  - A call passes when both ends received RTP after the takeover, neither
    end's longest silence exceeded the takeover's outage and a second, and
    the call ended with a BYE answered 200 (a BYE from the answering end:
    received by the caller, and its 200 OK back at the answering end).
options:
  _input:
    description:
      - The callers' runs, each C({lines, media_port}) with its log lines
        (SIPp -trace_logs of the call scenarios) and its -mp.
    type: list
    elements: dict
    required: true
  answers:
    description: Host name to the lines of its answering SIPp's log.
    type: dict
    required: true
  streams:
    description: Host name to the streams it received (sipha-lab-rtp streams).
    type: dict
    required: true
  caller_host:
    description: The host the callers ran on.
    type: str
    required: true
  fault_time:
    description: When the active node died (seconds since the epoch).
    type: float
    required: true
  outage_s:
    description: How long the client was without answers at the takeover.
    type: float
    required: true
  answer_media_port:
    description: The answering ends' -mp (SIPp's default).
    type: int
    default: 6000
"""

EXAMPLES = r"""
- name: Judge the held calls
  ansible.builtin.set_fact:
    held: "{{ [{'lines': caller_lines, 'media_port': 20000}] | lab_held_calls(answer_lines, streams, 'client', fault, outage) }}"
"""

RETURN = r"""
_value:
  description:
    - One entry per call the caller logged as answered, in the caller's
      order, with C(call_id), C(caller_gap_s), C(callee_gap_s) (None where
      that end received nothing), C(back) (both ends received RTP after the
      takeover, however late), C(resumed) (and neither was silent for
      longer than allowed), C(ended), C(passed) and, when it did not pass,
      C(why).
  type: list
  elements: dict
"""

import re

_ANSWERED = re.compile(r"^(\S+) answered by .* call (\d+)$")
_ENDED = re.compile(r"^(\S+) ended by (this end's|a BYE from the other end)")
_BYE_ANSWERED = re.compile(r"^BYE (\S+) answered")
_INVITE = re.compile(r"^INVITE (\S+) .*call=(\d+)$")
# A packet every 20 ms: a silence of up to this is no gap at all.
_SLACK_S = 1.0


def media_port(base, call_number):
    """SIPp's [auto_media_port] of a call: -mp, then 4 ports a call."""
    return int(base) + (4 * (int(call_number) - 1)) % 10000


def _stream(streams, port):
    for destination, stream in (streams or {}).items():
        if destination.rsplit(":", 1)[-1] == str(port):
            return stream
    return None


def held_calls(callers, answers, streams, caller_host, fault_time, outage_s, answer_media_port=6000):
    fault_time, outage_s = float(fault_time), float(outage_s)
    answered, ended, hung_up_by_callee = [], set(), set()
    for run in callers:
        for line in run["lines"]:
            match = _ANSWERED.match(line.strip())
            if match:
                answered.append((match.group(1), media_port(run["media_port"], match.group(2))))
            match = _ENDED.match(line.strip())
            if match:
                ended.add(match.group(1))
                if match.group(2) != "this end's":
                    hung_up_by_callee.add(match.group(1))
    callees, callee_bye_answered = {}, set()
    for host, lines in answers.items():
        for line in lines:
            match = _INVITE.match(line.strip())
            if match:
                callees[match.group(1)] = (host, media_port(answer_media_port, match.group(2)))
            match = _BYE_ANSWERED.match(line.strip())
            if match:
                callee_bye_answered.add(match.group(1))
    limit = outage_s + _SLACK_S
    verdicts = []
    for call_id, caller_port in answered:
        ends = {"caller": _stream(streams.get(caller_host), caller_port)}
        host, callee_port = callees.get(call_id, (None, None))
        ends["callee"] = _stream(streams.get(host), callee_port) if host else None
        why = []
        # Both ends received RTP after the takeover, however late.
        back = True
        for name, stream in sorted(ends.items()):
            if stream is None:
                why.append("the %s received no RTP" % name)
                back = False
            elif stream["last"] <= fault_time + outage_s:
                why.append("the %s's RTP stopped at the takeover" % name)
                back = False
            elif stream["max_gap"] > limit:
                why.append("the %s's RTP stopped for %.2f s (at most %.2f s)" % (name, stream["max_gap"], limit))
        if call_id not in ended:
            why.append("no BYE answered 200")
        elif call_id in hung_up_by_callee and call_id not in callee_bye_answered:
            why.append("the answering end's BYE got no 200 back")
        verdicts.append({
            "call_id": call_id,
            "caller_gap_s": ends["caller"]["max_gap"] if ends["caller"] else None,
            "callee_gap_s": ends["callee"]["max_gap"] if ends["callee"] else None,
            "callee": host,
            "back": back,
            "resumed": not any("RTP" in reason for reason in why),
            "ended": call_id in ended and (call_id not in hung_up_by_callee or call_id in callee_bye_answered),
            "passed": not why,
            "why": "; ".join(why),
        })
    return verdicts


class FilterModule(object):
    def filters(self):
        return {"lab_held_calls": held_calls}
