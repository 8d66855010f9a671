# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab's RTP tool (playbooks/files/sipha-lab-rtp): the recording SIPp
plays through a takeover, and the streams read back from tcpdump's captures."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.machinery
import importlib.util
import os
import struct

import pytest

TOOL = os.path.join(os.path.dirname(__file__), "..", "..", "..", "playbooks", "files", "sipha-lab-rtp")
_loader = importlib.machinery.SourceFileLoader("sipha_lab_rtp", TOOL)
_spec = importlib.util.spec_from_loader("sipha_lab_rtp", _loader)
rtp = importlib.util.module_from_spec(_spec)
_loader.exec_module(rtp)


def _records(data):
    """(header, frame) of every record of a pcap's bytes."""
    pos, out = 24, []
    while pos < len(data):
        header = data[pos:pos + 16]
        length = struct.unpack("<I", header[8:12])[0]
        out.append((header, data[pos + 16:pos + 16 + length]))
        pos += 16 + length
    return out


def _pcap(records, head):
    return head + b"".join(header + frame for header, frame in records)


def test_the_recording_lasts_as_long_as_asked_at_50_packets_a_second():
    data = rtp.rtp_capture(3)
    packets = list(rtp.udp_packets(data))
    assert len(packets) == 150
    assert packets[0] == (0.0, "10.255.0.2:6000")
    assert packets[-1][0] == pytest.approx(2.98)


def test_the_recording_has_valid_ip_checksums():
    frame = _records(rtp.rtp_capture(1))[7][1]
    assert rtp._checksum(frame[14:34]) == 0


def test_a_silence_is_found_with_when_it_began():
    data = rtp.rtp_capture(4)
    records = _records(data)
    # 1.5 s to 2.7 s missing: the takeover.
    kept = [record for index, record in enumerate(records) if not 75 <= index < 135]
    streams = rtp.streams(rtp.udp_packets(_pcap(kept, data[:24])))
    assert list(streams) == ["10.255.0.2:6000"]
    stream = streams["10.255.0.2:6000"]
    assert stream["max_gap"] == pytest.approx(1.22)
    assert stream["gap_from"] == pytest.approx(1.48)
    assert stream["packets"] == 200 - 60
    assert stream["first"] == 0.0 and stream["last"] == pytest.approx(3.98)


def test_streams_are_told_apart_by_destination():
    one = list(rtp.udp_packets(rtp.rtp_capture(1, destination=("10.0.0.1", 7000))))
    two = list(rtp.udp_packets(rtp.rtp_capture(1, destination=("10.0.0.2", 7004))))
    streams = rtp.streams(one + two)
    assert sorted(streams) == ["10.0.0.1:7000", "10.0.0.2:7004"]
    assert all(stream["packets"] == 50 and stream["max_gap"] == 0.02 for stream in streams.values())


def test_a_linux_cooked_capture_is_read():
    data = rtp.rtp_capture(1)
    records = [(header[:8] + struct.pack("<II", len(frame) + 2, len(frame) + 2), b"\0" * 14 + b"\x08\x00" + frame[14:])
               for header, frame in _records(data)]
    head = data[:20] + struct.pack("<I", rtp.LINKTYPE_LINUX_SLL)
    assert len(list(rtp.udp_packets(_pcap(records, head)))) == 50


def test_what_is_not_a_capture_is_refused():
    with pytest.raises(ValueError, match="not a pcap capture"):
        list(rtp.udp_packets(b"\0" * 40))
