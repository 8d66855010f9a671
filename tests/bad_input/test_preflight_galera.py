# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A broken replicated-database inventory (MariaDB Galera) stops site.yml
before any host is touched, with the variable and the fix named; a sound
one gets past preflight to the (missing) hosts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_preflight import NODE1, NODE2, SOUND_CLUSTER, assert_stopped_before_any_host, run_site  # noqa: E402

# The database's floating address, free on the private network 10.0.0.0/24.
FLOATING = "10.0.0.20"


def write_galera_inventory(tmp_path, databases, arbitrators, everyone):
    """sip_proxies as in test_preflight; sip_databases and sip_db_arbitrators
    with each host's own variables ({host: {var: value}})."""
    lines = ["all:", "  vars:"] + ["    %s: %s" % item for item in everyone.items()]
    lines += ["  children:", "    sip_proxies:", "      vars:"]
    lines += ["        %s: %s" % item for item in SOUND_CLUSTER.items() if item[0] not in everyone]
    lines += ["      hosts:"]
    for name, host_vars in (("node1", NODE1), ("node2", NODE2)):
        lines += ["        %s:" % name, "          ansible_connection: community.docker.docker",
                  "          ansible_host: sipha-test-no-such-container-%s" % name]
        lines += ["          %s: %s" % item for item in host_vars.items()]
    for group, hosts in (("sip_databases", databases), ("sip_db_arbitrators", arbitrators)):
        lines += ["    %s:" % group, "      hosts:" + (" {}" if not hosts else "")]
        for name, host_vars in hosts.items():
            lines += ["        %s:" % name, "          ansible_connection: community.docker.docker",
                      "          ansible_host: sipha-test-no-such-container-%s" % name]
            lines += ["          %s: %s" % item for item in host_vars.items()]
    inventory = tmp_path / "hosts.yml"
    inventory.write_text("\n".join(lines) + "\n")
    return str(inventory)


EVERYONE = {"sipha_db_host": FLOATING, "sipha_db_password": SOUND_CLUSTER["sipha_db_password"]}
DATABASES = {"db1": {"sipdb_address": "10.0.0.21"}, "db2": {"sipdb_address": "10.0.0.22"}}
ARBITRATORS = {"arb1": {"sipdb_address": "10.0.0.23"}}


@pytest.mark.parametrize(
    "databases, arbitrators, everyone, words",
    [
        pytest.param(DATABASES, {}, EVERYONE,
                     ["the Galera cluster has 2 voters", "Add a host to sip_db_arbitrators"], id="even-voters"),
        pytest.param(DATABASES, ARBITRATORS, dict(EVERYONE, sipha_db_host="10.0.0.22"),
                     ["sipha_db_host 10.0.0.22 is db2's own address (sipdb_address)"], id="floating-address-owned"),
        pytest.param(DATABASES, ARBITRATORS, dict(EVERYONE, sipha_db_host="10.0.0.11"),
                     ["sipha_db_host 10.0.0.11 is also node1"], id="floating-address-a-nodes"),
        pytest.param(dict(DATABASES, db2={"sipdb_address": "10.0.0.22", "sipha_db_engine": "postgresql"}), ARBITRATORS,
                     EVERYONE, ["sipha_db_engine differs between hosts", "db2: postgresql"], id="mixed-engines"),
        pytest.param(DATABASES, ARBITRATORS, dict(EVERYONE, sipha_db_engine="postgresql"),
                     ["this release replicates MariaDB only (Galera)"], id="postgresql-replication"),
        pytest.param(dict(DATABASES, db2={}), ARBITRATORS, EVERYONE,
                     ["db2: sipdb_address is ''", "in its host_vars"], id="member-without-address"),
    ],
)
def test_broken_replicated_database(tmp_path, databases, arbitrators, everyone, words):
    result = run_site(write_galera_inventory(tmp_path, databases, arbitrators, everyone))
    assert_stopped_before_any_host(result, *words)


def test_sound_replicated_database_passes_preflight(tmp_path):
    # The control case: two database hosts and an arbitrator get past
    # preflight and fail only because the containers do not exist.
    result = run_site(write_galera_inventory(tmp_path, DATABASES, ARBITRATORS, EVERYONE))
    assert result.returncode != 0
    assert "sipha.cluster.node :" in result.stdout, result.stdout
