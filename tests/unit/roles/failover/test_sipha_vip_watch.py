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

import binascii
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


@pytest.mark.parametrize("cut", [0, 3, 16, 20, 30])
def test_a_truncated_datagram_is_read_without_error(cut):
    list(watch.added_addresses(recorded("newaddr.hex")[:cut]))


def test_the_holders_reply_names_the_holder():
    vip = socket.inet_aton(facts()["vip"])
    assert watch.answerer(recorded("reply.hex"), vip, facts()["own"]) == facts()["holder"]


def test_a_reply_for_another_address_or_from_this_node_names_nobody():
    reply = recorded("reply.hex")
    assert watch.answerer(reply, socket.inet_aton("192.0.2.1"), facts()["own"]) is None
    assert watch.answerer(reply, socket.inet_aton(facts()["vip"]), facts()["holder"].upper()) is None


def test_a_request_is_no_answer():
    # The probe itself, as another node's guard or arping would send it.
    probe = watch.probe_frame(facts()["holder"], socket.inet_aton(facts()["vip"]))
    assert watch.answerer(probe, socket.inet_aton(facts()["vip"]), facts()["own"]) is None


def test_the_probe_is_an_rfc_5227_probe_from_this_node():
    vip = socket.inet_aton(facts()["vip"])
    frame = watch.probe_frame(facts()["own"], vip)
    own = binascii.unhexlify(facts()["own"].replace(":", ""))
    assert len(frame) == 42
    assert frame[:6] == b"\xff" * 6 and frame[6:12] == own and frame[12:14] == b"\x08\x06"
    assert frame[20:22] == b"\x00\x01" and frame[22:28] == own
    assert frame[28:32] == b"\x00" * 4 and frame[38:42] == vip


class Wire(object):
    """A socket's stand-in for probe(): frames queued with their packet type, a clock given by hand."""

    def __init__(self, frames):
        self.frames = list(frames)
        self.sent = []
        self.now = 0.0
        self._pair = socket.socketpair()

    def setblocking(self, _flag):
        pass

    def recv(self, _size):
        raise BlockingIOError()

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
        frame, kind = self.frames.pop(0)
        return frame, ("eth1", 0x0806, kind, 1, b"")

    def clock(self):
        return self.now


def test_the_probe_ends_at_the_first_reply_from_another_node():
    vip = socket.inet_aton(facts()["vip"])
    own_probe = watch.probe_frame(facts()["own"], vip)
    wire = Wire([(own_probe, socket.PACKET_OUTGOING), (recorded("reply.hex"), socket.PACKET_HOST)])
    assert watch.probe(wire, facts()["own"], vip, 0.3, clock=wire.clock) == ("taken", [facts()["holder"]])
    assert wire.sent == [own_probe]


def test_nobody_answering_is_free_when_the_time_is_up():
    vip = socket.inet_aton(facts()["vip"])
    wire = Wire([])
    assert watch.probe(wire, facts()["own"], vip, 0.3, clock=wire.clock) == ("free", [])


def test_an_ipv6_vip_is_refused_at_start():
    with pytest.raises(SystemExit):
        watch.main(["--interface", "eth1", "--vip", "2001:db8::1", "--state", "/nonexistent/s",
                    "--yield-file", "/nonexistent/y"])
