# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from overlapping_networks import FilterModule

overlapping_networks = FilterModule().filters()["overlapping_networks"]

LAB = "10.66.0.0/16"


@pytest.mark.parametrize(
    "item",
    [
        "10.66.10.7",  # an address inside the lab
        "10.66.20.0/24",  # a route inside the lab
        "10.0.0.0/8",  # a route covering the lab
        "10.66.0.0/16",  # the same network
    ],
)
def test_reports_what_overlaps(item):
    assert overlapping_networks(["192.0.2.0/24", item], LAB) == [item]


@pytest.mark.parametrize(
    "item",
    [
        "10.255.255.53",  # the resolver here
        "203.0.113.80",  # a mirror
        "10.67.0.0/16",  # the neighbouring /16
        "default",  # `ip -j route` says so for 0.0.0.0/0
        "0.0.0.0/0",  # a default route overlaps everything and means nothing here
        "unreachable",
        "fe80::/64",  # another family
        "",
    ],
)
def test_ignores_what_does_not_overlap(item):
    assert overlapping_networks([item], LAB) == []


def test_keeps_input_order():
    items = ["10.66.30.0/24", "172.17.0.0/16", "10.66.1.1"]
    assert overlapping_networks(items, LAB) == ["10.66.30.0/24", "10.66.1.1"]


def test_bad_network_is_a_clear_error():
    with pytest.raises(AnsibleFilterError, match="not a network"):
        overlapping_networks(["10.0.0.1"], "10.66.0.0/33")
