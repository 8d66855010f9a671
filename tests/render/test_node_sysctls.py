# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kernel parameters the node role gives sysctl_settings, worked out by the real ansible-playbook."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

NODES = {"node1": "10.0.0.11/24", "node2": "10.0.0.12/24"}
BASE = {"sipha_vip": "203.0.113.10/24", "sipha_public_gateway": "203.0.113.1"}


def sysctls(run_render, **cluster):
    files, dummy = run_render("render_node_sysctls.yml", dict(BASE, **cluster), NODES)
    return dict((name, json.loads(files[(name, "sysctls")])) for name in NODES)


def test_the_default_nics_with_ipv6(run_render):
    for name, seen in sysctls(run_render).items():
        assert seen == {
            "net.ipv4.ip_nonlocal_bind": 1,
            "net.ipv4.ip_forward": 0,
            "net.ipv4.conf.all.rp_filter": 0,
            "net.ipv4.conf.default.rp_filter": 2,
            "net.ipv4.conf.eth0.rp_filter": 2,
            "net.ipv4.conf.eth1.rp_filter": 1,
            "net.ipv4.conf.eth1.arp_ignore": 1,
            "net.ipv4.conf.eth1.arp_announce": 2,
            "net.ipv4.neigh.eth0.unres_qlen_bytes": 16384,
            "net.ipv6.conf.eth1.accept_ra": 0,
            "net.ipv6.conf.eth1.autoconf": 0,
        }, name


def test_no_ipv6_keys_where_the_kernel_has_no_ipv6_on_the_public_nic(run_render):
    for seen in sysctls(run_render, render_public_ipv6="false").values():
        assert not [key for key in seen if "ipv6" in key]
        assert seen["net.ipv4.conf.eth1.rp_filter"] == 1


def test_a_dotted_nic_name_takes_the_slash_form(run_render):
    for seen in sysctls(run_render, sipha_private_interface="bond0.10", sipha_public_interface="bond0.20").values():
        assert seen["net/ipv4/conf/bond0.10/rp_filter"] == 2
        assert seen["net/ipv4/conf/bond0.20/rp_filter"] == 1
        assert seen["net/ipv4/conf/bond0.20/arp_ignore"] == 1
        assert seen["net/ipv4/neigh/bond0.10/unres_qlen_bytes"] == 16384
        assert seen["net/ipv6/conf/bond0.20/accept_ra"] == 0
        assert not [key for key in seen if "bond0.20." in key or "bond0.10." in key]


def test_node_sysctls_adds_and_overrides_and_an_ipv6_vip_adds_its_own(run_render):
    # Two features in one render (each is a playbook run in CI). The
    # defaults above have neither IPv6 VIP key.
    overrides = "{net.ipv4.conf.eth1.rp_filter: 2, net.core.rmem_max: 8388608}"
    for seen in sysctls(run_render, node_sysctls=overrides, sipha_vip6="2001:db8:20::10/64", sipha_public_gateway6="fe80::1").values():
        # No duplicate address detection for the IPv6 VIP, and nonlocal bind.
        assert seen["net.ipv6.conf.eth1.accept_dad"] == 0
        assert seen["net.ipv6.ip_nonlocal_bind"] == 1
        assert seen["net.ipv4.conf.eth1.rp_filter"] == 2
        assert seen["net.core.rmem_max"] == 8388608
        assert seen["net.ipv4.ip_forward"] == 0
