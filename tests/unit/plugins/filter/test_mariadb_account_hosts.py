# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.mariadb_account_hosts import FilterModule

mariadb_account_hosts = FilterModule().filters()["mariadb_account_hosts"]


def test_one_account_per_proxy_node():
    # What __common_db_client_addresses gives for two nodes.
    assert mariadb_account_hosts(["10.0.0.11/32", "10.0.0.12/32"]) == ["10.0.0.11", "10.0.0.12"]


@pytest.mark.parametrize("value", ["10.0.0.11", "10.0.0.11/32"])
def test_a_bare_address_is_the_same_single_host(value):
    assert mariadb_account_hosts([value]) == ["10.0.0.11"]


@pytest.mark.parametrize("value", ["2001:DB8:0:0::11/128", "2001:db8::11"])
def test_ipv6_address_in_short_form(value):
    assert mariadb_account_hosts([value]) == ["2001:db8::11"]


def test_ipv4_network_in_netmask_form():
    # The form the role created before it granted per node: an upgrade
    # compares the account hosts with these and removes the others.
    assert mariadb_account_hosts(["10.0.0.0/24"]) == ["10.0.0.0/255.255.255.0"]


def test_host_bits_of_a_network_are_dropped():
    assert mariadb_account_hosts(["10.0.0.11/24"]) == ["10.0.0.0/255.255.255.0"]


def test_each_host_once_in_the_order_given():
    assert mariadb_account_hosts(["10.0.0.12/32", "10.0.0.11", "10.0.0.12"]) == ["10.0.0.12", "10.0.0.11"]


def test_nothing_given_nothing_admitted():
    assert mariadb_account_hosts([]) == []


def test_ipv6_network_is_refused():
    with pytest.raises(AnsibleFilterError, match=r"2001:db8::/64 is an IPv6 network.*/128"):
        mariadb_account_hosts(["2001:db8::/64"])


@pytest.mark.parametrize("value", ["db1", "10.0.0.300", "10.0.0.0/33", "", None])
def test_not_an_address_is_refused(value):
    with pytest.raises(AnsibleFilterError, match="is not an IP address"):
        mariadb_account_hosts([value])


def test_a_single_string_is_not_a_list():
    with pytest.raises(AnsibleFilterError, match="must be a list"):
        mariadb_account_hosts("10.0.0.11/32")
