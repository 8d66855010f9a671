# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.sipha.cluster.plugins.filter.service_problems import FilterModule

service_problems = FilterModule().filters()["service_problems"]

NODES = {
    "node1": {"sipha_private_ip": "10.0.0.11/24", "node_private_routes": [{"to": "10.1.0.0/16", "via": "10.0.0.1"}]},
    "node2": {"sipha_private_ip": "10.0.0.12/24"},
}
ABSENT = object()


def settings(**overrides):
    values = {
        "sipha_sip_proxy": "kamailio",
        "sipha_media_relay": "rtpengine",
        "sipha_db_engine": "mariadb",
        "sipha_db_host": "10.0.0.21",
        "sipha_db_password": "Xq7-long-enough-secret",
        "proxy_name": "kamailio",
        "dispatcher": True,
        "media_servers": [{"address": "10.0.0.31"}, {"address": "10.1.4.32", "port": 5080, "transport": "tcp"}],
        # The SIP edge (test_edge_problems.py has its rules).
        "sipha_sip_secret": "Kx9-a-sip-secret-of-its-own-32-chars",
        "sipha_sip_domains": ["203.0.113.10"],
    }
    for key, value in overrides.items():
        if value is ABSENT:
            values.pop(key)
        else:
            values[key] = value
    return values


def test_sound_settings_have_no_problems():
    assert service_problems(settings(), NODES) == []


@pytest.mark.parametrize("password", [ABSENT, "", None])
def test_missing_password_names_the_vault(password):
    problems = service_problems(settings(sipha_db_password=password), NODES)
    assert len(problems) == 1
    assert "sipha_db_password is not set" in problems[0] and "vault" in problems[0]


@pytest.mark.parametrize("password", ["kamailiorw", "CHANGE_ME", "please-change-this-now", "example-password-123", "{{ vault_db }}x"])
def test_example_password_is_refused(password):
    problems = service_problems(settings(sipha_db_password=password), NODES)
    assert any("example value" in problem for problem in problems), problems


def test_short_password_is_refused():
    problems = service_problems(settings(sipha_db_password="Xq7short"), NODES)
    assert problems == ["sipha_db_password has 8 characters; use at least 12."]


@pytest.mark.parametrize("password", ["with@at-sign-long", "with:colon-long", "with/slash-long", "with space-long"])
def test_password_that_breaks_the_db_url_is_refused(password):
    problems = service_problems(settings(sipha_db_password=password), NODES)
    assert any("db_url" in problem for problem in problems), problems


def test_db_host_off_the_private_network():
    problems = service_problems(settings(sipha_db_host="192.0.2.50"), NODES)
    assert len(problems) == 1
    assert "sipha_db_host 192.0.2.50 is not on the private network" in problems[0]
    assert "10.0.0.0/24" in problems[0] and "node_private_routes" in problems[0]


def test_db_host_behind_a_private_route_is_fine():
    assert service_problems(settings(sipha_db_host="10.1.2.3"), NODES) == []


@pytest.mark.parametrize("host", ["db1.example.net", "10.0.0.21/24"])
def test_db_host_must_be_an_address(host):
    problems = service_problems(settings(sipha_db_host=host), NODES)
    assert any("give the database's private IP address" in problem for problem in problems), problems


def test_db_host_missing():
    problems = service_problems(settings(sipha_db_host=ABSENT), NODES)
    assert any("sipha_db_host is not set" in problem for problem in problems)


def test_empty_media_servers_with_dispatcher_on():
    problems = service_problems(settings(media_servers=[]), NODES)
    assert len(problems) == 1
    assert "kamailio_media_servers is empty while kamailio_dispatcher is on" in problems[0]


@pytest.mark.parametrize("flag", [False, "false", "no"])
def test_empty_media_servers_with_dispatcher_off_is_fine(flag):
    assert service_problems(settings(dispatcher=flag, media_servers=[]), NODES) == []


def test_media_server_checks():
    servers = [{"address": "192.0.2.9"}, {"address": "nope"}, "10.0.0.31", {"address": "10.0.0.31", "port": 70000, "transport": "sctp"}]
    problems = service_problems(settings(media_servers=servers), NODES)
    assert any("[0] address 192.0.2.9 is not on the private network" in problem for problem in problems)
    assert any("[1] has address 'nope'" in problem for problem in problems)
    assert any("[2] is '10.0.0.31'" in problem for problem in problems)
    assert any("[3] has port 70000" in problem for problem in problems)
    assert any("[3] has transport 'sctp'" in problem for problem in problems)


@pytest.mark.parametrize(
    "key, value, words",
    [
        ("sipha_sip_proxy", "yate", "sipha_sip_proxy is 'yate'"),
        ("sipha_media_relay", "mediaproxy", "sipha_media_relay is 'mediaproxy'"),
        ("sipha_db_engine", "oracle", "sipha_db_engine is 'oracle'"),
    ],
)
def test_unknown_choices(key, value, words):
    problems = service_problems(settings(**{key: value}), NODES)
    assert any(words in problem for problem in problems), problems


def test_health_check_port_must_be_the_proxy_port():
    problems = service_problems(settings(port=5080, failover_sip_port="5060"), NODES)
    assert problems == [
        "failover_sip_port is 5060 but Kamailio listens on kamailio_port 5080; the health check would get no "
        "answer and the group would never stay anywhere: set both to the same port (sipha_sip_port sets both)."
    ]
    assert service_problems(settings(port="5080", failover_sip_port=5080), NODES) == []


def test_opensips_messages_name_its_own_variables():
    problems = service_problems(settings(sipha_sip_proxy="opensips", proxy_name="opensips", media_servers=[]), NODES)
    assert problems == [
        "opensips_media_servers is empty while opensips_dispatcher is on; list the media servers (Asterisk/FreeSWITCH) "
        "in sipha_media_servers as {address: <private IP>, port: 5060}, or set opensips_dispatcher: false."
    ]
    problems = service_problems(settings(sipha_sip_proxy="opensips", proxy_name="opensips", port=5062), NODES)
    assert problems and "OpenSIPS listens on opensips_port 5062" in problems[0]


@pytest.mark.parametrize("proxy", ["kamailio", "opensips"])
@pytest.mark.parametrize("relay", ["rtpengine", "rtpproxy", "none"])
def test_every_proxy_drives_every_relay(proxy, relay):
    assert service_problems(settings(sipha_sip_proxy=proxy, proxy_name=proxy, sipha_media_relay=relay, media_relay=relay), NODES) == []


def test_a_proxy_set_up_for_another_relay_is_refused():
    problems = service_problems(settings(sipha_media_relay="rtpproxy", media_relay="rtpengine"), NODES)
    assert len(problems) == 1
    assert problems[0].startswith("sipha_media_relay is 'rtpproxy' but kamailio_media_relay is 'rtpengine'")
    assert "Remove kamailio_media_relay" in problems[0]


def test_a_relay_the_proxy_has_no_module_for_is_refused(monkeypatch):
    # Both proxies this release runs have modules for both relays: a proxy
    # without one is what the table is for.
    from ansible_collections.sipha.cluster.plugins.plugin_utils import service_config

    monkeypatch.setitem(service_config.RELAY_MODULES, "kamailio", {"rtpengine": "rtpengine"})
    problems = service_problems(settings(sipha_media_relay="rtpproxy", media_relay="rtpproxy"), NODES)
    assert problems == ["sipha_media_relay is 'rtpproxy' but Kamailio has no module for it (it drives rtpengine); pick one of those, or none."]
