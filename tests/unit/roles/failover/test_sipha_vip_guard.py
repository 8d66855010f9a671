# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who keeps the VIP when two nodes hold it (roles/failover/files/sipha-vip-guard).

decide() is the whole judgement; the stories below play two nodes through a
cut of keepalived's private network, the clock given by hand. The command
line is run for real with a stand-in logger. molecule/default cuts the
network between two real nodes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.machinery
import importlib.util
import json
import os
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
SCRIPT = os.path.join(REPO, "roles", "failover", "files", "sipha-vip-guard")

_loader = importlib.machinery.SourceFileLoader("sipha_vip_guard", SCRIPT)
_spec = importlib.util.spec_from_loader("sipha_vip_guard", _loader)
guard = importlib.util.module_from_spec(_spec)
_loader.exec_module(guard)

LOW, HIGH = "02:00:00:00:00:0a", "02:00:00:00:00:0b"
GRACE = 10


class Node(object):
    """One node's guard memory; check() is one health check."""

    def __init__(self, mac):
        self.mac = mac
        self.state = {}

    def check(self, now, holding, probe="none", rivals=(), peer_back=False):
        code, announce, said = guard.decide(self.state, now, holding, probe, list(rivals), self.mac, peer_back, GRACE)
        return code, announce, [message for _priority, message in said]


def test_a_lone_holder_serves_and_says_nothing():
    node = Node(LOW)
    for now in range(100, 130):
        assert node.check(now, True, "free") == (guard.SERVE, None, [])


def test_a_standby_is_not_asked_and_serves():
    assert Node(LOW).check(100, False) == (guard.SERVE, None, [])


def test_the_newcomer_yields_and_the_incumbent_keeps_and_announces():
    # The private network is cut at 95: HIGH has held the VIP since 0,
    # LOW becomes MASTER at 100 and meets it at its first check.
    old, new = Node(LOW), Node(HIGH)
    old.check(0, True, "free")
    code, announce, said = new.check(100.5, True, "taken", [LOW])
    # It sends the router back to the holder it met.
    assert code == guard.STAY_OUT and announce == LOW
    assert "answers for the VIP as well" in said[0] and "it yields" in said[1]
    # The incumbent, whatever its MAC, keeps the VIP and announces it while
    # the newcomer is seen, and once more when it is gone (the router's entry
    # may still point at the newcomer).
    assert old.check(101, True, "taken", [HIGH])[:2] == (guard.SERVE, LOW)
    assert old.check(102, True, "taken", [HIGH]) == (guard.SERVE, LOW, [])
    code, announce, said = old.check(103, True, "free")
    assert (code, announce) == (guard.SERVE, LOW) and "is gone" in said[0]
    assert old.check(104, True, "free") == (guard.SERVE, None, [])


def test_the_node_that_yielded_stays_out_while_the_other_holds():
    node = Node(HIGH)
    node.check(100, True, "taken", [LOW])
    # keepalived takes a moment to put it into FAULT.
    assert node.check(101, True)[0] == guard.STAY_OUT
    for now in range(102, 200):
        assert node.check(now, False, "taken", [LOW]) == (guard.STAY_OUT, None, [])


def test_the_node_that_yielded_comes_back_when_nobody_holds_the_vip_twice_in_a_row():
    node = Node(HIGH)
    node.check(100, True, "taken", [LOW])
    # One probe without a reply may be a lost reply.
    assert node.check(130, False, "free")[0] == guard.STAY_OUT
    assert node.check(131, False, "taken", [LOW])[0] == guard.STAY_OUT
    assert node.check(132, False, "free")[0] == guard.STAY_OUT
    code, _announce, said = node.check(133, False, "free")
    assert code == guard.SERVE and "nobody answers" in said[0]
    assert node.check(134, False) == (guard.SERVE, None, [])


def test_the_node_that_yielded_comes_back_when_the_private_network_is():
    node = Node(HIGH)
    node.check(100, True, "taken", [LOW])
    code, _announce, said = node.check(130, False, "taken", [LOW], peer_back=True)
    assert code == guard.SERVE and "private network again" in said[0]


def test_a_peer_that_answers_lets_the_node_back_ever_more_seldom():
    # An ACL that drops VRRP only: the peers answer SIP, yet the node becomes
    # MASTER again each time it comes back, and meets the holder again.
    node = Node(HIGH)
    node.check(100, True, "taken", [LOW])
    assert node.check(105, False, "taken", [LOW], peer_back=True)[0] == guard.STAY_OUT
    assert node.check(110, False, "taken", [LOW], peer_back=True)[0] == guard.SERVE
    node.check(114, False)
    assert node.check(115, True, "taken", [LOW])[0] == guard.STAY_OUT
    assert node.check(130, False, "taken", [LOW], peer_back=True)[0] == guard.STAY_OUT
    assert node.check(135, False, "taken", [LOW], peer_back=True)[0] == guard.SERVE
    node.check(139, False)
    assert node.check(140, True, "taken", [LOW])[0] == guard.STAY_OUT
    assert node.check(179, False, "taken", [LOW], peer_back=True)[0] == guard.STAY_OUT
    assert node.check(180, False, "taken", [LOW], peer_back=True)[0] == guard.SERVE


def test_a_probe_that_cannot_tell_keeps_a_yielded_node_out():
    node = Node(HIGH)
    node.check(100, True, "taken", [LOW])
    assert node.check(101, False, "unsure")[0] == guard.STAY_OUT


def test_a_probe_that_cannot_tell_changes_nothing_for_a_holder():
    node = Node(LOW)
    node.check(0, True, "free")
    node.check(100, True, "taken", [HIGH])
    assert node.check(101, True, "unsure") == (guard.SERVE, None, [])
    assert node.state["rival"] == HIGH


def test_two_newcomers_yield_once_then_the_lower_mac_yields():
    # A cold start with the private network cut: both become MASTER at once.
    low, high = Node(LOW), Node(HIGH)
    assert low.check(100, True, "taken", [HIGH])[0] == guard.STAY_OUT
    assert high.check(100, True, "taken", [LOW])[0] == guard.STAY_OUT
    # Nobody holds the VIP: both come back, and both take it again.
    for now in (104, 105):
        low.check(now, False, "free")
        high.check(now, False, "free")
    assert not low.state["yielded"] and not high.state["yielded"]
    # The lower MAC looks twice (the first time it may meet a newcomer that
    # leaves at once), the higher one keeps the VIP meanwhile.
    code, _announce, said = low.check(110, True, "taken", [HIGH])
    assert code == guard.SERVE and "looking again" in said[-1]
    code, announce, _said = high.check(110, True, "taken", [LOW])
    assert (code, announce) == (guard.SERVE, HIGH)
    code, _announce, said = low.check(111, True, "taken", [HIGH])
    assert code == guard.STAY_OUT and "MAC" in said[-1]
    assert high.check(111, True, "taken", [LOW])[0] == guard.SERVE
    assert high.check(112, True, "free")[0] == guard.SERVE
    # Long after, a newcomer yields as a newcomer again.
    high.check(200, False)
    assert high.check(300, True, "taken", [LOW])[0] == guard.STAY_OUT
    assert high.state["yielded_as"] == "newcomer"


def test_a_return_on_a_lost_reply_ends_with_the_holder_even_with_the_higher_mac():
    # HIGH yielded to LOW, which held the VIP first; two probes that heard
    # nothing (lost replies) bring HIGH back while LOW still holds it. The
    # MAC rule must not make two holders for good: LOW keeps it (old), HIGH
    # keeps it only for a moment, then yields.
    old, new = Node(LOW), Node(HIGH)
    old.check(0, True, "free")
    assert new.check(100, True, "taken", [LOW])[0] == guard.STAY_OUT
    new.check(101, False, "free")
    new.check(102, False, "free")
    assert not new.state["yielded"]
    assert new.check(103, True, "taken", [LOW])[0] == guard.SERVE
    assert old.check(103, True, "taken", [HIGH])[0] == guard.SERVE
    code, announce, said = new.check(103 + guard.BOTH_RETURNED_KEEP_S, True, "taken", [LOW])
    assert (code, announce) == (guard.STAY_OUT, LOW) and "never left" in said[-1]
    assert old.check(107, True, "taken", [HIGH])[0] == guard.SERVE


def test_a_return_that_meets_a_newcomer_keeps_the_vip():
    # LOW came back because nobody answered; at the same moment a true
    # newcomer (HIGH, made MASTER by keepalived) takes the VIP. The newcomer
    # yields at its first look; LOW looks twice, and finds it gone.
    low, newcomer = Node(LOW), Node(HIGH)
    low.state.update({"yielded": True, "yielded_at": 50, "free_checks": 1})
    low.check(60, False, "free")
    assert not low.state["yielded"]
    assert low.check(61, True, "taken", [HIGH])[0] == guard.SERVE
    assert newcomer.check(61, True, "taken", [LOW])[0] == guard.STAY_OUT
    assert low.check(62, True, "free")[0] == guard.SERVE
    assert not low.state["yielded"]


def test_the_clock_of_a_hold_starts_at_the_first_probe_that_could_see_a_rival():
    # Probes that could not tell (a lost link, no arping) do not age a holder:
    # it would count as the old one and never yield.
    node = Node(HIGH)
    for now in range(100, 130):
        node.check(now, True, "unsure")
    assert "held_since" not in node.state
    assert node.check(130, True, "taken", [LOW])[0] == guard.STAY_OUT


def test_a_state_without_the_time_of_the_yield_counts_from_now():
    # Written by an older guard: no yielded_at.
    node = Node(HIGH)
    node.state.update({"yielded": True})
    assert node.check(100, False, "taken", [LOW], peer_back=True)[0] == guard.STAY_OUT
    assert node.check(100 + GRACE, False, "taken", [LOW], peer_back=True)[0] == guard.SERVE


def test_an_hour_in_service_since_the_last_return_forgets_the_doubling():
    node = Node(HIGH)
    node.state.update({"yielded": True, "yielded_at": 0, "peer_returns": 5, "released_at": -10})
    node.check(1, False, "taken", [LOW], peer_back=True)
    # Out for more than an hour, back, then out again at once: still doubled.
    node.state.update({"yielded": False, "released_at": 5000})
    node.check(5001, True, "free")
    assert node.check(5002, True, "taken", [LOW])[0] == guard.STAY_OUT
    assert node.state["peer_returns"] == 5
    # An hour and more in service after a return: counted from the grace again.
    node.state.update({"yielded": False, "released_at": 6000})
    node.check(6000 + guard.PEER_RETURN_FORGET_S + 1, True, "free")
    node.state.pop("held_since")
    node.check(6000 + guard.PEER_RETURN_FORGET_S + 2, True, "free")
    assert node.check(6000 + guard.PEER_RETURN_FORGET_S + 3, True, "taken", [LOW])[0] == guard.STAY_OUT
    assert node.state["peer_returns"] == 0


def test_an_old_holder_never_gives_the_vip_up():
    # Both have held the VIP for long (a guard turned on during a split), or
    # the other is a host with the VIP added by hand: nobody can tell who
    # came first, and the old holder must not leave the VIP to a host no HA
    # manager drives. It keeps it and says so loudly.
    node = Node(LOW)
    node.check(0, True, "free")
    for now in range(100, 200):
        code, announce, said = node.check(now, True, "taken", [HIGH])
        assert (code, announce) == (guard.SERVE, LOW)
        if now == 100 + GRACE:
            assert "does not give it up" in said[0]


def test_mac_addresses_compare_as_numbers():
    assert guard.mac_key("02:00:00:00:00:0A") == guard.mac_key("02:00:00:00:00:0a")
    assert guard.mac_key("02:00:00:00:01:00") > guard.mac_key("02:00:00:00:00:ff")


def test_a_new_hold_starts_a_new_clock():
    node = Node(LOW)
    node.check(0, True, "free")
    node.check(50, False)
    # Held again from 60: at 62 it is a newcomer.
    node.check(60, True, "free")
    assert node.check(62, True, "taken", [HIGH])[0] == guard.STAY_OUT


def run(tmp_path, *args):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    logger = bin_dir / "logger"
    logger.write_text('#!/bin/sh\necho "$*" >> "%s"\n' % (tmp_path / "journal"))
    logger.chmod(0o755)
    env = dict(os.environ, PATH="%s:%s" % (bin_dir, os.environ["PATH"]))
    return subprocess.run(["python3", SCRIPT, "--state", str(tmp_path / "run" / "guard.json")] + list(args), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=20, check=False)


def test_the_command_remembers_logs_and_asks_for_an_announcement(tmp_path):
    assert run(tmp_path, "--holding", "yes", "--probe", "free", "--own-mac", HIGH, "--now", "0").returncode == 0
    result = run(tmp_path, "--holding", "yes", "--probe", "taken", "--own-mac", HIGH, "--now", "100", LOW.upper())
    assert result.returncode == 0 and result.stdout == "announce %s\n" % HIGH, result.stderr
    assert json.loads((tmp_path / "run" / "guard.json").read_text())["rival"] == LOW
    assert "-t sipha-failover -p daemon.warning -- vip guard: 02:00:00:00:00:0a answers" in (tmp_path / "journal").read_text()


def test_the_command_stays_out_after_yielding_and_says_so_to_keepalived(tmp_path):
    yield_file = tmp_path / "yield"
    result = run(tmp_path, "--yield-file", str(yield_file), "--holding", "yes", "--probe", "taken", "--own-mac", HIGH,
                 "--now", "100", LOW)
    assert result.returncode == guard.STAY_OUT and result.stdout == "announce %s\n" % LOW
    assert yield_file.read_text() == "1\n"
    assert run(tmp_path, "--yield-file", str(yield_file), "--holding", "no", "--own-mac", HIGH, "--now", "101").returncode == guard.STAY_OUT
    for now in ("130", "131"):
        result = run(tmp_path, "--yield-file", str(yield_file), "--holding", "no", "--probe", "free", "--own-mac", HIGH,
                     "--now", now)
    assert result.returncode == 0 and yield_file.read_text() == "0\n"


def test_the_log_names_who_asked(tmp_path):
    result = run(tmp_path, "--holding", "yes", "--probe", "taken", "--own-mac", HIGH, "--now", "100",
                 "--asked-by", "vip watch", LOW)
    assert result.returncode == guard.STAY_OUT
    assert "it yields; staying out until nobody else holds it or the private network is back (asked by the vip watch)" in (
        tmp_path / "journal").read_text()


def test_the_gratuitous_arp_names_the_holder_as_its_sender():
    frame = guard.garp_frame("02:00:00:00:00:0b", "02:00:00:00:00:0a", "203.0.113.10")
    vip = bytes([203, 0, 113, 10])
    assert frame[0:6] == b"\xff" * 6 and frame[6:12] == bytes.fromhex("02000000000b") and frame[12:14] == b"\x08\x06"
    arp = frame[14:]
    assert arp[6:8] == b"\x00\x01"  # a request
    assert arp[8:14] == bytes.fromhex("02000000000a") and arp[14:18] == vip and arp[24:28] == vip


@pytest.mark.parametrize("content", ["{not json", "[]"])
def test_a_damaged_memory_is_forgotten(tmp_path, content):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "guard.json").write_text(content)
    assert run(tmp_path, "--holding", "yes", "--probe", "free", "--own-mac", HIGH, "--now", "5").returncode == 0
    assert not (tmp_path / "journal").exists()
    assert json.loads((tmp_path / "run" / "guard.json").read_text()) == {"held_since": 5.0}


def test_a_fault_of_the_guard_lets_the_node_serve(tmp_path):
    # The memory cannot be written (its directory is a file): the node serves.
    (tmp_path / "run").write_text("")
    result = run(tmp_path, "--holding", "yes", "--probe", "taken", "--own-mac", HIGH, "--now", "100", LOW)
    assert result.returncode == 0
    assert "goes on without the guard" in (tmp_path / "journal").read_text()


# Flap damping: LIMIT losses within WINDOW seconds hold the node down for
# HOLD_DOWN seconds.
LIMIT, WINDOW, HOLD_DOWN = 3, 900, 600


def lose(node, now):
    code, said = guard.lost(node.state, now, LIMIT, WINDOW, HOLD_DOWN)
    return code, [message for _priority, message in said]


def test_losses_below_the_limit_are_counted_and_keep_the_node_a_candidate():
    node = Node(LOW)
    code, said = lose(node, 100)
    assert code == guard.SERVE and "lost the group 1 time(s) within 900 s" in said[0]
    assert lose(node, 200)[0] == guard.SERVE
    assert node.check(201, False) == (guard.SERVE, None, [])


def test_the_limit_th_loss_within_the_window_holds_the_node_down():
    node = Node(LOW)
    lose(node, 100)
    lose(node, 400)
    code, said = lose(node, 700)
    assert code == guard.STAY_OUT and "3 times within 900 s; it stays out for 600 s" in said[0]
    # Its check passes again, but it stays out while the other one holds.
    for now in range(701, 1300, 7):
        assert node.check(now, False, "taken", [HIGH]) == (guard.STAY_OUT, None, [])


def test_losses_older_than_the_window_are_forgotten():
    node = Node(LOW)
    lose(node, 100)
    lose(node, 500)
    # 100 is 900 s old at 1000: out of the window, two losses remain.
    assert lose(node, 1000)[0] == guard.SERVE
    assert node.state["losses"] == [500, 1000]


def test_the_node_is_a_candidate_again_when_the_hold_down_ends():
    node = Node(LOW)
    for now in (100, 200, 300):
        lose(node, now)
    assert node.check(899, False, "taken", [HIGH])[0] == guard.STAY_OUT
    code, _announce, said = node.check(900, False, "taken", [HIGH])
    assert code == guard.SERVE and "hold-down of 600 s is over" in said[0]
    assert node.check(901, False) == (guard.SERVE, None, [])
    # The losses are still in the window: one more holds it down at once.
    assert lose(node, 950)[0] == guard.STAY_OUT


def test_a_held_down_node_comes_back_when_nobody_holds_the_vip():
    node = Node(LOW)
    for now in (100, 200, 300):
        lose(node, now)
    # One probe without a reply may be a lost one.
    assert node.check(310, False, "free")[0] == guard.STAY_OUT
    code, _announce, said = node.check(311, False, "free")
    assert code == guard.SERVE and "rather than leave the cluster without a candidate" in said[0]
    # It came back because nobody held the VIP: if the other node did the
    # same, the MAC address decides (as for two nodes the guard let back).
    assert node.state["released_by"] == "free"


def test_a_peer_that_answers_does_not_end_a_hold_down():
    node = Node(LOW)
    for now in (100, 200, 300):
        lose(node, now)
    for now in range(301, 899):
        assert node.check(now, False, "taken", [HIGH], peer_back=True)[0] == guard.STAY_OUT


def test_a_loss_the_guard_caused_is_not_a_flap():
    # The newcomer of a split brain yields: keepalived's FAULT that follows
    # is the guard's doing, not a fault of the node.
    node = Node(HIGH)
    node.check(100, True, "taken", [LOW])
    assert lose(node, 100.2) == (guard.STAY_OUT, [])
    assert "losses" not in node.state


def test_no_limit_never_holds_a_node_down():
    node = Node(LOW)
    for now in range(100, 200):
        code, said = guard.lost(node.state, now, 0, WINDOW, HOLD_DOWN)
        assert (code, said) == (guard.SERVE, [])


def test_the_command_holds_a_flapping_node_down_through_keepalived(tmp_path):
    yield_file = tmp_path / "yield"
    flap = ["--yield-file", str(yield_file), "--holding", "no", "--lost", "--flap-limit", "2", "--flap-window", "60",
            "--flap-hold-down", "30"]
    assert run(tmp_path, *(flap + ["--now", "100"])).returncode == 0
    assert run(tmp_path, *(flap + ["--now", "130"])).returncode == guard.STAY_OUT
    assert yield_file.read_text() == "1\n"
    assert "flap damping: this node lost the group 2 times within 60 s" in (tmp_path / "journal").read_text()
    check = ["--yield-file", str(yield_file), "--holding", "no", "--probe", "taken", "--own-mac", LOW]
    assert run(tmp_path, *(check + ["--now", "159", HIGH])).returncode == guard.STAY_OUT
    assert run(tmp_path, *(check + ["--now", "160", HIGH])).returncode == 0
    assert yield_file.read_text() == "0\n"


def test_the_operator_ends_a_hold_down():
    node = Node(LOW)
    for now in (100, 200, 300):
        lose(node, now)
    code, said = guard.release(node.state)
    assert code == guard.SERVE and "ended this node's hold-down" in said[0][1]
    assert node.state == {} and node.check(301, False) == (guard.SERVE, None, [])


def test_the_operator_lets_a_node_back_from_a_split_brain_and_it_is_judged_again():
    node = Node(HIGH)
    node.check(100, True, "taken", [LOW])
    assert "let this node back from a split brain" in guard.release(node.state)[1][0][1]
    # Still split: at its next hold it meets the holder and yields again.
    assert node.check(200, True, "taken", [LOW])[0] == guard.STAY_OUT


def test_a_release_leaves_a_holder_the_older_one():
    # Released on the holder while the private network is cut: it must not
    # take itself for the newcomer when the other node shows up.
    node = Node(HIGH)
    node.check(0, True, "free")
    guard.release(node.state)
    code, announce, _said = node.check(101, True, "taken", [LOW])
    assert (code, announce) == (guard.SERVE, HIGH)


def test_the_guard_needs_the_mac_address_to_decide(tmp_path):
    result = run(tmp_path, "--holding", "yes", "--probe", "free")
    assert result.returncode == 2 and "--own-mac is needed" in result.stderr


def test_a_return_for_want_of_a_holder_ends_with_the_hold_after_it():
    # LOW came back because nobody held the VIP, and held it; a switchover
    # gave it to HIGH. A cut soon after makes LOW a newcomer like any other:
    # it yields at its first look, not at its second (CI saw 0.2 s of two
    # holders when the MAC rule still applied).
    low, high = Node(LOW), Node(HIGH)
    low.state.update({"yielded": True, "yielded_at": 50, "yielded_as": "flap", "hold_down": 600, "free_checks": 1})
    low.check(60, False, "free")
    assert low.state["released_by"] == "free"
    low.check(61, True, "free")
    low.check(70, False)
    high.check(70, True, "free")
    code, announce, said = low.check(80, True, "taken", [HIGH])
    assert (code, announce) == (guard.STAY_OUT, HIGH) and "it yields" in said[-1]
    assert low.state["yielded_as"] == "newcomer"


def test_a_return_keeps_its_mac_rule_until_it_has_held_the_vip():
    # Standby checks between the return and keepalived's MASTER (no hold
    # yet) do not end the return.
    low = Node(LOW)
    low.state.update({"yielded": True, "yielded_at": 50, "free_checks": 1})
    low.check(60, False, "free")
    for now in (61, 62, 63):
        low.check(now, False, "free")
    assert low.state["released_by"] == "free"
    code, _announce, said = low.check(64, True, "taken", [HIGH])
    assert code == guard.SERVE and "looking again" in said[-1]
