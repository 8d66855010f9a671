# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.pg_hba_strays import FilterModule

pg_hba_strays = FilterModule().filters()["pg_hba_strays"]

# As community.postgresql.postgresql_pg_hba returns the rules of a file
# during a switch to TLS: the administrator's lines, the account's plain
# lines, the new hostssl lines, and the subnet line of an earlier release.
RULES = [
    {"type": "local", "db": "all", "usr": "postgres", "method": "peer"},
    {"type": "host", "db": "all", "usr": "all", "src": "127.0.0.1/32", "method": "scram-sha-256"},
    {"type": "host", "db": "kamailio", "usr": "kamailio", "src": "10.0.0.11/32", "method": "scram-sha-256"},
    {"type": "host", "db": "kamailio", "usr": "kamailio", "src": "10.0.0.12/32", "method": "scram-sha-256"},
    {"type": "hostssl", "db": "kamailio", "usr": "kamailio", "src": "10.0.0.11/32", "method": "scram-sha-256"},
    {"type": "hostssl", "db": "kamailio", "usr": "kamailio", "src": "10.0.0.12/32", "method": "scram-sha-256"},
    {"type": "host", "db": "kamailio", "usr": "kamailio", "src": "10.0.0.0/24", "method": "scram-sha-256"},
    {"type": "host", "db": "kamailio", "usr": "admin", "src": "10.0.0.5/32", "method": "scram-sha-256"},
]
NODES = ["10.0.0.11/32", "10.0.0.12/32"]


def test_during_the_switch_only_other_sources_go():
    assert pg_hba_strays(RULES, "kamailio", "kamailio", NODES, ["host", "hostssl"]) == [
        {"contype": "host", "source": "10.0.0.0/24"},
    ]


def test_once_tls_is_required_the_plain_lines_go():
    assert pg_hba_strays(RULES, "kamailio", "kamailio", NODES, ["hostssl"]) == [
        {"contype": "host", "source": "10.0.0.11/32"},
        {"contype": "host", "source": "10.0.0.12/32"},
        {"contype": "host", "source": "10.0.0.0/24"},
    ]


def test_once_tls_is_off_the_hostssl_lines_go():
    assert pg_hba_strays(RULES, "kamailio", "kamailio", NODES, ["host"]) == [
        {"contype": "hostssl", "source": "10.0.0.11/32"},
        {"contype": "hostssl", "source": "10.0.0.12/32"},
        {"contype": "host", "source": "10.0.0.0/24"},
    ]


def test_a_node_that_left_goes_with_both_types():
    assert pg_hba_strays(RULES, "kamailio", "kamailio", ["10.0.0.11/32"], ["hostssl"]) == [
        {"contype": "host", "source": "10.0.0.11/32"},
        {"contype": "host", "source": "10.0.0.12/32"},
        {"contype": "hostssl", "source": "10.0.0.12/32"},
        {"contype": "host", "source": "10.0.0.0/24"},
    ]


def test_other_accounts_and_local_lines_are_never_strays():
    strays = pg_hba_strays(RULES, "kamailio", "kamailio", [], ["hostssl"])
    assert all(stray["source"] != "10.0.0.5/32" for stray in strays)
    assert all(stray["contype"] != "local" for stray in strays)


def test_a_line_read_twice_is_removed_once():
    assert pg_hba_strays(RULES[6:7] * 2, "kamailio", "kamailio", NODES, ["host"]) == [
        {"contype": "host", "source": "10.0.0.0/24"},
    ]


def test_input_must_be_the_list_of_rules():
    with pytest.raises(AnsibleFilterError):
        pg_hba_strays({"pg_hba": RULES}, "kamailio", "kamailio", NODES, ["host"])
