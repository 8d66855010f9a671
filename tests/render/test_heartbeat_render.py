# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""heartbeat's ha.cf, haresources and authkeys as the role renders them.

The lab runs two nodes fenced through its stand-in BMC; these render the
role's real templates for IPMI fencing, a second link, sub-second timing
and STONITH off, and check what a heartbeat operator would look for.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

NODES = {"sip-a": "10.0.0.11/24", "sip-b": "10.0.0.12/24"}
SECRET = "Render-test-heartbeat-key-0001"


def ipmi(host, last):
    return ("{'type': 'external/ipmi', 'params': {'interface': 'lanplus', 'passwd': 'Pw-%s', 'userid': 'fence', "
            "'ipaddr': '192.0.2.%d', 'hostname': '%s'}}" % (host, last, host))


def render(run_render, **cluster):
    settings = dict({
        "sipha_vip": "203.0.113.10/24", "sipha_public_gateway": "203.0.113.1", "sipha_ha_manager": "heartbeat",
        "heartbeat_authkeys_secret": SECRET,
        "heartbeat_stonith_device": "\"{{ {'sip-a': %s, 'sip-b': %s}[inventory_hostname] }}\"" % (ipmi("sip-a", 201), ipmi("sip-b", 202)),
    }, **cluster)
    settings = dict((key, value) for key, value in settings.items() if value is not None)
    files, dummy = run_render("render_heartbeat.yml", settings, NODES)
    # Every file the role writes with a secret or a setting, so that "in any file" below means all of them.
    kinds = ("ha.cf", "haresources", "authkeys", "heartbeat-join.conf")
    assert sorted(files) == sorted((name, kind) for name in NODES for kind in kinds)
    return dict((name, dict((kind, text) for (node, kind), text in files.items() if node == name)) for name in NODES)


def lines(text, word):
    """The lines that start with ``word``, comments aside."""
    return [line.split() for line in text.splitlines() if line.split()[:1] == [word]]


def test_each_node_heartbeats_to_its_peer_and_fences_it_by_ipmi(run_render):
    files = render(run_render)
    for name, peer, bmc in (("sip-a", "sip-b", "192.0.2.202"), ("sip-b", "sip-a", "192.0.2.201")):
        conf = files[name]["ha.cf"]
        assert lines(conf, "ucast") == [["ucast", "eth0", NODES[peer].split("/", maxsplit=1)[0]]]
        assert lines(conf, "node") == [["node", "sip-a"], ["node", "sip-b"]]
        # Positional, in the order `stonith -t external/ipmi -n` names them,
        # whatever order the inventory wrote them in; through the plugin that
        # reads the password from the root-only file the role writes.
        assert lines(conf, "stonith_host") == [[
            "stonith_host", name, "external/sipha-ipmi", peer, bmc, "fence", "/etc/ha.d/stonith/%s.ipmi-passwd" % peer,
            "lanplus"]]
        assert lines(conf, "auto_failback") == [["auto_failback", "off"]]
        assert [lines(conf, key)[0][1] for key in ("keepalive", "warntime", "deadtime", "initdead")] == [
            "1000ms", "3000ms", "5000ms", "20000ms"]
        # udpport must come before the media lines.
        assert conf.index("udpport 694") < conf.index("ucast ")


def test_no_bmc_password_in_any_file(run_render):
    files = render(run_render)
    for name in NODES:
        for kind, text in files[name].items():
            assert "Pw-sip-" not in text, (name, kind)


def test_a_docker_fence_device_is_written_as_given(run_render):
    docker = ("{'type': 'external/sipha-docker', 'params': {'hostname': '%s', 'ipaddr': '192.0.2.250', 'ipport': 2375, "
              "'api_version': '1.41', 'container': 'lab-%s', 'delay': 0}}")
    files = render(run_render, heartbeat_stonith_device="\"{{ {'sip-a': %s, 'sip-b': %s}[inventory_hostname] }}\"" % (
        docker % ("sip-a", "sip-a"), docker % ("sip-b", "sip-b")))
    assert lines(files["sip-a"]["ha.cf"], "stonith_host") == [
        ["stonith_host", "sip-a", "external/sipha-docker", "sip-b", "192.0.2.250", "2375", "1.41", "lab-sip-b", "0"]]


def test_haresources_is_the_group_in_the_classic_order_and_the_same_everywhere(run_render):
    files = render(run_render)
    expected = ("sip-a IPaddr2::203.0.113.10/24/eth1 sipha::route sipha::proxy::kamailio.service "
                "sipha::addon::rtpengine-daemon.service")
    for name in NODES:
        body = [line for line in files[name]["haresources"].splitlines() if line and not line.startswith("#")]
        assert body == [expected]


def test_authkeys_signs_with_sha1(run_render):
    files = render(run_render)
    for name in NODES:
        body = [line.split() for line in files[name]["authkeys"].splitlines() if line and not line.startswith("#")]
        assert body == [["auth", "1"], ["1", "sha1", SECRET]]


def test_second_link_fast_timing_and_preferred_node(run_render):
    files = render(
        run_render,
        heartbeat_second_link_interface="eth2",
        heartbeat_second_link_address="\"{{ {'sip-a': '172.16.0.1', 'sip-b': '172.16.0.2'}[inventory_hostname] }}\"",
        heartbeat_keepalive=0.5, heartbeat_warntime=1.5, heartbeat_deadtime=2, heartbeat_initdead=10,
        heartbeat_auto_failback="true", heartbeat_preferred_node="sip-b",
        # A dual-stack cluster: the route member brings the IPv6 VIP (heartbeat's
        # IPaddr2 wrapper turns on lvs_support, which IPaddr2 refuses for IPv6,
        # and its IPv6addr takes 6 s), so the group's members stay the same.
        sipha_vip6="2001:db8:20::10/64", sipha_public_gateway6="fe80::1",
    )
    conf = files["sip-a"]["ha.cf"]
    assert lines(conf, "ucast") == [["ucast", "eth0", "10.0.0.12"], ["ucast", "eth2", "172.16.0.2"]]
    assert [lines(conf, key)[0][1] for key in ("keepalive", "warntime", "deadtime", "initdead")] == [
        "500ms", "1500ms", "2000ms", "10000ms"]
    assert lines(conf, "auto_failback") == [["auto_failback", "on"]]
    assert files["sip-a"]["haresources"].rstrip().splitlines()[-1] == (
        "sip-b IPaddr2::203.0.113.10/24/eth1 sipha::route sipha::proxy::kamailio.service sipha::addon::rtpengine-daemon.service")
    assert "and the IPv6 VIP with its own" in files["sip-a"]["haresources"]


def join_check(dropin):
    """The words of the drop-in's ExecStartPre, and its start timeout."""
    start = [line for line in dropin.splitlines() if line.startswith("ExecStartPre=")]
    timeout = [line for line in dropin.splitlines() if line.startswith("TimeoutStartSec=")]
    return start[0][len("ExecStartPre="):].split(), timeout


def test_heartbeat_starts_after_the_join_check_which_listens_for_the_peer(run_render):
    files = render(run_render)
    words, timeout = join_check(files["sip-a"]["heartbeat-join.conf"])
    assert words == ["/usr/libexec/sipha/sipha-heartbeat-join", "--port", "694", "--listen", "5.0", "--unsure-for", "20.0",
                     "--vip-probe", "'/usr/libexec/sipha/sipha-failover", "vip-taken'", "10.0.0.12"]
    # It may wait for as long as the link is cut.
    assert timeout == ["TimeoutStartSec=infinity"]


def test_the_join_check_listens_on_both_links_and_the_peers_port(run_render):
    files = render(
        run_render,
        heartbeat_second_link_interface="eth2", heartbeat_udpport=695, heartbeat_deadtime=2, heartbeat_initdead=10,
        heartbeat_second_link_address="\"{{ {'sip-a': '172.16.0.1', 'sip-b': '172.16.0.2'}[inventory_hostname] }}\"",
    )
    words, _timeout = join_check(files["sip-b"]["heartbeat-join.conf"])
    assert words[1:7] == ["--port", "695", "--listen", "2.0", "--unsure-for", "10.0"]
    assert words[-2:] == ["10.0.0.11", "172.16.0.1"]


def test_stonith_off_writes_no_device(run_render):
    files = render(run_render, heartbeat_stonith="false", heartbeat_stonith_device=None)
    for name in NODES:
        assert lines(files[name]["ha.cf"], "stonith_host") == []
        assert not re.search(r"fenced", files[name]["ha.cf"])
