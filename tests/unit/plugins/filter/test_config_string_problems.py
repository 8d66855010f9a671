# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory strings that would break a configuration file, and secrets
Ansible would template: the rules and the filters preflight runs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.sipha.cluster.plugins.filter.config_string_problems import FilterModule as StringFilters
from ansible_collections.sipha.cluster.plugins.filter.templated_secret_problems import FilterModule as SecretFilters
from ansible_collections.sipha.cluster.plugins.plugin_utils import config_strings
from ansible_collections.sipha.cluster.plugins.plugin_utils.config_strings import UNREADABLE, string_problems, templated_problems

config_string_problems = StringFilters().filters()["config_string_problems"]
templated_secret_problems = SecretFilters().filters()["templated_secret_problems"]

SOUND = {
    "sipha_cluster_name": "sip-prod Berlin (2nd floor)",
    "sipha_private_interface": "eth0",
    "sipha_public_interface": "ens1f0.100",
    "sipha_vip": "203.0.113.10/24",
    "sipha_sip_domains": ["sip.example.com", "203.0.113.10"],
    "sipha_media_servers": [{"address": "10.0.0.31", "port": 5060, "attributes": "weight=50;duid=ms1"}],
    "sipha_db_password": "Xq7-+=!%^*secret",
    "sipha_sip_secret": "Kx9-a-sip-secret-of-its-own-32-chars!$&'",
    "kamailio_server_header": "SIP proxy 'edge' v1",
    "keepalived_auth_pass": "Vr3-pw",
    "heartbeat_stonith_device": {"type": "external/ipmi", "params": {"hostname": "node1", "passwd": "Ipmi\"pw!"}},
    "kamailio_children": 4,
    "kamailio_auth": True,
    "kamailio_local_routing": "route[LOCAL_REQUEST] {\n\treturn;\n}\n",
    "some_other_variable": "anything\ngoes \"here\"",
}


def test_sound_strings_pass():
    assert string_problems(SOUND) == []


@pytest.mark.parametrize(
    "name, value, words",
    [
        pytest.param("sipha_cluster_name", "sip-prod\nroute { drop; }", ["sipha_cluster_name holds a newline", "kamailio.cfg",
                                                                         "keepalived.conf", "on one line"], id="newline-in-cluster-name"),
        pytest.param("sipha_cluster_name", "sip-prod\r", ["sipha_cluster_name holds a carriage return"], id="cr-in-cluster-name"),
        pytest.param("sipha_cluster_name", "sip\x00", ["the control character U+0000"], id="nul-in-cluster-name"),
        pytest.param("sipha_sip_secret", "Kx9-a-sip-secret-of-its-own-32-chars\n", ["sipha_sip_secret holds a newline"],
                     id="trailing-newline-in-sip-secret"),
        pytest.param("sipha_db_password", 'Xq7"secret', ['sipha_db_password holds a double quote (")', "quoted string"],
                     id="quote-in-db-password"),
        pytest.param("kamailio_server_header", "edge\\", ["kamailio_server_header holds a backslash"], id="backslash-in-header"),
        pytest.param("sipha_private_interface", "eth0 }", ["sipha_private_interface holds a blank", "one word"],
                     id="blank-in-interface"),
        pytest.param("keepalived_instance_name", "SIPHA#1", ["keepalived_instance_name holds '#'"], id="hash-in-instance-name"),
        pytest.param("keepalived_auth_pass", "pw\n", ["keepalived_auth_pass holds a newline"], id="newline-in-auth-pass"),
        pytest.param("heartbeat_node_name", "node1\tnode2", ["heartbeat_node_name holds a tab", "ha.cf"], id="tab-in-node-name"),
        pytest.param("sipha_sip_domains", ["sip.example.com", "evil.example.com\n"], ["sipha_sip_domains[1] holds a newline"],
                     id="newline-in-a-domain"),
        pytest.param("sipha_trusted_peers", ["198.51.100.0/24\n"], ["sipha_trusted_peers[0] holds a newline"],
                     id="newline-in-a-trusted-peer"),
        pytest.param("sipha_media_servers", [{"address": "10.0.0.31", "attributes": "a b"}],
                     ["sipha_media_servers[0].attributes holds a blank", "the dispatcher list"], id="blank-in-media-server-attributes"),
        pytest.param("heartbeat_stonith_device", {"params": {"passwd": "pw\nstonith_host * x"}},
                     ["heartbeat_stonith_device.params.passwd holds a newline"], id="newline-in-a-fence-password"),
        pytest.param("heartbeat_stonith_device", {"params": {"pass\nwd": "pw"}},
                     ["heartbeat_stonith_device.params (a key) holds a newline"], id="newline-in-a-fence-parameter-name"),
    ],
)
def test_broken_strings(name, value, words):
    problems = string_problems(dict(SOUND, **{name: value}))
    assert len(problems) == 1, problems
    for word in words:
        assert word in problems[0], (word, problems)


def test_values_are_never_shown():
    problems = string_problems({"sipha_db_password": 'Xq7"very-secret', "heartbeat_authkeys_secret": "Hb7-secret\n"})
    assert len(problems) == 2
    assert not any("very-secret" in problem or "Hb7-secret" in problem for problem in problems)


def test_every_config_string_has_a_kind():
    for name, (kind, files) in config_strings.CONFIG_STRINGS.items():
        assert kind in (config_strings.LINE, config_strings.QUOTED, config_strings.WORD), name
        assert files, name


# templated_problems: the values as written and what Ansible made of them.
def _read(values):
    return lambda name: values.get(name, UNREADABLE)


@pytest.mark.parametrize(
    "raw, final",
    [
        pytest.param({"sipha_db_password": "Xq7-plain"}, {"sipha_db_password": "Xq7-plain"}, id="no-markers"),
        pytest.param({"sipha_db_password": "p{{ 7 }}q"}, {"sipha_db_password": "p{{ 7 }}q"}, id="unsafe-left-as-written"),
        pytest.param({"sipha_db_password": "{{ vault_db }}", "vault_db": "Xq7-vaulted"},
                     {"sipha_db_password": "Xq7-vaulted", "vault_db": "Xq7-vaulted"}, id="reference-to-a-vault-variable"),
        pytest.param({"sipha_db_password": "{{ vault_db }}"}, {"sipha_db_password": "Xq7-from-elsewhere"},
                     id="reference-to-a-variable-not-in-the-inventory"),
        pytest.param({"heartbeat_authkeys_secret": "{{ lookup('file', 'authkey') }}"},
                     {"heartbeat_authkeys_secret": "Hb7-from-a-file"}, id="a-lookup"),
        pytest.param({"sipha_subscribers": "{%- set users = [] -%}{{ users }}"}, {"sipha_subscribers": []},
                     id="a-generated-subscribers-list"),
        pytest.param({"sipha_subscribers": [{"username": "alice", "password": "Sb5-plain"}]},
                     {"sipha_subscribers": [{"username": "alice", "password": "Sb5-plain"}]}, id="plain-subscribers"),
        pytest.param({"some_other_variable": "{{ 1 }}x"}, {"some_other_variable": "1x"}, id="not-a-secret"),
        pytest.param({"heartbeat_stonith_device": {"params": {"hostname": "{{ inventory_hostname }}-bmc"}}},
                     {"heartbeat_stonith_device": {"params": {"hostname": "node1-bmc"}}}, id="fence-host-name-template"),
    ],
)
def test_secrets_used_as_written(raw, final):
    assert templated_problems(raw, _read(final)) == []


@pytest.mark.parametrize(
    "raw, final, words",
    [
        pytest.param({"sipha_db_password": "p{{ 7 }}q"}, {"sipha_db_password": "p7q"},
                     ["sipha_db_password holds {{", "templated it", "sipha_db_password: !unsafe", "encrypt_string"],
                     id="templated-password"),
        pytest.param({"sipha_sip_secret": "Kx9{{ nope }}"}, {},
                     ["sipha_sip_secret holds {{", "reads it as a template, which fails"], id="password-that-fails-to-template"),
        pytest.param({"keepalived_auth_pass": "{{ vault_kap }}", "vault_kap": "ab{# c"}, {"keepalived_auth_pass": "ab"},
                     ["keepalived_auth_pass (through vault_kap) holds", "vault_kap: !unsafe"], id="through-a-vault-variable"),
        pytest.param({"sipha_subscribers": [{"username": "alice", "password": "x{{ 2 }}y"}]},
                     {"sipha_subscribers": [{"username": "alice", "password": "x2y"}]},
                     ["sipha_subscribers[0].password holds", "password: !unsafe"], id="subscriber-password"),
        pytest.param({"heartbeat_stonith_device": {"params": {"passwd": "a{% b"}}}, {},
                     ["heartbeat_stonith_device.params.passwd holds"], id="fence-password"),
    ],
)
def test_templated_secrets(raw, final, words):
    problems = templated_problems(raw, _read(final))
    assert len(problems) == 1, problems
    for word in words:
        assert word in problems[0], (word, problems)


def test_problems_name_every_host_once():
    assert config_strings.merge_hosts({"node2": ["x is bad."], "node1": ["x is bad.", "y is bad."]}) == [
        "node1, node2: x is bad.",
        "node1: y is bad.",
    ]


# The filters, on plain mappings in place of hostvars.
class FakeHostVars(dict):
    def __init__(self, raw, final):
        super(FakeHostVars, self).__init__(final)
        self.raw = raw

    def raw_get(self, host):
        return self.raw[host]


def test_config_string_filter():
    hostvars = {
        "node1": {"sipha_cluster_name": "sip\nprod", "sipha_private_interface": "eth0"},
        "node2": {"sipha_cluster_name": "sip\nprod", "sipha_private_interface": "eth 0"},
    }
    assert config_string_problems(hostvars, ["node1", "node2"]) == [
        "node1, node2: sipha_cluster_name holds a newline, which would break kamailio.cfg, opensips.cfg, keepalived.conf, "
        "rtpengine.conf: write it on one line, without control characters.",
        "node2: sipha_private_interface holds a blank, which would break keepalived.conf, ha.cf, the network configuration: "
        "write it as one word without blanks, quotes, backslashes, '#' or '!'.",
    ]


def test_templated_secret_filter():
    raw = {"node1": {"sipha_db_password": "p{{ 7 }}q"}, "node2": {"sipha_db_password": "p{{ 7 }}q"}}
    final = {"node1": {"sipha_db_password": "p7q"}, "node2": {"sipha_db_password": "p7q"}}
    problems = templated_secret_problems(FakeHostVars(raw, final), ["node1", "node2"])
    assert len(problems) == 1 and problems[0].startswith("node1, node2: sipha_db_password holds"), problems
    assert "p7q" not in problems[0]
