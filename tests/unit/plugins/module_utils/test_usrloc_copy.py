# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""usrloc_copy: what a node that starts is sent again, and how a copy is signed.

Recorded in the lab (kamailio_usrloc_replication_method register_copy,
write_back): ul.dump of a node over JSON-RPC (fixtures/usrloc_copy/ul_dump.json)
and a copy one node sent the other, as captured on the private network
(copy_register.sip): the copy's signature is Kamailio's route[COPY_SIGNATURE],
and the same function must give it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import json
import os
import re

import pytest

from ansible_collections.sipha.cluster.plugins.module_utils import usrloc_copy as u

HERE = os.path.dirname(__file__)
FIXTURES = os.path.join(HERE, "fixtures", "usrloc_copy")
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
LAB_SECRET = "sipha-lab-only-sip-secret-committed-on-purpose"


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def dump():
    return json.loads(fixture("ul_dump.json"))["result"]


def headers(message):
    """A SIP message's headers as {name: [values]}, and its first line."""
    lines = message.decode("utf-8") if isinstance(message, bytes) else message
    lines = lines.split("\r\n")
    found = {}
    for line in lines[1:]:
        if not line:
            break
        name, value = line.split(":", 1)
        found.setdefault(name.strip(), []).append(value.strip())
    return lines[0], found


def param(value, name):
    return re.search(r"(?:^|;)%s=([^;]*)" % name, value).group(1)


def sign_as_kamailio(message, secret):
    """route[COPY_SIGNATURE] applied to a message: what a peer checks."""
    h = headers(message)[1]
    to_uri = re.search(r"<([^>]*)>", h["To"][0]).group(1)
    return u.copy_signature(secret, h["Call-ID"][0], h["CSeq"][0].split()[0], to_uri, ", ".join(h["Contact"]),
                            h.get("Expires", ["0"])[0], h.get("X-Sipha-Received", [""])[0],
                            param(h["X-Sipha-Copy"][0], "t"))


def test_a_copy_kamailio_signed_checks_with_the_same_function():
    message = fixture("copy_register.sip").replace("\n", "\r\n")
    h = headers(message)[1]
    assert sign_as_kamailio(message, LAB_SECRET) == param(h["X-Sipha-Copy"][0], "sg")
    assert sign_as_kamailio(message, LAB_SECRET + "x") != param(h["X-Sipha-Copy"][0], "sg")


def test_the_lab_forger_signs_as_the_nodes_do():
    # molecule's forged copies are signed by a second, independent writing of
    # the same rule: both must agree, or the attack test's positive control
    # proves nothing about this one.
    spec = importlib.util.spec_from_file_location(
        "register_copy_send", os.path.join(REPO, "molecule", "shared", "files", "register_copy_send.py"))
    forger = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(forger)
    fields = ("call-1@10.0.0.5", "7", "sip:user0001@10.0.0.11", "<sip:user0001@192.0.2.7:5080>", "600",
              "sip:192.0.2.7:40000", "1765000000")
    assert forger.signature(LAB_SECRET, *fields) == u.copy_signature(LAB_SECRET, *fields)
    ask = ("10.0.0.11", "10.0.0.12", "0123abcd", "1765000000")
    assert forger.ask_signature(LAB_SECRET, *ask) == u.ask_signature(LAB_SECRET, *ask)


def test_every_live_contact_is_sent_with_its_aor():
    result = dump()
    contacts = list(u._contacts(result))
    assert len(contacts) >= 3
    picked = u.live_contacts(result)
    assert [(c["AoR"], c["Call-ID"]) for c in picked] == [(a, c["Call-ID"]) for a, c in contacts]
    assert all(c["Socket"].startswith("udp:") and isinstance(c["Expires"], int) for c in picked)


@pytest.mark.parametrize("expires", ["deleted", "expired", "permanent", 0])
def test_a_contact_that_is_not_live_is_not_sent(expires):
    result = dump()
    contact = next(u._contacts(result))[1]
    contact["Expires"] = expires
    assert contact["Call-ID"] not in [c["Call-ID"] for c in u.live_contacts(result)]


def test_a_contact_without_a_socket_is_not_sent():
    result = dump()
    contact = next(u._contacts(result))[1]
    contact["Socket"] = u.NOT_SET
    assert contact["Call-ID"] not in [c["Call-ID"] for c in u.live_contacts(result)]


def test_a_copy_sent_again_is_signed_as_a_peer_checks_it():
    contact = u.live_contacts(dump())[0]
    message = u.copy_request(contact, "10.0.0.12", 5060, ("10.0.0.11", 40000), LAB_SECRET, 1765000000)
    first, h = headers(message)
    assert first == "REGISTER sip:10.0.0.12:5060 SIP/2.0"
    assert param(h["X-Sipha-Copy"][0], "sg") == sign_as_kamailio(message, LAB_SECRET)
    assert h["Call-ID"] == [contact["Call-ID"]] and h["CSeq"] == ["%d REGISTER" % contact["CSeq"]]
    assert h["Expires"] == [str(contact["Expires"])] and h["X-Sipha-Socket"] == [contact["Socket"]]
    assert h["Contact"] == ["<%s>" % contact["Address"]] and h["X-Sipha-Resync"] == ["1"]
    assert h["To"] == ["<sip:%s@10.0.0.12>" % contact["AoR"]] and h["Via"][0].startswith("SIP/2.0/UDP 10.0.0.11:40000;")
    assert message.endswith(b"Content-Length: 0\r\n\r\n")


def test_a_copy_carries_the_nat_finding_q_instance_and_methods():
    contact = dict(u.live_contacts(dump())[0], Received="sip:198.51.100.7:31000", Q=0.5,
                   Instance="<urn:uuid:00000000-0000-1000-8000-000000000001>", **{"Reg-Id": 1, "Methods": 1 | 4 | 8 | 2})
    h = headers(u.copy_request(contact, "fd00::12", 5060, ("fd00::11", 40000), LAB_SECRET, 1765000000, resync=False))[1]
    assert h["X-Sipha-Received"] == ["sip:198.51.100.7:31000"] and "X-Sipha-Resync" not in h
    assert h["Contact"] == ['<%s>;q=0.5;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000000000001>";reg-id=1'
                            % contact["Address"]]
    assert h["Allow"] == ["INVITE, CANCEL, ACK, BYE"]
    assert h["To"] == ["<sip:%s@[fd00::12]>" % contact["AoR"]]


def test_a_contact_that_takes_every_method_names_none():
    contact = dict(u.live_contacts(dump())[0], Methods=u.ALL_METHODS)
    assert "Allow" not in headers(u.copy_request(contact, "10.0.0.12", 5060, ("10.0.0.11", 1), LAB_SECRET, 1))[1]


def test_an_ask_is_signed_with_both_addresses_the_nonce_and_time():
    first, h = headers(u.ask_request("10.0.0.12", 5060, ("10.0.0.11", 40000), LAB_SECRET, "0123abcd", 1765000000))
    assert first == "OPTIONS sip:10.0.0.12:5060 SIP/2.0"
    ask = h["X-Sipha-Resync"][0]
    assert param(ask, "r") == "10.0.0.11" and param(ask, "t") == "1765000000" and param(ask, "n") == "0123abcd"
    assert param(ask, "sg") == u.ask_signature(LAB_SECRET, "10.0.0.11", "10.0.0.12", "0123abcd", 1765000000)
    # Neither to another peer nor from another one.
    assert param(ask, "sg") != u.ask_signature(LAB_SECRET, "10.0.0.11", "10.0.0.13", "0123abcd", 1765000000)
    assert param(ask, "sg") != u.ask_signature(LAB_SECRET, "10.0.0.13", "10.0.0.12", "0123abcd", 1765000000)


def test_an_ipv6_ask_names_its_address_as_bound():
    ask = headers(u.ask_request("fd00::12", 5060, ("fd00::11", 40000, 0, 0), LAB_SECRET, "ab", 1))[1]["X-Sipha-Resync"][0]
    assert param(ask, "r") == "fd00::11" and param(ask, "sg") == u.ask_signature(LAB_SECRET, "fd00::11", "fd00::12", "ab", 1)


def test_a_header_that_is_not_utf8_goes_back_as_it_came():
    # A phone's User-Agent reaches ul.dump byte for byte; the JSON reply
    # decoded with surrogateescape, the copy carries the same bytes.
    raw = '{"result": {"Domains": [{"Domain": {"AoRs": [{"Info": {"AoR": "u1", "Contacts": [{"Contact": ' \
          '{"Address": "sip:u1@192.0.2.7", "Expires": 60, "Call-ID": "c1", "CSeq": 1, "User-Agent": "Phone \xff",' \
          ' "Socket": "udp:203.0.113.10:5060", "Methods": -1}}]}}]}}]}}'
    result = json.loads(raw.encode("latin-1").decode(*u.ENCODING))["result"]
    message = u.copy_request(u.live_contacts(result)[0], "10.0.0.12", 5060, ("10.0.0.11", 1), LAB_SECRET, 1)
    assert b"User-Agent: Phone \xff\r\n" in message and b"Allow" not in message


def test_the_secret_is_read_from_the_roles_secrets_file():
    text = '# managed\n#!define DBURL "mysql://k:p@h/k"\n#!define SIP_SECRET "Kx9-secret"\n'
    assert u.read_secret(text) == "Kx9-secret"
    with pytest.raises(ValueError, match="SIP_SECRET"):
        u.read_secret('#!define DBURL "x"\n')
