# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A broken inventory stops site.yml before any host is touched.

These run the real ansible-playbook against inventories whose hosts point
at containers that do not exist: had any task reached a host, the run would
report it unreachable instead of the preflight message.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import os
import re
import subprocess
import sys

import pytest

from pem_pairs import DAY, certificate_pem, key_pem, new_key

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


def write_inventory(tmp_path, node1, node2, cluster, everyone=None):
    """sip_proxies with ``cluster`` as group vars; with ``everyone`` (vars of
    all hosts, as group_vars/all), a database host db1 in sip_databases too."""
    inventory = tmp_path / "hosts.yml"
    lines = ["all:"]
    if everyone is not None:
        lines += ["  vars:"] + ["    %s: %s" % item for item in everyone.items()]
    lines += ["  children:"]
    if everyone is not None:
        lines += ["    sip_databases:", "      hosts:", "        db1:",
                  "          ansible_connection: community.docker.docker",
                  "          ansible_host: sipha-test-no-such-container-db1"]
    lines += ["    sip_proxies:", "      vars:"]
    lines += ["        %s: %s" % item for item in cluster.items()]
    lines += ["      hosts:"]
    for name, host_vars in (("node1", node1), ("node2", node2)):
        if host_vars is None:  # leave the node out
            continue
        lines.append("        %s:" % name)
        if "ansible_connection" not in host_vars:
            lines.append("          ansible_connection: community.docker.docker")
        lines.append("          ansible_host: sipha-test-no-such-container-%s" % name)
        lines += ["          %s: %s" % item for item in host_vars.items()]
    inventory.write_text("\n".join(lines) + "\n")
    return str(inventory)


def run_site(inventory):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    return subprocess.run(
        [PLAYBOOK_BIN, "-i", inventory, os.path.join(REPO, "site.yml")],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
        timeout=300,
        check=False,
    )


SOUND_CLUSTER = {
    "sipha_vip": "203.0.113.10/24",
    "sipha_public_gateway": "203.0.113.1",
    "sipha_db_host": "10.0.0.21",
    "sipha_db_password": "Xq7-preflight-test-secret",
    "sipha_sip_secret": "Kx9-preflight-sip-secret-32-characters",
    "sipha_media_servers": "[{address: 10.0.0.31}, {address: 10.0.0.32}]",
}


def assert_stopped_before_any_host(result, *words):
    output = result.stdout
    assert result.returncode != 0, output
    for word in words:
        assert word in output, (word, output)
    # No task ran on a node: no connection was attempted, no role task began.
    assert "UNREACHABLE" not in output, output
    assert "sipha.cluster.node :" not in output, output
    # The failover role's preflight entry only publishes settings; any other
    # task of the role would be a rollout.
    assert not re.search(r"TASK \[sipha\.cluster\.failover : (?!Publish this node's flap damping and health check settings\])", output), output


def test_same_interface_for_private_and_public(tmp_path):
    inventory = write_inventory(
        tmp_path,
        {"sipha_private_ip": "10.0.0.11/24"},
        {"sipha_private_ip": "10.0.0.12/24"},
        dict(SOUND_CLUSTER, sipha_private_interface="eth0", sipha_public_interface="eth0"),
    )
    assert_stopped_before_any_host(run_site(inventory), "sipha_private_interface and sipha_public_interface are both")


def test_node_without_private_ip(tmp_path):
    inventory = write_inventory(tmp_path, {"sipha_private_ip": "10.0.0.11/24"}, {}, SOUND_CLUSTER)
    assert_stopped_before_any_host(run_site(inventory), "node2: sipha_private_ip is not set", "host_vars/node2")


@pytest.mark.parametrize(
    "bad, words",
    [
        ({"sipha_private_ip": "10.0.0.12"}, ["sipha_private_ip", "CIDR"]),
        ({"sipha_private_ip": "10.0.0.11/24"}, ["sipha_private_ip 10.0.0.11 is also node1's"]),
    ],
)
def test_other_broken_private_ips(tmp_path, bad, words):
    inventory = write_inventory(tmp_path, {"sipha_private_ip": "10.0.0.11/24"}, bad, SOUND_CLUSTER)
    assert_stopped_before_any_host(run_site(inventory), *words)


NODE1 = {"sipha_private_ip": "10.0.0.11/24"}
NODE2 = {"sipha_private_ip": "10.0.0.12/24"}


# The VIP, the gateway and the HA manager: each stops the run with the
# variable named, before any host is touched.
@pytest.mark.parametrize(
    "node1, node2, cluster, words",
    [
        pytest.param(NODE1, NODE2, {"sipha_vip": "198.51.100.10/24"},
                     ["sipha_public_gateway 203.0.113.1 is outside the VIP's subnet 198.51.100.0/24"], id="vip-outside-public-subnet"),
        pytest.param(NODE1, NODE2, {"sipha_public_gateway": "203.0.113.10"},
                     ["sipha_public_gateway is the VIP itself"], id="gateway-is-vip"),
        pytest.param(NODE1, NODE2, {"sipha_vip": "10.0.0.12/24", "sipha_public_gateway": "10.0.0.1"},
                     ["node2: sipha_vip 10.0.0.12 is the node's own private address"], id="vip-is-node-address"),
        pytest.param(NODE1, None, {}, ["sip_proxies has 1 node (node1)", "at least two proxy nodes"], id="one-node"),
        pytest.param(dict(NODE1, keepalived_priority=120), dict(NODE2, keepalived_priority=120),
                     {"keepalived_nopreempt": "false"},
                     ["keepalived_priority is 120 on node1 and node2", "keepalived_nopreempt: false"], id="same-priority-preempting"),
        pytest.param(NODE1, NODE2, {"keepalived_advert_int": "0.001"},
                     ["node1: keepalived_advert_int is 0.001", "0.01 to 40.95"], id="advert-int-too-small"),
        pytest.param(NODE1, NODE2, {"failover_flap_hold_down": "0"},
                     ["node1: failover_flap_hold_down is 0;", "failover_flap_limit: 0 to turn flap damping off"],
                     id="flap-hold-down-zero"),
        pytest.param(NODE1, NODE2, {"keepalived_check_timeout": 2},
                     ["node1: keepalived_check_timeout is 2, but the check waits up to failover_sip_timeout (1.0 s)",
                      "Set keepalived_check_timeout to at least 3"], id="check-timeout-without-room"),
        pytest.param(NODE1, NODE2, {"keepalived_advert_int": "0.5", "keepalived_vrrp_version": 2},
                     ["VRRPv2 takes whole seconds"], id="advert-int-fraction-on-vrrp2"),
        pytest.param(NODE1, NODE2, {"keepalived_auth_pass": "secret"},
                     ["keepalived_auth_pass is set but keepalived_vrrp_version is 3"], id="password-on-vrrp3"),
        pytest.param(NODE1, NODE2, {"sipha_vip6": "2001:db8:20::10/64"},
                     ["node1: sipha_vip6 2001:db8:20::10/64 has no IPv6 gateway", "set sipha_public_gateway6"],
                     id="ipv6-vip-without-ipv6-gateway"),
        pytest.param(NODE1, NODE2, {"sipha_vip6": "2001:db8:20::10/64", "sipha_public_gateway6": "2001:db8:99::1"},
                     ["sipha_public_gateway6 2001:db8:99::1 is neither in sipha_vip6's prefix"], id="ipv6-gateway-off-link"),
    ],
)
def test_broken_vip_gateway_and_ha_settings(tmp_path, node1, node2, cluster, words):
    inventory = write_inventory(tmp_path, node1, node2, dict(SOUND_CLUSTER, **cluster))
    assert_stopped_before_any_host(run_site(inventory), *words)


# The shared database, the media servers and the proxy's modes: the issue's
# bad inputs, each named before any host is touched.
@pytest.mark.parametrize(
    "cluster, words",
    [
        pytest.param({"sipha_db_password": "''"}, ["sipha_db_password is not set", "vault"], id="db-password-missing"),
        pytest.param({"sipha_db_password": "CHANGE_ME"}, ["sipha_db_password is still an example value"], id="db-password-example"),
        pytest.param({"sipha_db_password": "kamailiorw"}, ["sipha_db_password is still an example value"], id="db-password-kamailio-default"),
        pytest.param({"sipha_db_host": "192.0.2.50"},
                     ["sipha_db_host 192.0.2.50 is not on the private network (10.0.0.0/24)"], id="db-host-not-private"),
        pytest.param({"sipha_media_servers": "[]"},
                     ["kamailio_media_servers is empty while kamailio_dispatcher is on"], id="no-media-servers"),
        pytest.param({"kamailio_usrloc_db_mode": "memory_only"},
                     ["kamailio_usrloc_db_mode must be one of: db_only, write_back, write_through, memory"], id="usrloc-mode-unknown"),
        pytest.param({"kamailio_usrloc_replication_method": "copy"},
                     ["kamailio_usrloc_replication_method must be one of: dmq, register_copy"], id="usrloc-method-unknown"),
        pytest.param({"kamailio_usrloc_db_mode": "memory", "kamailio_usrloc_replication_method": "register_copy"},
                     ["kamailio_usrloc_replication_method register_copy with kamailio_usrloc_db_mode memory",
                      "use kamailio_usrloc_db_mode write_back"], id="usrloc-copies-without-database"),
        pytest.param({"kamailio_dialog_db_mode": "sometimes"},
                     ["kamailio_dialog_db_mode must be one of: realtime, delayed, shutdown"], id="dialog-mode-unknown"),
    ],
)
def test_broken_database_media_and_proxy_settings(tmp_path, cluster, words):
    inventory = write_inventory(tmp_path, NODE1, NODE2, dict(SOUND_CLUSTER, **cluster))
    result = run_site(inventory)
    assert_stopped_before_any_host(result, *words)
    # The password is never printed, whatever else is.
    assert "Xq7-preflight-test-secret" not in result.stdout


# The SIP edge (README.md, "Security"): the bad inputs, each named
# before any host is touched.
@pytest.mark.parametrize(
    "cluster, words",
    [
        pytest.param({"sipha_sip_secret": "''"}, ["sipha_sip_secret is not set", "vault"], id="sip-secret-missing"),
        pytest.param({"sipha_trusted_peers": "[trunk.example.net]"},
                     ["sipha_trusted_peers[0] is 'trunk.example.net', which is not an address or CIDR"], id="trusted-peer-name"),
        pytest.param({"sipha_trusted_peers": "[0.0.0.0/0]"},
                     ["sipha_trusted_peers[0] is '0.0.0.0/0', which is every address"], id="trusted-peer-everyone"),
        pytest.param({"kamailio_auth": "false"},
                     ["kamailio_auth is off and kamailio_register_networks is empty", "open registrar"], id="auth-off-open-registrar"),
        pytest.param({"sipha_sip_proxy": "opensips", "opensips_repository_uri": "http://deb.example.test/opensips",
                      "opensips_auth": "false"},
                     ["opensips_auth is off and opensips_register_networks is empty"], id="opensips-auth-off-open-registrar"),
    ],
)
def test_broken_sip_edge_settings(tmp_path, cluster, words):
    inventory = write_inventory(tmp_path, NODE1, NODE2, dict(SOUND_CLUSTER, **cluster))
    result = run_site(inventory)
    assert_stopped_before_any_host(result, *words)
    assert "Kx9-preflight-sip-secret-32-characters" not in result.stdout


SUBSCRIBERS_SECRET = "Sb5-subscriber-pw"
# What the database host reads besides the subscribers (group_vars/all).
DATABASE = {key: SOUND_CLUSTER[key] for key in ("sipha_db_host", "sipha_db_password")}


@pytest.mark.parametrize(
    "subscribers, words",
    [
        pytest.param("[{username: alice}]", ["sipha_subscribers[0] (alice) has no password"], id="missing-password"),
        pytest.param("[{username: alice, password: %s}, {username: alice, password: %s}]" % (SUBSCRIBERS_SECRET, SUBSCRIBERS_SECRET),
                     ["sipha_subscribers[1] (alice) repeats the username of sipha_subscribers[0]"], id="duplicate-username"),
        pytest.param('[{username: alice, password: "%s\\n%s"}]' % (SUBSCRIBERS_SECRET, SUBSCRIBERS_SECRET),
                     ["sipha_subscribers[0] (alice): password holds a control character"], id="password-with-newline"),
        pytest.param("[{username: alice, password: %s}]" % (SUBSCRIBERS_SECRET * 5),
                     ["sipha_subscribers[0] (alice): password has 85 characters", "at most 64"], id="password-too-long"),
        pytest.param("[{username: \"bob'; DROP TABLE subscriber; --\", password: %s}]" % SUBSCRIBERS_SECRET,
                     ["is not a plain SIP user name"], id="username-that-breaks-sql"),
        pytest.param("[{username: carol, password: %s, domain: evil.example.net}]" % SUBSCRIBERS_SECRET,
                     ["domain evil.example.net is not one the proxies serve (sipha_sip_domains: 203.0.113.10)"], id="foreign-domain"),
    ],
)
def test_broken_subscribers(tmp_path, subscribers, words):
    inventory = write_inventory(tmp_path, NODE1, NODE2, SOUND_CLUSTER, dict(DATABASE, sipha_subscribers=subscribers))
    result = run_site(inventory)
    assert_stopped_before_any_host(result, *words)
    # Passwords are never printed, whatever else is.
    assert SUBSCRIBERS_SECRET not in result.stdout


def test_sound_subscribers_pass_preflight(tmp_path):
    # The control case for the subscribers: a database host and a sound list
    # get past preflight to the (missing) hosts.
    subscribers = "[{username: alice, password: %s}, {username: bob, ha1: 0123456789abcdef0123456789abcdef}]" % SUBSCRIBERS_SECRET
    inventory = write_inventory(tmp_path, NODE1, NODE2, SOUND_CLUSTER, dict(DATABASE, sipha_subscribers=subscribers))
    result = run_site(inventory)
    assert result.returncode != 0
    assert "sipha.cluster.node :" in result.stdout, result.stdout
    assert SUBSCRIBERS_SECRET not in result.stdout


def test_sound_inventory_passes_preflight_and_only_then_reaches_for_hosts(tmp_path):
    # The control case: with a sound inventory the run gets past preflight
    # and fails only because the containers do not exist. Without it, the
    # tests above could pass on a preflight that stops everything.
    inventory = write_inventory(
        tmp_path, {"sipha_private_ip": "10.0.0.11/24"}, {"sipha_private_ip": "10.0.0.12/24"}, SOUND_CLUSTER
    )
    result = run_site(inventory)
    assert result.returncode != 0
    assert "sipha.cluster.node :" in result.stdout, result.stdout


# heartbeat: the bad inputs, each named before any host is changed.
HEARTBEAT = dict(SOUND_CLUSTER, sipha_ha_manager="heartbeat", heartbeat_authkeys_secret="Hb7-preflight-test-authkey-0001")


def fence_device(host):
    return "{type: external/ipmi, params: {hostname: %s, ipaddr: 10.0.1.%d, userid: fence, passwd: Ipmi-test-pw}}" % (
        host, 11 if host == "node1" else 12)


HB_NODE1 = dict(NODE1, heartbeat_stonith_device=fence_device("node1"))
HB_NODE2 = dict(NODE2, heartbeat_stonith_device=fence_device("node2"))


@pytest.mark.parametrize(
    "node1, node2, cluster, words",
    [
        pytest.param(HB_NODE1, HB_NODE2, {"heartbeat_authkeys_secret": "''"},
                     ["node1: heartbeat_authkeys_secret is not set", "ansible-vault"], id="authkeys-secret-missing"),
        pytest.param(HB_NODE1, HB_NODE2, {"heartbeat_authkeys_secret": "short-key"},
                     ["heartbeat_authkeys_secret is 9 characters long; use at least 20"], id="authkeys-secret-short"),
        pytest.param(HB_NODE1, HB_NODE2, {"heartbeat_deadtime": 1, "heartbeat_warntime": 1},
                     ["heartbeat_deadtime (1 s) must be greater than heartbeat_keepalive (1 s)"], id="deadtime-not-above-keepalive"),
        pytest.param(HB_NODE1, NODE2, {},
                     ["node2: heartbeat_stonith_device is not set, but heartbeat_stonith is on"], id="stonith-without-device"),
    ],
)
def test_broken_heartbeat_settings(tmp_path, node1, node2, cluster, words):
    inventory = write_inventory(tmp_path, node1, node2, dict(HEARTBEAT, **cluster))
    result = run_site(inventory)
    assert_stopped_before_any_host(result, *words)
    # Neither secret is ever printed.
    assert "Hb7-preflight-test-authkey-0001" not in result.stdout
    assert "Ipmi-test-pw" not in result.stdout


def test_heartbeat_node_name_that_is_not_the_hosts_name(tmp_path):
    # Both nodes are this machine (a local connection), whose name is not
    # node1: reading `uname -n` is the first thing that reaches a host, and
    # the run stops there, before any role task.
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    inventory = write_inventory(tmp_path, dict(HB_NODE1, **local), dict(HB_NODE2, **local), HEARTBEAT)
    result = run_site(inventory)
    assert_stopped_before_any_host(result, "node1: heartbeat_node_name is node1 but `uname -n` on the host says")
    assert "Set heartbeat_node_name:" in result.stdout
    assert "sipha.cluster.heartbeat : Install" not in result.stdout


def test_sound_heartbeat_inventory_passes_the_controller_checks(tmp_path):
    # The control case: a sound heartbeat inventory gets as far as reading
    # each node's name, and fails there only because the hosts do not exist.
    inventory = write_inventory(tmp_path, HB_NODE1, HB_NODE2, HEARTBEAT)
    result = run_site(inventory)
    assert result.returncode != 0
    assert "Read the node's name" in result.stdout, result.stdout
    assert "sipha.cluster.node :" not in result.stdout, result.stdout


# OpenSIPS and RTPproxy: switching is one variable (the rest of the sound
# inventory stays), and the bad inputs stop the run before any host.
OPENSIPS = dict(SOUND_CLUSTER, sipha_sip_proxy="opensips", opensips_repository_uri="http://deb.example.test/opensips")
RTPPROXY = dict(SOUND_CLUSTER, sipha_media_relay="rtpproxy")


@pytest.mark.parametrize(
    "cluster, words",
    [
        pytest.param(dict(OPENSIPS, opensips_version="3.2"),
                     ["opensips_version is 3.2", "3.4, 3.5, 3.6"], id="opensips-version-unknown"),
        pytest.param(dict(OPENSIPS, opensips_repository_uri="''"),
                     ["opensips_repository_uri is empty", "download page"], id="opensips-repository-missing"),
        pytest.param(dict(OPENSIPS, sipha_media_servers="[]"),
                     ["opensips_media_servers is empty while opensips_dispatcher is on"], id="opensips-no-media-servers"),
        pytest.param(dict(RTPPROXY, kamailio_media_relay="rtpengine"),
                     ["sipha_media_relay is 'rtpproxy' but kamailio_media_relay is 'rtpengine'",
                      "Remove kamailio_media_relay"], id="rtpproxy-with-a-proxy-set-up-for-rtpengine"),
        pytest.param(dict(RTPPROXY, sipha_sip_proxy="opensips", opensips_repository_uri="http://deb.example.test/opensips",
                          opensips_media_relay="rtpengine"),
                     ["sipha_media_relay is 'rtpproxy' but opensips_media_relay is 'rtpengine'"], id="rtpproxy-opensips-set-up-for-rtpengine"),
        pytest.param(dict(RTPPROXY, rtpproxy_source_checksum="''"),
                     ["rtpproxy_source_checksum is", "sha256:<64 hex digits>"], id="rtpproxy-source-without-checksum"),
        pytest.param(dict(RTPPROXY, rtpproxy_control_socket="udp:0.0.0.0:7722"),
                     ["rtpproxy_control_socket is udp:0.0.0.0:7722", "loopback only"], id="rtpproxy-control-not-loopback"),
        pytest.param(dict(RTPPROXY, rtpproxy_implementation="rtpproxy2"),
                     ["rtpproxy_implementation", "rtpproxy, rtpengine"], id="rtpproxy-implementation-unknown"),
    ],
)
def test_broken_opensips_and_rtpproxy_settings(tmp_path, cluster, words):
    inventory = write_inventory(tmp_path, NODE1, NODE2, cluster)
    assert_stopped_before_any_host(run_site(inventory), *words)


@pytest.mark.parametrize(
    "cluster",
    [
        pytest.param(OPENSIPS, id="opensips"),
        pytest.param(RTPPROXY, id="kamailio-rtpproxy"),
        pytest.param(dict(OPENSIPS, sipha_media_relay="rtpproxy", rtpproxy_implementation="rtpengine"), id="opensips-rtpproxy"),
    ],
)
def test_sound_opensips_and_rtpproxy_inventories_pass_preflight(tmp_path, cluster):
    # The control cases: one variable switched, and the run reaches for the
    # (missing) hosts.
    inventory = write_inventory(tmp_path, NODE1, NODE2, cluster)
    result = run_site(inventory)
    assert result.returncode != 0
    assert "sipha.cluster.node :" in result.stdout, result.stdout


def test_database_password_left_out_altogether(tmp_path):
    # Not even an empty value (as inventories/example ships until a vault
    # file is made): the same message, not a templating error.
    cluster = {key: value for key, value in SOUND_CLUSTER.items() if key != "sipha_db_password"}
    inventory = write_inventory(tmp_path, NODE1, NODE2, cluster)
    assert_stopped_before_any_host(run_site(inventory), "sipha_db_password is not set", "ansible-vault create")


# Strings written into the daemons' configuration files, and secrets Ansible
# would template: each named before any host is touched, no secret printed.
@pytest.mark.parametrize(
    "cluster, words",
    [
        pytest.param({"sipha_cluster_name": '"sip-prod\\nroute { drop; }"'},
                     ["sipha_cluster_name holds a newline", "kamailio.cfg", "keepalived.conf", "on one line"],
                     id="newline-in-cluster-name"),
        pytest.param({"sipha_public_interface": "'eth1 }'"},
                     ["sipha_public_interface holds a blank", "one word"], id="blank-in-interface"),
        pytest.param({"sipha_sip_secret": '"Kx9-preflight-sip-secret-32-characters\\n"'},
                     ["sipha_sip_secret holds a newline"], id="newline-after-sip-secret"),
        pytest.param({"sipha_db_password": "'Xq7-preflight-test-secret{{7}}'"},
                     ["sipha_db_password holds {{", "templated it", "!unsafe", "encrypt_string"], id="templated-db-password"),
    ],
)
def test_broken_config_strings_and_templated_secrets(tmp_path, cluster, words):
    inventory = write_inventory(tmp_path, NODE1, NODE2, dict(SOUND_CLUSTER, **cluster))
    result = run_site(inventory)
    assert_stopped_before_any_host(result, *words)
    assert "Xq7-preflight-test-secret" not in result.stdout
    assert "Kx9-preflight-sip-secret-32-characters" not in result.stdout


def test_unsafe_secret_with_braces_passes_preflight(tmp_path):
    # The control case: the same password marked !unsafe is used as written.
    cluster = dict(SOUND_CLUSTER, sipha_db_password="!unsafe 'Xq7-preflight-test-secret{{7}}'")
    inventory = write_inventory(tmp_path, NODE1, NODE2, cluster)
    result = run_site(inventory)
    assert result.returncode != 0
    assert "sipha.cluster.node :" in result.stdout, result.stdout


# The firewall (roles/firewall): the bad inputs, each named before
# any host is touched. An SSH connection that the firewall would lock out
# is told apart from the lab's Docker connection.
@pytest.mark.parametrize(
    "node1, cluster, words",
    [
        pytest.param(NODE1, {"rtpengine_port_min": "40000", "rtpengine_port_max": "30000"},
                     ["rtpengine_port_min (40000) is above rtpengine_port_max (30000): that is not a range"], id="rtp-range-reversed"),
        pytest.param(NODE1, {"sipha_admin_networks": "['10.30.0.0']"},
                     ["sipha_admin_networks has '10.30.0.0', which is not a network in CIDR form"], id="admin-network-not-cidr"),
        pytest.param(dict(NODE1, ansible_connection="ssh"), {},
                     ["node1: the firewall (sipha_firewall) admits SSH only from sipha_admin_networks, which is empty",
                      "lock you out"], id="ssh-lock-out"),
        pytest.param(NODE1, {"firewall_allow": "[{proto: tcp, port: 9100}]"},
                     ["firewall_allow[0].sources must be a non-empty list"], id="extra-rule-without-sources"),
    ],
)
def test_broken_firewall_settings(tmp_path, node1, cluster, words):
    inventory = write_inventory(tmp_path, node1, NODE2, dict(SOUND_CLUSTER, **cluster))
    result = run_site(inventory)
    assert_stopped_before_any_host(result, *words)


def test_ssh_with_admin_networks_or_without_firewall_passes_preflight(tmp_path):
    for cluster in ({"sipha_admin_networks": "['10.30.0.0/24']"}, {"sipha_firewall": "false"}):
        inventory = write_inventory(tmp_path, dict(NODE1, ansible_connection="ssh"), NODE2, dict(SOUND_CLUSTER, **cluster))
        result = run_site(inventory)
        assert "sipha_admin_networks" not in result.stdout, result.stdout
        assert "sipha.cluster.node :" in result.stdout or "UNREACHABLE" in result.stdout, result.stdout


# TLS to the shared database (sipha_db_tls): settings that would leave the
# proxies unable to connect, or unable to check whom they connect to, stop
# the run before any host. The key's text is never printed.
TLS_KEY_TEXT = "Tk4-not-a-key-but-a-secret"


@pytest.mark.parametrize(
    "cluster, everyone, words",
    [
        pytest.param({"sipha_db_tls": "sometimes"}, None, ["sipha_db_tls is 'sometimes'; use true or false"], id="tls-not-boolean"),
        pytest.param({"sipha_db_tls": "true"}, None,
                     ["sipha_db_tls is true but the proxies have no CA to check the database with"], id="tls-without-any-ca"),
        pytest.param({"sipha_db_tls": "true", "sipha_db_tls_ca_certificate": "/etc/ssl/certs/db-ca.pem"}, None,
                     ["sipha_db_tls_ca_certificate is not a CA certificate in PEM form", "not its path"], id="tls-ca-given-as-a-path"),
        pytest.param(dict(OPENSIPS, sipha_db_tls="true"), dict(DATABASE, sipha_db_tls="true"),
                     ["sipha_db_tls is true with OpenSIPS on MariaDB", "tls_mgm"], id="tls-opensips-on-mariadb"),
        pytest.param({}, dict(DATABASE, sipha_db_tls="true", sipdb_tls_private_key=TLS_KEY_TEXT),
                     ["sipdb_tls_certificate and sipdb_tls_private_key go together"], id="tls-key-without-certificate"),
    ],
)
def test_broken_database_tls_settings(tmp_path, cluster, everyone, words):
    inventory = write_inventory(tmp_path, NODE1, NODE2, dict(SOUND_CLUSTER, **cluster), everyone)
    result = run_site(inventory)
    assert_stopped_before_any_host(result, *words)
    assert TLS_KEY_TEXT not in result.stdout


def test_database_tls_with_a_database_host_passes_preflight(tmp_path):
    # The control case: the sipdb role makes the CA, nothing else is needed.
    inventory = write_inventory(tmp_path, NODE1, NODE2, SOUND_CLUSTER, dict(DATABASE, sipha_db_tls="true"))
    result = run_site(inventory)
    assert result.returncode != 0
    assert "sipha.cluster.node :" in result.stdout, result.stdout


# SIP over TLS on the VIP (tls in kamailio_protocols): a pair the phones
# would refuse, or none at all, stops the run before any host. The key's
# text is never printed.
SIP_TLS_KEY = new_key()
SIP_TLS_NOW = datetime.datetime.now(datetime.timezone.utc)


def _sip_tls(certificate, key=SIP_TLS_KEY):
    return {
        "kamailio_protocols": "[udp, tcp, tls]",
        "sipha_sip_tls_certificate": json.dumps(certificate),
        "sipha_sip_tls_private_key": json.dumps(key_pem(key)),
    }


SOUND_SIP_TLS = _sip_tls(certificate_pem(SIP_TLS_KEY, SIP_TLS_NOW - DAY, SIP_TLS_NOW + 365 * DAY))


@pytest.mark.parametrize(
    "cluster, words",
    [
        pytest.param({"kamailio_protocols": "[udp, tcp, tls]"},
                     ["tls is in kamailio_protocols but sipha_sip_tls_certificate or sipha_sip_tls_private_key is empty"],
                     id="sip-tls-without-certificate"),
        pytest.param(_sip_tls(certificate_pem(new_key(), SIP_TLS_NOW - DAY, SIP_TLS_NOW + 365 * DAY)),
                     ["sipha_sip_tls_certificate does not match sipha_sip_tls_private_key"], id="sip-tls-key-of-another-certificate"),
        pytest.param(_sip_tls(certificate_pem(SIP_TLS_KEY, SIP_TLS_NOW - 400 * DAY, SIP_TLS_NOW - 30 * DAY)),
                     ["sipha_sip_tls_certificate expired on", "Renew it"], id="sip-tls-expired-certificate"),
        pytest.param(dict(SOUND_SIP_TLS, kamailio_tls_port=5060),
                     ["kamailio_tls_port is 5060, the port TCP listens on too"], id="sip-tls-on-the-tcp-port"),
    ],
)
def test_broken_sip_tls_settings(tmp_path, cluster, words):
    inventory = write_inventory(tmp_path, NODE1, NODE2, dict(SOUND_CLUSTER, **cluster))
    result = run_site(inventory)
    assert_stopped_before_any_host(result, *words)
    assert "PRIVATE KEY" not in result.stdout


def test_sound_sip_tls_passes_preflight(tmp_path):
    inventory = write_inventory(tmp_path, NODE1, NODE2, dict(SOUND_CLUSTER, **SOUND_SIP_TLS))
    result = run_site(inventory)
    assert result.returncode != 0
    assert "sipha.cluster.node :" in result.stdout, result.stdout
