# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""sipha-node-state, the health check's reading of the kernel, on recorded kernel output.

The script runs as the failover role installs it (the vip_state module beside
it as sipha_vip_state.py), with an ip on PATH that prints what a real ip
printed for the vip_state cases (plugins/module_utils fixtures: VIP
10.99.20.100/24, gateway 10.99.20.1, public NIC eth1).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
SCRIPT = os.path.join(REPO, "roles", "failover", "files", "sipha-node-state")
MODULE = os.path.join(REPO, "plugins", "module_utils", "vip_state.py")
FIXTURES = os.path.join(REPO, "tests", "unit", "plugins", "module_utils", "fixtures", "vip_state")

# ip -j: the recorded addresses for any "addr show" (the script picks the
# public NIC by name), the recorded routes of the family asked for, and
# ip's own words for a device that does not exist.
IP_STUB = """#!/bin/sh
echo "ip $*" >> "$CASE_DIR/../calls"
case "$*" in
  "-j addr show dev eth9") echo 'Device "eth9" does not exist.' >&2; exit 1 ;;
  "-j addr show dev "*) cat "$CASE_DIR/addr.json" ;;
  "-j -4 route show default") cat "$CASE_DIR/route4.json" ;;
  "-j -6 route show default") cat "$CASE_DIR/route6.json" ;;
  *) echo "unexpected: ip $*" >&2; exit 99 ;;
esac
"""


@pytest.fixture
def run(tmp_path):
    libexec = tmp_path / "libexec"
    libexec.mkdir()
    shutil.copy(SCRIPT, str(libexec / "sipha-node-state"))
    shutil.copy(MODULE, str(libexec / "sipha_vip_state.py"))
    stub = tmp_path / "ip"
    stub.write_text(IP_STUB)
    stub.chmod(0o755)

    def run(case, *args):
        case_dir = tmp_path / "case"
        if case_dir.exists():
            shutil.rmtree(str(case_dir))
        shutil.copytree(os.path.join(FIXTURES, case), str(case_dir))
        env = dict(os.environ, PATH="%s:%s" % (tmp_path, os.environ["PATH"]), CASE_DIR=str(case_dir))
        return subprocess.run([str(libexec / "sipha-node-state")] + list(args), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=30, check=False)

    return run


IPV4 = ["--vip", "10.99.20.100", "--interface", "eth1", "--gateway", "10.99.20.1"]


@pytest.mark.parametrize(
    "case, words",
    [
        ("active", "yes yes yes"),
        ("standby", "no yes no"),
        ("holder-wrong-src", "yes yes no"),
        ("public-carrier-lost", "yes no yes"),
        ("vip-on-private", "no yes no"),
    ],
)
def test_three_words_from_recorded_kernels(run, case, words):
    result = run(case, *IPV4)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, words, "")


def test_an_empty_gateway_takes_any_gateway(run):
    result = run("holder-wrong-gateway", "--vip", "10.99.20.100", "--interface", "eth1", "--gateway", "")
    assert result.stdout.strip() == "yes yes yes"


def test_an_ipv6_vip_reads_the_ipv6_routes(run):
    result = run("ipv6-active", "--vip", "2001:db8:20::100", "--interface", "eth1", "--gateway", "2001:db8:20::1")
    assert result.stdout.strip() == "yes yes yes"


def test_a_missing_nic_holds_nothing(run):
    result = run("active", "--vip", "10.99.20.100", "--interface", "eth9")
    assert (result.returncode, result.stdout.strip()) == (0, "no no no")


def test_wrong_settings_exit_2_with_the_reason(run):
    result = run("active", "--vip", "eth1", "--interface", "eth1")
    assert result.returncode == 2
    assert "vip must be an IP address" in result.stderr
