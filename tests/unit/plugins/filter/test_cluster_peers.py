# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.cluster_peers import FilterModule

cluster_peers = FilterModule().filters()["cluster_peers"]

HOSTS = ["node1", "node2", "node3"]


def hostvars(**overrides):
    """The vars of three sound nodes; ``overrides`` replaces one node's vars."""
    all_vars = {
        "node1": {"sipha_private_ip": "10.66.10.11/24", "ansible_host": "192.0.2.1"},
        "node2": {"sipha_private_ip": "10.66.10.12/24", "ansible_host": "192.0.2.2"},
        "node3": {"sipha_private_ip": "10.66.10.13/24", "ansible_host": "192.0.2.3"},
        "mgmt": {"ansible_host": "192.0.2.9"},  # in the inventory, not a proxy node
    }
    all_vars.update(overrides)
    return all_vars


@pytest.mark.parametrize(
    "current, expected",
    [
        ("node1", ["10.66.10.12", "10.66.10.13"]),
        ("node2", ["10.66.10.11", "10.66.10.13"]),
        ("node3", ["10.66.10.11", "10.66.10.12"]),
    ],
)
def test_other_nodes_in_list_order(current, expected):
    assert cluster_peers(HOSTS, hostvars(), current) == expected


def test_returns_plain_strings():
    # Exactly str, not a netaddr object or a str subclass that a template or YAML dump may mangle.
    assert [type(peer) for peer in cluster_peers(HOSTS, hostvars(), "node1")] == [str, str]


def test_list_order_not_name_order():
    assert cluster_peers(["node3", "node1", "node2"], hostvars(), "node2") == ["10.66.10.13", "10.66.10.11"]


def test_plain_address_and_ipv6():
    all_vars = hostvars(node2={"sipha_private_ip": "10.66.10.12"}, node3={"sipha_private_ip": "fd00:66::13/64"})
    assert cluster_peers(HOSTS, all_vars, "node1") == ["10.66.10.12", "fd00:66::13"]


def test_single_node_has_no_peers():
    assert cluster_peers(["node1"], hostvars(), "node1") == []


def test_other_key():
    assert cluster_peers(HOSTS, hostvars(), "node1", key="ansible_host") == ["192.0.2.2", "192.0.2.3"]


@pytest.mark.parametrize("node2", [{}, {"sipha_private_ip": ""}, {"sipha_private_ip": None}])
def test_missing_address_names_host_and_variable(node2):
    with pytest.raises(AnsibleFilterError, match="node2: sipha_private_ip is not set"):
        cluster_peers(HOSTS, hostvars(node2=node2), "node1")


def test_current_node_is_checked_too():
    # A broken address on node1 fails node1's own run, not only its peers' runs.
    with pytest.raises(AnsibleFilterError, match="node1: sipha_private_ip is not set"):
        cluster_peers(HOSTS, hostvars(node1={}), "node1")


def test_missing_other_key_is_named():
    with pytest.raises(AnsibleFilterError, match="node1: heartbeat_ip is not set"):
        cluster_peers(HOSTS, hostvars(), "node2", key="heartbeat_ip")


@pytest.mark.parametrize("value", ["node2.example.com", "10.66.10", "10.66.10.12/33", 174459404, ["10.66.10.12"]])
def test_bad_address_names_host_and_variable(value):
    with pytest.raises(AnsibleFilterError, match="node2: sipha_private_ip is .*not an IP address"):
        cluster_peers(HOSTS, hostvars(node2={"sipha_private_ip": value}), "node1")


def test_shared_address_is_an_error():
    all_vars = hostvars(node3={"sipha_private_ip": "10.66.10.11/24"})
    with pytest.raises(AnsibleFilterError, match="node1 and node3 both have sipha_private_ip 10.66.10.11"):
        cluster_peers(HOSTS, all_vars, "node2")


def test_current_host_not_in_list():
    with pytest.raises(AnsibleFilterError, match="mgmt is not in the list of nodes .node1, node2, node3."):
        cluster_peers(HOSTS, hostvars(), "mgmt")


def test_host_not_in_inventory():
    with pytest.raises(AnsibleFilterError, match="node4 is in the list of nodes but not in the inventory"):
        cluster_peers(HOSTS + ["node4"], hostvars(), "node1")


def test_group_name_instead_of_list():
    with pytest.raises(AnsibleFilterError, match="expects a list of inventory names"):
        cluster_peers("sip_proxies", hostvars(), "node1")
