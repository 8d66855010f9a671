# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark's arithmetic: what counts as in setup, the outage, the table."""

import datetime
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "benchmarks"))

import failover_bench as bench  # noqa: E402
import report  # noqa: E402
import vip_timeline  # noqa: E402

DASHES = "-----------------------------------------------"
T0 = datetime.datetime(2026, 11, 26, 6, 40, 0, tzinfo=datetime.timezone.utc).timestamp()


def entry(offset, direction, message):
    stamp = datetime.datetime.fromtimestamp(T0 + offset, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    head = "UDP message sent (100 bytes):" if direction == "sent" else "UDP message received [100] bytes :"
    return "%s %s\n%s\n\n%s\n\n" % (DASHES, stamp, head, message)


def invite(call_id):
    return "INVITE sip:9000@10.0.0.1 SIP/2.0\nCall-ID: %s\nCSeq: 1 INVITE\n" % call_id


def ok(call_id, method="INVITE"):
    return "SIP/2.0 200 OK\nCall-ID: %s\nCSeq: 1 %s\n" % (call_id, method)


def test_calls_in_setup_are_those_sent_before_and_answered_after_the_fault():
    log = "".join([
        entry(0.0, "sent", invite("done")),  # answered before the fault
        entry(0.1, "received", ok("done")),
        entry(0.5, "sent", invite("caught")),  # answered only after it
        entry(0.9, "sent", invite("caught")),  # a retransmission does not count twice
        entry(3.0, "received", ok("caught")),
        entry(0.8, "sent", invite("lost")),  # never answered
        entry(1.5, "sent", invite("later")),  # sent after the fault
        entry(1.6, "received", ok("later")),
        "%s\nUnexpected UDP message received:\n\nSIP/2.0 408 Request Timeout\nCall-ID: x\n\n" % DASHES,
    ])
    assert bench.calls_in_transaction(log, T0 + 1.0, T0 + 1.0) == 2
    # A fault that lasts (docker kill) also catches the INVITE sent inside it.
    assert bench.calls_in_transaction(log, T0 + 1.0, T0 + 1.55) == 3


def test_a_200_to_a_bye_does_not_end_the_setup():
    log = entry(0.0, "sent", invite("a")) + entry(2.0, "received", ok("a", "BYE"))
    assert bench.calls_in_transaction(log, T0 + 1.0, T0 + 1.0) == 1


def bye(call_id):
    return "BYE sip:9000@10.0.0.1 SIP/2.0\nCall-ID: %s\nCSeq: 2 BYE\n" % call_id


def test_calls_hanging_up_are_those_whose_bye_was_open_at_the_fault():
    log = "".join([
        entry(0.0, "sent", invite("up")),
        entry(0.1, "received", ok("up")),
        entry(0.9, "sent", bye("up")),  # its 200 OK never came
        entry(0.0, "sent", invite("ended")),
        entry(0.1, "received", ok("ended")),
        entry(0.5, "sent", bye("ended")),
        entry(0.6, "received", ok("ended", "BYE")),  # done before the fault
    ])
    assert bench.calls_in_transaction(log, T0 + 1.0, T0 + 1.0, "BYE") == 1
    assert bench.calls_in_transaction(log, T0 + 1.0, T0 + 1.0, "INVITE") == 0


def test_outage_is_counted_to_the_new_nodes_first_answer_after_the_fault():
    summary = {
        "start_epoch": 100.0,
        "answers_in_turn": [
            {"server": "Kamailio node1", "first_answer_s": 0.01},
            {"server": "Kamailio node2", "first_answer_s": 5.5},
        ],
    }
    assert bench.outage_after(summary, 102.5, "node2") == 3.0
    assert bench.outage_after(summary, 102.5, "node3") is None


def test_a_killed_node_died_between_its_last_answer_and_the_first_probe_it_missed():
    # docker kill ran from 100.0 to 100.6; the probe's outage began at 100.45.
    summary = {"start_epoch": 90.0, "outages": [{"from_s": 2.0, "seconds": 0.1}, {"from_s": 10.45, "seconds": 3.0}]}
    assert bench.death_window(summary, 100.0, 100.6) == pytest.approx((100.43, 100.45))
    # No outage inside the command: the window stays as it was.
    assert bench.death_window({"start_epoch": 90.0, "outages": []}, 100.0, 100.6) == (100.0, 100.6)


@pytest.mark.parametrize("value, expected", [("5", 5.0), ("500ms", 0.5), ("2.5", 2.5)])
def test_ha_cf_times(value, expected):
    assert bench.seconds(value) == expected


def test_nearest_rank_percentile():
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    assert report.percentile(values, 0.95) == 10.0
    assert report.percentile(values, 0.5) == 5.0


def run(outages, failed=0, in_setup=0, lost=0, hanging_up=0):
    trials = [
        {"outage_s": o, "registrations_lost": lost, "registered": 500, "calls": 360,
         "calls_failed": failed, "calls_in_setup_at_fault": in_setup, "calls_hanging_up_at_fault": hanging_up}
        for o in outages
    ]
    return {"profile": "keepalived-fast", "fault": "node-stopped", "timers": {}, "trials": trials}


def test_summary_meets_the_targets_only_when_every_trial_does():
    assert report.summarise(run([0.6, 0.7, 0.8]))["meets_targets"]
    assert not report.summarise(run([1.6, 1.7, 1.8]))["meets_targets"]  # median over 1.0 s
    assert not report.summarise(run([0.6, None, 0.8]))["meets_targets"]  # one trial never moved
    assert not report.summarise(run([0.6, 0.7], lost=1))["meets_targets"]
    assert not report.summarise(run([0.6, 0.7], failed=3, in_setup=2))["meets_targets"]
    assert report.summarise(run([0.6, 0.7], failed=2, in_setup=2))["meets_targets"]
    assert report.summarise(run([0.6, 0.7], failed=3, in_setup=2, hanging_up=1))["meets_targets"]


def test_heartbeat_target_is_its_deadtime_plus_a_second():
    heartbeat = run([5.5])
    heartbeat["timers"] = {"deadtime": "5"}
    row = report.summarise(heartbeat)
    assert row["target_median_s"] == 6.0
    assert row["meets_targets"]


def test_failed_call_timelines_show_calls_whose_bye_got_no_200():
    bye = "BYE sip:9000@10.0.0.2 SIP/2.0\nCall-ID: %s\nCSeq: 2 BYE\n"
    log = "".join([
        entry(0.0, "sent", invite("good")),
        entry(0.1, "received", ok("good")),
        entry(0.2, "sent", bye % "good"),
        entry(0.3, "received", ok("good", "BYE")),
        entry(0.5, "sent", invite("bad")),
        entry(0.6, "received", ok("bad")),
        entry(1.2, "sent", bye % "bad"),
    ])
    timelines = bench.failed_call_timelines(log, T0 + 1.0)
    assert list(timelines) == ["bad"]
    assert timelines["bad"][-1] == "+0.200 sent BYE sip:9000@10.0.0.2 (BYE)"


def test_stability_runs_get_their_own_table():
    stability = {"profile": "keepalived-fast", "stability": {
        "seconds": 120, "busy_loops_per_node": "2 per CPU", "host_load_average_1min": 7.93,
        "answering_node_changes": 0, "probe_longest_gap_s": 0.1, "calls_failed": 0, "calls": 2400}}
    text = report.table([], [], {}, [stability])
    assert "| keepalived-fast | 120 | 2 per CPU | 7.9 | 0 | 0.10 s | 0 of 2400 |" in text


def test_register_tries_are_read_line_by_line_and_a_cut_line_is_skipped():
    text = "1764744000.125 1764744000.230 1\n1764744000.500 1764744000.520 0\n1764744000.9"
    assert bench.parse_register_tries(text) == [(1764744000.125, 1764744000.23, False), (1764744000.5, 1764744000.52, True)]


def test_register_verdict_counts_the_outage_and_times_the_first_200_after_the_start():
    tries = [(99.0, 99.1, True),  # before the stop
             (100.2, 102.2, False), (105.0, 105.1, True), (109.5, 109.6, False),  # during: one 200 that should not be
             (109.8, 110.3, True),  # begun during, ended after the start began: neither during nor back
             (110.1, 110.2, False), (110.4, 110.5, False), (110.8, 110.9, True), (111.2, 111.3, True)]
    verdict = bench.register_verdict(tries, stopped=100.0, starting=110.0)
    assert verdict == {"register_tries_during_outage": 3, "register_ok_during_outage": 1, "register_back_s": 0.9}
    assert bench.register_verdict([(110.5, 110.6, False)], 100.0, 110.0)["register_back_s"] is None


def db_trial(**changes):
    trial = {"db_down_s": 20.1, "holder_before": "node1", "holders_after": ["node1"], "answering_node_changes": 0,
             "probes_sent": 2000, "probes_answered": 2000, "register_ok_during_outage": 0,
             "register_tries_during_outage": 40, "register_back_s": 0.4, "registrations_lost": 0}
    trial.update(changes)
    return trial


def test_database_outages_get_their_own_table():
    run = {"profile": "keepalived-fast", "date": "2026-12-03",
           "db_outage": [db_trial(), db_trial(register_back_s=0.6), db_trial(register_back_s=1.2)]}
    text = report.table([], [], {}, db_outages=[run])
    assert "| keepalived-fast | 2026-12-03 | 3 | 20 | 0 | 0 | 0 of 120 tries | 0.60 / 1.20 | 0 | 0 |" in text


def test_a_database_outage_that_moved_the_vip_counts_each_move_once():
    rows = report.db_outage_rows([{"profile": "p", "db_outage": [
        db_trial(answering_node_changes=1, holders_after=["node2"]),  # seen by the probe and at the end
        db_trial(holders_after=["node2"]),  # missed by the probe
        db_trial(register_back_s=None, probes_answered=1990),
    ]}])
    assert rows[0]["vip_moves"] == 2
    assert rows[0]["probes_lost"] == 10
    # One trial never got its 200 back: counted apart, not hidden in the times.
    assert rows[0]["register_never_back"] == 1
    assert rows[0]["register_back_max_s"] == 0.4


@pytest.mark.parametrize("seconds", ["0", "-5"])
def test_a_database_outage_of_no_time_is_refused(seconds, capsys):
    with pytest.raises(SystemExit):
        bench.main(["--facts", "x.json", "--profile", "p", "--db-outage", seconds, "--out", "y.json"])
    assert "is not a number of seconds above 0" in capsys.readouterr().err


def partition_trial(**changes):
    trial = {"trial": 1, "cut_s": 20, "holder_before": "node1", "holders_after": ["node1"], "added_by": ["node2"],
             "both_held_s": 0.12, "both_held_spans": [[3.5, 3.62]], "router_elsewhere_s": 0.15,
             "router_macs": ["02:00:00:00:00:0c", "02:00:00:00:00:0b"], "router_back_at_holder": True,
             "standby_again_after_heal_s": 2.5, "answering_node_changes": 2, "probe_longest_gap_s": 0.0,
             "probes_sent": 2000, "probes_answered": 2000}
    trial.update(changes)
    return trial


def test_the_partition_table_says_how_long_two_held_the_vip_and_what_moved():
    run = {"profile": "keepalived-fast", "date": "2026-12-04", "partition": [
        partition_trial(), partition_trial(both_held_s=0.2, router_elsewhere_s=0.3),
        # keepalived never made a second holder: the guard was not tried.
        partition_trial(added_by=[], both_held_s=0.0, router_elsewhere_s=0.0, standby_again_after_heal_s=None),
    ]}
    row = report.partition_rows([run])[0]
    assert row["trials_with_a_second_holder"] == 2
    assert row["both_held_max_s"] == 0.2 and row["vip_moves"] == 0 and row["standby_never_again"] == 1
    text = report.table([], [], {}, partitions=[run])
    # The median is over the two trials with a second holder: (0.12 + 0.2) / 2.
    assert "| keepalived-fast | 2026-12-04 | 3 | 20 | 2 | 0.16 / 0.20 | 0.30 | 3 of 3 | 0 | 0 | 2.50 (1 never) |" in text


def test_a_partition_that_left_the_vip_elsewhere_counts_as_a_move():
    rows = report.partition_rows([{"profile": "p", "partition": [
        partition_trial(holders_after=["node2"], router_back_at_holder=False, probes_answered=1990)]}])
    assert rows[0]["vip_moves"] == 1 and rows[0]["router_back_at_holder"] == 0 and rows[0]["probes_lost"] == 10


MONITOR_NODE1 = """[2026-12-04T05:30:00.000000] blackhole 10.0.0.12 proto boot scope link
"""
MONITOR_NODE2 = """[2026-12-04T05:29:59.000000] 3: eth1    inet 10.0.1.7/24 scope global eth1
[2026-12-04T05:30:00.000100] blackhole 10.0.0.11 proto boot scope link
[2026-12-04T05:30:03.600000] 3: eth1    inet 203.0.113.10/24 scope global eth1
       valid_lft forever preferred_lft forever
[2026-12-04T05:30:03.750000] Deleted 3: eth1    inet 203.0.113.10/24 scope global eth1
       valid_lft forever preferred_lft forever
"""
MONITOR_ROUTER = """[2026-12-04T05:29:58.000000] 203.0.113.10 dev eth1 lladdr 02:00:00:00:00:0b REACHABLE
[2026-12-04T05:30:03.601000] 203.0.113.10 dev eth1 lladdr 02:00:00:00:00:0c REACHABLE
[2026-12-04T05:30:03.800000] 203.0.113.10 dev eth1 lladdr 02:00:00:00:00:0b REACHABLE
[2026-12-04T05:30:09.000000] 203.0.113.10 dev eth1 lladdr 02:00:00:00:00:0b STALE
"""


def test_the_timeline_measures_two_holders_and_the_router_from_the_kernels_stamps():
    seen = vip_timeline.timeline("203.0.113.10", "node1", "02:00:00:00:00:0B",
                                 {"node1": MONITOR_NODE1, "node2": MONITOR_NODE2}, MONITOR_ROUTER)
    assert seen["added_by"] == ["node2"]
    assert seen["spans"] == [[3.6, 3.75]] and seen["both_held_s"] == 0.15
    assert seen["router_macs"] == ["02:00:00:00:00:0c", "02:00:00:00:00:0b"]
    assert seen["router_elsewhere_s"] == 0.199 and seen["router_last_mac"] == "02:00:00:00:00:0b"


def test_the_timeline_refuses_logs_without_the_cut():
    with pytest.raises(ValueError):
        vip_timeline.timeline("203.0.113.10", "node1", "02:00:00:00:00:0b", {"node1": "", "node2": ""}, "")


def test_the_register_failure_window_spans_the_failed_tries_after_the_fault():
    tries = [(99.0, 99.1, True), (100.4, 102.9, False), (103.0, 103.1, True), (103.2, 106.5, False), (107.0, 107.1, True)]
    assert bench.failure_window(tries, 100.0) == {"failed": 2, "from_s": 0.4, "to_s": 6.5}
    assert bench.failure_window([(1.0, 1.1, True)], 0.0) == {"failed": 0, "from_s": None, "to_s": None}


def db_host_trial(**changes):
    trial = {"trial": 1, "db_killed": "db1", "db_address_moved_s": 3.2, "holder_before": "node1",
             "holders_after": ["node1"], "answering_node_changes": 0, "probe_longest_gap_s": 2.5, "probes_sent": 2000,
             "probes_answered": 1870, "register_tries_failed": 2, "register_failed_from_s": 0.1,
             "register_failed_to_s": 5.9, "calls": 400, "calls_failed": 9, "calls_failed_from_s": 6.0,
             "calls_failed_to_s": 12.0, "registered": 500, "registrations_lost": 0, "rejoined_s": 5.1}
    trial.update(changes)
    return trial


def test_a_database_host_killed_gets_its_own_table_with_its_failure_windows():
    rows = report.db_host_killed_rows([{"profile": "p", "date": "2026-12-06", "db_host_killed": [
        db_host_trial(),
        db_host_trial(db_address_moved_s=3.8, register_failed_from_s=-0.2, calls_failed=0, calls_failed_from_s=None,
                      calls_failed_to_s=None),
        db_host_trial(db_address_moved_s=None, rejoined_s=None, holders_after=["node2"]),
    ]}])
    row = rows[0]
    assert row["address_moved_max_s"] == 3.8 and row["address_never_moved"] == 1
    assert row["vip_moves"] == 1 and row["never_rejoined"] == 1
    assert row["register_failed_span_s"] == (-0.2, 5.9) and row["calls_failed_span_s"] == (6.0, 12.0)
    line = report.db_host_killed_table(rows)[2]
    assert line.startswith("| p | 2026-12-06 | 3 | 3.50 / 3.80 (1 never) | 1 | 2.50 | 6 (-0.20 to 5.90 s) | 18 of 1200")


def test_a_database_host_trial_is_refused_on_a_lab_with_one_database_host(tmp_path):
    facts = tmp_path / "lab.json"
    facts.write_text('{"nodes": {}, "client": "c", "vip": "1", "db_hosts": {"db1": "x"}, "ha_manager": "keepalived"}')
    with pytest.raises(bench.BenchError, match="needs a Galera lab"):
        bench.main(["--facts", str(facts), "--profile", "p", "--db-host-killed", "--out", str(tmp_path / "o.json")])


def capacity_run(database, usrloc, register, call=None, reference=False, cpu=None):
    step = {"rate": register, "p99_ms": 16.0}
    if cpu is not None:  # runs since the bench records it: each container's CPU per attempt
        step["cpu_ms_per_attempt"] = {"node1": cpu, "node2": 0.05}
    run = {"database": database, "usrloc": usrloc, "date": "2026-12-06", "active_pinned": True, "reference": reference,
           "active": "node1", "register": {"capacity_per_s": register, "steps": [{"rate": register * 2}, step]}}
    if call is not None:
        run["call"] = {"capacity_per_s": call, "steps": [{"rate": call, "p99_ms": 24.0}]}
    return run


def test_capacity_rows_are_shares_of_their_own_databases_reference():
    runs = [capacity_run("one host", "db_only", 1700, 250),
            capacity_run("one host", "memory", 5600, reference=True, cpu=0.1234),
            capacity_run("Galera", "db_only", 1000)]
    rows = report.capacity_rows(runs)
    # The reference last within its database; a database without one has no share.
    assert [(row["database"], row["usrloc"]) for row in rows] == [
        ("Galera", "db_only"), ("one host", "db_only"), ("one host", "memory")]
    assert rows[0]["register_share"] is None
    assert round(rows[1]["register_share"], 3) == 0.304 and rows[2]["register_share"] == 1.0
    assert rows[1]["call"] == 250 and rows[1]["call_p99_ms"] == 24.0 and rows[2]["call"] is None
    table = "\n".join(report.capacity_table(rows))
    # The active node's CPU per REGISTER at the sustained step, where the run recorded it.
    assert rows[2]["register_active_cpu_ms"] == 0.1234 and rows[1]["register_active_cpu_ms"] is None
    assert "| one host | db_only | 2026-12-06 | 1700 (16) | 30 % | - | 250 (24) |" in table
    assert "| one host | memory | 2026-12-06 | 5600 (16) | 100 % | 0.123 | - (-) |" in table
    assert "| Galera | db_only | 2026-12-06 | 1000 (16) | - | - | - (-) |" in table


# SIPp's -trace_stat columns (header as SIPp writes it, values cut to the ones read here).
STAT_HEADER = ("StartTime;LastResetTime;CurrentTime;SuccessfulCall(P);SuccessfulCall(C);FailedCall(P);FailedCall(C);"
               "FailedUnexpectedMessage(C);FailedRegexpDoesntMatch(P);FailedRegexpDoesntMatch(C);"
               "FailedTimeoutOnRecv(P);FailedTimeoutOnRecv(C)")


def test_call_counts_tell_calls_answered_by_someone_else_from_calls_timed_out():
    text = STAT_HEADER + "\n" + "a;b;c;0;10;0;0;0;0;0;0;0\n" + "a;b;c;5;478;3;22;0;1;2;2;20\n"
    assert bench.call_counts(bench.sipp_totals(text)) == {
        "successful": 478, "failed": 22, "answered_by_other": 2, "timed_out": 20}


def calls(successful, failed, answered_by_other=0, timed_out=0):
    return {"successful": successful, "failed": failed, "answered_by_other": answered_by_other, "timed_out": timed_out}


def test_calls_that_timed_out_in_the_fast_pass_are_not_lost_registrations():
    verdict = bench.reach_verdict(500, calls(478, 22, timed_out=22), calls(500, 0))
    assert verdict["registrations_lost"] == 0
    assert verdict["user_calls_failed_fast"] == 22 and verdict["user_calls_timed_out_fast"] == 22
    assert verdict["user_calls_called_again"] is True
    assert "0 registrations lost (22 of the fast pass's calls failed, 22 timed out" in bench.reach_line(verdict)


def test_users_the_slow_pass_cannot_reach_either_are_lost():
    verdict = bench.reach_verdict(500, calls(351, 149, answered_by_other=140, timed_out=9), calls(360, 140, 140))
    assert verdict["registrations_lost"] == 140 and verdict["user_calls_answered_by_media"] == 140


def test_a_fast_pass_without_failures_decides_alone():
    verdict = bench.reach_verdict(500, calls(500, 0), None)
    assert verdict["registrations_lost"] == 0 and verdict["user_calls_called_again"] is False
    assert bench.reach_line(verdict) == "0 registrations lost"


def test_without_a_takeover_every_registration_counts_as_lost():
    assert bench.reach_verdict(500, None, None)["registrations_lost"] == 500
