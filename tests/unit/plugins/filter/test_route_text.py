# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.route_text import FilterModule

route_text = FilterModule().filters()["route_text"]

# Recorded from `ip -j route show default` on a lab node (iproute2 6.1).
DOCKER_DEFAULT = json.loads('[{"dst":"default","gateway":"10.66.10.254","dev":"eth0","flags":[]}]')[0]
HA_DEFAULT = {"dst": "default", "gateway": "10.66.20.1", "dev": "eth1", "prefsrc": "10.66.20.100", "flags": []}


def test_gateway_route():
    assert route_text(DOCKER_DEFAULT) == "default via 10.66.10.254 dev eth0"


def test_source_and_metric():
    assert route_text(dict(HA_DEFAULT, metric=100)) == "default via 10.66.20.1 dev eth1 src 10.66.20.100 metric 100"


def test_device_route():
    assert route_text({"dst": "10.66.10.0/24", "dev": "eth0", "protocol": "kernel"}) == "10.66.10.0/24 dev eth0"


def test_not_a_route():
    with pytest.raises(AnsibleFilterError, match="one route object"):
        route_text("default via 10.0.0.1")


def test_vip_state_entry():
    # A default route as sipha.cluster.vip_state reports it; metric 0 is the kernel's "none".
    entry = {"via": "10.66.20.1", "dev": "eth1", "src": "10.66.20.100", "metric": 0, "family": "inet"}
    assert route_text(entry) == "default via 10.66.20.1 dev eth1 src 10.66.20.100"
    assert route_text(dict(entry, via=None, metric=1024)) == "default dev eth1 src 10.66.20.100 metric 1024"
