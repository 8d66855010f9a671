# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn benchmarks/results into the plot and the README table.

    report.py --record-machine results/machine.json   (before a run)
    report.py --results results --readme README.md    (after it)

The table goes between the README's results markers; everything in it is
computed from the JSON files, so the committed table always matches the
committed results.
"""

import argparse
import glob
import json
import math
import os
import platform
import statistics
import subprocess

import yaml

from failover_bench import seconds

FAULT_ORDER = ("node-stopped", "proxy-crashed", "link-down")
BEGIN = "<!-- results:begin (written by benchmarks/report.py) -->"
END = "<!-- results:end -->"


def percentile(values, share):
    """Nearest-rank percentile: the smallest value with `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def target_s(profile, timers):
    """The median outage a profile should reach (the issue's targets)."""
    if "deadtime" in timers:
        return seconds(timers["deadtime"]) + 1, "deadtime + 1 s"
    with open(os.path.join(os.path.dirname(__file__), "profiles", profile + ".yml")) as handle:
        settings = yaml.safe_load(handle)
    return float(settings["bench_target_outage_s"]), "profile target"


def in_transaction(trial):
    """Calls the failed node held a transaction of at the fault: setting up or hanging up."""
    return trial["calls_in_setup_at_fault"] + trial.get("calls_hanging_up_at_fault", 0)


def summarise(run):
    trials = run["trials"]
    outages = [t["outage_s"] for t in trials if t["outage_s"] is not None]
    target, basis = target_s(run["profile"], run.get("timers", {}))
    failed = sum(t["calls_failed"] for t in trials)
    in_setup = sum(t["calls_in_setup_at_fault"] for t in trials)
    hanging_up = sum(t.get("calls_hanging_up_at_fault", 0) for t in trials)
    worst_excess = max((t["calls_failed"] - in_transaction(t) for t in trials), default=0)
    row = {
        "profile": run["profile"],
        "fault": run["fault"],
        "timers": run.get("timers", {}),
        "trials": len(trials),
        "moved": len(outages),
        "median_s": round(statistics.median(outages), 3) if outages else None,
        "p95_s": percentile(outages, 0.95) if outages else None,
        "max_s": max(outages) if outages else None,
        "target_median_s": target,
        "target_basis": basis,
        "registrations_lost": sum(t["registrations_lost"] for t in trials),
        "registered_per_trial": min((t["registered"] for t in trials), default=0),
        "calls": sum(t["calls"] for t in trials),
        "calls_failed": failed,
        "calls_in_setup_at_fault": in_setup,
        "calls_hanging_up_at_fault": hanging_up,
        # Per trial: failed calls may not exceed the calls that had a
        # transaction open on the node at the fault.
        "calls_failed_beyond_setup": max(0, worst_excess),
    }
    row["meets_targets"] = bool(
        outages
        and len(outages) == len(trials)
        and row["median_s"] <= target
        and row["registrations_lost"] == 0
        and row["calls_failed_beyond_setup"] == 0
    )
    return row


def profiles_in_order(runs):
    """The runs' profiles, each once, in the order first met."""
    profiles = []
    for run in runs:
        if run["profile"] not in profiles:
            profiles.append(run["profile"])
    return profiles


def load_runs(results):
    runs = []
    for path in sorted(glob.glob(os.path.join(results, "*.*.json"))):
        if path.endswith((".rollout.json", ".stability.json", ".db-down.json", ".partition.json",
                          ".db-host-killed.json", "summary.json", "machine.json")) or \
                os.path.basename(path).startswith("capacity."):
            continue
        with open(path) as handle:
            runs.append(json.load(handle))
    profiles = profiles_in_order(runs)
    runs.sort(key=lambda run: (profiles.index(run["profile"]), FAULT_ORDER.index(run["fault"])))
    return runs


def load_kind(results, kind):
    """Every results/<profile>.<kind>.json (kind: rollout, stability)."""
    found = []
    for path in sorted(glob.glob(os.path.join(results, "*.%s.json" % kind))):
        with open(path) as handle:
            found.append(json.load(handle))
    return found


def load_capacities(results):
    """Every results/capacity.<database>.<usrloc>.json (capacity_bench.py)."""
    found = []
    for path in sorted(glob.glob(os.path.join(results, "capacity.*.json"))):
        with open(path) as handle:
            found.append(json.load(handle))
    return found


def plot(runs, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = ["%s\n%s" % (run["profile"], run["fault"]) for run in runs]
    data = [[t["outage_s"] for t in run["trials"] if t["outage_s"] is not None] for run in runs]
    figure, axes = plt.subplots(figsize=(max(8, 1.3 * len(runs)), 5))
    axes.boxplot(data, whis=(0, 100))
    for index, values in enumerate(data, start=1):
        axes.scatter([index] * len(values), values, s=12, alpha=0.6, color="tab:blue")
    axes.set_xticks(range(1, len(labels) + 1), labels, rotation=35, ha="right", fontsize=8)
    axes.set_ylabel("outage seen by the client (s)")
    axes.set_title("Failover outage per profile and fault (OPTIONS every 20 ms; whiskers: min-max)")
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def held_trials(run):
    """A run's trials (a fault's, the shared database's or the private network's) that held calls through it."""
    trials = run.get("trials") or run.get("db_outage") or run.get("partition") or run.get("db_host_killed") or []
    return [trial for trial in trials if "held_up_at_fault" in trial]


def fault_of(run):
    if run.get("fault"):
        return run["fault"]
    return "db-down" if "db_outage" in run else "db-host-killed" if "db_host_killed" in run else "partition"


def held_order(runs):
    """The runs that held calls, by profile (as first met) and fault."""
    runs = [run for run in runs if held_trials(run)]
    profiles = profiles_in_order(runs)
    faults = FAULT_ORDER + ("db-down", "db-host-killed", "partition")
    return sorted(runs, key=lambda run: (profiles.index(run["profile"]), faults.index(fault_of(run))))


def held_rows(runs):
    """One line per profile and fault: the calls up at the fault, their media, how they ended."""
    rows = []
    for run in held_order(runs):
        trials = held_trials(run)
        gaps = [gap for trial in trials for gap in trial["held_gaps_s"]]
        outages = [trial["outage_s"] for trial in trials if trial.get("outage_s") is not None]
        rows.append({
            "profile": run["profile"],
            "fault": fault_of(run),
            "trials": len(trials),
            "calls": sum(trial["held_calls"] for trial in trials),
            "up_at_fault": sum(trial["held_up_at_fault"] for trial in trials),
            "followed_by_standby": sum(trial["held_followed_by_standby"] for trial in trials),
            "media_resumed": sum(trial["held_media_resumed"] for trial in trials),
            "gap_median_s": round(statistics.median(gaps), 3) if gaps else None,
            "gap_p95_s": percentile(gaps, 0.95) if gaps else None,
            "gap_max_s": max(gaps) if gaps else None,
            # Faults that move nothing have no outage: the media may not stop at all.
            "outage_median_s": round(statistics.median(outages), 3) if outages else None,
            "ended_cleanly": sum(trial["held_ended_cleanly"] for trial in trials),
            "passed": sum(trial["held_passed"] for trial in trials),
        })
    return rows


def held_table(rows):
    lines = [
        "| established calls | fault | trials | calls up at the fault | media resumed | media gap: median / p95 / max s "
        "| outage: median s | ended cleanly (BYE answered 200) | passed (gap <= outage + 1 s, ended cleanly) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append("| %s | %s | %d | %d of %d | %d | %s / %s / %s | %s | %d | %d |" % (
            row["profile"], row["fault"], row["trials"], row["up_at_fault"], row["calls"], row["media_resumed"],
            fmt(row["gap_median_s"]), fmt(row["gap_p95_s"]), fmt(row["gap_max_s"]),
            fmt(row["outage_median_s"]) if row["outage_median_s"] is not None else "none (nothing moves)",
            row["ended_cleanly"], row["passed"]))
    return lines


def plot_held(runs, path):
    """Every held call's longest RTP silence, per profile and fault, against the outages."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = held_order(runs)
    if not runs:
        return
    labels = ["%s\n%s" % (run["profile"], fault_of(run)) for run in runs]
    gaps = [[gap for trial in held_trials(run) for gap in trial["held_gaps_s"]] for run in runs]
    figure, axes = plt.subplots(figsize=(max(8, 1.1 * len(runs)), 5))
    axes.boxplot(gaps, whis=(0, 100))
    labelled = False
    for index, run in enumerate(runs, start=1):
        axes.scatter([index] * len(gaps[index - 1]), gaps[index - 1], s=8, alpha=0.4, color="tab:blue")
        outages = [trial["outage_s"] for trial in held_trials(run) if trial.get("outage_s") is not None]
        if outages:
            axes.scatter([index + 0.25] * len(outages), outages, s=14, marker="x", color="tab:red",
                         label=None if labelled else "outage of the trial (probe)")
            labelled = True
    axes.set_xticks(range(1, len(labels) + 1), labels, rotation=35, ha="right", fontsize=8)
    axes.set_ylabel("longest RTP silence of a call (s)")
    axes.set_title("Calls up at the fault: media gap per call (box: min-max), outage per trial (x)")
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", alpha=0.3)
    if labelled:
        axes.legend(loc="upper right", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def fmt(value):
    return "-" if value is None else ("%.2f" % value)


def run_head(run, trials):
    """What every row of trials that fail no node begins with: the profile, the day, how many trials."""
    return {"profile": run["profile"], "date": run.get("date", "?"), "trials": len(trials)}


def vip_moves(trials):
    """The VIP's moves over trials that may move nothing: the probe sees a move as a change of the answering
    node; a move it missed still leaves another holder at the end."""
    return sum(max(t["answering_node_changes"], int(t["holders_after"] != [t["holder_before"]])) for t in trials)


def db_outage_rows(runs):
    """One line per profile of db-down trials: nothing may move, REGISTER must come back."""
    rows = []
    for run in runs:
        trials = run["db_outage"]
        backs = [t["register_back_s"] for t in trials if t["register_back_s"] is not None]
        rows.append(dict(run_head(run, trials), **{
            "db_down_s": max((t["db_down_s"] for t in trials), default=0),
            "vip_moves": vip_moves(trials),
            "probes_lost": sum(t["probes_sent"] - t["probes_answered"] for t in trials),
            "register_ok_during_outage": sum(t["register_ok_during_outage"] for t in trials),
            "register_tries_during_outage": sum(t["register_tries_during_outage"] for t in trials),
            "register_back_median_s": statistics.median(backs) if backs else None,
            "register_back_max_s": max(backs) if backs else None,
            # Trials in which no REGISTER got its 200 after the start at all.
            "register_never_back": len(trials) - len(backs),
            "registrations_lost": sum(t["registrations_lost"] for t in trials),
        }))
    return rows


def db_outage_table(rows):
    lines = [
        "| shared database away | measured | trials | away s | VIP moves | OPTIONS lost | REGISTER 200 during the outage "
        "| REGISTER 200 after the start: median / max s | trials without a 200 after the start | registrations lost |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append("| %s | %s | %d | %.0f | %d | %d | %d of %d tries | %s / %s | %d | %d |" % (
            row["profile"], row["date"], row["trials"], row["db_down_s"], row["vip_moves"], row["probes_lost"],
            row["register_ok_during_outage"], row["register_tries_during_outage"],
            fmt(row["register_back_median_s"]), fmt(row["register_back_max_s"]), row["register_never_back"],
            row["registrations_lost"]))
    return lines


def span(trials, start, end):
    """The earliest start and the latest end of the trials' failure windows (seconds after the fault)."""
    starts = [t[start] for t in trials if t[start] is not None]
    ends = [t[end] for t in trials if t[end] is not None]
    return (min(starts) if starts else None), (max(ends) if ends else None)


def db_host_killed_rows(runs):
    """One line per profile of db-host-killed trials (Galera): the VIP stays, nothing is lost."""
    rows = []
    for run in runs:
        trials = run["db_host_killed"]
        moved = [t["db_address_moved_s"] for t in trials if t["db_address_moved_s"] is not None]
        rejoined = [t["rejoined_s"] for t in trials if t["rejoined_s"] is not None]
        rows.append(dict(run_head(run, trials), **{
            "address_moved_median_s": statistics.median(moved) if moved else None,
            "address_moved_max_s": max(moved) if moved else None,
            "address_never_moved": len(trials) - len(moved),
            "vip_moves": vip_moves(trials),
            "probe_longest_gap_max_s": max((t["probe_longest_gap_s"] or 0 for t in trials), default=None),
            "register_tries_failed": sum(t["register_tries_failed"] for t in trials),
            "register_failed_span_s": span(trials, "register_failed_from_s", "register_failed_to_s"),
            "calls": sum(t["calls"] for t in trials),
            "calls_failed": sum(t["calls_failed"] for t in trials),
            "calls_failed_span_s": span(trials, "calls_failed_from_s", "calls_failed_to_s"),
            "registrations_lost": sum(t["registrations_lost"] for t in trials),
            "rejoined_max_s": max(rejoined) if rejoined else None,
            "never_rejoined": len(trials) - len(rejoined),
        }))
    return rows


def window_text(window):
    return "-" if window[0] is None else "%s to %s s" % (fmt(window[0]), fmt(window[1]))


def db_host_killed_table(rows):
    lines = [
        "| database host killed (Galera) | measured | trials | address on the other host: median / max s | VIP moves "
        "| longest OPTIONS gap: max s | REGISTER tries failed (when, after the kill) | calls failed (when) "
        "| registrations lost | Synced again after its start: max s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append("| %s | %s | %d | %s / %s%s | %d | %s | %d (%s) | %d of %d (%s) | %d | %s%s |" % (
            row["profile"], row["date"], row["trials"], fmt(row["address_moved_median_s"]),
            fmt(row["address_moved_max_s"]),
            " (%d never)" % row["address_never_moved"] if row["address_never_moved"] else "", row["vip_moves"],
            fmt(row["probe_longest_gap_max_s"]), row["register_tries_failed"], window_text(row["register_failed_span_s"]),
            row["calls_failed"], row["calls"], window_text(row["calls_failed_span_s"]), row["registrations_lost"],
            fmt(row["rejoined_max_s"]), " (%d never)" % row["never_rejoined"] if row["never_rejoined"] else ""))
    return lines


def partition_rows(runs):
    """One line per profile of partition trials: the guard must leave one holder, nothing may move."""
    rows = []
    for run in runs:
        trials = run["partition"]
        # Over the trials that made a second holder: the others say nothing of the guard.
        split = [t for t in trials if set(t["added_by"]) - {t["holder_before"]}]
        both = [t["both_held_s"] for t in split]
        elsewhere = [t["router_elsewhere_s"] for t in split]
        backs = [t["standby_again_after_heal_s"] for t in trials if t["standby_again_after_heal_s"] is not None]
        rows.append(dict(run_head(run, trials), **{
            "cut_s": max((t["cut_s"] for t in trials), default=0),
            # Else keepalived never made a second holder and the guard was not tried.
            "trials_with_a_second_holder": len(split),
            "both_held_median_s": statistics.median(both) if both else None,
            "both_held_max_s": max(both) if both else None,
            "router_elsewhere_max_s": max(elsewhere) if elsewhere else None,
            "router_back_at_holder": sum(1 for t in trials if t["router_back_at_holder"]),
            "vip_moves": sum(int(t["holders_after"] != [t["holder_before"]]) for t in trials),
            "probes_lost": sum(t["probes_sent"] - t["probes_answered"] for t in trials),
            "standby_again_max_s": max(backs) if backs else None,
            "standby_never_again": len(trials) - len(backs),
        }))
    return rows


def partition_table(rows):
    lines = [
        "| private network cut | measured | trials | cut s | trials with a second holder | two holders: median / max s "
        "| router elsewhere: max s | router back at the holder | VIP moves | OPTIONS lost "
        "| standby again after the heal: max s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append("| %s | %s | %d | %.0f | %d | %s / %s | %s | %d of %d | %d | %d | %s%s |" % (
            row["profile"], row["date"], row["trials"], row["cut_s"], row["trials_with_a_second_holder"],
            fmt(row["both_held_median_s"]), fmt(row["both_held_max_s"]), fmt(row["router_elsewhere_max_s"]),
            row["router_back_at_holder"], row["trials"], row["vip_moves"], row["probes_lost"],
            fmt(row["standby_again_max_s"]),
            " (%d never)" % row["standby_never_again"] if row["standby_never_again"] else ""))
    return lines


def capacity_rows(runs):
    """One line per database topology and usrloc mode (capacity_bench.py), with its share of that
    database's reference (the registrar alone: capacity_bench.py --reference)."""
    reference = {run["database"]: run["register"]["capacity_per_s"] for run in runs
                 if run.get("reference") and "register" in run}
    rows = []
    for run in sorted(runs, key=lambda run: (run["database"], bool(run.get("reference")), run["usrloc"])):
        row = {"database": run["database"], "usrloc": run["usrloc"], "date": run["date"],
               "active_pinned": run.get("active_pinned", False)}
        for kind in ("register", "call"):
            ramp = run.get(kind)
            row[kind] = None if ramp is None else ramp["capacity_per_s"]
            last = [step for step in (ramp or {}).get("steps", []) if step["rate"] == row[kind]]
            row[kind + "_p99_ms"] = last[0]["p99_ms"] if last else None
            # What the active node's CPU spent on one attempt at the highest
            # sustained rate (capacity_bench.py records it since 2026-12-06).
            row[kind + "_active_cpu_ms"] = (last[0].get("cpu_ms_per_attempt") or {}).get(run.get("active")) if last else None
        base = reference.get(run["database"])
        row["register_share"] = None if not base or row["register"] is None else row["register"] / float(base)
        rows.append(row)
    return rows


def whole(value):
    return "-" if value is None else "%d" % round(value)


def capacity_table(rows):
    lines = [
        "| capacity: database | registrations (usrloc) | measured | REGISTERs/s (p99 ms) | share of the reference "
        "| active node's CPU ms per REGISTER | call attempts/s (p99 ms) |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append("| %s | %s | %s | %s (%s) | %s | %s | %s (%s) |" % (
            row["database"], row["usrloc"], row["date"], whole(row["register"]), whole(row["register_p99_ms"]),
            "-" if row["register_share"] is None else "%d %%" % round(100 * row["register_share"]),
            "-" if row["register_active_cpu_ms"] is None else "%.3f" % row["register_active_cpu_ms"],
            whole(row["call"]), whole(row["call_p99_ms"])))
    return lines


def table(rows, rollouts, machine, stabilities=(), db_outages=(), partitions=(), held=(), db_hosts_killed=(),
          capacities=()):
    lines = [
        "Measured on %s (%s CPUs, %s, kernel %s, Docker %s), %s." % (
            machine.get("cpu", "?"), machine.get("cpus", "?"), machine.get("os", "?"),
            machine.get("kernel", "?"), machine.get("docker", "?"), machine.get("date", "?")),
        "",
        "| profile | fault | trials | median s | p95 s | max s | target (median) | registrations lost "
        "| failed calls / in setup + hanging up at the fault | targets met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append("| %s | %s | %d | %s | %s | %s | <= %.1f s (%s) | %d of %d per trial | %d / %d + %d | %s |" % (
            row["profile"], row["fault"], row["trials"], fmt(row["median_s"]), fmt(row["p95_s"]),
            fmt(row["max_s"]), row["target_median_s"], row["target_basis"], row["registrations_lost"],
            row["registered_per_trial"], row["calls_failed"], row["calls_in_setup_at_fault"],
            row["calls_hanging_up_at_fault"],
            "yes" if row["meets_targets"] else "**no**"))
    if held:
        lines += [""] + held_table(held)
    if rollouts:
        lines += [
            "",
            "| rollout | first site.yml on a fresh lab | tasks changed | re-run | tasks changed |",
            "|---|---|---|---|---|",
        ]
        for rollout in rollouts:
            lines.append("| %s | %d s | %d | %d s | %d |" % (
                rollout["profile"], rollout["first_run_s"], rollout["first_run_changed"],
                rollout["rerun_s"], rollout["rerun_changed"]))
    if stabilities:
        lines += [
            "",
            "| no fault, CPUs saturated | seconds | busy loops per node | host load average "
            "| changes of the answering node | longest probe gap | failed calls |",
            "|---|---|---|---|---|---|---|",
        ]
        for run in stabilities:
            result = run["stability"]
            lines.append("| %s | %d | %s | %.1f | %d | %s s | %d of %d |" % (
                run["profile"], result["seconds"], result["busy_loops_per_node"], result["host_load_average_1min"],
                result["answering_node_changes"], fmt(result["probe_longest_gap_s"]), result["calls_failed"],
                result["calls"]))
    if db_outages:
        lines += [""] + db_outage_table(db_outage_rows(db_outages))
    if db_hosts_killed:
        lines += [""] + db_host_killed_table(db_host_killed_rows(db_hosts_killed))
    if partitions:
        lines += [""] + partition_table(partition_rows(partitions))
    if capacities:
        lines += [""] + capacity_table(capacity_rows(capacities))
    return "\n".join(lines)


def write_readme(path, text):
    with open(path) as handle:
        readme = handle.read()
    if BEGIN not in readme or END not in readme:
        raise SystemExit("%s has no results markers (%s ... %s)" % (path, BEGIN, END))
    head, rest = readme.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(path, "w") as handle:
        handle.write(head + BEGIN + "\n" + text + "\n" + END + tail)


def command_output(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False).stdout.strip()
    except OSError:
        return "?"


def record_machine(path):
    cpu = "?"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    machine = {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "os": platform.freedesktop_os_release().get("PRETTY_NAME", "?"),
        "kernel": platform.release(),
        "docker": command_output(["docker", "version", "--format", "{{.Server.Version}}"]),
        "date": command_output(["date", "-u", "+%Y-%m-%d"]),
    }
    with open(path, "w") as handle:
        json.dump(machine, handle, indent=1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record-machine", metavar="FILE")
    parser.add_argument("--results", default="benchmarks/results")
    parser.add_argument("--readme", default="benchmarks/README.md")
    args = parser.parse_args(argv)
    if args.record_machine:
        record_machine(args.record_machine)
        return 0

    runs = load_runs(args.results)
    if not runs:
        raise SystemExit("no results in %s: run make bench first" % args.results)
    rows = [summarise(run) for run in runs]
    machine_file = os.path.join(args.results, "machine.json")
    machine = {}
    if os.path.exists(machine_file):
        with open(machine_file) as handle:
            machine = json.load(handle)
    rollouts = load_kind(args.results, "rollout")
    stabilities = load_kind(args.results, "stability")
    db_outages = load_kind(args.results, "db-down")
    partitions = load_kind(args.results, "partition")
    db_hosts_killed = load_kind(args.results, "db-host-killed")
    capacities = load_capacities(args.results)
    held = held_rows(runs + db_outages + db_hosts_killed + partitions)
    with open(os.path.join(args.results, "summary.json"), "w") as handle:
        json.dump({"machine": machine, "rows": rows, "rollouts": rollouts,
                   "stability": [dict(run["stability"], profile=run["profile"]) for run in stabilities],
                   "db_outage": db_outage_rows(db_outages), "partition": partition_rows(partitions),
                   "db_host_killed": db_host_killed_rows(db_hosts_killed), "held_calls": held,
                   "capacity": capacity_rows(capacities)},
                  handle, indent=1)
    plot(runs, os.path.join(args.results, "outage.png"))
    plot_held(runs + db_outages + db_hosts_killed + partitions, os.path.join(args.results, "held-calls.png"))
    text = table(rows, rollouts, machine, stabilities, db_outages, partitions, held, db_hosts_killed, capacities)
    write_readme(args.readme, text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
