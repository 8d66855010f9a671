# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from lab_docker_networks import FilterModule

lab_docker_networks = FilterModule().filters()["lab_docker_networks"]

NETWORKS = {
    "private": {"subnet": "10.66.10.0/24"},
    "public": {"subnet": "10.66.20.0/24"},
}


def test_keeps_nic_order_and_addresses():
    assert lab_docker_networks({"public": 1, "private": 11}, "lab", NETWORKS) == [
        {"name": "lab-public", "ipv4_address": "10.66.20.1"},
        {"name": "lab-private", "ipv4_address": "10.66.10.11"},
    ]


def test_a_dual_stack_network_gives_the_same_host_number_in_both_families():
    networks = dict(NETWORKS, public={"subnet": "10.66.20.0/24", "subnet6": "fd5a:10:66:20::/64"})
    assert lab_docker_networks({"private": 11, "public": 11}, "lab", networks) == [
        {"name": "lab-private", "ipv4_address": "10.66.10.11"},
        {"name": "lab-public", "ipv4_address": "10.66.20.11", "ipv6_address": "fd5a:10:66:20::b"},
    ]


def test_unknown_network_names_the_known_ones():
    with pytest.raises(AnsibleFilterError, match="does not define.*private, public"):
        lab_docker_networks({"dmz": 3}, "lab", NETWORKS)


@pytest.mark.parametrize("number", [0, 255, 300, -1])
def test_host_number_outside_the_subnet_is_refused(number):
    with pytest.raises(AnsibleFilterError, match="not a usable address"):
        lab_docker_networks({"private": number}, "lab", NETWORKS)
