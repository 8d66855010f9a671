# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The capacity benchmark's arithmetic: SIPp's files, a step's verdict, the ramp."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "benchmarks"))

import capacity_bench as bench  # noqa: E402

# The head and the last line of a real -trace_stat file (a step of 1400 REGISTERs/s),
# cut to the columns the benchmark reads and a few around them.
STAT = (
    "StartTime;ElapsedTime(P);ElapsedTime(C);TargetRate;CallRate(C);OutgoingCall(C);SuccessfulCall(C);FailedCall(C)\n"
    "2026-12-06\t14:27:24.355737\t1796567244.355737;00:00:00;00:00:10;1400;1398.04;14000;14000;0\n"
)
RTT = "Date_ms;response_time_ms;rtd_no\n16.001;4;1\n17.002;8;1\n"


def stat(elapsed="00:00:10", started=14000, successful=14000, failed=0):
    return {"ElapsedTime(C)": elapsed, "OutgoingCall(C)": str(started),
            "SuccessfulCall(C)": str(successful), "FailedCall(C)": str(failed)}


def test_sipp_files_are_read():
    totals = bench.sipp_totals(STAT)
    assert totals["SuccessfulCall(C)"] == "14000" and totals["ElapsedTime(C)"] == "00:00:10"
    assert bench.parse_rtt(RTT) == [(16.001, 4.0), (17.002, 8.0)]
    assert bench.elapsed_seconds("00:01:02") == 62 and bench.elapsed_seconds("00:00:10:500") == 10.5


def test_a_step_without_statistics_is_an_error():
    with pytest.raises(bench.BenchError):
        bench.sipp_totals("StartTime;ElapsedTime(C)\n")


def test_quantile_is_the_nearest_rank():
    values = list(range(1, 101))
    assert bench.quantile(values, 0.99) == 99 and bench.quantile(values, 0.5) == 50
    assert bench.quantile([7], 0.99) == 7 and bench.quantile([], 0.99) is None


def answers(*groups):
    """SIPp's answers: (count, response time ms) groups, the attempts started 1400 a second from 0."""
    found = []
    for count, rtt in groups:
        for number in range(len(found), len(found) + count):
            found.append((number * 1000.0 / 1400 + rtt, rtt))
    return found


def test_a_step_answered_fast_and_whole_is_sustained():
    step = bench.step_verdict(1400, 14000, stat(), answers((13900, 4.0), (100, 40.0)))
    assert step["sustained"] and step["why_not"] == []
    assert step["p99_ms"] == 4.0 and step["max_ms"] == 40.0 and step["achieved_per_s"] == 1400.0
    assert step["last_start_s"] == 10.0


@pytest.mark.parametrize("figures, found, words", [
    (stat(successful=13999, failed=1), answers((13999, 4.0)), "1 of 14000 failed"),
    # Two percent answered late: the 99th percentile is above the limit.
    (stat(), answers((13720, 4.0), (280, 150.0)), "99 % answered within 150.0 ms"),
    (stat(), [], "99 % answered within ? ms"),
    # SIPp started its last attempt 11 s in, not 10: the client, not the
    # proxy, set the pace (its elapsed time, whole seconds, says only 11).
    (stat(elapsed="00:00:11"), [(at * 1.1, rtt) for at, rtt in answers((14000, 4.0))], "SIPp took 11.0 s to offer 10.0 s"),
])
def test_a_step_that_fails_says_why(figures, found, words):
    step = bench.step_verdict(1400, 14000, figures, found)
    assert not step["sustained"]
    assert any(words in reason for reason in step["why_not"]), step["why_not"]


@pytest.fixture(autouse=True)
def no_rest(monkeypatch):
    monkeypatch.setattr(bench, "rest", lambda seconds: None)


def ramp_of(limit):
    """A run_step that sustains every rate up to `limit`."""
    tried = []

    def run_step(rate):
        tried.append(rate)
        return {"rate": rate, "sustained": rate <= limit}
    return tried, run_step


def test_the_ramp_stops_at_the_first_failure_after_a_try_halfway():
    tried, run_step = ramp_of(1200)
    capacity, steps = bench.ramp((500, 1000, 1400, 2000), run_step)
    assert tried == [500, 1000, 1400, 1200] and capacity == 1200
    tried, run_step = ramp_of(1100)
    capacity = bench.ramp((500, 1000, 1400, 2000), run_step)[0]
    assert tried == [500, 1000, 1400, 1200] and capacity == 1000


def test_a_ramp_that_fails_at_once_has_no_capacity():
    tried, run_step = ramp_of(10)
    assert bench.ramp((100, 200), run_step) == (0, [{"rate": 100, "sustained": False}]) and tried == [100]


def test_every_rate_sustained_is_a_capacity_of_at_least_the_last():
    tried, run_step = ramp_of(10 ** 6)
    capacity, steps = bench.ramp((100, 200), run_step)
    assert capacity == 200 and len(steps) == 2


# Two readings of a two-CPU host's /proc/stat, 10 s apart (user nice system idle iowait irq softirq steal).
PROC_STAT_BEFORE = (
    "cpu  300 0 100 1500 0 0 0 0 0 0\n"
    "cpu0 200 0 50 700 0 0 50 0 0 0\n"
    "cpu1 100 0 50 800 0 0 0 0 0 0\n"
    "intr 12345 0 0\n"
)
PROC_STAT_AFTER = (
    "cpu  1300 0 300 2400 0 0 0 0 0 0\n"
    "cpu0 1000 0 150 700 0 0 150 0 0 0\n"
    "cpu1 300 0 150 1200 300 0 0 0 0 0\n"
    "intr 22345 0 0\n"
)


def test_cpu_busy_share_per_cpu():
    before, after = bench.cpu_times(PROC_STAT_BEFORE), bench.cpu_times(PROC_STAT_AFTER)
    assert before == {0: (300, 1000), 1: (150, 950)}
    # CPU 0: 1000 jiffies, all busy; CPU 1: 1000 jiffies, 300 of them busy (iowait counts as idle).
    assert bench.cpu_busy(before, after) == {0: 100.0, 1: 30.0}
    # A CPU that went away (or an empty reading) is left out, not divided by zero.
    assert bench.cpu_busy(before, {0: after[0]}) == {0: 100.0}
    assert bench.cpu_busy(before, before) == {}
