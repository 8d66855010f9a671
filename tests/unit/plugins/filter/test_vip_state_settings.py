# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sipha.cluster.plugins.filter.vip_state_settings import FilterModule

vip_state_settings = FilterModule().filters()["vip_state_settings"]


def test_a_dual_stack_nodes_settings_under_vip_states_names():
    host_vars = {
        "ansible_host": "10.0.0.11",
        "sipha_vip": "203.0.113.10/24",
        "sipha_vip6": "2001:db8:20::10/64",
        "sipha_public_gateway": "203.0.113.1",
        "sipha_public_gateway6": "fe80::1",
        "sipha_private_interface": "ens3",
        "sipha_public_interface": "ens4",
        "sipha_private_ip": "10.0.0.11/24",
    }
    assert vip_state_settings(host_vars) == {
        "vip": "203.0.113.10/24",
        "vip6": "2001:db8:20::10/64",
        "gateway": "203.0.113.1",
        "gateway6": "fe80::1",
        "private_interface": "ens3",
        "public_interface": "ens4",
    }


def test_unset_and_empty_settings_are_null_so_the_module_takes_its_defaults():
    settings = vip_state_settings({"sipha_vip": "203.0.113.10/24", "sipha_vip6": "", "sipha_public_gateway6": None})
    assert settings == {"vip": "203.0.113.10/24", "vip6": None, "gateway": None, "gateway6": None,
                        "private_interface": None, "public_interface": None}
