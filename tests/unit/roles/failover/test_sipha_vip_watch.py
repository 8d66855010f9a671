# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The VIP watch (roles/failover/files/sipha-vip-watch) on what the kernel sent.

The fixtures were recorded on a lab node (fixtures/vip_watch/recording.txt): one
rtnetlink datagram for an address added to the public NIC, and the frames
an ARP probe for the VIP brought back. molecule/default's partition step
runs the watch between two real nodes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import binascii
import errno
import importlib.machinery
import importlib.util
import os
import socket
import struct

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(HERE))))
SCRIPT = os.path.join(REPO, "roles", "failover", "files", "sipha-vip-watch")
FIXTURES = os.path.join(HERE, "fixtures", "vip_watch")

_loader = importlib.machinery.SourceFileLoader("sipha_vip_watch", SCRIPT)
_spec = importlib.util.spec_from_loader("sipha_vip_watch", _loader)
watch = importlib.util.module_from_spec(_spec)
_loader.exec_module(watch)


def recorded(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return binascii.unhexlify(handle.read().strip())


def facts():
    """interface index, added address, VIP, own MAC, holder's MAC of the recording."""
    with open(os.path.join(FIXTURES, "recording.txt")) as handle:
        return dict(line.strip().split("=", 1) for line in handle if "=" in line)


def test_the_added_address_is_read_from_the_kernels_datagram():
    seen = list(watch.added_addresses(recorded("newaddr.hex")))
    assert seen == [(int(facts()["index"]), socket.inet_aton(facts()["added"]))]


def test_a_removed_address_is_not_an_arrival():
    datagram = bytearray(recorded("newaddr.hex"))
    struct.pack_into("=H", datagram, 4, watch.RTM_NEWADDR + 1)  # RTM_DELADDR
    assert list(watch.added_addresses(bytes(datagram))) == []


@pytest.mark.parametrize("cut", [0, 3, 16, 20, 30, 40, 79])
def test_a_cut_datagram_adds_nothing(cut):
    assert list(watch.added_addresses(recorded("newaddr.hex")[:cut])) == []


def test_an_address_attribute_of_the_wrong_size_is_no_address():
    datagram = bytearray(recorded("newaddr.hex"))
    # The first attribute (IFA_ADDRESS) and the second (IFA_LOCAL) say 3 bytes.
    struct.pack_into("=H", datagram, 24, 7)
    struct.pack_into("=H", datagram, 32, 7)
    assert list(watch.added_addresses(bytes(datagram))) == []


def test_two_messages_in_one_datagram_are_both_read():
    one = recorded("newaddr.hex")
    assert len(list(watch.added_addresses(one + one))) == 2


def test_the_public_nic_going_away_is_seen():
    # An RTM_DELLINK for interface 11: header, then ifinfomsg.
    body = struct.pack("=BxHiII", 0, 1, 11, 0, 0)
    datagram = struct.pack("=IHHII", 16 + len(body), watch.RTM_DELLINK, 0, 0, 0) + body
    assert list(watch.removed_links(datagram)) == [11]
    assert list(watch.removed_links(recorded("newaddr.hex"))) == []


def test_the_holders_reply_names_the_holder():
    vip = socket.inet_aton(facts()["vip"])
    assert watch.answerer(recorded("reply.hex"), vip, facts()["own"]) == facts()["holder"]


def test_a_reply_for_another_address_or_from_this_node_names_nobody():
    reply = recorded("reply.hex")
    assert watch.answerer(reply, socket.inet_aton("192.0.2.1"), facts()["own"]) is None
    assert watch.answerer(reply, socket.inet_aton(facts()["vip"]), facts()["holder"].upper()) is None


def test_a_gratuitous_arp_names_the_holder_as_arping_counts_it():
    # keepalived's, or a guard's on behalf of the holder: a request whose
    # sender is the VIP.
    guard = watch.load_guard()
    garp = guard.garp_frame(facts()["own"], facts()["holder"], facts()["vip"])
    assert watch.answerer(garp, socket.inet_aton(facts()["vip"]), facts()["own"]) == facts()["holder"]


def test_another_probe_is_no_answer():
    # Another node asking for the VIP: its sender address is 0.0.0.0.
    probe = watch.probe_frame(facts()["holder"], socket.inet_aton(facts()["vip"]))
    assert watch.answerer(probe, socket.inet_aton(facts()["vip"]), facts()["own"]) is None


def test_arp_for_another_protocol_or_hardware_is_no_answer():
    reply = bytearray(recorded("reply.hex"))
    reply[16:18] = b"\x86\xdd"
    assert watch.answerer(bytes(reply), socket.inet_aton(facts()["vip"]), facts()["own"]) is None


def test_the_probe_is_an_rfc_5227_probe_from_this_node():
    vip = socket.inet_aton(facts()["vip"])
    frame = watch.probe_frame(facts()["own"], vip)
    own = binascii.unhexlify(facts()["own"].replace(":", ""))
    assert len(frame) == 42
    assert frame[:6] == b"\xff" * 6 and frame[6:12] == own and frame[12:14] == b"\x08\x06"
    assert frame[20:22] == b"\x00\x01" and frame[22:28] == own
    assert frame[28:32] == b"\x00" * 4 and frame[38:42] == vip


class Wire(object):
    """A socket's stand-in for probe(): what waits before the probe, frames after it, a clock given by hand."""

    def __init__(self, frames, waiting=()):
        self.frames = list(frames)
        self.waiting = list(waiting)
        self.sent = []
        self.now = 0.0
        self._pair = socket.socketpair()

    def setblocking(self, _flag):
        pass

    def recv(self, size):
        if self.sent:
            return self.recvfrom(size)
        if not self.waiting:
            raise BlockingIOError()
        waiting = self.waiting.pop(0)
        if isinstance(waiting, Exception):
            raise waiting
        return waiting

    def send(self, frame):
        self.sent.append(frame)
        # What the kernel would bring back: ready for select().
        self._pair[1].send(b"x")

    def fileno(self):
        return self._pair[0].fileno()

    def recvfrom(self, _size):
        if not self.frames:
            self._pair[0].recv(16)
            self.now += 1
            raise BlockingIOError()
        return self.frames.pop(0)

    def clock(self):
        return self.now


def test_the_probe_ends_at_the_first_answer_from_another_node():
    vip = socket.inet_aton(facts()["vip"])
    other_probe = watch.probe_frame(facts()["holder"], vip)
    wire = Wire([other_probe, recorded("reply.hex")])
    assert watch.probe(wire, facts()["own"], vip, 0.3, clock=wire.clock) == ("taken", [facts()["holder"]])
    assert wire.sent == [watch.probe_frame(facts()["own"], vip)]


def test_what_came_before_the_probe_is_no_answer_and_a_past_link_down_no_failure():
    vip = socket.inet_aton(facts()["vip"])
    wire = Wire([], waiting=[recorded("reply.hex"), OSError(errno.ENETDOWN, "Network is down"), recorded("reply.hex")])
    assert watch.probe(wire, facts()["own"], vip, 0.3, clock=wire.clock) == ("free", [])
    assert wire.waiting == [] and len(wire.sent) == 1


def test_another_error_of_the_socket_fails_the_probe():
    vip = socket.inet_aton(facts()["vip"])
    wire = Wire([], waiting=[OSError(errno.EBADF, "Bad file descriptor")])
    with pytest.raises(OSError):
        watch.probe(wire, facts()["own"], vip, 0.3, clock=wire.clock)


def test_nobody_answering_is_free_when_the_time_is_up():
    vip = socket.inet_aton(facts()["vip"])
    wire = Wire([])
    assert watch.probe(wire, facts()["own"], vip, 0.3, clock=wire.clock) == ("free", [])


def test_the_watch_asks_the_guard_as_a_holder_and_says_who_asked(tmp_path, monkeypatch):
    guard = watch.load_guard()
    asked, said = [], []
    monkeypatch.setattr(guard, "main", lambda argv: asked.append(argv) or guard.STAY_OUT)
    monkeypatch.setattr(guard, "log", lambda priority, message: said.append(message))
    monkeypatch.setattr(watch, "own_mac_of", lambda interface: facts()["own"])
    monkeypatch.setattr(watch, "link_ready", lambda interface: True)
    monkeypatch.setattr(watch, "probe", lambda arp, own, vip, seconds: ("taken", [facts()["holder"]]))
    args = argparse.Namespace(
        interface="eth1", vip=facts()["vip"], state=str(tmp_path / "s.json"), yield_file=str(tmp_path / "y"), grace=10.0,
        probe_seconds=0.3)
    watch.on_vip_added(args, guard, None)
    argv = asked[0]
    assert argv[argv.index("--holding") + 1] == "yes" and argv[argv.index("--probe") + 1] == "taken"
    assert argv[argv.index("--own-mac") + 1] == facts()["own"] and argv[-1] == facts()["holder"]
    assert argv[argv.index("--asked-by") + 1] == "vip watch"
    assert said == ["vip watch: %s was added to eth1; the public segment says taken (%s); the guard says stay out"
                    % (facts()["vip"], facts()["holder"])]


class GuardStandIn(object):
    """What announce_after_leaving() asks of sipha-vip-guard: gratuitous ARPs and the log."""

    def __init__(self):
        self.sent, self.said = [], []

    def send_garp(self, interface, own_mac, sender_mac, vip):
        self.sent.append((interface, own_mac, sender_mac, vip))

    def log(self, _priority, message):
        self.said.append(message)


def leaving(monkeypatch, datagrams):
    """announce_after_leaving() for the recorded address, with DATAGRAMS waiting on a stand-in netlink socket."""
    monkeypatch.setattr(watch, "own_mac_of", lambda interface: facts()["own"])
    netlink, kernel = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    for datagram in datagrams:
        kernel.send(datagram)
    guard, clock, paused = GuardStandIn(), [0.0], []
    args = argparse.Namespace(interface="eth1", vip=facts()["added"])

    def tick():
        clock[0] += 0.25
        return clock[0]
    watch.announce_after_leaving(args, guard, netlink, int(facts()["index"]), facts()["holder"], clock=tick,
                                 pause=paused.append)
    return guard, paused


def test_the_holder_is_announced_again_when_the_vip_has_left(monkeypatch):
    removed = bytearray(recorded("newaddr.hex"))
    struct.pack_into("=H", removed, 4, watch.RTM_DELADDR)
    other = recorded("newaddr.hex")
    guard, paused = leaving(monkeypatch, [other, bytes(removed)])
    assert guard.sent == [("eth1", facts()["own"], facts()["holder"], facts()["added"])] * 2
    assert paused == [watch.LEAVE_REPEAT_S]
    assert guard.said == ["vip watch: %s left eth1; gratuitous ARP twice more: %s is at %s"
                          % (facts()["added"], facts()["added"], facts()["holder"])]


def test_the_holder_is_announced_again_when_the_vip_does_not_leave_in_time(monkeypatch):
    guard, _paused = leaving(monkeypatch, [recorded("newaddr.hex")])
    assert len(guard.sent) == 2
    assert guard.said[0].startswith("vip watch: %s is still on eth1" % facts()["added"])


def test_an_ipv6_vip_is_refused_at_start():
    with pytest.raises(SystemExit):
        watch.main(["--interface", "eth1", "--vip", "2001:db8::1", "--state", "/nonexistent/s",
                    "--yield-file", "/nonexistent/y"])
