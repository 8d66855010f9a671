# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How many REGISTERs and call attempts a second the cluster sustains through its VIP.

The running lab as it is rolled out (its usrloc mode, its database) is
offered SIPp loads of rising rate from the client, one step after the
other, each STEP_S seconds long: REGISTERs of the lab's users (challenged
and answered with the digest, as phones do), then calls from the lab's
caller to the registered users (challenged, answered by the phones, hung
up at once). A step is sustained when every attempt got its 200 OK, SIPp
really offered the rate (a client that cannot keep up is no measure of the
proxy), and 99 % of the attempts were answered within REPLY_LIMIT_MS, from
the first request to the final 200 (the challenge's round trip included).
The capacity is the highest sustained rate; the ramp stops at the first
step that is not sustained, after one try halfway between the two.

While it measures, the active node has a CPU of its own and every other
lab container (the standby, the database, the client) shares the rest, as
separate hosts would not share the active's; on a one-CPU machine nothing
is pinned. --reference measures one Kamailio with its registrations in
memory and replicated nowhere, the registrar's own ceiling: the active
node's kamailio.cfg is edited in place for it (usrloc db_mode 0,
dmq_usrloc off; no inventory may roll that out, preflight refuses it) and
the next site.yml puts it back.

    python3 benchmarks/capacity_bench.py --facts lab.json --database "one host" \
        --usrloc db_only --out results/capacity.single.db_only.json
"""

import argparse
import json
import os
import sys
import time

from failover_bench import BenchError, docker_exec, holds_vip, log, run_local, sipp_totals

RUNS = "/var/lib/sipha-lab/capacity"  # on the client
STEP_S = 10
REPLY_LIMIT_MS = 100.0
QUANTILE = 0.99
# Offered enough: SIPp's own rate, within this fraction, or the client is the limit.
OFFERED_SLACK = 0.05
RECV_TIMEOUT_MS = 3000
REGISTER_RATES = (100, 200, 300, 500, 700, 1000, 1400, 2000, 2800, 4000, 5600, 8000)
CALL_RATES = (20, 50, 100, 150, 200, 300, 400, 600, 800, 1200)
PAUSE_BETWEEN_S = 3  # the proxy's queues drain before the next step
# Before the try halfway, after a step that overloaded the proxy (its
# queues, the replication's messages in shared memory).
PAUSE_AFTER_OVERLOAD_S = 20


def quantile(values, fraction):
    """The smallest value at or above `fraction` of `values` (nearest rank); None for none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def parse_rtt(text):
    """(ms since SIPp started, response time in ms) of each answer in SIPp's -trace_rtt file
    (`date_ms;response_time_ms;rtd_no` after a header)."""
    answers = []
    for line in text.splitlines():
        fields = line.strip().split(";")
        if len(fields) < 2:
            continue
        try:
            answers.append((float(fields[0]), float(fields[1])))
        except ValueError:
            continue  # the header
    return answers


def elapsed_seconds(value):
    """SIPp's ElapsedTime(C): `HH:MM:SS`, whole seconds (a fourth field, if a SIPp writes one, as milliseconds)."""
    parts = value.split(":")
    hours, minutes, seconds = (int(part) for part in parts[:3])
    millis = float(parts[3]) if len(parts) > 3 else 0.0
    return hours * 3600 + minutes * 60 + seconds + millis / 1000.0


def step_verdict(rate, count, stat, answers):
    """One step's figures, and whether the rate was sustained (see the module's text)."""
    rtts = [answer[1] for answer in answers]
    successful = int(stat["SuccessfulCall(C)"])
    failed = int(stat["FailedCall(C)"])
    elapsed = elapsed_seconds(stat["ElapsedTime(C)"])
    started = int(stat["OutgoingCall(C)"])
    achieved = started / elapsed if elapsed > 0 else 0.0
    # The offered rate over the time SIPp took to start every attempt, not
    # over the tail in which it waited for the last answers.
    offered_s = count / float(rate)
    p99 = quantile(rtts, QUANTILE)
    reasons = []
    if failed or successful < count:
        reasons.append("%d of %d failed or unanswered" % (count - successful, count))
    # When the last attempt started: its answer's time less its response
    # time (SIPp's elapsed time has whole seconds only).
    last_start_s = max((at - rtt for at, rtt in answers), default=elapsed * 1000.0) / 1000.0
    if last_start_s > offered_s * (1 + OFFERED_SLACK):
        reasons.append("SIPp took %.1f s to offer %.1f s of load" % (last_start_s, offered_s))
    if p99 is None or p99 > REPLY_LIMIT_MS:
        reasons.append("99 %% answered within %s ms, above %.0f" % ("?" if p99 is None else "%.1f" % p99, REPLY_LIMIT_MS))
    return {
        "rate": rate,
        "attempts": count,
        "successful": successful,
        "failed": failed,
        "achieved_per_s": round(achieved, 1),
        "last_start_s": round(last_start_s, 2),
        "median_ms": None if not rtts else round(quantile(rtts, 0.5), 2),
        "p99_ms": None if p99 is None else round(p99, 2),
        "max_ms": None if not rtts else round(max(rtts), 2),
        "sustained": not reasons,
        "why_not": reasons,
    }


def rest(seconds):
    time.sleep(seconds)


def cpu_times(text):
    """{cpu number: (busy jiffies, all jiffies)} from /proc/stat's per-CPU lines."""
    times = {}
    for line in text.splitlines():
        fields = line.split()
        if not fields or not fields[0].startswith("cpu") or fields[0] == "cpu":
            continue
        jiffies = [int(value) for value in fields[1:9]]  # user … steal
        idle = jiffies[3] + jiffies[4]  # idle and iowait
        times[int(fields[0][3:])] = (sum(jiffies) - idle, sum(jiffies))
    return times


def cpu_busy(before, after):
    """Each CPU's busy share between two cpu_times() readings, in percent (a CPU not in both is left out)."""
    busy = {}
    for cpu in sorted(set(before) & set(after)):
        total = after[cpu][1] - before[cpu][1]
        if total > 0:
            busy[cpu] = round(100.0 * (after[cpu][0] - before[cpu][0]) / total, 1)
    return busy


def read_cpu_times():
    with open("/proc/stat") as handle:
        return cpu_times(handle.read())


# Where a container's CPU time is counted: cgroup v1 (cpuacct, nanoseconds)
# or v2 (cpu.stat's usage_usec), under Docker's cgroupfs or systemd driver.
CGROUP_USAGE = (
    ("/sys/fs/cgroup/cpuacct/docker/%s/cpuacct.usage", 1e-6),
    ("/sys/fs/cgroup/docker/%s/cpu.stat", 1e-3),
    ("/sys/fs/cgroup/system.slice/docker-%s.scope/cpu.stat", 1e-3),
)


def cgroup_cpu_ms(text, scale):
    """Milliseconds of CPU in a cgroup's cpuacct.usage (scale 1e-6) or cpu.stat (usage_usec, scale 1e-3)."""
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 1:
            return int(fields[0]) * scale
        if len(fields) == 2 and fields[0] == "usage_usec":
            return int(fields[1]) * scale
    return None


def container_cpu_ms(ids):
    """{container: CPU ms so far} for every container whose cgroup is found."""
    used = {}
    for name, container_id in ids.items():
        for pattern, scale in CGROUP_USAGE:
            try:
                with open(pattern % container_id) as handle:
                    used[name] = cgroup_cpu_ms(handle.read(), scale)
                break
            except OSError:
                continue
    return used


def cpu_ms_per_attempt(before, after, attempts):
    """Each container's CPU ms per attempt between two container_cpu_ms() readings."""
    return {name: round((after[name] - before[name]) / attempts, 4)
            for name in sorted(set(before) & set(after))
            if before[name] is not None and after[name] is not None and attempts}


def ramp(rates, run_step):
    """Run steps of rising rate until one is not sustained, then one halfway between; return (capacity, steps)."""
    steps = []
    best = 0
    for rate in rates:
        step = run_step(rate)
        steps.append(step)
        if not step["sustained"]:
            middle = (best + rate) // 2
            if best and middle > best:
                rest(PAUSE_AFTER_OVERLOAD_S)
                halfway = run_step(middle)
                steps.append(halfway)
                if halfway["sustained"]:
                    best = middle
            break
        best = rate
    return best, steps


def docker(*argv):
    return run_local(["docker"] + list(argv)).stdout


def active_node(facts):
    """The node container that holds the VIP."""
    vip = facts["vip"]
    holders = [container for container in facts["nodes"].values()
               if holds_vip(container, facts["public_interface"], vip)]
    if len(holders) != 1:
        raise BenchError("the VIP %s is held by %s, not by one node" % (vip, holders or "nobody"))
    return holders[0]


def pin(active, containers, cpus):
    """The active node on CPU 0, the other containers on the rest; returns what to undo it with."""
    if cpus < 2:
        return []
    everything = "0-%d" % (cpus - 1)
    rest = "1-%d" % (cpus - 1) if cpus > 2 else "1"
    for container in containers:
        docker("update", "--cpuset-cpus", "0" if container == active else rest, container)
    return [(container, everything) for container in containers]


def unpin(undo):
    for container, cpus in undo:
        docker("update", "--cpuset-cpus", cpus, container)


def container_ids(containers):
    return dict(zip(containers, docker("inspect", "--format", "{{.Id}}", *containers).split())) if containers else {}


def lab_containers():
    names = docker("ps", "--format", "{{.Names}}", "--filter", "name=sipha-lab-").split()
    return [name for name in names if name.startswith("sipha-lab-")]


# The reference: usrloc in memory, nothing replicated (see the module's text):
# neither by dmq_usrloc nor by copies of the REGISTERs (register_copy).
REFERENCE_EDIT = (
    "sed -i -e 's/^modparam(\"usrloc\", \"db_mode\", [0-9])/modparam(\"usrloc\", \"db_mode\", 0)/'"
    " -e 's/^modparam(\"dmq_usrloc\", \"enable\", 1)/modparam(\"dmq_usrloc\", \"enable\", 0)/'"
    " -e 's/^\\(\\s*\\)route(COPY_REGISTER);/\\1# the reference copies nothing/'"
    " /etc/kamailio/kamailio.cfg"
    # sed changes nothing silently: the reference must be what it says.
    " && grep -q '^modparam(\"usrloc\", \"db_mode\", 0)' /etc/kamailio/kamailio.cfg"
    " && ! grep -q '^modparam(\"dmq_usrloc\", \"enable\", 1)' /etc/kamailio/kamailio.cfg"
    " && ! grep -q '^\\s*route(COPY_REGISTER);' /etc/kamailio/kamailio.cfg"
    " && kamailio -c -f /etc/kamailio/kamailio.cfg >/dev/null 2>&1"
    " && systemctl restart kamailio"
)


def make_reference(active, facts):
    docker_exec(active, REFERENCE_EDIT)
    deadline = time.time() + 60
    while time.time() < deadline:
        probe = docker_exec(facts["client"], "sipha-sip-ping %s %d --every 0.2 --for 1 --timeout 1" % (
            facts["vip"], facts["sip_port"]), check=False)
        if probe.returncode == 0 and '"answered": 0' not in probe.stdout:
            return
        time.sleep(1)
    raise BenchError("%s's proxy did not answer after its restart as the reference" % active)


class Client:
    def __init__(self, facts, containers):
        self.client = facts["client"]
        self.target = "%s:%d" % (facts["vip"], facts["sip_port"])
        self.ids = container_ids(containers)

    def step(self, name, scenario, inf, rate):
        count = rate * STEP_S
        run = "%s/%s-%d" % (RUNS, name, rate)
        argv = [
            "sipp", self.target, "-sf", scenario, "-inf", inf, "-m", str(count), "-r", str(rate),
            "-d", "0", "-nostdin", "-trace_stat", "-stf", "stat.csv", "-fd", "1",
            "-trace_rtt", "-rtt_freq", "1", "-default_behaviors", "all,-abortunexp",
            "-recv_timeout", str(RECV_TIMEOUT_MS), "-timeout", "%ds" % (STEP_S + 30),
            # Room for every attempt of a step at once: SIPp's own limit
            # would otherwise hold the rate back.
            "-l", str(count),
        ]
        script = "rm -rf %s && mkdir -p %s && cd %s && %s >/dev/null 2>&1; cat stat.csv; echo @@; cat *_rtt.csv" % (
            run, run, run, " ".join(argv))
        before, used_before = read_cpu_times(), container_cpu_ms(self.ids)
        proc = docker_exec(self.client, script, timeout=STEP_S + 90, check=False)
        # Pinned, CPU 0 is the active node's and the others the rest of the
        # lab's: which of them ran out says where the limit is, and what
        # each container spent on an attempt says who paid for it.
        busy = cpu_busy(before, read_cpu_times())
        used = cpu_ms_per_attempt(used_before, container_cpu_ms(self.ids), count)
        stat_text, rtt_text = (proc.stdout.split("@@", 1) + [""])[:2]
        step = step_verdict(rate, count, sipp_totals(stat_text), parse_rtt(rtt_text))
        step["cpu_busy_percent"] = busy
        step["cpu_ms_per_attempt"] = used
        log("%s at %d/s: %d of %d ok, p99 %s ms, CPUs busy %s %%, CPU ms per attempt %s, %s" % (
            name, rate, step["successful"], count, step["p99_ms"],
            "/".join("%.0f" % busy[cpu] for cpu in sorted(busy)),
            " ".join("%s %.3f" % (container.replace("sipha-lab-", ""), ms) for container, ms in sorted(used.items())),
            "sustained" if step["sustained"] else "; ".join(step["why_not"])))
        time.sleep(PAUSE_BETWEEN_S)
        return step


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", required=True, help="lab facts JSON (lab_facts.yml)")
    parser.add_argument("--usrloc", required=True, help="the proxies' usrloc mode, as rolled out")
    parser.add_argument("--database", required=True, help="the shared database's topology, as rolled out")
    parser.add_argument("--out", required=True)
    parser.add_argument("--only", choices=("register", "call"), help="one of the two ramps")
    parser.add_argument("--reference", action="store_true",
                        help="measure the active node with usrloc in memory, replicated nowhere (edited in place)")
    args = parser.parse_args(argv)
    with open(args.facts) as handle:
        facts = json.load(handle)
    containers = lab_containers()
    client = Client(facts, containers)
    active = active_node(facts)
    if args.reference:
        make_reference(active, facts)
        active = active_node(facts)  # the node that answers now: the group could have moved
    undo = pin(active, containers, os.cpu_count() or 1)
    try:
        return measure(args, client, active, undo)
    finally:
        unpin(undo)


def measure(args, client, active, undo):
    result = {"usrloc": args.usrloc, "database": args.database, "reference": args.reference,
              "date": time.strftime("%Y-%m-%d", time.gmtime()), "step_s": STEP_S,
              "reply_limit_ms": REPLY_LIMIT_MS, "quantile": QUANTILE, "active": active,
              "active_pinned": bool(undo), "cpus": os.cpu_count()}
    for name, scenario, inf, rates in (
        ("register", "/etc/sipha-lab/register.xml", "/etc/sipha-lab/users.csv", REGISTER_RATES),
        ("call", "/etc/sipha-lab/call-phone.xml", "/etc/sipha-lab/users.csv", CALL_RATES),
    ):
        if args.only and name != args.only:
            continue
        capacity, steps = ramp(rates, lambda rate: client.step(name, scenario, inf, rate))
        result[name] = {"capacity_per_s": capacity, "steps": steps}
        with open(args.out, "w") as handle:
            json.dump(result, handle, indent=1)
    figures = ["%s %d/s" % (name, result[name]["capacity_per_s"]) for name in ("register", "call") if name in result]
    log("%s, %s: %s" % (args.database, args.usrloc, ", ".join(figures)))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print("benchmark failed: %s" % error, file=sys.stderr)
        sys.exit(1)
