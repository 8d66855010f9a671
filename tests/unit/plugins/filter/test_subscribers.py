# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.subscriber_problems import FilterModule as Problems
from ansible_collections.sipha.cluster.plugins.filter.subscriber_rows import FilterModule as Rows
from ansible_collections.sipha.cluster.plugins.filter.subscriber_statements import FilterModule as Statements

problems = Problems().filters()["subscriber_problems"]
rows = Rows().filters()["subscriber_rows"]
statements = Statements().filters()["subscriber_statements"]

DOMAINS = ["sip.example.com", "203.0.113.10"]
SECRET = "Kx9-not-in-any-message"


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def test_a_sound_list_has_no_problems():
    users = [
        {"username": "alice", "password": SECRET},
        {"username": "bob.smith+desk", "domain": "203.0.113.10", "ha1": "0123456789abcdef0123456789ABCDEF"},
        {"username": "carol", "state": "absent"},
    ]
    assert problems(users, DOMAINS) == []
    assert problems([], DOMAINS) == []
    assert problems(None, DOMAINS) == []


@pytest.mark.parametrize(
    "entry, words",
    [
        ({"username": "alice"}, "sipha_subscribers[0] (alice) has no password"),
        ({"username": "alice", "password": ""}, "has no password"),
        ({"username": "alice", "password": SECRET, "ha1": md5("x")}, "has both password and ha1"),
        ({"password": SECRET}, "sipha_subscribers[0] has no username"),
        ({"username": "al:ice", "password": SECRET}, "is not a plain SIP user name"),
        ({"username": "alice@example.com", "password": SECRET}, "is not a plain SIP user name"),
        ({"username": "alice", "password": "short"}, "password has 5 characters"),
        ({"username": "alice", "password": "x" * 65}, "take at most 64"),
        ({"username": "alice", "password": "new\nline-secret"}, "control character"),
        ({"username": "alice", "password": "trailing-blank "}, "leading/trailing blanks"),
        ({"username": "alice", "password": 12345678}, "password is not text; quote it"),
        ({"username": "alice", "ha1": "not-a-hash"}, "ha1 must be 32 hexadecimal digits"),
        ({"username": "alice", "passwd": SECRET}, "unknown keys passwd"),
        ({"username": "alice", "password": SECRET, "domain": "evil.example.net"}, "not one the proxies serve"),
        ({"username": "alice", "password": SECRET, "domain": "a b"}, "is not a host name"),
        ({"username": "alice", "state": "gone"}, "use present or absent"),
    ],
)
def test_each_broken_entry_is_named_with_its_fix(entry, words):
    found = problems([entry], DOMAINS)
    assert any(words in message for message in found), found
    # Never the secret itself.
    assert not any(SECRET in message for message in found)


def test_a_list_that_is_not_a_list_or_holds_no_mappings():
    assert "must be a list" in problems({"alice": SECRET}, DOMAINS)[0]
    assert "is not a mapping" in problems(["alice"], DOMAINS)[0]


def test_a_username_twice_is_refused_whatever_its_case():
    found = problems([{"username": "alice", "password": SECRET}, {"username": "Alice", "password": SECRET}], DOMAINS)
    assert found == ["sipha_subscribers[1] (Alice) repeats the username of sipha_subscribers[0]; each user appears once, "
                     "in one domain (registrations are kept by user name)."]


def test_the_same_username_in_two_domains_is_refused_too():
    # Registrations are kept by user name: alice@B would take alice@A's calls.
    users = [{"username": "alice", "password": SECRET}, {"username": "alice", "domain": "203.0.113.10", "password": SECRET}]
    assert "repeats the username of sipha_subscribers[0]" in problems(users, DOMAINS)[0]


def test_kamailio_rows_hold_digest_hashes_for_the_domain_and_no_password():
    wanted = rows([{"username": "alice", "password": SECRET}], "sip.example.com", "kamailio")
    assert wanted == {
        "present": [{
            "username": "alice", "domain": "sip.example.com", "password": "",
            "ha1": md5("alice:sip.example.com:" + SECRET),
            "ha1b": md5("alice@sip.example.com:sip.example.com:" + SECRET),
        }],
        "absent": [],
    }


def test_opensips_rows_hold_md5_sha256_and_sha512_256_hashes():
    row = rows([{"username": "bob", "domain": "203.0.113.10", "password": SECRET}], "sip.example.com", "opensips")["present"][0]
    plain = ("bob:203.0.113.10:" + SECRET).encode()
    assert row["ha1"] == hashlib.md5(plain).hexdigest()
    assert row["ha1_sha256"] == hashlib.sha256(plain).hexdigest()
    assert row["ha1_sha512t256"] == hashlib.new("sha512_256", plain).hexdigest()
    assert "ha1b" not in row and row["password"] == ""


def test_a_given_ha1_is_kept_lowercase_and_the_other_hashes_stay_empty():
    row = rows([{"username": "bob", "ha1": "ABCDEF0123456789ABCDEF0123456789"}], "d", "kamailio")["present"][0]
    assert row["ha1"] == "abcdef0123456789abcdef0123456789" and row["ha1b"] == ""


def test_absent_entries_become_keys_to_remove():
    assert rows([{"username": "carol", "state": "absent"}], "d")["absent"] == [["carol", "d"]]


def test_an_unknown_proxy_is_an_error():
    with pytest.raises(AnsibleFilterError, match="proxy 'asterisk'"):
        rows([], "d", "asterisk")


def current_of(wanted):
    """The rows as the table would hold them after a run (drivers give None for NULL)."""
    return [dict(row, ha1b=row["ha1b"] or None) for row in wanted["present"]]


def test_mariadb_statements_add_a_new_table_in_one_upsert_and_nothing_twice():
    users = [{"username": "user%04d" % n, "password": "pw-%04d-secret" % n} for n in range(1, 4)]
    wanted = rows(users, "sip.example.com")
    first = statements(wanted, [], "mariadb")
    assert len(first) == 1
    assert first[0]["query"] == (
        "INSERT INTO subscriber (username, domain, password, ha1, ha1b) VALUES "
        "(%s, %s, %s, %s, %s), (%s, %s, %s, %s, %s), (%s, %s, %s, %s, %s) "
        "ON DUPLICATE KEY UPDATE username = VALUES(username), domain = VALUES(domain), password = VALUES(password), "
        "ha1 = VALUES(ha1), ha1b = VALUES(ha1b)"
    )
    assert first[0]["args"][:5] == ["user0001", "sip.example.com", "", md5("user0001:sip.example.com:pw-0001-secret"),
                                    md5("user0001@sip.example.com:sip.example.com:pw-0001-secret")]
    assert first[0]["label"] == "add or change 3 subscribers"
    assert "pw-0001" not in first[0]["label"]
    # The table now holds them: a second run has nothing to do.
    assert statements(wanted, current_of(wanted), "mariadb") == []


def test_a_changed_password_and_a_plain_text_leftover_are_rewritten():
    wanted = rows([{"username": "alice", "password": SECRET}, {"username": "bob", "password": SECRET}], "d")
    current = current_of(wanted)
    current[0]["ha1"] = md5("alice:d:the-old-password")
    current[1]["password"] = "plain-text-from-before"
    found = statements(wanted, current, "postgresql")
    assert len(found) == 1
    assert found[0]["query"].endswith(
        "ON CONFLICT (username, domain) DO UPDATE SET password = EXCLUDED.password, ha1 = EXCLUDED.ha1, ha1b = EXCLUDED.ha1b"
    )
    assert found[0]["args"][0] == "alice" and found[0]["args"][5] == "bob"


def test_absent_users_are_removed_only_if_there_and_exclusive_removes_the_unlisted():
    wanted = rows([{"username": "alice", "password": SECRET}, {"username": "carol", "state": "absent"},
                   {"username": "dave", "state": "absent"}], "d")
    current = current_of(wanted) + [{"username": "carol", "domain": "d"}, {"username": "eve", "domain": "d"}]
    kept = statements(wanted, current, "mariadb")
    assert [s["query"] for s in kept] == ["DELETE FROM subscriber WHERE (username, domain) IN ((%s, %s))"]
    assert kept[0]["args"] == ["carol", "d"] and kept[0]["label"] == "remove 1 subscriber"
    purged = statements(wanted, current, "mariadb", True)
    assert purged[0]["args"] == ["carol", "d", "eve", "d"]


def test_mariadb_matches_a_row_whatever_its_case_and_takes_the_lists_spelling():
    # MariaDB's unique key ignores case: "Alice" in the table is alice's row.
    wanted = rows([{"username": "alice", "password": SECRET}, {"username": "carol", "state": "absent"}], "d")
    current = [dict(wanted["present"][0], username="Alice"), {"username": "CAROL", "domain": "d"}]
    found = statements(wanted, current, "mariadb")
    assert [s["label"] for s in found] == ["add or change 1 subscriber", "remove 1 subscriber"]
    assert found[0]["args"][0] == "alice" and found[1]["args"] == ["CAROL", "d"]
    # Once written as the list spells it, nothing more to do.
    assert statements(wanted, [dict(wanted["present"][0])], "mariadb") == []
    # PostgreSQL's key is exact: "Alice" is another user.
    assert statements(wanted, current, "postgresql")[0]["args"][0] == "alice"


def test_large_lists_go_in_batches():
    users = [{"username": "u%d" % n, "password": SECRET} for n in range(450)]
    found = statements(rows(users, "d"), [], "postgresql")
    assert [s["label"] for s in found] == ["add or change 200 subscribers", "add or change 200 subscribers",
                                           "add or change 50 subscribers"]
    assert all(s["query"].count("%s") == len(s["args"]) for s in found)


def test_an_unknown_engine_is_an_error():
    with pytest.raises(AnsibleFilterError, match="engine 'sqlite'"):
        statements({"present": [], "absent": []}, [], "sqlite")
