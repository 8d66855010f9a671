# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a proxy unit runs before it starts (roles/failover/files/sipha-db-wait).

A real TCP listener on loopback for the database that answers; for one that
does not, stand-ins for timeout (the connection attempt), sleep and logger
that record what the script did, so the back-off is checked without waiting.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import socket
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
SCRIPT = os.path.join(REPO, "roles", "failover", "files", "sipha-db-wait")


def run(*args, **kwargs):
    env = dict(os.environ, **kwargs.get("env", {}))
    return subprocess.run(["bash", SCRIPT] + list(args), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=20, check=False)


def test_returns_at_once_when_the_database_listens():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        result = run("127.0.0.1", str(listener.getsockname()[1]))
    finally:
        listener.close()
    assert result.returncode == 0, result.stderr


@pytest.fixture
def offline(tmp_path):
    """The database answers at the Nth attempt (file answers-at); sleep and logger only record."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stubs = {
        "timeout": 'n=$(( $(cat "$STATE/tries" 2>/dev/null || echo 0) + 1 )); echo $n > "$STATE/tries"; '
                   '[ "$n" -ge "$(cat "$STATE/answers-at")" ]',
        "sleep": 'echo "$1" >> "$STATE/pauses"',
        "logger": 'echo "$*" >> "$STATE/journal"',
    }
    for name, body in stubs.items():
        path = bin_dir / name
        path.write_text("#!/bin/bash\n" + body + "\n")
        path.chmod(0o755)
    env = {"PATH": "%s:%s" % (bin_dir, os.environ["PATH"]), "STATE": str(tmp_path)}
    return tmp_path, env


def test_waits_with_a_growing_pause_until_the_database_answers(offline):
    state, env = offline
    (state / "answers-at").write_text("8\n")
    result = run("192.0.2.5", "3306", "10", env=env)
    assert result.returncode == 0, result.stderr
    # Seven failed tries: 1 s, doubled each time, never more than the maximum.
    assert (state / "pauses").read_text().split() == ["1", "2", "4", "8", "10", "10", "10"]
    journal = (state / "journal").read_text().splitlines()
    # Each of the first five tries is logged, then one in every 60 s (try 6 at 10 s a try).
    assert [line.split("(try ")[1].split(")")[0] for line in journal[:-1]] == ["1", "2", "3", "4", "5", "6"]
    assert journal[0] == ("-t sipha-db-wait -p daemon.warning -- the database 192.0.2.5:3306 does not answer (try 1); "
                          "the proxy waits for it, next try in 1 s")
    assert journal[-1] == ("-t sipha-db-wait -p daemon.notice -- the database 192.0.2.5:3306 answers again after 7 failed "
                           "tries; the proxy starts")


def test_says_nothing_when_the_database_answers_at_the_first_try(offline):
    state, env = offline
    (state / "answers-at").write_text("1\n")
    assert run("192.0.2.5", "5432", env=env).returncode == 0
    assert not (state / "journal").exists()
    assert not (state / "pauses").exists()


def test_wants_a_host_and_a_port():
    result = run("192.0.2.5")
    assert result.returncode != 0
    assert "usage: sipha-db-wait HOST PORT [MAX_PAUSE [MARKER]]" in result.stderr


def test_marks_the_wait_while_it_lasts_and_removes_the_mark(offline):
    # The health check tells a proxy that waits from one that restarts by
    # this file: written at the first failed try, gone once it returns.
    state, env = offline
    (state / "answers-at").write_text("3\n")
    marker = state / "run" / "db-wait-kamailio.service"
    # sleep (a stand-in) sees the marker while the script waits.
    (state / "bin" / "sleep").write_text('#!/bin/bash\ncat "%s" >> "$STATE/marker-seen"\n' % marker)
    assert run("192.0.2.5", "3306", "5", str(marker), env=env).returncode == 0
    seen = (state / "marker-seen").read_text().split()
    assert len(seen) == 2 and seen[0] == seen[1] and seen[0].isdigit()
    assert not marker.exists()


def test_no_mark_when_the_database_answers_at_once(offline):
    state, env = offline
    (state / "answers-at").write_text("1\n")
    marker = state / "run" / "db-wait-kamailio.service"
    assert run("192.0.2.5", "3306", "5", str(marker), env=env).returncode == 0
    assert not marker.exists() and not marker.parent.exists()
