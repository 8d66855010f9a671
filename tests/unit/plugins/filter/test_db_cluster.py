# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.sipha.cluster.plugins.filter.db_cluster_problems import FilterModule as Problems
from ansible_collections.sipha.cluster.plugins.filter.galera_bootstrap import FilterModule as Bootstrap
from ansible_collections.sipha.cluster.plugins.filter.interface_of import FilterModule as Interface

db_cluster_problems = Problems().filters()["db_cluster_problems"]
galera_bootstrap = Bootstrap().filters()["galera_bootstrap"]
interface_of = Interface().filters()["interface_of"]

ORDER = ["db1", "db2", "db3"]


def settings(**overrides):
    values = {
        "engines": {"node1": "mariadb", "node2": "mariadb", "db1": "mariadb", "db2": "mariadb"},
        "engine": "mariadb",
        "db_host": "10.20.0.20",
        "databases": {"db1": "10.20.0.21", "db2": "10.20.0.22"},
        "arbitrators": {"arb": "10.20.0.23"},
        "node_addresses": {"node1": "10.20.0.11", "node2": "10.20.0.12", "sipha_private_vip": "10.20.0.100"},
        "private_networks": ["10.20.0.0/24"],
    }
    values.update(overrides)
    return values


def test_two_databases_and_an_arbitrator_are_sound():
    assert db_cluster_problems(settings()) == []


def test_one_database_host_needs_no_cluster_settings():
    assert db_cluster_problems(settings(databases={"db1": "10.20.0.20"}, arbitrators={})) == []


def test_an_even_number_of_voters_is_refused():
    problems = db_cluster_problems(settings(arbitrators={}))
    assert len(problems) == 1
    assert "2 voters" in problems[0] and "sip_db_arbitrators" in problems[0]


def test_an_arbitrator_without_a_cluster_is_refused():
    problems = db_cluster_problems(settings(databases={"db1": "10.20.0.21"}))
    assert any("an arbitrator only votes" in problem for problem in problems)


def test_postgresql_is_not_replicated_in_this_release():
    engines = {"db1": "postgresql", "db2": "postgresql"}
    problems = db_cluster_problems(settings(engine="postgresql", engines=engines))
    assert any("replicates MariaDB only" in problem for problem in problems)


def test_mixed_engines_are_refused():
    problems = db_cluster_problems(settings(engines={"node1": "mariadb", "db1": "postgresql"}))
    assert any("sipha_db_engine differs" in problem and "db1: postgresql" in problem for problem in problems)


def test_the_floating_address_may_not_be_a_database_hosts_own():
    problems = db_cluster_problems(settings(db_host="10.20.0.22"))
    assert problems == [
        "sipha_db_host 10.20.0.22 is db2's own address (sipdb_address); in a Galera cluster it is the floating "
        "address the database hosts move between them: choose a free address on the private network."
    ]


def test_the_floating_address_may_not_be_a_nodes():
    problems = db_cluster_problems(settings(db_host="10.20.0.100"))
    assert len(problems) == 1 and "is also sipha_private_vip" in problems[0]


def test_the_floating_address_lies_on_the_private_network():
    problems = db_cluster_problems(settings(db_host="10.30.0.20"))
    assert len(problems) == 1 and "not on the private network" in problems[0]


def test_each_member_needs_its_own_address():
    problems = db_cluster_problems(settings(databases={"db1": "10.20.0.21", "db2": ""}))
    assert any(problem.startswith("db2: sipdb_address is ''") for problem in problems)
    problems = db_cluster_problems(settings(arbitrators={"arb": "10.20.0.21"}))
    assert any("is db1's too" in problem for problem in problems)


def grastate(uuid="4f1c-uuid", seqno=10, safe=0):
    return "# GALERA saved state\nversion: 2.1\nuuid:    %s\nseqno:   %s\nsafe_to_bootstrap: %s\n" % (uuid, seqno, safe)


def test_a_running_cluster_is_never_bootstrapped():
    states = {"db1": {"primary": False, "grastate": grastate()}, "db2": {"primary": True, "grastate": grastate()}}
    choice = galera_bootstrap(states, ["db1", "db2"])
    assert choice["host"] is None and choice["problem"] == "" and "db2" in choice["reason"]


def test_a_new_cluster_starts_on_the_first_host():
    states = {host: {"primary": False, "grastate": ""} for host in ORDER}
    assert galera_bootstrap(states, ORDER)["host"] == "db1"
    fresh = grastate(uuid="00000000-0000-0000-0000-000000000000", seqno=-1)
    states = {host: {"primary": False, "grastate": fresh} for host in ORDER}
    assert galera_bootstrap(states, ORDER)["host"] == "db1"


def test_the_host_that_left_last_starts_it():
    states = {
        "db1": {"grastate": grastate(seqno=12)},
        "db2": {"grastate": grastate(seqno=15, safe=1)},
        "db3": {"grastate": grastate(seqno=15)},
    }
    assert galera_bootstrap(states, ORDER)["host"] == "db2"


def test_after_a_crash_the_highest_recovered_position_starts_it():
    states = {
        "db1": {"grastate": grastate(seqno=-1), "recovered": "--wsrep_start_position=4f1c-uuid:41"},
        "db2": {"grastate": grastate(seqno=40)},
        "db3": {"grastate": grastate(seqno=-1), "recovered": "--wsrep_start_position=4f1c-uuid:39"},
    }
    choice = galera_bootstrap(states, ORDER)
    assert choice["host"] == "db1" and "seqno 41" in choice["reason"]


def test_an_unknown_position_stops_the_run():
    states = {"db1": {"grastate": grastate(seqno=-1), "recovered": ""}, "db2": {"grastate": grastate(seqno=3)}}
    choice = galera_bootstrap(states, ["db1", "db2"])
    assert choice["host"] is None and "db1 stopped without saving its position" in choice["problem"]


def test_a_recovery_without_a_position_stops_the_run():
    states = {"db1": {"grastate": grastate(seqno=-1), "recovered": "--wsrep_start_position=garbage"}}
    assert "galera_recovery found none" in galera_bootstrap(states, ["db1"])["problem"]


def test_an_unreached_host_stops_the_run():
    choice = galera_bootstrap({"db1": {"grastate": grastate()}}, ["db1", "db2"])
    assert choice["host"] is None and "state of db2 is unknown" in choice["problem"]


def test_two_clusters_data_stops_the_run():
    states = {"db1": {"grastate": grastate(uuid="aaaa")}, "db2": {"grastate": grastate(uuid="bbbb")}}
    choice = galera_bootstrap(states, ["db1", "db2"])
    assert choice["host"] is None and "different Galera clusters" in choice["problem"]


# Recorded on a lab database host: `ip -j addr show` (trimmed).
IP_ADDR = json.loads(
    '[{"ifindex":1,"ifname":"lo","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8}]},'
    '{"ifindex":40,"ifname":"eth0","addr_info":[{"family":"inet","local":"10.67.10.21","prefixlen":24},'
    '{"family":"inet","local":"10.67.10.20","prefixlen":24}]}]'
)


def test_the_nic_of_an_address():
    assert interface_of(IP_ADDR, "10.67.10.21") == {"interface": "eth0", "prefix": 24}
    assert interface_of(IP_ADDR, "10.67.10.99") == {}


from ansible_collections.sipha.cluster.plugins.filter.galera_problems import FilterModule as Whole  # noqa: E402

galera_problems = Whole().filters()["galera_problems"]


def synced(size="3", **overrides):
    status = {"wsrep_cluster_status": "Primary", "wsrep_local_state_comment": "Synced", "wsrep_ready": "ON",
              "wsrep_cluster_size": size}
    status.update(overrides)
    return status


def test_a_whole_cluster_has_no_problems():
    reports = {"db1": {"status": synced(), "holds_address": True}, "db2": {"status": synced()}}
    assert galera_problems(reports, 3) == []


def test_a_member_missing_or_not_synced_is_named():
    reports = {
        "db1": {"status": synced(size="2"), "holds_address": True},
        "db2": {"status": synced(wsrep_local_state_comment="Joining")},
    }
    problems = galera_problems(reports, 3)
    assert problems[0].startswith("db1 sees 2 of the 3 members")
    assert problems[1].startswith("db2 does not serve in the cluster") and "Joining" in problems[1]


def test_the_floating_address_on_one_host_only():
    reports = {"db1": {"status": synced(), "holds_address": True}, "db2": {"status": synced(), "holds_address": True}}
    assert galera_problems(reports, 3) == [
        "the database's floating address is on db1, db2; it must be on exactly one database host (keepalived)."
    ]
    reports = {"db1": {"status": synced()}, "db2": {"status": synced()}}
    assert "on no host" in galera_problems(reports, 3)[0]


# Recorded on db1 of the lab (SHOW GLOBAL STATUS LIKE 'wsrep_%', trimmed) and the address line.
DB1_REPORT = (
    "wsrep_local_state_comment\tSynced\nwsrep_cluster_size\t3\nwsrep_cluster_status\tPrimary\n"
    "wsrep_ready\tON\nholds_address\t1\n"
)


def test_reports_are_read_from_the_hosts_text():
    db2 = DB1_REPORT.replace("holds_address\t1", "holds_address\t0")
    assert galera_problems({"db1": DB1_REPORT, "db2": db2}, 3) == []
    assert "db1, db2" in galera_problems({"db1": DB1_REPORT, "db2": DB1_REPORT}, 3)[0]
