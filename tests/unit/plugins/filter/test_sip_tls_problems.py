# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import os

import pytest
import yaml

from pem_pairs import DAY, certificate_pem, key_pem, new_key

from ansible_collections.sipha.cluster.plugins.plugin_utils.sip_tls import sip_tls_problems
from ansible_collections.sipha.cluster.plugins.filter.service_problems import FilterModule as ServiceFilters

service_problems = ServiceFilters().filters()["service_problems"]

NOW = datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.timezone.utc)
LAB_TLS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "inventories", "lab", "group_vars", "all", "sip_tls.yml")


KEY = new_key()


def settings(**overrides):
    values = {
        "protocols": ["udp", "tcp", "tls"],
        "port": 5060,
        "tls_port": 5061,
        "sipha_sip_tls_certificate": certificate_pem(KEY, NOW - DAY, NOW + 365 * DAY),
        "sipha_sip_tls_private_key": key_pem(KEY),
    }
    values.update(overrides)
    return values


def test_a_matching_pair_in_its_validity_is_fine():
    assert sip_tls_problems(settings(), NOW) == []


def test_a_chain_after_the_certificate_is_fine():
    chain = certificate_pem(KEY, NOW - DAY, NOW + 365 * DAY) + certificate_pem(new_key(), NOW - DAY, NOW + 365 * DAY)
    assert sip_tls_problems(settings(sipha_sip_tls_certificate=chain), NOW) == []


def test_tls_off_needs_no_certificate():
    assert sip_tls_problems(settings(protocols=["udp", "tcp"], sipha_sip_tls_certificate="", sipha_sip_tls_private_key=""), NOW) == []


@pytest.mark.parametrize("missing", ["sipha_sip_tls_certificate", "sipha_sip_tls_private_key"])
def test_tls_on_without_the_pair_is_refused(missing):
    problems = sip_tls_problems(settings(**{missing: ""}), NOW)
    assert len(problems) == 1
    assert "tls is in kamailio_protocols" in problems[0] and missing in problems[0]


def test_a_key_of_another_certificate_is_refused():
    problems = sip_tls_problems(settings(sipha_sip_tls_private_key=key_pem(new_key())), NOW)
    assert len(problems) == 1
    assert "does not match sipha_sip_tls_private_key" in problems[0]


def test_an_expired_certificate_is_refused_with_its_date():
    expired = certificate_pem(KEY, NOW - 400 * DAY, NOW - 35 * DAY)
    problems = sip_tls_problems(settings(sipha_sip_tls_certificate=expired), NOW)
    assert len(problems) == 1
    assert "expired on 2026-11-02" in problems[0]


def test_a_certificate_not_yet_valid_is_refused():
    later = certificate_pem(KEY, NOW + 2 * DAY, NOW + 400 * DAY)
    problems = sip_tls_problems(settings(sipha_sip_tls_certificate=later), NOW)
    assert len(problems) == 1
    assert "is not valid before 2026-12-09" in problems[0]


def test_a_path_instead_of_the_text_is_refused():
    problems = sip_tls_problems(settings(sipha_sip_tls_certificate="/etc/ssl/sip.crt"), NOW)
    assert any("sipha_sip_tls_certificate is not a certificate in PEM form" in message for message in problems)


def test_an_encrypted_key_is_refused():
    encrypted = key_pem(KEY, passphrase=b"secret")
    problems = sip_tls_problems(settings(sipha_sip_tls_private_key=encrypted), NOW)
    assert any("sipha_sip_tls_private_key is not an unencrypted private key" in message for message in problems)


def test_armour_around_garbage_is_refused():
    garbage = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUQ2Vy\n-----END CERTIFICATE-----\n"
    problems = sip_tls_problems(settings(sipha_sip_tls_certificate=garbage), NOW)
    assert len(problems) == 1 and "cannot be read as an X.509 certificate" in problems[0]


def test_tls_on_the_tcp_port_is_refused():
    problems = sip_tls_problems(settings(tls_port=5060), NOW)
    assert len(problems) == 1 and "kamailio_tls_port is 5060" in problems[0]


def test_the_lab_pair_is_sound_for_years():
    with open(LAB_TLS) as lab_file:
        lab = yaml.safe_load(lab_file)
    pair = {key: lab[key] for key in ("sipha_sip_tls_certificate", "sipha_sip_tls_private_key")}
    now = datetime.datetime.now(datetime.timezone.utc)
    assert sip_tls_problems(settings(**pair), now + 365 * DAY) == []


def _service(proxy, **overrides):
    values = {
        "sipha_sip_proxy": proxy,
        "sipha_media_relay": "rtpengine",
        "sipha_db_engine": "mariadb",
        "sipha_db_host": "10.0.0.5",
        "sipha_db_password": "a-long-enough-database-secret",
        "media_servers": [{"address": "10.0.0.7"}],
        "proxy_name": proxy,
    }
    values.update(settings(sipha_sip_tls_certificate=""))
    values.update(overrides)
    return values


def test_service_problems_judge_kamailio_tls():
    nodes = {"node1": {"sipha_private_ip": "10.0.0.11/24"}}
    assert any("tls is in kamailio_protocols" in message for message in service_problems(_service("kamailio"), nodes))


def test_opensips_without_the_pair_reads_files_of_its_own():
    nodes = {"node1": {"sipha_private_ip": "10.0.0.11/24"}}
    settings_without_pair = _service("opensips", sipha_sip_tls_private_key="")
    assert not any("sipha_sip_tls" in message for message in service_problems(settings_without_pair, nodes))


def test_opensips_with_the_pair_has_it_checked_under_its_own_names():
    problems = sip_tls_problems(settings(proxy_name="opensips", sipha_sip_tls_private_key=key_pem(new_key())), NOW)
    assert len(problems) == 1 and "does not match" in problems[0]
    problems = sip_tls_problems(settings(proxy_name="opensips", tls_port=5060), NOW)
    assert problems == [problems[0]] and problems[0].startswith("opensips_tls_port is 5060") and "(opensips_port)" in problems[0]
