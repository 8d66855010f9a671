# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lab_up.yml refuses a lab_supernet that would hide the host's own resolver.

Runs the real playbook (it needs the Docker engine that `make test` starts)
with the /16 around this machine's first nameserver, and checks that it
stops before any Docker network exists.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
LAB_NAME = "sipha-test-address-plan"


def first_ipv4_nameserver():
    with open("/etc/resolv.conf") as resolv:
        for line in resolv:
            fields = line.split()
            if len(fields) >= 2 and fields[0] == "nameserver" and fields[1].count(".") == 3:
                return fields[1]
    return None


def test_supernet_over_the_resolver_is_refused():
    resolver = first_ipv4_nameserver()
    if resolver is None:
        pytest.skip("this machine has no IPv4 nameserver to collide with")
    supernet = ".".join(resolver.split(".")[:2]) + ".0.0/16"
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    result = subprocess.run(
        [os.path.join(BIN, "ansible-playbook"), "-i", "inventories/lab", "playbooks/lab_up.yml",
         "-e", "lab_name=" + LAB_NAME, "-e", "lab_supernet=" + supernet],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=300, check=False,
    )
    output = " ".join(result.stdout.split())
    assert result.returncode != 0, result.stdout
    assert "lab_supernet %s overlaps %s" % (supernet, resolver) in output, result.stdout
    networks = subprocess.run(
        ["docker", "network", "ls", "--format", "{{.Name}}"],
        stdout=subprocess.PIPE, universal_newlines=True, check=True,
    ).stdout.split()
    assert not [n for n in networks if n.startswith(LAB_NAME)]
