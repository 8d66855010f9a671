# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What heartbeat's unit runs before it starts (roles/heartbeat/files/sipha-heartbeat-join).

The VIP probe is a stand-in script whose answers come from a file, one per
try; logger records its lines. The peers' heartbeats are real UDP datagrams
sent on loopback to a free port.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
SCRIPT = os.path.join(REPO, "roles", "heartbeat", "files", "sipha-heartbeat-join")

# Drives the script with real time windows: make test runs these with the machine to
# themselves (pytest.ini).
pytestmark = pytest.mark.wall_clock


def free_udp_port():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def node(tmp_path):
    """A stand-in VIP probe answering from the file 'verdicts' (one exit code per try, the last one repeated)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    probe = bin_dir / "vip-taken"
    probe.write_text('#!/bin/bash\nn=$(( $(cat "$STATE/tries" 2>/dev/null || echo 0) + 1 )); echo $n > "$STATE/tries"\n'
                     'v=$(sed -n "${n}p" "$STATE/verdicts"); [ -n "$v" ] || v=$(tail -n1 "$STATE/verdicts"); exit "$v"\n')
    probe.chmod(0o755)
    logger = bin_dir / "logger"
    logger.write_text('#!/bin/bash\necho "$*" >> "$STATE/journal"\n')
    logger.chmod(0o755)
    env = dict(os.environ, PATH="%s:%s" % (bin_dir, os.environ["PATH"]), STATE=str(tmp_path))
    return tmp_path, env, str(probe)


def start(node, port, *peers, **kwargs):
    state, env, probe = node
    args = [sys.executable, SCRIPT, "--port", str(port), "--listen", str(kwargs.get("listen", 0.3)),
            "--max-pause", "0.2", "--unsure-for", str(kwargs.get("unsure_for", 20)), "--vip-probe", probe] + list(peers)
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)


def journal(state):
    path = state / "journal"
    return path.read_text().splitlines() if path.exists() else []


def send_heartbeats(port, source, stop):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((source, 0))
    while not stop.is_set():
        sock.sendto(b"heartbeat", ("127.0.0.1", port))
        time.sleep(0.05)
    sock.close()


@contextlib.contextmanager
def heartbeats_from(source, port):
    """Datagrams from SOURCE to PORT every 50 ms while the block runs."""
    stop = threading.Event()
    sender = threading.Thread(target=send_heartbeats, args=(port, source, stop))
    sender.start()
    try:
        yield
    finally:
        stop.set()
        sender.join()


def test_starts_at_once_when_nobody_holds_the_vip(node):
    state, _env, _probe = node
    (state / "verdicts").write_text("1\n")
    started = time.monotonic()
    process = start(node, free_udp_port(), "127.0.0.2")
    assert process.wait(timeout=10) == 0
    # It did not listen for a peer at all: a cold start of the cluster is not held up.
    assert time.monotonic() - started < 2
    assert (state / "tries").read_text().strip() == "1"
    assert journal(state) == []


def test_waits_while_another_node_serves_and_no_heartbeat_comes_then_joins(node):
    # The fenced node after a cut link: the survivor answers for the VIP and
    # its heartbeats do not arrive. Once they do, heartbeat may start.
    state, _env, _probe = node
    (state / "verdicts").write_text("0\n")
    port = free_udp_port()
    process = start(node, port, "127.0.0.2")
    time.sleep(2)
    assert process.poll() is None, "heartbeat would start while the node that serves is out of earshot"
    waiting = journal(state)
    assert waiting and all("heartbeat waits" in line for line in waiting)
    assert "no heartbeat of 127.0.0.2 reaches here on UDP %d" % port in waiting[0]
    with heartbeats_from("127.0.0.2", port):
        assert process.wait(timeout=10) == 0
    assert "the heartbeat of 127.0.0.2 reaches here again" in journal(state)[-1]


def test_a_stranger_heard_on_the_port_is_no_peer(node):
    state, _env, _probe = node
    (state / "verdicts").write_text("0\n")
    port = free_udp_port()
    process = start(node, port, "127.0.0.2")
    try:
        with heartbeats_from("127.0.0.3", port):
            time.sleep(1.5)
            assert process.poll() is None
    finally:
        process.kill()
        process.wait()


def test_joins_when_the_peer_is_heard_at_the_first_try_and_says_nothing(node):
    state, _env, _probe = node
    (state / "verdicts").write_text("0\n")
    port = free_udp_port()
    with heartbeats_from("127.0.0.2", port):
        process = start(node, port, "192.0.2.9", "127.0.0.2", listen=5)
        assert process.wait(timeout=10) == 0
    assert journal(state) == []


def test_starts_when_the_vip_is_free_again(node):
    state, _env, _probe = node
    (state / "verdicts").write_text("0\n0\n1\n")
    process = start(node, free_udp_port(), "127.0.0.2")
    assert process.wait(timeout=10) == 0
    lines = journal(state)
    assert len(lines) == 3 and "nobody answers for the VIP" in lines[-1]


@pytest.mark.parametrize("verdict", ["3", "127"])
def test_starts_at_once_when_the_probe_cannot_ask(node, verdict):
    state, _env, _probe = node
    (state / "verdicts").write_text(verdict + "\n")
    assert start(node, free_udp_port(), "127.0.0.2").wait(timeout=10) == 0
    assert (state / "tries").read_text().strip() == "1"
    assert "cannot tell whether another node holds the VIP" in journal(state)[0]


def test_asks_again_while_the_probe_cannot_tell_then_follows_its_answer(node):
    # The public link comes up late at boot: unsure twice, then taken.
    state, _env, _probe = node
    (state / "verdicts").write_text("2\n2\n0\n")
    process = start(node, free_udp_port(), "127.0.0.2", unsure_for=30)
    time.sleep(1.5)
    assert process.poll() is None
    process.kill()
    process.wait()
    assert int((state / "tries").read_text()) >= 3
    assert all("heartbeat waits" in line for line in journal(state))


def test_starts_when_the_probe_stays_unsure_too_long(node):
    state, _env, _probe = node
    (state / "verdicts").write_text("2\n")
    assert start(node, free_udp_port(), "127.0.0.2", unsure_for=0.5).wait(timeout=10) == 0
    assert int((state / "tries").read_text()) >= 2
    assert "cannot tell whether another node holds the VIP" in journal(state)[-1]


def test_a_failure_of_the_check_itself_does_not_keep_heartbeat_down(node):
    state, env, probe = node
    (state / "verdicts").write_text("0\n")
    # A port that is not a port: listening fails in a way nothing expects.
    result = subprocess.run([sys.executable, SCRIPT, "--port", "99999", "--listen", "0.2", "--vip-probe", probe,
                             "127.0.0.2"], env=env, capture_output=True, text=True, timeout=20, check=False)
    assert result.returncode == 0, result.stderr
    assert "the join check failed" in journal(state)[-1]


def test_starts_when_the_port_is_taken(node):
    state, _env, _probe = node
    (state / "verdicts").write_text("0\n")
    holder = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    holder.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    holder.bind(("::", 0))
    try:
        assert start(node, holder.getsockname()[1], "127.0.0.2").wait(timeout=10) == 0
    finally:
        holder.close()
    assert "cannot listen on UDP" in journal(state)[0]
