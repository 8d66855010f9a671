# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Failover trials against the running Docker lab, as a phone sees them.

One trial: wait until the cluster is whole (one VIP holder, every standby
ready), register every lab user through the VIP, start a steady call load
to the media servers and an OPTIONS probe every 20 ms from the client, then
fail the active node one way:

  node-stopped   its container is killed (a power cut)
  proxy-crashed  the proxy is killed each time systemd brings it back, until
                 its restart budget is spent and the group has to move
  link-down      its public NIC goes down

The outage is the time from the fault (for proxy-crashed: the crash that
spent the budget) to the first answer from the node that took over. After
the load has ended, every registered user is called through the new active
node: a user who cannot be reached lost their registration (a pass at
250/s that fails any call is followed by a slow one over every user, which
decides: see reach_verdict). Failed calls
are compared with the calls that were in a transaction at the fault: in
setup (INVITE sent, no 200 OK yet) or hanging up (BYE sent, no 200 OK yet),
the ones a node that dies may take with it. The failed node is then put
back and the next trial waits until it is a ready standby.

Every trial (the database's and the partition's too) also holds 20 calls
with RTP both ways across the fault (held_calls.py): the calls up at the
fault, whether their media resumed, their longest silence, and whether
they ended with a BYE answered 200.

A database trial (--db-outage SECONDS) fails no node: the shared
database's service is stopped for that long and started again while the
probe runs and the client tries a REGISTER every 0.2 s. Nothing may move:
it counts the changes of the node answering the probe, the probes lost,
the REGISTERs answered 200 during the outage, how soon after the start a
REGISTER gets its 200 again, and the users who cannot be called after.

A database host trial (--db-host-killed, a Galera lab: make bench with
BENCH_DB=galera) fails no proxy node: the database host that holds the
database's floating address is killed under calls to the registered users
and a REGISTER every 0.2 s. The proxies' VIP may not move; it measures how
soon the other database host held the address, the window in which
REGISTERs and calls failed, the users who cannot be called after, and how
soon the killed host was Synced again after it booted (it rejoins by
itself, no playbook).

A partition trial (--partition SECONDS, keepalived) fails no node either:
the private network between the VIP holder and the other nodes is cut both
ways (blackhole routes) for that long while everything stays up, then
healed. keepalived alone would leave two holders; the VIP guard must put
the newcomer out at once. From the kernel's own stamps (`ip -ts monitor`
on the nodes and the router, vip_timeline.py) it measures how long two
nodes held the VIP and how long the router sent it elsewhere than to the
holder; from the probe, the OPTIONS lost; and whether the VIP moved.

The containers share the host's clock, so the wall-clock time of a fault
(taken inside the node where it can be, around `docker kill` where it
cannot) and of the probe's answers can be compared.

    python3 benchmarks/failover_bench.py --facts lab.json --profile keepalived-fast \
        --fault node-stopped --trials 10 --out results/keepalived-fast.node-stopped.json
    python3 benchmarks/failover_bench.py --facts lab.json --profile keepalived-fast \
        --db-outage 20 --trials 3 --out results/keepalived-fast.db-down.json
    python3 benchmarks/failover_bench.py --facts lab.json --profile keepalived-fast \
        --partition 20 --trials 3 --out results/keepalived-fast.partition.json
"""

import argparse
import datetime
import json
import re
import subprocess
import sys
import time

import vip_timeline
from held_calls import HeldCalls, HeldCallsError
from lab_failure_window import lab_failure_window  # held_calls put the lab's plugins on the path

FAULTS = ("node-stopped", "proxy-crashed", "link-down")
RUNS = "/var/lib/sipha-lab/bench"  # on the client
PROBE_PIDFILE = "/run/sipha-bench-probe.pid"
REGISTER_TRIES_PIDFILE = "/run/sipha-bench-register.pid"
REGISTER_EVERY = 0.2
LOAD_RATE = 20  # calls per second, the steady load
DB_LOAD_RATE = 10  # calls per second to the registered users while a database host dies
DB_WATCH_S = 40  # the load and the REGISTER tries around a database host's death
LOAD_HOLD_MS = 1000  # each call lasts a second, so calls are up across the fault
PROBE_EVERY = 0.02
MONITOR_LOG = "/root/sipha-bench-monitor.%d.log"  # per partition trial, on the nodes and the router
RECV_TIMEOUT_MS = 20000
CALL_PHONE = ("/etc/sipha-lab/call-phone.xml", "/etc/sipha-lab/users.csv")
CALL_USERS_RATE = 250  # calls per second to every registered user after a trial
# The users again, all of them, when the fast pass failed some: at 250/s a
# busy two-core lab lets calls time out though every node holds every
# contact (22 to 149 of 500, all FailedTimeoutOnRecv, at a 1.9x slower
# evening); slowly, only a call nobody can route fails.
CALL_USERS_AGAIN_RATE = 25


class BenchError(Exception):
    pass


def log(message):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), message), flush=True)


def docker_exec(container, script, timeout=120, check=True):
    proc = subprocess.run(
        ["docker", "exec", container, "bash", "-c", script],
        capture_output=True, text=True, timeout=timeout, check=False,
    )
    if check and proc.returncode != 0:
        raise BenchError("%s: `%s` exited %d: %s" % (container, script, proc.returncode, proc.stderr.strip()[-500:]))
    return proc


def run_local(argv, timeout=600):
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise BenchError("`%s` exited %d:\n%s" % (" ".join(argv), proc.returncode, (proc.stdout + proc.stderr)[-3000:]))
    return proc


def sipp_totals(text):
    """The totals of SIPp's last -trace_stat line, by column name."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 2:
        raise BenchError("SIPp wrote no statistics")
    return dict(zip(lines[0].split(";"), lines[-1].split(";")))


def call_counts(totals):
    """The calls of a SIPp run (sipp_totals): successful, failed, and of those failed, answered_by_other (a
    call-phone.xml call that someone else than a phone answered, a media server when the proxy found no
    contact: it fails its Server check) and timed_out (no answer in time; also a call that got an error
    response, which SIPp, told not to abort on unexpected messages, waits out)."""
    return {"successful": int(totals["SuccessfulCall(C)"]), "failed": int(totals["FailedCall(C)"]),
            "answered_by_other": int(totals.get("FailedRegexpDoesntMatch(C)", 0)),
            "timed_out": int(totals.get("FailedTimeoutOnRecv(C)", 0))}


def holds_vip(container, interface, vip):
    """Whether the VIP is on that container's interface."""
    proc = docker_exec(container, "ip -o addr show dev %s" % interface, check=False)
    return re.search(r"\sinet6? %s/" % re.escape(vip), proc.stdout) is not None


class Lab:
    def __init__(self, facts, inventories, rejoin_playbook):
        self.facts = facts
        self.nodes = facts["nodes"]  # inventory name -> container
        self.client = facts["client"]
        self.vip = facts["vip"]
        self.inventories = inventories
        self.rejoin_playbook = rejoin_playbook
        self.timers = self.read_timers()

    def read_timers(self):
        """The HA manager's timers as the nodes run them (not as some file says)."""
        node = self.nodes[sorted(self.nodes)[0]]
        if self.facts["ha_manager"] == "keepalived":
            text = docker_exec(node, "cat /etc/keepalived/keepalived.conf").stdout
            wanted = ("advert_int", "interval", "fall", "rise")
        else:
            text = docker_exec(node, "cat /etc/ha.d/ha.cf").stdout
            wanted = ("keepalive", "warntime", "deadtime", "initdead")
        timers = {}
        for line in text.splitlines():
            words = line.split()
            if len(words) == 2 and words[0] in wanted and words[0] not in timers:
                timers[words[0]] = words[1]
        return timers

    # --- state -------------------------------------------------------------
    def running(self, node):
        proc = subprocess.run(
            ["docker", "inspect", "-f", "{{.State.Running}}", self.nodes[node]],
            capture_output=True, text=True, check=False,
        )
        return proc.stdout.strip() == "true"

    def holds_vip(self, node):
        if not self.running(node):
            return False
        return holds_vip(self.nodes[node], self.facts["public_interface"], self.vip)

    def holders(self):
        return [node for node in self.nodes if self.holds_vip(node)]

    def standby_ready(self, node, holder):
        """The node runs its proxy and its HA manager and would take the group over."""
        if not self.running(node):
            return False
        unit = self.facts["proxy_unit"]
        manager = "keepalived" if self.facts["ha_manager"] == "keepalived" else "heartbeat"
        proc = docker_exec(
            self.nodes[node],
            "systemctl is-system-running; systemctl is-active %s %s; %s status" % (
                unit, manager, self.facts["failover_script"]),
            check=False,
        )
        lines = proc.stdout.split()
        if lines[:1] not in (["running"], ["degraded"]) or lines[1:3] != ["active", "active"]:
            return False
        if self.facts["ha_manager"] == "keepalived":
            return "state=BACKUP" in proc.stdout
        # heartbeat: the holder sees the peer's heartbeat again.
        peer = docker_exec(self.nodes[node], "uname -n").stdout.strip()
        status = docker_exec(self.nodes[holder], "cl_status nodestatus %s" % peer, check=False)
        return status.stdout.strip() == "active"

    def wait_whole(self, timeout=300):
        """Wait until exactly one node holds the VIP and every other is a ready standby."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            holders = self.holders()
            if len(holders) == 1 and all(
                self.standby_ready(node, holders[0]) for node in self.nodes if node != holders[0]
            ):
                return holders[0]
            time.sleep(1)
        raise BenchError("the cluster was not whole again within %d s (VIP holders: %s)" % (timeout, self.holders()))

    def wait_new_holder(self, old, timeout):
        """The one node other than `old` that holds the VIP within `timeout` s (None: none did)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            holders = [node for node in self.holders() if node != old]
            if len(holders) == 1:
                return holders[0]
            time.sleep(0.2)
        return None

    # --- the replicated database (Galera) ---------------------------------
    def db_holder(self):
        """The database host (inventory name) that holds the database's floating address, or None."""
        for host, container in self.facts["db_hosts"].items():
            proc = docker_exec(container, "ip -o addr show to %s" % self.facts["db_address"], check=False)
            if self.facts["db_address"] in proc.stdout:
                return host
        return None

    def db_synced(self, host):
        return docker_exec(self.facts["db_hosts"][host], self.facts["db_synced_check"], check=False).returncode == 0

    def wait_db_whole(self, timeout=300):
        """Every database host Synced and the address on one of them; that one."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            holder = self.db_holder()
            if holder and all(self.db_synced(host) for host in self.facts["db_hosts"]):
                return holder
            time.sleep(1)
        raise BenchError("the database cluster was not whole within %d s" % timeout)

    def wait_db_address(self, host, timeout=30):
        """When `host` held the database's address (epoch seconds; None: not within `timeout`)."""
        script = ("for _ in $(seq %d); do ip -o addr show to %s | grep -q . && { date +%%s.%%N; exit 0; }; sleep 0.05; "
                  "done; exit 1" % (timeout * 20, self.facts["db_address"]))
        proc = docker_exec(self.facts["db_hosts"][host], script, timeout=timeout + 30, check=False)
        return float(proc.stdout.split()[-1]) if proc.returncode == 0 else None

    # --- the client ----------------------------------------------------------
    def sipp(self, name, scenario, inf, count, rate, hold_ms=0, trace_msg=False, background=False, extra=()):
        run = "%s/%s" % (RUNS, name)
        argv = [
            "sipp", "%s:%d" % (self.vip, self.facts["sip_port"]),
            "-sf", scenario, "-inf", inf, "-m", str(count), "-r", str(rate), "-d", str(hold_ms),
            "-nostdin", "-trace_stat", "-stf", "stat.csv", "-fd", "1",
            # Over UDP a 180 may overtake the 200 OK; a phone ignores the
            # late 180, while SIPp's default aborts the call and counts it
            # failed.
            "-default_behaviors", "all,-abortunexp",
            # A call whose INVITE died with a node gets no answer ever: it
            # fails after this, like a phone giving up (SIPp's -timeout alone
            # does not end a run with calls still waiting).
            "-recv_timeout", str(RECV_TIMEOUT_MS),
            "-timeout", "%ds" % int(count / rate + 60),
        ]
        if trace_msg:
            argv += ["-trace_msg", "-message_file", "messages.log"]
        argv += list(extra)
        script = "rm -rf %s && mkdir -p %s && cd %s && exec env TZ=UTC %s" % (run, run, run, " ".join(argv))
        command = ["docker", "exec", self.client, "bash", "-c", script]
        if background:
            return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(command, capture_output=True, text=True, timeout=count / rate + 120, check=False)
        return self.sipp_result(name)

    def sipp_result(self, name):
        return call_counts(sipp_totals(docker_exec(self.client, "cat %s/%s/stat.csv" % (RUNS, name)).stdout))

    def start_probe(self, seconds):
        script = "echo $$ > %s && exec sipha-sip-ping %s %d --every %s --for %d --timeout 1" % (
            PROBE_PIDFILE, self.vip, self.facts["sip_port"], PROBE_EVERY, seconds)
        return subprocess.Popen(
            ["docker", "exec", self.client, "bash", "-c", script], stdout=subprocess.PIPE, text=True
        )

    def stop_probe(self, probe):
        docker_exec(self.client, 'kill -TERM "$(cat %s)"' % PROBE_PIDFILE, check=False)
        out = probe.communicate(timeout=30)[0]
        return json.loads(out)

    def start_register_tries(self, seconds):
        """REGISTER one lab user through the VIP every REGISTER_EVERY s for `seconds`, in the background.

        Each try prints its start and end (epoch seconds) and SIPp's exit code (0: 200 OK).
        """
        script = (
            "echo $$ > %s; end=$(( $(date +%%s) + %d )); cd /tmp\n"
            "while [ $(date +%%s) -lt $end ]; do\n"
            "  at=$(date +%%s.%%N)\n"
            "  sipp %s:%d -sf /etc/sipha-lab/register.xml -inf /etc/sipha-lab/users.csv -m 1 -nostdin"
            " -recv_timeout 2s -timeout 5s >/dev/null 2>&1\n"
            "  rc=$?\n"
            "  echo \"$at $(date +%%s.%%N) $rc\"\n"
            "  sleep %s\n"
            "done\n" % (REGISTER_TRIES_PIDFILE, seconds, self.vip, self.facts["sip_port"], REGISTER_EVERY))
        return subprocess.Popen(["docker", "exec", self.client, "bash", "-c", script], stdout=subprocess.PIPE, text=True)

    def stop_register_tries(self, tries):
        docker_exec(self.client, 'kill -TERM "$(cat %s)"' % REGISTER_TRIES_PIDFILE, check=False)
        return parse_register_tries(tries.communicate(timeout=30)[0])

    def database(self, action):
        """Start or stop the shared database's service; return when the command began and when it returned."""
        before = time.time()
        docker_exec(self.facts["db"], "systemctl %s %s" % (action, self.facts["db_service"]), timeout=180)
        return before, time.time()

    # --- faults --------------------------------------------------------------
    def fail(self, fault, node):
        """Fail `node` one way; return the fault's window (earliest, latest).

        The outage is timed from the earliest moment, so it is never short;
        a call counts as in a transaction at the fault when it was in one at
        any moment of the window.
        """
        container = self.nodes[node]
        if fault == "node-stopped":
            # The node dies somewhere inside `docker kill` (it cannot be
            # timed from inside: init ignores a SIGKILL from its own
            # namespace), so the window is the command's run.
            before = time.time()
            run_local(["docker", "kill", container])
            return before, time.time()
        if fault == "link-down":
            # Timed inside the node, around `ip` itself: docker exec takes
            # 50-100 ms, and calls reached the node meanwhile; `ip` takes a
            # few ms, and an INVITE that arrived then went astray.
            out = docker_exec(container, "date +%%s.%%N; ip link set dev %s down; date +%%s.%%N"
                              % self.facts["public_interface"])
            before, after = (float(word) for word in out.stdout.split()[:2])
            return before, after
        if fault == "proxy-crashed":
            # Kill the proxy each time systemd has it running again, until
            # systemd gives up; the kill after which it did is the fault.
            script = r"""
                unit=%s
                for kill in $(seq 12); do
                  until systemctl --quiet is-active "$unit" || systemctl --quiet is-failed "$unit"; do sleep 0.05; done
                  if systemctl --quiet is-failed "$unit"; then echo "failed $last"; exit 0; fi
                  pid=$(systemctl show --property MainPID --value "$unit")
                  last=$(date +%%s.%%N); kill -9 "$pid"
                  sleep 0.2
                done
                echo "still restarting after 12 kills"; exit 1
            """ % self.facts["proxy_unit"]
            out = docker_exec(container, script, timeout=180).stdout.split()
            return float(out[-1]), float(out[-1])
        raise BenchError("unknown fault %s" % fault)

    def repair(self, fault, node):
        """Put the failed node back the way an operator would."""
        container = self.nodes[node]
        if fault == "link-down":
            docker_exec(container, "ip link set dev %s up" % self.facts["public_interface"])
        elif fault == "proxy-crashed":
            unit = self.facts["proxy_unit"]
            docker_exec(container, "systemctl reset-failed %s; systemctl start %s" % (unit, unit))
        elif fault == "node-stopped":
            # heartbeat's fence device powers the node back on itself.
            deadline = time.time() + 60
            while not self.running(node) and time.time() < deadline:
                if self.facts["ha_manager"] != "heartbeat":
                    run_local(["docker", "start", container])
                time.sleep(1)
            docker_exec(container, "systemctl is-system-running --wait", check=False, timeout=180)
            # Docker hands a restarted container its own addresses back; the
            # node role takes them away, as on any node that rejoins.
            inventories = [word for inventory in self.inventories for word in ("-i", inventory)]
            run_local(["ansible-playbook"] + inventories + [self.rejoin_playbook, "--limit", node])


def seconds(value):
    """ha.cf writes times as "5" (seconds) or "500ms"."""
    return float(value[:-2]) / 1000 if value.endswith("ms") else float(value)


def trace_messages(message_log):
    """The messages of a SIPp -trace_msg log: (time, sent, Call-ID, CSeq method, message).

    Each entry starts with a dashed line carrying the wall-clock time (SIPp
    runs with TZ=UTC), then "UDP message sent" or "received", then the
    message. Entries without a time or a Call-ID (SIPp's "Unexpected
    message" notes) are left out.
    """
    for entry in message_log.split("-----------------------------------------------")[1:]:
        head, dummy, message = entry.partition("\n\n")
        stamp = re.search(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\s*$", head.splitlines()[0])
        call_id = re.search(r"^(?:Call-ID|i):\s*(\S+)", message, re.M | re.I)
        if not stamp or not call_id:
            continue
        cseq = re.search(r"^CSeq:\s*\d+\s+(\w+)", message, re.M | re.I)
        when = datetime.datetime.strptime(stamp.group(1), "%Y-%m-%d %H:%M:%S.%f")
        yield (when.replace(tzinfo=datetime.timezone.utc).timestamp(), "message sent" in head,
               call_id.group(1), cseq.group(1) if cseq else "?", message)


def failed_call_timelines(message_log, moment, limit=5):
    """What happened to calls whose INVITE or BYE never got its 200 OK.

    One line per message, timed from the fault: enough to tell a call lost
    in setup from one whose ACK or BYE went astray. At most `limit` calls.
    """
    timelines = {}
    done = {}
    for when, sent, call_id, method, message in trace_messages(message_log):
        first_line = message.splitlines()[0] if message else ""
        timelines.setdefault(call_id, []).append(
            "%+.3f %s %s (%s)" % (when - moment, "sent" if sent else "received",
                                  " ".join(first_line.split()[:2]), method))
        if first_line.startswith("SIP/2.0 200") and method == "BYE":
            done[call_id] = True
    failed = [call_id for call_id in timelines if call_id not in done]
    return {call_id: timelines[call_id] for call_id in failed[:limit]}


def calls_in_transaction(message_log, start, end, method="INVITE"):
    """Count calls with a `method` transaction open during the fault [start, end].

    The transaction is open from its request's first sending to the 200 OK
    to it. INVITE gives the calls in setup at the fault; BYE the calls that
    were hanging up, whose BYE (or its 200 OK) the failed node may have
    taken with it.
    """
    sent_at = {}
    answered = {}
    for when, sent, call_id, cseq_method, message in trace_messages(message_log):
        if sent and message.startswith(method + " "):
            sent_at.setdefault(call_id, when)
        elif not sent and message.startswith("SIP/2.0 200") and cseq_method == method:
            answered.setdefault(call_id, when)
    return sum(
        1 for call_id, first in sent_at.items() if first <= end and answered.get(call_id, float("inf")) > start
    )


def death_window(summary, start, end):
    """Narrow a killed node's fault window [start, end] with the probe.

    `docker kill` takes 0.3-0.8 s on a busy host, and the node dies
    somewhere inside it. The probe asks every PROBE_EVERY seconds: the node
    was alive at the last probe it answered and dead at the first it did
    not (the first probe of the outage that began in the window).
    """
    for outage in summary.get("outages", []):
        first_unanswered = summary["start_epoch"] + outage["from_s"]
        if start - PROBE_EVERY <= first_unanswered <= end + PROBE_EVERY:
            return max(start, first_unanswered - PROBE_EVERY), min(end, first_unanswered)
    return start, end


def outage_after(summary, moment, new_node):
    """Seconds from `moment` to the first answer from `new_node` (None: never)."""
    for turn in summary.get("answers_in_turn", []):
        answered_at = summary["start_epoch"] + turn["first_answer_s"]
        if turn["server"].endswith(new_node) and answered_at > moment:
            return round(answered_at - moment, 3)
    return None


def parse_register_tries(text):
    """[(start, end, ok)] from the REGISTER loop's lines ("START END EXIT"); a line cut short by the stop is skipped."""
    tries = []
    for line in text.splitlines():
        words = line.split()
        if len(words) == 3:
            tries.append((float(words[0]), float(words[1]), words[2] == "0"))
    return tries


def register_verdict(tries, stopped, starting):
    """What the REGISTER tries saw of a database outage (epoch seconds).

    stopped: the stop command had returned (the database was down);
    starting: the start command began (it may be up any moment after).
    During the outage: tries begun after `stopped` and ended before
    `starting`; ok_during_outage counts those that got a 200 all the same.
    back_s: from `starting` to the end of the first try begun after it that
    got a 200 (None: none did).
    """
    during = [ok for begun, ended, ok in tries if begun >= stopped and ended < starting]
    after = [ended for begun, ended, ok in tries if begun >= starting and ok]
    return {
        "register_tries_during_outage": len(during),
        "register_ok_during_outage": sum(during),
        "register_back_s": round(after[0] - starting, 3) if after else None,
    }


def failure_window(tries, fault):
    """The failed REGISTER tries of a fault at epoch `fault`: how many, and from the start of the first to the
    end of the last, in seconds after the fault (None without failures)."""
    failed = [(begun, ended) for begun, ended, ok in tries if not ok]
    if not failed:
        return {"failed": 0, "from_s": None, "to_s": None}
    return {"failed": len(failed), "from_s": round(min(b for b, e in failed) - fault, 2),
            "to_s": round(max(e for b, e in failed) - fault, 2)}


def probe_figures(summary):
    """What every trial that fails no proxy node keeps of its probe: changes of the answering node, the longest
    gap, OPTIONS sent and answered."""
    return {
        "answering_node_changes": max(0, len(summary.get("answers_in_turn", [])) - 1),
        "probe_longest_gap_s": summary["longest_outage_s"],
        "probes_sent": summary["sent"],
        "probes_answered": summary["answered"],
    }


def register_every_user(lab, before):
    """Register every lab user through the VIP; SIPp's counts."""
    users = lab.facts["phone_users"]
    registered = lab.sipp("register", "/etc/sipha-lab/register.xml", "/etc/sipha-lab/users.csv", users, 200)
    if registered["successful"] != users:
        raise BenchError("only %d of %d users registered before %s" % (registered["successful"], users, before))
    return registered


def call_every_user(lab):
    """Call every registered user through the VIP; the figures of reach_verdict."""
    users = lab.facts["phone_users"]
    fast = lab.sipp("phones", *CALL_PHONE, users, CALL_USERS_RATE)
    again = lab.sipp("phones-again", *CALL_PHONE, users, CALL_USERS_AGAIN_RATE) if fast["failed"] else None
    return reach_verdict(users, fast, again)


def reach_verdict(users, fast, again):
    """How many of `users` lost their registration, from SIPp's counts of the fast pass and, when it failed
    some, of the slow pass over every user again (None when not run): the slow pass decides.

    A user whose registration is gone fails both passes (a media server answers, or nobody); a call that only
    timed out in the fast pass does not count. The fast pass's failures stay in the result, by kind. No fast
    pass (None: no node took over, nobody could be called): every registration counts as lost.
    """
    if fast is None:
        return {"registrations_lost": users, "user_calls_failed_fast": None, "user_calls_timed_out_fast": None,
                "user_calls_called_again": False, "user_calls_answered_by_media": None}
    decisive = again if again is not None else fast
    return {
        "registrations_lost": users - decisive["successful"],
        "user_calls_failed_fast": fast["failed"],
        "user_calls_timed_out_fast": fast["timed_out"],
        "user_calls_called_again": again is not None,
        "user_calls_answered_by_media": decisive["answered_by_other"],
    }


def reach_line(result):
    """The log's words on the calls to every user."""
    if not result["user_calls_called_again"]:
        return "%d registrations lost" % result["registrations_lost"]
    words = "%d registrations lost (%d of the fast pass's calls failed, %d timed out; every user called again at %d/s, " \
        "%d answered by a media server)"
    return words % (result["registrations_lost"], result["user_calls_failed_fast"], result["user_calls_timed_out_fast"],
                    CALL_USERS_AGAIN_RATE, result["user_calls_answered_by_media"])


def held_line(result):
    """The log's words on a trial's held calls."""
    gaps = result["held_gaps_s"]
    return "held calls: %d up at the fault (%d followed by the standby), media resumed in %d (longest gap %s s), " \
        "%d ended cleanly" % (result["held_up_at_fault"], result["held_followed_by_standby"],
                              result["held_media_resumed"], max(gaps) if gaps else "-", result["held_ended_cleanly"])


def db_outage(lab, seconds, number):
    """One database trial: stopped for `seconds`, started again; nothing may move."""
    active = lab.wait_whole()
    time.sleep(3)
    registered = register_every_user(lab, "the outage")
    held = HeldCalls(lab, docker_exec, RUNS)
    held.start(active)
    watch = seconds + 45
    probe = lab.start_probe(watch)
    tries = lab.start_register_tries(watch)
    time.sleep(3)
    stopping, stopped = lab.database("stop")
    try:
        time.sleep(seconds)
    finally:
        starting = lab.database("start")[0]
    # The REGISTER tries go on for 15 s after the start (a 200 is wanted within 10 s).
    time.sleep(max(0.0, starting + 15 - time.time()))
    summary = lab.stop_probe(probe)
    verdict = register_verdict(lab.stop_register_tries(tries), stopped, starting)
    holders = lab.holders()
    reached = call_every_user(lab)
    # Nothing moves: the calls may not lose their media at all (a second's slack).
    verdict.update(held.finish(stopping, 0.0))
    result = dict({
        "trial": number,
        "db_down_s": round(starting - stopped, 3),
        "holder_before": active,
        "holders_after": holders,
        **probe_figures(summary),
        "registered": registered["successful"],
        **reached,
    }, **verdict)
    log("db-down trial %d: %.1f s away, holder %s -> %s, %d changes of the answering node, %d/%d probes answered, "
        "REGISTER 200 %s s after the start (%d of %d tries got 200 during the outage), %s; %s" % (
            number, result["db_down_s"], active, holders, result["answering_node_changes"], result["probes_answered"],
            result["probes_sent"], result["register_back_s"], result["register_ok_during_outage"],
            result["register_tries_during_outage"], reach_line(result), held_line(result)))
    return result


def db_host_killed(lab, number):
    """One database host trial (Galera): the host that serves is killed; the proxies' VIP may not move."""
    release_every_node(lab)
    active = lab.wait_whole()
    killed = lab.wait_db_whole()
    survivor = [host for host in lab.facts["db_hosts"] if host != killed][0]
    time.sleep(3)
    registered = register_every_user(lab, "the database host's death")
    held = HeldCalls(lab, docker_exec, RUNS)
    held.start(active)
    probe = lab.start_probe(DB_WATCH_S + 10)
    tries = lab.start_register_tries(DB_WATCH_S)
    calls = DB_LOAD_RATE * DB_WATCH_S
    load = lab.sipp("db-load", "/etc/sipha-lab/call-phone.xml", "/etc/sipha-lab/users.csv", calls, DB_LOAD_RATE,
                    background=True)
    time.sleep(5)
    before = time.time()
    run_local(["docker", "kill", lab.facts["db_hosts"][killed]])
    try:
        moved = lab.wait_db_address(survivor)
        try:
            load.wait(timeout=DB_WATCH_S + RECV_TIMEOUT_MS / 1000 + 60)
        except subprocess.TimeoutExpired:
            raise BenchError("the call load did not end")
        stat = docker_exec(lab.client, "cat %s/db-load/stat.csv" % RUNS).stdout
        load_result = lab.sipp_result("db-load")
        summary = lab.stop_probe(probe)
        register = failure_window(lab.stop_register_tries(tries), before)
        holders = lab.holders()
        reached = call_every_user(lab)
        # The proxies' VIP stays: the calls up keep their media, a pause of the proxy aside.
        held_result = held.finish(before, 0.0)
    finally:
        started = time.time()
        run_local(["docker", "start", lab.facts["db_hosts"][killed]])
    deadline = started + 180
    while not lab.db_synced(killed) and time.time() < deadline:
        time.sleep(0.5)
    rejoined = time.time() - started if lab.db_synced(killed) else None
    call_window = lab_failure_window(stat, before)
    result = dict({
        "trial": number,
        "db_killed": killed,
        "db_address_moved_s": round(moved - before, 2) if moved else None,
        "holder_before": active,
        "holders_after": holders,
        **probe_figures(summary),
        "register_tries_failed": register["failed"],
        "register_failed_from_s": register["from_s"],
        "register_failed_to_s": register["to_s"],
        "calls": calls,
        "calls_failed": load_result["failed"],
        "calls_failed_from_s": call_window["from_s"],
        "calls_failed_to_s": call_window["to_s"],
        "registered": registered["successful"],
        **reached,
        "rejoined_s": round(rejoined, 1) if rejoined is not None else None,
    }, **held_result)
    log("db-host trial %d: %s killed, address on %s after %s s; VIP %s -> %s, longest probe gap %s s; REGISTER tries "
        "failed %d (%s..%s s), calls failed %d of %d (%s..%s s); %s; Synced again %s s after its "
        "start; %s" % (number, killed, survivor, result["db_address_moved_s"], active, holders,
                       result["probe_longest_gap_s"], register["failed"], register["from_s"], register["to_s"],
                       load_result["failed"], calls, call_window["from_s"], call_window["to_s"],
                       reach_line(result), result["rejoined_s"], held_line(result)))
    return result


def release_every_node(lab):
    """Every trial is a first fault: every node is released, as an operator would (sipha-failover release).

    Each trial fails the active node, so the nodes lose the group in turn:
    flap damping would hold one down after a few trials, and a node the
    guard kept out of a partition would come back twice as late (within the
    hour). Either would measure the order of the trials. A node held down
    is a candidate again once its health check passes.
    """
    for container in lab.nodes.values():
        docker_exec(container, "%s release" % lab.facts["failover_script"])


def partition(lab, seconds, number):
    """One partition trial: the private network around the holder cut for `seconds`; nothing may move."""
    release_every_node(lab)
    holder = lab.wait_whole()
    # The guard keeps the VIP with a node that has held it for longer than
    # its grace; the last trial may have moved it.
    time.sleep(lab.facts["vip_guard_grace"] + 2)
    # The held calls' phones.
    register_every_user(lab, "the cut")
    held = HeldCalls(lab, docker_exec, RUNS)
    held.start(holder)
    monitor_log = MONITOR_LOG % number
    iface = lab.facts["public_interface"]
    macs = dict((node, docker_exec(container, "cat /sys/class/net/%s/address" % iface).stdout.strip().lower())
                for node, container in lab.nodes.items())
    watch = seconds + 60
    monitors = [(container, "address route") for container in lab.nodes.values()] + [(lab.facts["router"], "neigh")]
    for container, what in monitors:
        subprocess.run(["docker", "exec", "-d", container, "sh", "-c",
                        "timeout %d ip -ts monitor %s > %s 2>&1" % (watch, what, monitor_log)], check=True)
    probe = lab.start_probe(watch)
    time.sleep(2)
    private = lab.facts["private_addresses"]
    cuts = [(holder, private[other]) for other in lab.nodes if other != holder]
    cuts += [(other, private[holder]) for other in lab.nodes if other != holder]
    cut_at = time.time()
    try:
        for node, address in cuts:
            docker_exec(lab.nodes[node], "ip route add blackhole %s/32" % address)
        time.sleep(seconds)
    finally:
        for node, address in cuts:
            docker_exec(lab.nodes[node], "ip route del blackhole %s/32" % address, check=False)
    healed = time.time()
    # Every other node is a standby again once its guard has let it back:
    # the grace after it yielded.
    back_s = None
    while time.time() < healed + 60:
        states = [docker_exec(lab.nodes[node], "cat /var/lib/sipha/state", check=False).stdout.strip()
                  for node in lab.nodes if node != holder]
        if all(state == "BACKUP" for state in states):
            back_s = round(time.time() - healed, 3)
            break
        time.sleep(0.5)
    time.sleep(3)
    summary = lab.stop_probe(probe)
    logs = dict((node, docker_exec(container, "cat %s" % monitor_log).stdout) for node, container in lab.nodes.items())
    seen = vip_timeline.timeline(lab.vip, holder, macs[holder], logs, docker_exec(lab.facts["router"], "cat %s" % monitor_log).stdout)
    holders = lab.holders()
    # Nothing moves: the calls may not lose their media at all (a second's slack).
    result = dict({
        "trial": number,
        "cut_s": seconds,
        "holder_before": holder,
        "holders_after": holders,
        "added_by": seen["added_by"],
        "both_held_s": seen["both_held_s"],
        "both_held_spans": seen["spans"],
        "router_elsewhere_s": seen["router_elsewhere_s"],
        "router_macs": seen["router_macs"],
        "router_back_at_holder": seen["router_last_mac"] == macs[holder],
        "standby_again_after_heal_s": back_s,
        **probe_figures(summary),
    }, **held.finish(cut_at, 0.0))
    log("partition trial %d: %d s cut, holder %s -> %s; %s added the VIP; two holders %.3f s, router elsewhere %.3f s; "
        "%d/%d probes answered; standby again %s s after the heal; %s" % (
            number, seconds, holder, holders, seen["added_by"], seen["both_held_s"], seen["router_elsewhere_s"],
            summary["answered"], summary["sent"], back_s, held_line(result)))
    return result


def trial(lab, fault, number):
    users = lab.facts["phone_users"]
    release_every_node(lab)
    active = lab.wait_whole()
    # Give the standby a few quiet seconds as a real one would have.
    time.sleep(3)
    registered = register_every_user(lab, "the fault")
    held = HeldCalls(lab, docker_exec, RUNS)
    held.start(active)

    # The load covers 3 s before the fault and the fault's whole window: the
    # crash loop itself takes a few seconds, and every outage so far ended
    # within 4 s (heartbeat: deadtime + 2.5 s).
    window = 15 if fault == "proxy-crashed" else 10
    if lab.facts["ha_manager"] == "heartbeat":
        window += int(seconds(lab.timers["deadtime"]))
    calls = LOAD_RATE * (3 + window)
    load = lab.sipp("load", "/etc/sipha-lab/call-media.xml", "/etc/sipha-lab/media-numbers.csv",
                    calls, LOAD_RATE, LOAD_HOLD_MS, trace_msg=True, background=True)
    probe = lab.start_probe(3 + window + 30)
    time.sleep(3)
    start, end = lab.fail(fault, active)
    # Whatever happens from here, the node is put back: the next trial
    # (or the operator) finds the lab whole.
    try:
        new_active = lab.wait_new_holder(active, window + 20)
        time.sleep(2)  # let the probe see the new node answer for a while
        summary = lab.stop_probe(probe)
        command_window = (start, end)
        if fault == "node-stopped":
            start, end = death_window(summary, start, end)
        try:
            load.wait(timeout=calls / LOAD_RATE + RECV_TIMEOUT_MS / 1000 + 60)
        except subprocess.TimeoutExpired:
            docker_exec(lab.client, 'kill "$(cat %s/load/sipp.pid)"' % RUNS, check=False)
            raise BenchError("the call load did not end")
        load_result = lab.sipp_result("load")
        messages = docker_exec(lab.client, "cat %s/load/messages.log" % RUNS, timeout=60).stdout
        in_setup = calls_in_transaction(messages, start, end, "INVITE")
        hanging_up = calls_in_transaction(messages, start, end, "BYE")

        # Without a takeover nobody can be called.
        reached = call_every_user(lab) if new_active else reach_verdict(users, None, None)
        outage = outage_after(summary, start, new_active) if new_active else None
        # Without a takeover every held call is lost: judged against the whole wait.
        held_result = held.finish(start, outage if outage is not None else window + 20)
        result = dict({
            "trial": number,
            "fault": fault,
            "from": active,
            "to": new_active,
            "fault_epoch": round(start, 3),
            "fault_window_s": round(end - start, 3),
            "fault_command_s": [round(moment, 3) for moment in command_window],
            "probe_outages": summary.get("outages", []),
            "outage_s": outage,
            "probe_longest_gap_s": summary["longest_outage_s"],
            "probes_sent": summary["sent"],
            "probes_answered": summary["answered"],
            "registered": registered["successful"],
            **reached,
            "calls": calls,
            "calls_failed": load_result["failed"],
            "calls_in_setup_at_fault": in_setup,
            "calls_hanging_up_at_fault": hanging_up,
            "failed_calls": failed_call_timelines(messages, start) if load_result["failed"] else {},
        }, **held_result)
        log("trial %d %s: %s -> %s, outage %s s, %d/%d calls failed (%d in setup, %d hanging up), "
            "%s; %s" % (number, fault, active, new_active, result["outage_s"], result["calls_failed"],
                        calls, in_setup, hanging_up, reach_line(result), held_line(result)))
    finally:
        lab.repair(fault, active)
    return result


def stability(lab, seconds):
    """False failovers: every node's CPUs saturated for `seconds`, the load on, no fault.

    Shorter adverts and deadtimes buy shorter outages with the risk that a
    busy node misses its peer's adverts or heartbeats and takes the group
    (or gives it up) while nothing is wrong. Here every node runs two busy
    loops per CPU inside its own container, beside its HA manager, while the
    probe and the call load run as in a trial. Any change of the node that
    answers the probe is a false failover.
    """
    active = lab.wait_whole()
    time.sleep(3)
    calls = LOAD_RATE * seconds
    load = lab.sipp("load", "/etc/sipha-lab/call-media.xml", "/etc/sipha-lab/media-numbers.csv",
                    calls, LOAD_RATE, LOAD_HOLD_MS, background=True)
    probe = lab.start_probe(seconds + 60)
    busy = "for cpu in $(seq $((2 * $(nproc)))); do timeout %d sh -c 'while :; do :; done' & done; wait" % seconds
    hogs = [subprocess.Popen(["docker", "exec", container, "bash", "-c", busy],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for container in lab.nodes.values()]
    time.sleep(seconds / 2.0)
    with open("/proc/loadavg") as handle:
        load_average = float(handle.read().split()[0])
    for hog in hogs:
        hog.wait(timeout=seconds + 60)
    time.sleep(2)
    summary = lab.stop_probe(probe)
    load.wait(timeout=calls / LOAD_RATE + RECV_TIMEOUT_MS / 1000 + 60)
    load_result = lab.sipp_result("load")
    holders = lab.holders()
    result = {
        "seconds": seconds,
        "busy_loops_per_node": "2 per CPU",
        "host_load_average_1min": load_average,
        "holder_before": active,
        "holders_after": holders,
        **probe_figures(summary),
        "calls": calls,
        "calls_failed": load_result["failed"],
    }
    log("stability %d s under CPU load (load average %.1f): %d changes of the answering node, longest probe gap %s s, "
        "%d/%d calls failed" % (seconds, load_average, result["answering_node_changes"], result["probe_longest_gap_s"],
                                result["calls_failed"], calls))
    return result


def positive_int(text):
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("%s is not a number of seconds above 0" % text)
    return value


def dated_trials(args, facts, lab, key, one_trial):
    """Run args.trials trials of one kind into args.out under `key`, with the day they ran on."""
    trials = []
    for number in range(1, args.trials + 1):
        trials.append(one_trial(number))
        # Written after every trial: a run cut short keeps what it measured.
        with open(args.out, "w") as handle:
            json.dump({"profile": args.profile, "date": time.strftime("%Y-%m-%d", time.gmtime()), "lab": facts,
                       "timers": lab.timers, key: trials}, handle, indent=1)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", required=True, help="lab facts JSON (lab_facts.yml)")
    parser.add_argument("--profile", required=True)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--fault", choices=FAULTS)
    what.add_argument("--stability", type=int, metavar="SECONDS",
                      help="no fault: saturate every node's CPUs this long and count false failovers")
    what.add_argument("--db-outage", type=positive_int, metavar="SECONDS",
                      help="no node fails: stop the shared database this long, then start it; count what moved")
    what.add_argument("--partition", type=positive_int, metavar="SECONDS",
                      help="no node fails: cut the private network around the holder this long; count holders and moves")
    what.add_argument("--db-host-killed", action="store_true",
                      help="no proxy node fails: kill the Galera host that serves; count failures, losses, moves")
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--inventory", action="append", help="the lab's inventories (default: inventories/lab)")
    parser.add_argument("--rejoin-playbook", default="benchmarks/rejoin.yml")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    with open(args.facts) as handle:
        facts = json.load(handle)
    if args.db_host_killed and len(facts.get("db_hosts") or {}) < 2:
        raise BenchError("--db-host-killed needs a Galera lab (make bench with BENCH_DB=galera)")
    lab = Lab(facts, args.inventory or ["inventories/lab"], args.rejoin_playbook)
    if args.stability:
        result = stability(lab, args.stability)
        with open(args.out, "w") as handle:
            json.dump({"profile": args.profile, "lab": facts, "timers": lab.timers, "stability": result}, handle, indent=1)
        return 0
    if args.partition is not None:
        return dated_trials(args, facts, lab, "partition", lambda number: partition(lab, args.partition, number))
    if args.db_host_killed:
        return dated_trials(args, facts, lab, "db_host_killed", lambda number: db_host_killed(lab, number))
    if args.db_outage is not None:
        return dated_trials(args, facts, lab, "db_outage", lambda number: db_outage(lab, args.db_outage, number))
    trials = []
    for number in range(1, args.trials + 1):
        trials.append(trial(lab, args.fault, number))
        # Written after every trial: a run cut short keeps what it measured.
        with open(args.out, "w") as handle:
            json.dump({"profile": args.profile, "fault": args.fault, "lab": facts, "timers": lab.timers,
                       "trials": trials}, handle, indent=1)
    lab.wait_whole()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchError, HeldCallsError) as error:
        print("benchmark failed: %s" % error, file=sys.stderr)
        sys.exit(1)
