# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource-group script the HA managers call (roles/failover/files/sipha-failover).

The real script runs under bash against stand-ins for ip, systemctl, logger
and the SIP probe that keep their state in files, so that each decision it
makes (order of the group, stale notify events, the health check's verdict)
can be checked without a kernel or systemd to change. molecule/default runs
it for real under keepalived, molecule/heartbeat under heartbeat.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json
import os
import re
import shutil
import subprocess
import textwrap
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
SCRIPT = os.path.join(REPO, "roles", "failover", "files", "sipha-failover")
HEALTH_FILES = [
    (os.path.join(REPO, "roles", "failover", "files", "sipha-health"), "sipha-health"),
    (os.path.join(REPO, "plugins", "module_utils", "failover_health.py"), "sipha_failover_health.py"),
    (os.path.join(REPO, "plugins", "module_utils", "vip_state.py"), "sipha_vip_state.py"),
]

# Drives the script with real time windows: make test runs these with the machine to
# themselves (pytest.ini).
pytestmark = pytest.mark.wall_clock

VIP = "203.0.113.10"
STUBS = {
    # ip: the VIP is on eth1 while $STATE/vip exists (the IPv6 VIP of a dual-stack cluster while
    # $STATE/vip6 does); the default route lives in $STATE/route (the IPv6 one in $STATE/route6).
    # sipha-health reads the same state as JSON (what iproute2 6.1 prints, with only the keys read).
    "ip": r"""
        echo "ip $*" >> "$STATE/calls"
        case "$*" in
          "-o -4 addr show dev eth1") [ -e "$STATE/vip" ] && echo "3: eth1    inet 203.0.113.10/24 scope global eth1" ;;
          "-o -6 addr show dev eth1") [ -e "$STATE/vip6" ] && echo "3: eth1    inet6 2001:db8:20::10/64 scope global nodad" ;;
          "-j addr show dev eth1")
            flags='"BROADCAST","MULTICAST","UP","LOWER_UP"' addr=''
            [ -e "$STATE/link-down" ] && flags='"BROADCAST","MULTICAST"'
            [ -e "$STATE/vip" ] && addr='{"family":"inet","local":"203.0.113.10","prefixlen":24,"scope":"global"}'
            [ -e "$STATE/vip6" ] && addr="$addr${addr:+,}"'{"family":"inet6","local":"2001:db8:20::10","prefixlen":64,"scope":"global"}'
            printf '[{"ifindex":3,"ifname":"eth1","flags":[%s],"addr_info":[%s]}]\n' "$flags" "$addr" ;;
          "-j -4 route show default" | "-j -6 route show default")
            file="$STATE/route"; [ "$2" = -6 ] && file="$STATE/route6"
            if [ -e "$file" ]; then
              read -r _ _ via _ dev _ src _ < "$file"
              printf '[{"dst":"default","gateway":"%s","dev":"%s","prefsrc":"%s","flags":[]}]\n' "$via" "$dev" "$src"
            else echo '[]'; fi ;;
          # The public link is up unless $STATE/link-down exists.
          "-o link show dev eth1")
            if [ -e "$STATE/link-down" ]; then echo "3: eth1: <BROADCAST,MULTICAST> mtu 1500 state DOWN"
            else echo "3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP mode DEFAULT\    link/ether 02:00:00:00:00:0b brd ff:ff:ff:ff:ff:ff"; fi ;;
          "-4 route replace default via "*) shift 4; echo "default $* " > "$STATE/route" ;;
          "-6 route replace default via "*) shift 4; echo "default $* " > "$STATE/route6" ;;
          # The floating private address is on eth0 while $STATE/private-vip exists.
          "addr replace 10.0.0.100/24 dev eth0") touch "$STATE/private-vip" ;;
          "addr del 10.0.0.100/24 dev eth0") rm "$STATE/private-vip" ;;
          "-o addr show dev eth0")
            [ -e "$STATE/private-vip" ] && echo "2: eth0    inet 10.0.0.100/24 scope global secondary eth0"; true ;;
          "-4 route del default dev eth1") [ -e "$STATE/route" ] && rm "$STATE/route" ;;
          "-6 route del default dev eth1") [ -e "$STATE/route6" ] && rm "$STATE/route6" ;;
          # heartbeat's route member brings the IPv6 VIP itself.
          "-6 addr replace 2001:db8:20::10/64 dev eth1 nodad") touch "$STATE/vip6" ;;
          "-6 addr del 2001:db8:20::10/64 dev eth1") rm "$STATE/vip6" ;;
          "-4 route show default dev eth1") [ -e "$STATE/route" ] && sed 's/ dev eth1//' "$STATE/route"; true ;;
          "-6 route show default dev eth1") [ -e "$STATE/route6" ] && sed 's/ dev eth1//' "$STATE/route6"; true ;;
          *) echo "unexpected: ip $*" >&2; exit 99 ;;
        esac
    """,
    "systemctl": r"""
        echo "systemctl $*" >> "$STATE/calls"
        case "$1" in
          start) [ "$2" = --no-block ] && shift; touch "$STATE/active-$2" ;;
          stop) rm -f "$STATE/active-$2" ;;
          # restart: the unit runs afterwards and the SIP probe answers
          # again only when $STATE/restart-heals exists.
          restart) touch "$STATE/active-$2"; [ -e "$STATE/restart-heals" ] && touch "$STATE/sip-answers"; true ;;
          # Like systemd: only a failed unit is reset.
          reset-failed) grep -qx failed "$STATE/unitstate-$2" 2>/dev/null && rm -f "$STATE/unitstate-$2"; true ;;
          # show -p NRestarts --value UNIT: systemd's own restarts, one more
          # at each look while $STATE/systemd-restarts exists.
          show)
            n=$(cat "$STATE/nrestarts-$5" 2>/dev/null || echo 0)
            [ -e "$STATE/systemd-restarts" ] && { n=$((n + 1)); echo "$n" > "$STATE/nrestarts-$5"; }
            echo "$n" ;;
          --quiet) [ -e "$STATE/active-$3" ] ;;
          # Like systemd: the state on stdout, 0 only when active. A file
          # unitstate-<unit> holds any other state (activating, failed).
          is-active)
            shift; rc=3
            for unit in "$@"; do
              if [ -e "$STATE/active-$unit" ]; then echo active; rc=0
              elif [ -e "$STATE/unitstate-$unit" ]; then cat "$STATE/unitstate-$unit"
              else echo inactive; fi
            done
            exit $rc ;;
          *) exit 99 ;;
        esac
    """,
    "logger": r"""echo "$*" >> "$STATE/journal" """,
    # The VIP answers while $STATE/sip-answers exists, a peer while sip-answers-<peer> does.
    "sipha-sip-ping": r"""
        echo "sip-ping $*" >> "$STATE/calls"
        if [ "$1" = 203.0.113.10 ]; then [ -e "$STATE/sip-answers" ]; else [ -e "$STATE/sip-answers-$1" ]; fi
    """,
    # iputils' arping: its exit code from $STATE/arping-exit (0: no reply to DAD probes, 1: a reply),
    # what it prints from $STATE/arping-prints. A message on stderr from $STATE/arping-says
    # (arping exits 1 for some usage errors too). With $STATE/arping-waits-for, it answers only
    # once that line is in the calls (10 s at most), and says "arping done" in the calls then.
    "arping": r"""
        echo "arping $*" >> "$STATE/calls"
        if [ -e "$STATE/arping-waits-for" ]; then
            for _ in $(seq 200); do grep -qxF -f "$STATE/arping-waits-for" "$STATE/calls" && break; sleep 0.05; done
            echo "arping done" >> "$STATE/calls"
        fi
        [ -e "$STATE/arping-prints" ] && cat "$STATE/arping-prints"
        [ -e "$STATE/arping-says" ] && cat "$STATE/arping-says" >&2
        exit "$(cat "$STATE/arping-exit" 2>/dev/null || echo 0)"
    """,
    # resource-agents' send_ua: the unsolicited neighbour advertisements of the IPv6 VIP.
    "send_ua": r"""echo "send_ua $*" >> "$STATE/calls" """,
    # heartbeat's hb_standby: the peer takes the group (the VIP leaves).
    "hb_standby": r"""echo "hb_standby $*" >> "$STATE/calls"; rm -f "$STATE/vip" """,
}


@pytest.fixture
def node(tmp_path):
    """A fake node: stub commands first in PATH, a failover.conf, a state dir.

    The stand-in arping answers at once (unless a test makes it wait), but
    it is a shell script: the ARP probes' windows (tenths of a second on a
    real node) are 20 s here, so that a busy machine cannot turn its answer
    into "cannot tell".
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in STUBS.items():
        path = bin_dir / name
        path.write_text("#!/bin/bash\n" + textwrap.dedent(body))
        path.chmod(0o755)
    # The judgement in Python, laid out as the failover role installs it.
    for source, name in HEALTH_FILES:
        shutil.copy(source, str(bin_dir / name))
    state = tmp_path / "state"
    state.mkdir()
    conf = tmp_path / "failover.conf"
    conf.write_text(textwrap.dedent("""\
        VIP=%s
        PUBLIC_IF=eth1
        GATEWAY=203.0.113.1
        PROXY_UNITS='proxy.service'
        PROXY_STANDBY=hot
        ADDON_UNITS='relay.service extra.service'
        ADDON_STANDBY=cold
        SIP_CHECK=yes
        SIP_PORT=5060
        SIP_TIMEOUT=1.0
        PEERS='10.0.0.12 10.0.0.13'
        LIBEXEC_DIR=%s
        STATE_DIR=%s
        LOCK_FILE=%s
        FAILOVER_TAG=sipha-failover
        RUN_DIR=%s
        GIVEN_UP_FILE=%s
        WATCH_INTERVAL=0.1
        WATCH_FALL=1
        RESTART_LIMIT=2
        RESTART_WINDOW=60
        HANDOVER_COMMAND='%s all'
        HANDOVER_TIMEOUT=2
        VIP_PROBE_SECONDS=20
        VIP_GUARD_PROBE_SECONDS=20
        VIP_GUARD_RELEASE_PROBE_SECONDS=20
        SEND_UA=%s
        """ % (VIP, bin_dir, tmp_path / "lib", tmp_path / "lock", tmp_path / "run", state / "given-up",
                    bin_dir / "hb_standby", bin_dir / "send_ua")))

    class Node(object):
        def write(self, name, text):
            (state / name).write_text(text)

        def run(self, *args, **kwargs):
            env = dict(os.environ, PATH="%s:%s" % (bin_dir, os.environ["PATH"]), STATE=str(state), SIPHA_FAILOVER_CONF=str(conf))
            # for=SECONDS: a command that runs until stopped (watch) is ended then.
            limit = ["timeout", str(kwargs["for_seconds"])] if "for_seconds" in kwargs else []
            return subprocess.run(limit + ["bash", SCRIPT] + list(args), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  universal_newlines=True, timeout=30, check=False)

        def has(self, name):
            return (state / name).exists()

        def add_setting(self, line):
            conf.write_text(conf.read_text() + line + "\n")

        def set(self, name, present=True):
            if present and name == "route":
                (state / name).write_text("default via 203.0.113.1 dev eth1 src %s \n" % VIP)
            elif present:
                (state / name).touch()
            elif (state / name).exists():
                (state / name).unlink()

        def read(self, name):
            path = state / name
            return path.read_text() if path.exists() else ""

        def recorded(self, name):
            """A file the script keeps in its STATE_DIR (transitions.log, state)."""
            path = tmp_path / "lib" / name
            return path.read_text() if path.exists() else ""

        def calls(self):
            return [line for line in self.read("calls").splitlines() if not line.startswith(("ip -o", "ip -j", "ip -4 route show", "ip -6 route show"))]

        lib = tmp_path / "lib"
        lock = tmp_path / "lock"
        conf_file = conf
        bin = bin_dir
        run_dir = tmp_path / "run"

    return Node()


def test_up_builds_the_group_in_order(node):
    node.set("vip")
    result = node.run("up")
    assert result.returncode == 0, result.stderr
    assert [call for call in node.calls() if not call.startswith("systemctl is-active")] == [
        "ip -4 route replace default via 203.0.113.1 dev eth1 src 203.0.113.10",
        "systemctl reset-failed proxy.service",
        "systemctl start proxy.service",
        "systemctl reset-failed relay.service",
        "systemctl start relay.service",
        "systemctl reset-failed extra.service",
        "systemctl start extra.service",
    ]
    assert "up: resource group is up" in node.read("journal")


def test_up_refuses_the_route_without_the_vip(node):
    result = node.run("up")
    assert result.returncode == 1
    assert node.calls() == [] and not node.has("route")
    assert "is not on eth1, so no default route" in node.read("journal")


def test_down_stops_cold_units_in_reverse_then_the_route_and_leaves_hot_ones(node):
    node.set("route")
    result = node.run("down")
    assert result.returncode == 0, result.stderr
    assert node.calls() == [
        "systemctl stop extra.service",
        "systemctl stop relay.service",
        "ip -4 route del default dev eth1",
        "ip -4 route del default dev eth1",
        "ip -6 route del default dev eth1",
    ]
    assert not node.has("route")


def test_notify_master_records_the_transition_and_brings_the_group_up(node):
    node.set("vip")
    assert node.run("notify", "INSTANCE", "SIP", "MASTER", "150").returncode == 0
    line = node.recorded("transitions.log").strip()
    assert line.endswith(" INSTANCE SIP MASTER priority=150") and line[:4].isdigit(), line
    assert node.recorded("state").strip() == "MASTER"
    assert node.has("route") and node.has("active-relay.service")


def test_a_stale_master_does_nothing(node):
    assert node.run("notify", "INSTANCE", "SIP", "MASTER", "150").returncode == 0
    assert node.calls() == []
    assert "MASTER but 203.0.113.10 is gone already" in node.read("journal")


def test_a_master_that_comes_after_the_fault_it_caused_is_logged_not_remembered(node):
    # The VIP watch put a newcomer out within milliseconds: keepalived's
    # notify FAULT won the lock, and its MASTER comes after, the VIP gone.
    assert node.run("notify", "INSTANCE", "SIP", "FAULT", "150").returncode == 0
    assert node.run("notify", "INSTANCE", "SIP", "MASTER", "150").returncode == 0
    assert node.recorded("transitions.log").splitlines()[-1].endswith(" INSTANCE SIP MASTER stale")
    assert node.recorded("state").strip() == "FAULT"
    assert (node.run_dir / "keepalived-state").read_text().strip() == "FAULT"
    assert not node.has("route")


def test_a_stale_backup_leaves_the_holder_alone(node):
    node.set("vip")
    node.set("route")
    assert node.run("notify", "INSTANCE", "SIP", "BACKUP", "150").returncode == 0
    assert node.calls() == [] and node.has("route")
    assert "BACKUP but 203.0.113.10 is here" in node.read("journal")
    assert node.recorded("state") == ""


@pytest.mark.parametrize("state", ["FAULT", "BACKUP", "STOP"])
def test_leaving_master_takes_the_group_down(node, state):
    node.set("route")
    node.set("active-relay.service")
    assert node.run("notify", "INSTANCE", "SIP", state, "150").returncode == 0
    assert not node.has("route") and not node.has("active-relay.service")


def test_stop_takes_the_group_down_even_with_the_vip(node):
    node.set("vip")
    node.set("route")
    assert node.run("notify", "INSTANCE", "SIP", "STOP", "150").returncode == 0
    assert not node.has("route")


def test_an_unknown_state_is_refused_and_not_recorded(node):
    assert node.run("notify", "INSTANCE", "SIP", "DELETED", "0").returncode == 2
    assert node.recorded("state") == "" and "unknown state DELETED" in node.read("journal")


def healthy_active(node):
    for name in ("vip", "route", "sip-answers", "active-proxy.service", "active-relay.service", "active-extra.service"):
        node.set(name)


def test_check_passes_on_a_healthy_active_node(node):
    healthy_active(node)
    assert node.run("check").returncode == 0
    assert node.read("journal") == ""


def test_check_passes_on_a_standby_without_its_cold_units(node):
    node.set("active-proxy.service")
    assert node.run("check").returncode == 0
    assert "sip-ping" not in node.read("calls")


def test_check_fails_when_a_hot_unit_stops(node):
    healthy_active(node)
    node.set("active-proxy.service", False)
    assert node.run("check").returncode == 1
    assert "check failed: proxy.service is inactive" in node.read("journal")


@pytest.mark.parametrize("state", ["activating", "deactivating", "reloading"])
def test_check_waits_while_systemd_restarts_the_proxy(node, state):
    # Restart first: a crashed proxy that systemd is starting again is no
    # reason to move the group, and cannot answer SIP yet.
    healthy_active(node)
    node.set("active-proxy.service", False)
    node.write("unitstate-proxy.service", state + "\n")
    assert node.run("check").returncode == 0
    assert "sip-ping" not in node.read("calls")
    assert "check: proxy.service is %s, waiting for systemd" % state in node.read("journal")


def test_check_fails_once_the_restarts_ran_out(node):
    # ... then move: systemd leaves a unit whose restarts ran out failed.
    healthy_active(node)
    node.set("active-proxy.service", False)
    node.write("unitstate-proxy.service", "failed\n")
    assert node.run("check").returncode == 1
    assert "check failed: proxy.service is failed" in node.read("journal")


def test_check_fails_when_the_sip_service_does_not_answer(node):
    healthy_active(node)
    node.set("sip-answers", False)
    assert node.run("check").returncode == 1
    assert "sip-ping 203.0.113.10 5060 --timeout 1.0" in node.read("calls")
    assert "no answer to SIP OPTIONS" in node.read("journal")


def test_check_puts_a_lost_route_back(node):
    healthy_active(node)
    node.set("route", False)
    assert node.run("check").returncode == 0
    assert node.has("route") and "default route is missing; adding it again" in node.read("journal")


def test_check_leaves_the_route_down_while_heartbeat_takes_the_group_away(node):
    # heartbeat stops the route member, then removes the VIP: the watch's
    # check in between must not answer the phones once more.
    healthy_active(node)
    assert node.run("resource", "route", "stop").returncode == 0
    assert node.has("vip") and not node.has("route")
    assert node.run("check").returncode == 0
    assert not node.has("route") and "adding it again" not in node.read("journal")
    # Once it is back (route start: ACTIVE), a lost route is put back again.
    assert node.run("resource", "route", "start").returncode == 0
    node.set("route", False)
    assert node.run("check").returncode == 0
    assert node.has("route")


def test_check_fails_when_the_route_cannot_be_restored(node, tmp_path):
    healthy_active(node)
    node.set("route", False)
    # An ip that cannot add routes.
    broken = tmp_path / "bin" / "ip"
    broken.write_text(broken.read_text().replace('echo "default $* " > "$STATE/route"', "exit 2"))
    # 3: the node, not its proxy, is broken.
    assert node.run("check").returncode == 3
    assert "no default route via 203.0.113.1 with source 203.0.113.10" in node.read("journal")


@contextlib.contextmanager
def group_moving(node):
    """up, down or notify at work: another process holds the lock."""
    holder = subprocess.Popen(["flock", str(node.lock), "sleep", "5"])
    try:
        for dummy in range(50):
            if subprocess.run(["flock", "-n", str(node.lock), "true"], check=False).returncode != 0:
                break
        yield
    finally:
        holder.terminate()
        holder.wait()


def test_check_passes_while_the_group_is_moving(node):
    # A node taking over holds the lock while its cold units start: not a fault.
    node.set("vip")
    with group_moving(node):
        assert node.run("check").returncode == 0
        assert node.read("calls") == ""


def test_a_health_judgement_that_cannot_run_fails_the_check_and_says_why(node):
    # A rollout that lost sipha-health: the node cannot tell whether it can serve.
    healthy_active(node)
    (node.bin / "sipha-health").unlink()
    assert node.run("check").returncode == 1
    assert "check: cannot run %s/sipha-health" % node.bin in node.read("journal")


def test_a_health_judgement_without_its_modules_fails_the_check_and_says_why(node):
    healthy_active(node)
    (node.bin / "sipha_vip_state.py").unlink()
    assert node.run("check").returncode == 1
    assert "check: sipha-health cannot load its modules (No module named 'sipha_vip_state')" in node.read("journal")


def test_check_replaces_a_route_via_another_router(node):
    # vip_state's rule: the holder's route goes via the public gateway.
    healthy_active(node)
    node.write("route", "default via 203.0.113.254 dev eth1 src 203.0.113.10 \n")
    assert node.run("resource", "route", "status").stdout == "stopped\n"
    assert node.run("check").returncode == 0
    assert node.read("route") == "default via 203.0.113.1 dev eth1 src 203.0.113.10 \n"
    assert "default route is missing; adding it again" in node.read("journal")


def test_a_kernel_that_cannot_be_read_fails_the_check_and_says_why(node):
    healthy_active(node)
    broken = node.bin / "ip"
    broken.write_text(broken.read_text().replace('case "$*" in', 'case "$*" in\n  -j*) echo "ip: broken" >&2; exit 1 ;;'))
    assert node.run("check").returncode == 1
    assert "check failed: OSError: ip -j addr show dev eth1 failed (exit 1): ip: broken" in node.read("journal")


def test_the_route_is_not_repaired_while_the_group_is_moving(node):
    node.set("vip")
    assert node.run("route", "repair").returncode == 0
    assert node.has("route")
    node.set("route", False)
    with group_moving(node):
        assert node.run("route", "repair").returncode == 0
    assert not node.has("route")


def test_a_missing_settings_file_is_logged(node, tmp_path):
    (tmp_path / "failover.conf").unlink()
    result = node.run("check")
    assert result.returncode == 2
    assert "cannot read" in node.read("journal")


# heartbeat's resource members (resource.d/sipha) and the watch.


def test_resource_route_marks_the_group_active_and_answers_status(node):
    node.set("vip")
    assert node.run("resource", "route", "status").stdout == "stopped\n"
    result = node.run("resource", "route", "start")
    assert result.returncode == 0, result.stderr
    assert node.has("route")
    assert node.run("resource", "route", "status").stdout == "running\n"
    assert node.recorded("state") == "ACTIVE\n"
    assert node.run("resource", "route", "stop").returncode == 0
    assert not node.has("route")
    assert node.run("resource", "route", "status").stdout == "stopped\n"
    assert node.recorded("state") == "STANDBY\n"
    assert [line.split()[1:4] for line in node.recorded("transitions.log").splitlines()] == [
        ["GROUP", "heartbeat", "ACTIVE"], ["GROUP", "heartbeat", "STANDBY"]]


def test_a_hot_proxy_is_running_only_where_heartbeat_started_it(node):
    node.set("active-proxy.service")  # hot: it runs on every node
    assert node.run("resource", "proxy", "proxy.service", "status").stdout == "stopped\n"
    assert node.run("resource", "proxy", "proxy.service", "start").returncode == 0
    assert node.run("resource", "proxy", "proxy.service", "status").stdout == "running\n"
    assert node.run("resource", "proxy", "proxy.service", "stop").returncode == 0
    # Given back, but still running: a hot standby keeps it.
    assert node.has("active-proxy.service")
    assert "systemctl stop proxy.service" not in node.calls()
    assert node.run("resource", "proxy", "proxy.service", "status").stdout == "stopped\n"


def test_a_cold_add_on_starts_with_the_group_and_stops_with_it(node):
    assert node.run("resource", "addon", "relay.service", "start").returncode == 0
    assert node.run("resource", "addon", "relay.service", "status").stdout == "running\n"
    assert node.run("resource", "addon", "relay.service", "stop").returncode == 0
    assert not node.has("active-relay.service")
    assert [call for call in node.calls() if "is-active" not in call] == [
        "systemctl reset-failed relay.service", "systemctl start relay.service", "systemctl stop relay.service"]
    journal = node.read("journal")
    assert "up: add-on relay.service started (cold standby)" in journal
    assert "down: add-on relay.service stopped" in journal


@pytest.mark.parametrize("args", [["resource"], ["resource", "disk", "start"], ["resource", "proxy", "p.service", "reload"]])
def test_resource_usage_errors(node, args):
    result = node.run(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr


def group_held(node):
    """This node holds the group: VIP, route, the hot proxy and the cold add-ons run."""
    for name in ("vip", "route", "active-proxy.service", "active-relay.service", "active-extra.service"):
        node.set(name)


def decisions(node):
    """The watch's journal lines, without logger's options."""
    return [line.split(" -- ", 1)[1] for line in node.read("journal").splitlines() if " -- watch:" in line]


def test_watch_restarts_a_silent_proxy_and_stays_when_that_heals_it(node):
    group_held(node)
    node.set("restart-heals")  # the proxy hangs (no SIP answer) until restarted
    result = node.run("watch", for_seconds=1.5)
    assert result.returncode == 124  # still watching when stopped
    assert decisions(node)[1:] == ["watch: restarting proxy.service (restart 1 of 2 in 60 s)"]
    assert node.has("vip")
    assert not [call for call in node.calls() if call.startswith("hb_standby")]


def test_watch_hands_the_group_over_once_the_restarts_run_out(node):
    group_held(node)  # and the proxy never answers SIP
    result = node.run("watch", for_seconds=3)
    assert result.returncode == 124
    assert decisions(node)[1:] == [
        "watch: restarting proxy.service (restart 1 of 2 in 60 s)",
        "watch: restarting proxy.service (restart 2 of 2 in 60 s)",
        "watch: 2 restarts in 60 s and still failing; handing the group to a peer (%s all)" % (node.lib.parent / "bin" / "hb_standby"),
        "watch: the group left this node after 0 s",
    ]
    assert not node.has("vip")
    # Once the group is gone the watch leaves the node alone.
    assert len([call for call in node.calls() if call.startswith("systemctl restart")]) == 2


def test_watch_counts_the_restarts_systemd_made(node):
    group_held(node)
    # systemd restarts the proxy between every two looks; the watch's own
    # budget of two is then spent after one restart of its own.
    node.set("systemd-restarts")
    result = node.run("watch", for_seconds=3)
    assert result.returncode == 124
    seen = decisions(node)[1:]
    assert seen[0] == "watch: systemd restarted proxy.service (restart 1 in the window)"
    assert "watch: restarting proxy.service (restart 2 of 2 in 60 s)" in seen
    assert "watch: restarting proxy.service (restart 1 of 2 in 60 s)" not in seen
    assert any(line.startswith("watch: ") and "handing the group to a peer" in line for line in seen)


def test_watch_takes_a_probe_that_cannot_run_for_a_silent_proxy(node):
    group_held(node)
    node.set("sip-answers")
    (node.bin / "sipha-sip-ping").unlink()
    result = node.run("watch", for_seconds=1.5)
    assert result.returncode == 124
    # A failed check like any other: restart first (the probe does not come back, so more follows).
    assert decisions(node)[1] == "watch: restarting proxy.service (restart 1 of 2 in 60 s)"


def test_a_watch_with_settings_it_cannot_use_says_which(node):
    node.conf_file.write_text(node.conf_file.read_text().replace("WATCH_INTERVAL=0.1", "WATCH_INTERVAL=soon"))
    result = node.run("watch", for_seconds=5)
    assert result.returncode == 2
    assert "watch: WATCH_INTERVAL must be a number, got 'soon' (failover.conf)" in node.read("journal")


def test_watch_leaves_a_standby_alone(node):
    node.set("active-proxy.service")  # no VIP here; the proxy does not answer
    result = node.run("watch", for_seconds=1)
    assert result.returncode == 124
    assert decisions(node)[1:] == []
    assert not [call for call in node.calls() if call.startswith(("systemctl restart", "hb_standby"))]


def test_check_fails_with_3_when_the_public_link_is_down(node):
    group_held(node)
    node.set("sip-answers")  # the VIP still answers locally
    assert node.run("check").returncode == 0
    node.set("link-down")
    assert node.run("check").returncode == 3
    assert "check failed: the public link eth1 is down" in node.read("journal")


def test_watch_hands_over_at_once_when_the_public_link_is_down(node):
    group_held(node)
    node.set("sip-answers")
    node.set("link-down")
    result = node.run("watch", for_seconds=1.5)
    assert result.returncode == 124
    assert decisions(node)[1:] == [
        "watch: this node cannot serve the group (public link, route, or a proxy waiting for the database while a peer's runs);"
        " restarting the proxy would not help",
        "watch: handing the group to a peer (%s all)" % (node.lib.parent / "bin" / "hb_standby"),
        "watch: the group left this node after 0 s",
    ]
    assert not [call for call in node.calls() if call.startswith("systemctl restart")]


def test_a_proxy_given_up_by_systemd_is_written_for_keepalived(node):
    node.set("active-proxy.service", False)
    node.write("unitstate-proxy.service", "failed\n")
    assert node.run("track-given-up").returncode == 0
    assert node.read("given-up") == "1\n"
    assert "given up: systemd will not restart proxy.service again" in node.read("journal")


@pytest.mark.parametrize("state", ["activating", "inactive"])
def test_a_proxy_being_restarted_or_stopped_is_not_given_up(node, state):
    # Restart first: systemd is still at it (activating). A proxy stopped
    # on purpose is the health check's business, not a crash.
    node.set("active-proxy.service", False)
    node.write("unitstate-proxy.service", state + "\n")
    node.write("given-up", "1\n")
    assert node.run("track-given-up").returncode == 0
    assert node.read("given-up") == "0\n"
    assert "given up" not in node.read("journal")


def waiting_for_the_database(node, active=True):
    """The proxy is starting, and sipha-db-wait (this live test process here) has written its marker."""
    if active:
        healthy_active(node)
    node.set("active-proxy.service", False)
    node.write("unitstate-proxy.service", "activating\n")
    node.run_dir.mkdir(exist_ok=True)
    (node.run_dir / "db-wait-proxy.service").write_text("%d\n" % os.getpid())


def test_a_restart_is_not_taken_for_a_wait_for_the_database(node):
    # Restart first: a crashed proxy passes through the same start step as
    # one that waits, but without the marker; no peer is asked, nothing moves.
    healthy_active(node)
    node.set("active-proxy.service", False)
    node.write("unitstate-proxy.service", "activating\n")
    node.set("sip-answers-10.0.0.12")
    assert node.run("check").returncode == 0
    assert "sip-ping" not in node.read("calls")
    assert "check: proxy.service is activating, waiting for systemd" in node.read("journal")


def test_a_stale_marker_is_not_a_wait_for_the_database(node):
    # sipha-db-wait killed without its cleanup: the PID is gone.
    waiting_for_the_database(node)
    # Above any PID Linux hands out (pid_max is at most 2^22).
    (node.run_dir / "db-wait-proxy.service").write_text("99999999\n")
    node.set("sip-answers-10.0.0.12")
    assert node.run("check").returncode == 0
    assert "sip-ping" not in node.read("calls")


def test_the_holder_keeps_the_group_while_its_proxy_waits_for_the_database_and_no_peer_serves(node):
    # The database is down for every node: moving would add outages, not
    # service. sipha-db-wait logs for itself; the check says nothing.
    waiting_for_the_database(node)
    assert node.run("check").returncode == 0
    assert [call for call in node.calls() if call.startswith("sip-ping")] == [
        "sip-ping 10.0.0.12 5060 --timeout 1.0", "sip-ping 10.0.0.13 5060 --timeout 1.0"]
    assert node.read("journal") == ""


def test_the_holder_hands_the_group_to_a_peer_whose_proxy_runs_while_its_own_waits(node):
    waiting_for_the_database(node)
    node.set("sip-answers-10.0.0.13")
    assert node.run("check").returncode == 3
    assert ("check failed: the proxy here waits for the database, and the one on 10.0.0.13 runs; the group goes there"
            in node.read("journal"))


def test_a_standby_whose_proxy_waits_for_the_database_asks_no_peer(node):
    waiting_for_the_database(node, active=False)
    node.set("sip-answers-10.0.0.12")
    assert node.run("check").returncode == 0
    assert "sip-ping" not in node.read("calls")


def test_up_does_not_wait_for_a_proxy_that_waits_for_the_database(node):
    # A takeover while the database is away: the group comes up without
    # the proxy, which joins once the database is back.
    waiting_for_the_database(node, active=False)
    node.set("vip")
    assert node.run("up").returncode == 0
    assert "systemctl start proxy.service" not in node.calls()
    assert node.has("route")
    assert node.has("active-relay.service")
    assert "up: proxy proxy.service waits for the database; the group comes up without waiting for it" in node.read("journal")


def test_revive_starts_a_given_up_hot_unit_on_a_standby(node):
    node.write("unitstate-proxy.service", "failed\n")
    assert node.run("revive").returncode == 0
    assert node.calls() == ["systemctl is-active proxy.service", "systemctl reset-failed proxy.service",
                            "systemctl start --no-block proxy.service"]
    assert node.has("active-proxy.service")
    assert "revive: proxy.service was given up on this standby; starting it again" in node.read("journal")


@pytest.mark.parametrize("state", ["activating", "inactive"])
def test_revive_leaves_a_unit_that_was_not_given_up(node, state):
    node.write("unitstate-proxy.service", state + "\n")
    assert node.run("revive").returncode == 0
    assert [call for call in node.calls() if not call.startswith("systemctl is-active")] == []


def test_revive_leaves_the_holder_and_cold_units_to_the_ha_manager(node):
    # The holder's health check and HA manager decide there; cold add-ons
    # (relay.service here) run only with the group.
    node.write("unitstate-proxy.service", "failed\n")
    node.write("unitstate-relay.service", "failed\n")
    node.set("vip")
    assert node.run("revive").returncode == 0
    assert node.calls() == []
    node.set("vip", False)
    assert node.run("revive").returncode == 0
    assert "systemctl start --no-block relay.service" not in node.calls()


def test_vip_taken_asks_the_public_segment_and_nobody_answers(node):
    result = node.run("vip-taken")
    assert result.returncode == 1, result.stderr
    # DAD probes (sender 0.0.0.0) out of the public NIC, a reply ends them.
    assert node.calls() == ["arping -D -c 1000 -I eth1 203.0.113.10"]
    assert node.read("journal") == ""


def test_vip_taken_cannot_tell_while_the_public_link_is_down(node):
    # Probes into a dead link get no reply: that is not "nobody holds it".
    node.set("link-down")
    assert node.run("vip-taken").returncode == 2
    assert node.calls() == []
    assert "vip-taken: the public link eth1 is down" in node.read("journal")


def test_vip_taken_when_another_host_answers(node):
    node.write("arping-exit", "1\n")
    assert node.run("vip-taken").returncode == 0


def test_vip_taken_cannot_tell_when_arping_fails(node):
    node.write("arping-exit", "2\n")
    assert node.run("vip-taken").returncode == 2
    assert "vip-taken: arping on eth1 failed (exit 2)" in node.read("journal")


def test_vip_taken_cannot_tell_when_arping_exits_1_with_an_error(node):
    # Not a reply: arping's own complaint about its arguments.
    node.write("arping-exit", "1\n")
    node.write("arping-says", "arping: invalid argument: '0.2'\n")
    assert node.run("vip-taken").returncode == 2
    assert "failed (exit 1): arping: invalid argument: '0.2'" in node.read("journal")


def test_vip_taken_cannot_tell_without_arping(node):
    (node.bin / "arping").unlink()
    env_path = os.environ["PATH"]
    if any(os.access(os.path.join(d, "arping"), os.X_OK) for d in env_path.split(os.pathsep)):
        pytest.skip("this machine has an arping of its own")
    assert node.run("vip-taken").returncode == 3
    assert "arping (iputils-arping) is missing" in node.read("journal")


def test_vip_taken_cannot_ask_for_an_ipv6_vip(node):
    node.conf_file.write_text(node.conf_file.read_text().replace("VIP=203.0.113.10", "VIP=2001:db8::10"))
    assert node.run("vip-taken").returncode == 3
    assert node.calls() == []


def with_real_guard(node, settings):
    """The real sipha-vip-guard beside the stand-ins, its memory and yield file under the node's run dir."""
    guard = node.bin / "sipha-vip-guard"
    guard.write_text(open(os.path.join(os.path.dirname(SCRIPT), "sipha-vip-guard")).read())
    guard.chmod(0o755)
    with node.conf_file.open("a") as conf:
        conf.write("VIP_GUARD_STATE=%s\nVIP_GUARD_GRACE=10\nVIP_GUARD_YIELD_FILE=%s\n%s"
                   % (node.run_dir / "vip-guard.json", node.run_dir / "vip-yield", settings))
    return node


@pytest.fixture
def guarded(node):
    """The node with the VIP guard on, holding the VIP and healthy."""
    healthy_active(with_real_guard(node, "VIP_GUARD=yes\n"))
    return node


def test_the_guard_probes_after_the_proxy_answered(guarded):
    assert guarded.run("check").returncode == 0
    calls = guarded.calls()
    assert calls.index("arping -D -c 1000 -I eth1 203.0.113.10") > calls.index("sip-ping 203.0.113.10 5060 --timeout 1.0")
    # A proxy that does not answer fails the check before any probe.
    guarded.set("sip-answers", False)
    guarded.write("calls", "")
    assert guarded.run("check").returncode == 1
    assert not [call for call in guarded.calls() if call.startswith("arping")]


def test_a_standby_starts_the_guard_only_when_it_has_something_to_forget(node):
    # The real guard behind a stand-in that notes each start in the calls.
    with_real_guard(node, "VIP_GUARD=yes\n")
    real = node.bin / "sipha-vip-guard"
    real.rename(node.bin / "sipha-vip-guard.real")
    real.write_text('#!/bin/bash\necho "sipha-vip-guard $*" >>"$STATE/calls"\nexec python3 "$0.real" "$@"\n')
    real.chmod(0o755)
    node.set("active-proxy.service")
    state_file = node.run_dir / "vip-guard.json"

    def guard_starts():
        return [call for call in node.calls() if call.startswith("sipha-vip-guard ")]

    # No yield file yet: the guard writes it.
    assert node.run("check").returncode == 0
    assert len(guard_starts()) == 1
    assert (node.run_dir / "vip-yield").read_text() == "0\n"
    # Nothing to decide: not started.
    node.write("calls", "")
    assert node.run("check").returncode == 0
    assert guard_starts() == []
    # A hold remembered (the node has just lost the VIP): started, and it forgets the hold.
    state_file.write_text(json.dumps({"held_since": 5.0, "rival": "02:00:00:00:00:0a", "rival_since": 6.0, "kept_by": "age",
                                      "losses": [1.0]}))
    assert node.run("check").returncode == 0
    assert len(guard_starts()) == 1
    assert json.loads(state_file.read_text()) == {"losses": [1.0]}
    # Out (the state says it yielded): started, and it keeps the node out.
    node.write("calls", "")
    (node.run_dir / "vip-yield").write_text("1\n")
    state_file.write_text(json.dumps({"yielded": True, "yielded_as": "newcomer", "yielded_at": 0.0}))
    node.write("arping-exit", "1\n")
    node.write("arping-prints", "Unicast reply from 203.0.113.10 [02:00:00:00:00:0a]  0.6ms\n")
    assert node.run("check").returncode == 3
    assert len(guard_starts()) == 1
    assert (node.run_dir / "vip-yield").read_text() == "1\n"


def test_a_new_holder_that_meets_another_yields_until_the_network_is_back(guarded):
    # The node took the VIP just now and another one answers for it.
    guarded.write("arping-exit", "1\n")
    guarded.write("arping-prints", "ARPING 203.0.113.10 from 0.0.0.0 eth1\n"
                                   "Unicast reply from 203.0.113.10 [02:00:00:00:00:0A]  0.6ms\n")
    assert guarded.run("check").returncode == 3
    assert "this node took the VIP 0.0 s ago, after 02:00:00:00:00:0a: it yields" in guarded.read("journal")
    assert (guarded.run_dir / "vip-yield").read_text() == "1\n"
    # keepalived took the VIP away; the other still holds it, the private network is still cut.
    guarded.set("vip", False)
    assert guarded.run("check").returncode == 3
    # The network is back: a peer's proxy answers on its private address
    # (and the node has stayed out for longer than the grace).
    state_file = guarded.run_dir / "vip-guard.json"
    state = json.loads(state_file.read_text())
    state["yielded_at"] -= 60
    state_file.write_text(json.dumps(state))
    guarded.set("sip-answers-10.0.0.13")
    assert guarded.run("check").returncode == 0
    assert "a peer answers on the private network again" in guarded.read("journal")
    assert (guarded.run_dir / "vip-yield").read_text() == "0\n"


def test_an_old_holder_keeps_the_vip_and_announces_it(guarded):
    assert guarded.run("check").returncode == 0
    state = json.loads((guarded.run_dir / "vip-guard.json").read_text())
    state["held_since"] -= 60
    (guarded.run_dir / "vip-guard.json").write_text(json.dumps(state))
    guarded.write("arping-exit", "1\n")
    guarded.write("arping-prints", "Unicast reply from 203.0.113.10 [02:00:00:00:00:0c]  0.6ms\n")
    assert guarded.run("check").returncode == 0
    # Sent with a raw socket on eth1, which this machine does not have.
    assert "vip guard: the gratuitous ARP on eth1 (203.0.113.10 is at 02:00:00:00:00:0b) failed" in guarded.read("journal")
    # 60 s and the time between the two checks (a second or more on a busy machine).
    kept = re.search(r"has held the VIP for (\d+) s, the other came later; keeping it", guarded.read("journal"))
    assert kept and 60 <= int(kept.group(1)) < 90


def test_a_node_that_becomes_master_asks_at_once_and_yields_to_a_holder(guarded):
    # keepalived made this node MASTER (the private network is cut) and
    # added the VIP; another node answers for it on the public segment.
    guarded.set("route", False)
    guarded.write("arping-exit", "1\n")
    guarded.write("arping-prints", "Unicast reply from 203.0.113.10 [02:00:00:00:00:0a]  0.6ms\n")
    # The stand-in answers only once the default route is up: were the group brought up after
    # the probe, it would answer 10 s later, and the route would come after it.
    guarded.write("arping-waits-for", "ip -4 route replace default via 203.0.113.1 dev eth1 src 203.0.113.10\n")
    guarded.run("notify", "INSTANCE", "SIPHA", "MASTER", "140")
    calls = guarded.calls()
    # The probe runs beside bringing the group up: a takeover never waits for it.
    assert "arping -D -c 1000 -I eth1 203.0.113.10" in calls
    assert calls.index("ip -4 route replace default via 203.0.113.1 dev eth1 src 203.0.113.10") < calls.index("arping done")
    assert (guarded.run_dir / "vip-yield").read_text() == "1\n"
    assert "it yields" in guarded.read("journal")


def test_a_node_that_becomes_master_alone_keeps_the_vip(guarded):
    guarded.set("route", False)
    guarded.run("notify", "INSTANCE", "SIPHA", "MASTER", "150")
    assert (guarded.run_dir / "vip-yield").read_text() == "0\n"
    assert "vip guard" not in guarded.read("journal")


def test_a_holder_asks_even_while_its_group_comes_up(guarded):
    # notify MASTER holds the lock while a slow group comes up; a newcomer
    # whose first probe missed the holder must not pass the grace meanwhile.
    guarded.write("arping-exit", "1\n")
    guarded.write("arping-prints", "Unicast reply from 203.0.113.10 [02:00:00:00:00:0a]  0.6ms\n")
    with group_moving(guarded):
        assert guarded.run("check").returncode == 3
        assert (guarded.run_dir / "vip-yield").read_text() == "1\n"
        # Nothing else is judged while the group moves.
        assert not [call for call in guarded.calls() if call.startswith(("systemctl", "sip-ping"))]


def test_a_guard_that_fails_with_python_s_own_exit_code_does_not_take_the_holder_out(guarded):
    # python3 exits 1 on an error it could not catch (an import that fails).
    (guarded.bin / "sipha-vip-guard").write_text("#!/bin/sh\nexit 1\n")
    assert guarded.run("check").returncode == 0
    assert "sipha-vip-guard failed (exit 1); this check goes on without it" in guarded.read("journal")


def test_a_guard_that_cannot_run_does_not_take_the_holder_out(guarded):
    # A rollout copies the scripts one by one; python3 may be broken.
    (guarded.bin / "sipha-vip-guard").unlink()
    assert guarded.run("check").returncode == 0
    assert "sipha-vip-guard failed (exit 127); this check goes on without it" in guarded.read("journal")


@pytest.fixture
def damped(node):
    """The node with flap damping on and the VIP guard off."""
    return with_real_guard(node, "VIP_GUARD=no\nFLAP_LIMIT=2\nFLAP_WINDOW=60\nFLAP_HOLD_DOWN=600\n")


def lose_the_group(node, state="FAULT"):
    node.set("vip")
    assert node.run("notify", "INSTANCE", "SIPHA", "MASTER", "150").returncode == 0
    node.set("vip", False)
    assert node.run("notify", "INSTANCE", "SIPHA", state, "150").returncode == 0


def test_the_second_fault_while_master_holds_the_node_down(damped):
    lose_the_group(damped)
    assert "lost the group 1 time(s) within 60 s; held down at 2" in damped.read("journal")
    assert not (damped.run_dir / "vip-yield").exists() or (damped.run_dir / "vip-yield").read_text() == "0\n"
    lose_the_group(damped)
    assert "lost the group 2 times within 60 s; it stays out for 600 s" in damped.read("journal")
    assert (damped.run_dir / "vip-yield").read_text() == "1\n"
    # Its proxy is fine again, the other node holds the VIP: the check keeps
    # it out without asking the peers (they do not end a hold-down).
    healthy_active(damped)
    damped.set("vip", False)
    damped.write("arping-exit", "1\n")
    damped.write("arping-prints", "Unicast reply from 203.0.113.10 [02:00:00:00:00:0a]  0.6ms\n")
    damped.write("calls", "")
    assert damped.run("check").returncode == 3
    assert not [call for call in damped.calls() if call.startswith("sip-ping")]
    # Nobody answers for the VIP, twice: the node comes back at once.
    damped.write("arping-exit", "0\n")
    damped.write("arping-prints", "")
    assert damped.run("check").returncode == 3
    assert damped.run("check").returncode == 0
    assert "comes back before its hold-down ends" in damped.read("journal")
    assert (damped.run_dir / "vip-yield").read_text() == "0\n"


@pytest.mark.parametrize("state", ["BACKUP", "STOP"])
def test_an_election_or_a_stop_is_not_a_loss(damped, state):
    for _time in range(3):
        lose_the_group(damped, state)
    assert "flap damping" not in damped.read("journal")


def test_a_fault_of_a_standby_is_not_a_loss(damped):
    for _time in range(3):
        assert damped.run("notify", "INSTANCE", "SIPHA", "FAULT", "150").returncode == 0
        assert damped.run("notify", "INSTANCE", "SIPHA", "BACKUP", "150").returncode == 0
    assert "flap damping" not in damped.read("journal")


def test_no_flap_limit_counts_nothing(damped):
    damped.conf_file.write_text(damped.conf_file.read_text().replace("FLAP_LIMIT=2", "FLAP_LIMIT=0"))
    for _time in range(3):
        lose_the_group(damped)
    assert "flap damping" not in damped.read("journal") and not (damped.run_dir / "vip-guard.json").exists()


def test_the_operator_puts_a_held_down_node_back(damped):
    lose_the_group(damped)
    lose_the_group(damped)
    assert (damped.run_dir / "vip-yield").read_text() == "1\n"
    assert damped.run("release").returncode == 0
    assert (damped.run_dir / "vip-yield").read_text() == "0\n"
    assert "the operator ended this node's hold-down for flapping" in damped.read("journal")


def test_a_first_fault_after_a_reboot_is_not_a_loss(damped):
    # /var/lib says MASTER from before the power cut; /run is empty.
    damped.lib.mkdir(exist_ok=True)
    (damped.lib / "state").write_text("MASTER\n")
    for _time in range(3):
        assert damped.run("notify", "INSTANCE", "SIPHA", "FAULT", "150").returncode == 0
    assert "flap damping" not in damped.read("journal")


def test_turning_both_off_lets_a_held_down_node_back(damped):
    lose_the_group(damped)
    lose_the_group(damped)
    assert (damped.run_dir / "vip-yield").read_text() == "1\n"
    damped.conf_file.write_text(damped.conf_file.read_text().replace("FLAP_LIMIT=2", "FLAP_LIMIT=0"))
    damped.run("check")
    assert (damped.run_dir / "vip-yield").read_text() == "0\n"
    assert "the guard and flap damping are off" in damped.read("journal")


# The floating private address (sipha_private_vip), which faces the media
# servers: first in the group after the VIP, last out.


def _arping_calls(node):
    """The gratuitous ARP runs in the background: wait for its call."""
    for _attempt in range(100):
        calls = [call for call in node.calls() if call.startswith("arping -q -U")]
        if calls:
            return calls
        time.sleep(0.05)
    return []


def test_up_adds_the_private_vip_first_and_announces_it(node):
    node.add_setting("PRIVATE_IF=eth0")
    node.add_setting("PRIVATE_VIP=10.0.0.100/24")
    node.set("vip")
    result = node.run("up")
    assert result.returncode == 0, result.stderr
    calls = [call for call in node.calls() if not call.startswith(("systemctl is-active", "arping"))]
    assert calls[:2] == [
        "ip addr replace 10.0.0.100/24 dev eth0",
        "ip -4 route replace default via 203.0.113.1 dev eth1 src 203.0.113.10",
    ], calls
    assert node.has("private-vip")
    assert _arping_calls(node) == ["arping -q -U -c 3 -I eth0 10.0.0.100"]


def test_down_removes_the_private_vip_last(node):
    node.add_setting("PRIVATE_IF=eth0")
    node.add_setting("PRIVATE_VIP=10.0.0.100/24")
    node.set("route")
    node.set("private-vip")
    assert node.run("down").returncode == 0
    assert node.calls()[-1] == "ip addr del 10.0.0.100/24 dev eth0"
    assert not node.has("private-vip") and not node.has("route")


def test_a_failing_private_vip_stops_the_group_before_the_route(node, tmp_path):
    node.add_setting("PRIVATE_IF=eth0")
    node.add_setting("PRIVATE_VIP=10.0.0.200/24")  # the stand-in ip refuses any other address
    node.set("vip")
    assert node.run("up").returncode == 1
    assert not node.has("route")
    assert "could not add 10.0.0.200/24 to eth0" in node.read("journal")


def test_heartbeat_route_member_carries_the_private_vip(node):
    node.add_setting("PRIVATE_IF=eth0")
    node.add_setting("PRIVATE_VIP=10.0.0.100/24")
    node.set("vip")
    assert node.run("resource", "route", "start").returncode == 0
    assert node.has("private-vip") and node.has("route")
    assert node.run("resource", "route", "status").stdout == "running\n"
    node.set("private-vip", present=False)
    assert node.run("resource", "route", "status").stdout == "stopped\n"
    node.set("private-vip")
    assert node.run("resource", "route", "stop").returncode == 0
    assert not node.has("private-vip") and not node.has("route")


def test_without_a_private_vip_nothing_touches_the_private_nic(node):
    node.set("vip")
    assert node.run("up").returncode == 0
    assert node.run("down").returncode == 0
    assert not [call for call in node.calls() if "eth0" in call]


# The takeover command (OpenSIPS's dialogs: the sharing tag of the node
# that holds the group).


def test_up_runs_the_takeover_command_once_the_group_is_up(node):
    node.add_setting("TAKEOVER_COMMAND='echo took-over >> \"$STATE/calls\"'")
    node.set("vip")
    assert node.run("up").returncode == 0
    calls = [call for call in node.calls() if not call.startswith("systemctl is-active")]
    assert calls[-2:] == ["systemctl start extra.service", "took-over"], calls
    assert "up: ran echo took-over" in node.read("journal")


def test_a_failing_takeover_command_is_logged_and_the_group_stays_up(node):
    node.add_setting("TAKEOVER_COMMAND=false")
    node.set("vip")
    assert node.run("up").returncode == 0
    assert node.has("route") and node.has("active-extra.service")
    assert "up: false failed; the group stays up" in node.read("journal")


def test_heartbeat_runs_the_takeover_command_with_the_proxy_member(node):
    node.add_setting("TAKEOVER_COMMAND='echo took-over >> \"$STATE/calls\"'")
    assert node.run("resource", "proxy", "proxy.service", "start").returncode == 0
    assert node.calls()[-1] == "took-over"
    assert node.run("resource", "addon", "relay.service", "start").returncode == 0
    assert node.calls().count("took-over") == 1


def test_route_repair_puts_the_private_vip_back_too(node):
    node.add_setting("PRIVATE_IF=eth0")
    node.add_setting("PRIVATE_VIP=10.0.0.100/24")
    node.set("vip")
    assert node.run("route", "repair").returncode == 0
    assert node.has("private-vip") and node.has("route")
    # Already there: left alone.
    before = len(node.calls())
    assert node.run("route", "repair").returncode == 0
    assert "ip addr replace 10.0.0.100/24 dev eth0" not in node.calls()[before:]


# A dual-stack cluster: the IPv6 VIP (which the HA manager moves with the VIP) has a default route of its own.


def dual_stack(node):
    node.add_setting("VIP6=2001:db8:20::10")
    node.add_setting("VIP6_PREFIX=64")
    node.add_setting("GATEWAY6=fe80::1")
    return node


def test_up_routes_both_families_through_their_own_vip(node):
    dual_stack(node).set("vip")
    node.set("vip6")
    result = node.run("up")
    assert result.returncode == 0, result.stderr
    assert [call for call in node.calls() if " route " in call] == [
        "ip -4 route replace default via 203.0.113.1 dev eth1 src 203.0.113.10",
        "ip -6 route replace default via fe80::1 dev eth1 src 2001:db8:20::10",
    ]
    assert node.read("route6") == "default via fe80::1 dev eth1 src 2001:db8:20::10 \n"


def test_up_refuses_the_ipv6_route_without_the_ipv6_vip(node):
    dual_stack(node).set("vip")
    result = node.run("up")
    assert result.returncode == 1
    assert node.has("route") and not node.has("route6")
    assert "2001:db8:20::10 is not on eth1, so no default route" in node.read("journal")


def test_down_removes_both_families_routes(node):
    dual_stack(node).set("vip")
    node.set("vip6")
    assert node.run("up").returncode == 0
    assert node.run("down").returncode == 0
    assert not node.has("route") and not node.has("route6")
    assert "route down: removed 2 default route(s) on eth1" in node.read("journal")


def test_the_route_member_runs_only_with_both_families_routes(node):
    dual_stack(node).set("vip")
    node.set("vip6")
    assert node.run("resource", "route", "start").returncode == 0
    assert node.run("resource", "route", "status").stdout == "running\n"
    node.set("route6", False)
    assert node.run("resource", "route", "status").stdout == "stopped\n"


def test_check_puts_a_lost_ipv6_route_back(node):
    healthy_active(dual_stack(node))
    node.set("vip6")
    assert node.run("route", "up").returncode == 0
    assert node.run("check").returncode == 0
    assert "adding it again" not in node.read("journal")
    node.set("route6", False)
    assert node.run("check").returncode == 0
    assert node.has("route6") and "default route is missing; adding it again" in node.read("journal")


def test_check_fails_when_the_ipv6_vip_is_gone_from_the_holder(node):
    healthy_active(dual_stack(node))
    result = node.run("check")
    assert result.returncode != 0
    assert "no default route via 203.0.113.1 with source 203.0.113.10 (or via fe80::1 with source 2001:db8:20::10)" in node.read("journal")


def test_heartbeats_route_member_brings_the_ipv6_vip_and_takes_it_away(node):
    dual_stack(node).set("vip")
    assert node.run("resource", "route", "status").stdout == "stopped\n"
    result = node.run("resource", "route", "start")
    assert result.returncode == 0, result.stderr
    assert node.has("vip6") and node.has("route") and node.has("route6")
    calls = [call for call in node.calls() if call.startswith(("ip -6 addr", "ip -4 route replace", "ip -6 route replace"))]
    assert calls == [
        "ip -6 addr replace 2001:db8:20::10/64 dev eth1 nodad",
        "ip -4 route replace default via 203.0.113.1 dev eth1 src 203.0.113.10",
        "ip -6 route replace default via fe80::1 dev eth1 src 2001:db8:20::10",
    ]
    for dummy in range(100):  # the advertisements go out in the background
        if "send_ua -i 200 -c 5 2001:db8:20::10 64 eth1" in node.read("calls"):
            break
        time.sleep(0.05)
    assert "send_ua -i 200 -c 5 2001:db8:20::10 64 eth1" in node.read("calls")
    assert node.run("resource", "route", "status").stdout == "running\n"
    node.set("vip6", False)
    assert node.run("resource", "route", "status").stdout == "stopped\n"
    node.set("vip6")
    assert node.run("resource", "route", "stop").returncode == 0
    assert not node.has("vip6") and not node.has("route") and not node.has("route6")
    assert "IPv6 VIP down: 2001:db8:20::10 removed from eth1" in node.read("journal")


def test_keepalived_brings_the_ipv6_vip_itself(node):
    dual_stack(node).set("vip")
    node.set("vip6")
    assert node.run("up").returncode == 0
    assert not [call for call in node.calls() if call.startswith(("ip -6 addr", "send_ua"))]
