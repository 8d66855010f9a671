# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Calls that are up when a fault comes: do they keep their media and end cleanly?

Before the fault, the client places EACH calls to registered phones (the
caller hangs up) and EACH to the media servers (which hang up), held for
the lab's lab_held_call_ms with RTP both ways, as molecule's node-kill step
does; tcpdump on the client and on each media server records what every
end receives. The fault comes once the standby's rtpengine follows every
call (through Redis). After the calls have ended, each call is judged by
the same filter molecule uses (tests/lab/filter_plugins/lab_held_calls.py):
both ends received RTP again after the fault, neither end was silent for
longer than the outage and a second, and a BYE was answered 200.
"""

import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lab", "filter_plugins"))

from lab_held_calls import held_calls  # noqa: E402  (molecule's judge, so both count the same way)

EACH = 10  # calls per kind: 20 in all, as in molecule
RATE = 10  # calls per second
# Each kind of call: its run's name (and scenario), who answers, the -mp
# its caller's RTP comes from (apart from the phones', which start at 6000).
KINDS = (("held-phone", "users.csv", 20000), ("held-media", "media-numbers.csv", 22000))
CAPTURE = "/var/lib/sipha-lab/bench-held.pcap"
TCPDUMP_PIDFILE = "/run/sipha-bench-tcpdump.pid"


class HeldCallsError(Exception):
    pass


def gap(verdict):
    """A call's longest RTP silence at either end (None: an end received nothing)."""
    gaps = (verdict["caller_gap_s"], verdict["callee_gap_s"])
    return None if None in gaps else max(gaps)


def summary(verdicts, expected, followed):
    """What a trial's held calls came to, for its JSON.

    The gaps are those of the calls whose media came back at both ends,
    however late; a call whose media never came back has none (its longest
    silence before the fault would say nothing).
    """
    gaps = [gap(verdict) for verdict in verdicts if verdict["back"]]
    return {
        "held_calls": expected,
        # Answered before the fault, and held across it.
        "held_up_at_fault": len(verdicts),
        "held_followed_by_standby": followed,
        "held_media_resumed": sum(1 for verdict in verdicts if verdict["back"]),
        "held_media_resumed_in_time": sum(1 for verdict in verdicts if verdict["resumed"]),
        "held_gaps_s": sorted(gaps),
        "held_ended_cleanly": sum(1 for verdict in verdicts if verdict["ended"]),
        "held_passed": sum(1 for verdict in verdicts if verdict["passed"]),
        "held_failures": dict((verdict["call_id"], verdict["why"]) for verdict in verdicts if not verdict["passed"]),
    }


# rtpengine 10.5 (Debian 12) and 12 (Debian 13) name the fields of
# `list sessions` differently ("foreign:yes", "frgn:y").
SESSION_KEYS = {"frgn": "foreign", "del": "deletionmark", "creat": "created"}


def followed_sessions(text, since):
    """The calls of `rtpengine-ctl list sessions all` set up by another relay at or after `since` (epoch s).

    The held calls are the only ones set up from their start until the
    fault; the relay keeps the sessions of ended calls a while
    (delete-delay), so a plain count of foreign sessions would count those.
    """
    count = 0
    for line in text.splitlines():
        fields = {}
        for field in line.split("|"):
            key, colon, value = field.partition(":")
            if colon:
                fields[SESSION_KEYS.get(key.strip(), key.strip())] = value.strip()
        # "yes"/"no" or "y"/"n": the first letter says it.
        if fields.get("foreign", "")[:1] == "y" and fields.get("deletionmark", "")[:1] == "n" \
                and int(fields.get("created") or 0) >= int(since):
            count += 1
    return count


class HeldCalls:
    """The held calls of one trial: start() before the fault, finish() after it."""

    def __init__(self, lab, docker_exec, runs):
        """lab: failover_bench's Lab; docker_exec its helper; runs: where the client's SIPp runs live."""
        self.lab = lab
        self.exec = docker_exec
        self.runs_dir = runs
        self.facts = lab.facts
        self.ends = [lab.client] + list(lab.facts["media_servers"])
        self.log_lines = {}
        self.runs = []
        self.followed = 0

    def start(self, active):
        """Record, call, and return once the standby follows every call (or 20 s have passed)."""
        log = self.facts["uas_call_log"]
        capture_s = self.facts["held_call_ms"] // 1000 + 90
        for host in self.ends:
            # Only this trial's lines of the answering ends' logs are read.
            lines = self.exec(host, "cat %s 2>/dev/null | wc -l" % log).stdout.strip()
            self.log_lines[host] = int(lines or 0)
            subprocess.run(["docker", "exec", "-d", host, "bash", "-c",
                            "echo $$ > %s; exec timeout %d tcpdump -i eth0 -U -w %s udp dst portrange 6000-29999"
                            % (TCPDUMP_PIDFILE, capture_s, CAPTURE)], check=True)
        for host in self.ends:
            self.wait(host, "pgrep -x tcpdump >/dev/null", 10)
        started = time.time()
        for name, inf, media_port in KINDS:
            # Each caller's log names its calls' answers and ends (the judge reads it).
            extra = ["-mp", str(media_port), "-trace_logs", "-log_file", "answers.log"]
            self.runs.append(self.lab.sipp(name, "/etc/sipha-lab/call-%s.xml" % name, "/etc/sipha-lab/%s" % inf,
                                           EACH, RATE, self.facts["held_call_ms"], background=True, extra=extra))
        standby = [self.lab.nodes[node] for node in self.lab.nodes if node != active]
        if self.facts.get("relay_cli") and standby:
            deadline = time.time() + 20
            while time.time() < deadline:
                out = self.exec(standby[0], "%s list sessions all" % self.facts["relay_cli"], check=False).stdout
                self.followed = followed_sessions(out, started)
                if self.followed >= EACH * len(KINDS):
                    break
                time.sleep(0.5)

    def wait(self, host, script, timeout):
        deadline = time.time() + timeout
        while self.exec(host, script, check=False).returncode != 0:
            if time.time() > deadline:
                raise HeldCallsError("%s: `%s` still false after %d s" % (host, script, timeout))
            time.sleep(0.2)

    def finish(self, fault_time, outage_s):
        """Wait for the calls' end, stop the recordings and judge every call."""
        hold_s = self.facts["held_call_ms"] / 1000.0
        for run in self.runs:
            try:
                # A late BYE fails the call 20 s after the hold (lab_call_waits_for_bye).
                run.wait(timeout=hold_s + 90)
            except subprocess.TimeoutExpired:
                run.kill()
        for host in self.ends:
            self.exec(host, 'kill -INT "$(cat %s)" 2>/dev/null; true' % TCPDUMP_PIDFILE, check=False)
            self.wait(host, "! pgrep -x tcpdump >/dev/null", 10)
        callers = [{"lines": self.exec(self.lab.client, "cat %s/%s/answers.log" % (self.runs_dir, name),
                                       check=False).stdout.splitlines(), "media_port": media_port}
                   for name, dummy, media_port in KINDS]
        answers = dict((host, self.exec(host, "tail -n +%d %s | grep -h -e '^INVITE .* call=' -e '^BYE .* answered'"
                                        % (self.log_lines[host] + 1, self.facts["uas_call_log"]),
                                        check=False).stdout.splitlines()) for host in self.ends)
        streams = dict((host, json.loads(self.exec(host, "python3 /usr/local/bin/sipha-lab-rtp streams %s"
                                                   % CAPTURE).stdout or "{}")) for host in self.ends)
        verdicts = held_calls(callers, answers, streams, self.lab.client, fault_time, outage_s)
        return summary(verdicts, EACH * len(KINDS), self.followed)
