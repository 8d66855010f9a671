# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""keepalived.conf as the role renders it, for clusters the lab does not run.

The lab has two nodes; these render the role's real template for three
nodes, for multicast and for VRRPv2 with a password, and check what a
keepalived operator would look for in each file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

NODES = {"sip-a": "10.0.0.11/24", "sip-b": "10.0.0.12/24", "sip-c": "10.0.0.13/24"}


def render(run_render, **cluster):
    settings = dict({"sipha_vip": "203.0.113.10/24", "sipha_public_gateway": "203.0.113.1", "sipha_cluster_name": "sip-prod"}, **cluster)
    files, dummy = run_render("render_keepalived.yml", settings, NODES)
    return dict((name, files[(name, "keepalived.conf")]) for name in NODES)


def block(text, name):
    """The words inside ``name { ... }`` (one level)."""
    match = re.search(r"\b%s \{([^}]*)\}" % name, text)
    return match.group(1).split() if match else None


def directive(text, name):
    """Whether a line holds just ``name`` (a flag such as nopreempt), comments aside."""
    return re.search(r"^\s*%s\s*$" % name, text, re.M) is not None


def setting(text, name):
    match = re.search(r"^\s*%s (\S+)\s*$" % name, text, re.M)
    return match.group(1) if match else None


def test_three_nodes_each_advert_to_the_other_two(run_render):
    confs = render(run_render)
    for name, conf in confs.items():
        own = NODES[name].split("/", maxsplit=1)[0]
        assert setting(conf, "unicast_src_ip") == own
        assert sorted(block(conf, "unicast_peer")) == sorted(a.split("/", maxsplit=1)[0] for n, a in NODES.items() if n != name)
        assert block(conf, "virtual_ipaddress") == ["203.0.113.10/24", "dev", "eth1"]
        assert block(conf, "virtual_ipaddress_excluded") is None
        assert block(conf, "track_interface") == ["eth1"]
        assert directive(conf, "nopreempt") and setting(conf, "state") == "BACKUP"
        assert setting(conf, "interface") == "eth0"
        assert 'notify "/usr/libexec/sipha/sipha-failover notify"' in conf
        assert "authentication" not in conf
    assert [setting(confs[n], "priority") for n in ("sip-a", "sip-b", "sip-c")] == ["150", "140", "130"]
    # One instance: the router id and version are the same everywhere.
    assert len(set(setting(c, "virtual_router_id") for c in confs.values())) == 1
    assert set(setting(c, "version") for c in confs.values()) == {"3"}


def test_multicast_has_no_peer_list(run_render):
    confs = render(run_render, keepalived_unicast='"no"')
    assert all(block(c, "unicast_peer") is None and setting(c, "unicast_src_ip") is None for c in confs.values())


def test_vrrp2_with_a_password_and_a_dual_stack_vip(run_render):
    # Two features in one render (each is a playbook run in CI): the IPv6 VIP
    # moves in the same instance, whose adverts stay IPv4.
    confs = render(run_render, keepalived_vrrp_version=2, keepalived_auth_pass="s3cret", keepalived_advert_int=2,
                   sipha_vip6="2001:db8:20::10/64", sipha_public_gateway6="fe80::1")
    for conf in confs.values():
        assert block(conf, "virtual_ipaddress") == ["203.0.113.10/24", "dev", "eth1"]
        assert block(conf, "virtual_ipaddress_excluded") == ["2001:db8:20::10/64", "dev", "eth1"]
        assert len(re.findall(r"^vrrp_instance ", conf, re.M)) == 1
        assert block(conf, "authentication") == ["auth_type", "PASS", "auth_pass", "s3cret"]
        assert setting(conf, "version") == "2" and setting(conf, "advert_int") == "2"


def test_preemption_with_a_delay(run_render):
    # Quoted: a string "false" (from -e or an INI inventory) must count as false too.
    confs = render(run_render, keepalived_nopreempt='"false"', keepalived_preempt_delay=30)
    assert all(not directive(c, "nopreempt") and setting(c, "preempt_delay") == "30" for c in confs.values())


def test_a_proxy_given_up_by_systemd_puts_the_node_into_fault(run_render):
    # weight 0: any non-zero value in the file is a fault, not a priority.
    conf = render(run_render)["sip-a"]
    assert block(conf, "track_file sipha_proxy_given_up") == [
        "file", '"/run/sipha-proxy-given-up"', "weight", "0", "init_file", "0"]
    assert block(conf, "track_file") == ["sipha_proxy_given_up", "sipha_vip_yield"]


def test_no_given_up_file_without_a_proxy(run_render):
    conf = render(run_render, render_proxy_units="[]")["sip-a"]
    assert "sipha_proxy_given_up" not in conf
    assert block(conf, "track_file") == ["sipha_vip_yield"]


def test_the_vip_guard_can_put_a_node_into_fault_at_once(run_render):
    # sipha-vip-guard writes 1 to the file when the node must leave a split
    # brain or is held down for flapping; keepalived must watch it from every
    # instance, whether the guard is on or flap damping only.
    for conf in render(run_render).values():
        assert block(conf, "track_file sipha_vip_yield") == ["file", '"/run/sipha-vip-yield"', "weight", "0", "init_file", "0"]
        assert "sipha_vip_yield" in block(conf, "track_file")
