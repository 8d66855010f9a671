# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The replicated shared database (MariaDB Galera): the inventory's rules,
which host may bootstrap a stopped cluster, and which NIC carries an address.

Kept apart from the roles so that each rule is tested on plain data.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sipha.cluster.plugins.plugin_utils.network import address_of, netaddr

# What Galera writes in grastate.dat before a node has joined any cluster.
NO_CLUSTER = "00000000-0000-0000-0000-000000000000"


def _cluster_problems(engine, databases, arbitrators):
    problems = []
    voters = len(databases) + len(arbitrators)
    if engine != "mariadb":
        problems.append(
            "sip_databases has %d hosts with sipha_db_engine %s; this release replicates MariaDB only (Galera): "
            "keep one database host for PostgreSQL, or set sipha_db_engine: mariadb." % (len(databases), engine)
        )
    if len(databases) < 2:
        problems.append(
            "sip_db_arbitrators has hosts but sip_databases has %d; an arbitrator only votes in a Galera cluster "
            "of two or more database hosts: add database hosts, or empty sip_db_arbitrators." % len(databases)
        )
    elif voters % 2 == 0:
        problems.append(
            "the Galera cluster has %d voters (%d in sip_databases, %d in sip_db_arbitrators), an even number: "
            "when half of them fail, or the network cuts them in two halves, no side has a majority and the "
            "database stops for every proxy. Add a host to sip_db_arbitrators (garbd votes and keeps no data) "
            "or a database host." % (voters, len(databases), len(arbitrators))
        )
    return problems


def _member_problems(members, networks):
    problems = []
    seen = {}
    for host, value in members.items():
        address = address_of(value) if value not in (None, "") else None
        if address is None or "/" in str(value):
            problems.append(
                "%s: sipdb_address is %r; in a Galera cluster each database host and arbitrator needs its own "
                "private IP address (no name, no prefix) in sipdb_address, in its host_vars." % (host, value)
            )
            continue
        if networks and not any(address in net for net in networks):
            problems.append(
                "%s: sipdb_address %s is not on the private network (%s); the proxy nodes reach nothing else."
                % (host, address, ", ".join(str(net) for net in networks))
            )
        if address in seen:
            problems.append("%s: sipdb_address %s is %s's too; give each host its own." % (host, address, seen[address]))
        seen.setdefault(address, host)
    return problems, seen


def _vip_problems(db_host, members, node_addresses, networks):
    """The floating database address (sipha_db_host in a cluster)."""
    vip = address_of(str(db_host)) if db_host not in (None, "") else None
    if vip is None:
        # service_config's rules name an unset or malformed sipha_db_host.
        return []
    problems = []
    if vip in members:
        problems.append(
            "sipha_db_host %s is %s's own address (sipdb_address); in a Galera cluster it is the floating address "
            "the database hosts move between them: choose a free address on the private network." % (vip, members[vip])
        )
    for name, address in node_addresses.items():
        if address_of(str(address)) == vip:
            problems.append(
                "sipha_db_host %s is also %s; choose a free address on the private network for the database's "
                "floating address." % (vip, name)
            )
    if networks and not any(vip in net for net in networks):
        problems.append(
            "sipha_db_host %s is not on the private network (%s); the database hosts can only move an address of "
            "the network they share with the proxy nodes." % (vip, ", ".join(str(net) for net in networks))
        )
    return problems


def db_cluster_problems(settings):
    """Messages for a database inventory that cannot work; [] when it is sound.

    settings: engines ({host: sipha_db_engine} of every proxy and database
    host), engine, db_host (sipha_db_host), databases and arbitrators
    ({host: sipdb_address}, in inventory order), node_addresses ({what: address}
    of the proxy nodes' private and floating addresses), private_networks
    (CIDRs).
    """
    problems = []
    engines = settings.get("engines") or {}
    kinds = sorted(set(str(value) for value in engines.values()))
    if len(kinds) > 1:
        problems.append(
            "sipha_db_engine differs between hosts (%s); the proxies and every database host must use one engine: "
            "set it once, in group_vars/all."
            % ", ".join("%s: %s" % (host, engines[host]) for host in sorted(engines))
        )
    databases = settings.get("databases") or {}
    arbitrators = settings.get("arbitrators") or {}
    if len(databases) < 2 and not arbitrators:
        return problems
    problems.extend(_cluster_problems(settings.get("engine"), databases, arbitrators))
    networks = [netaddr.IPNetwork(str(net)) for net in settings.get("private_networks") or []]
    member_problems, members = _member_problems(dict(databases, **arbitrators), networks)
    problems.extend(member_problems)
    problems.extend(_vip_problems(settings.get("db_host"), members, settings.get("node_addresses") or {}, networks))
    return problems


def parse_grastate(text):
    """uuid, seqno and safe_to_bootstrap from grastate.dat's text ({} without one)."""
    state = {}
    for line in (text or "").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("uuid", "seqno", "safe_to_bootstrap"):
            state[key.strip()] = value.strip()
    if not state:
        return {}
    return {
        "uuid": state.get("uuid", NO_CLUSTER),
        "seqno": int(state.get("seqno", "-1")),
        "safe_to_bootstrap": state.get("safe_to_bootstrap", "0") == "1",
    }


def parse_recovered(text):
    """(uuid, seqno) from galera_recovery's --wsrep_start_position=UUID:SEQNO, or None."""
    for word in (text or "").split():
        if word.startswith("--wsrep_start_position="):
            position = word.split("=", 1)[1]
            if ":" not in position:
                return None
            uuid, seqno = position.rsplit(":", 1)
            try:
                return uuid, int(seqno)
            except ValueError:
                return None
    return None


def galera_bootstrap(states, order):
    """Which database host starts a new primary component, and why.

    states: {host: {"primary": bool (runs in a primary component now),
    "grastate": grastate.dat's text or "", "recovered": galera_recovery's
    output or ""}} for every database host; order: the hosts in inventory
    order. Returns {"host": name or None, "reason": text, "problem": text};
    "problem" is set when no host may safely start the cluster: the run must
    stop and say why, never guess.
    """
    missing = [host for host in order if host not in states]
    if missing:
        return {
            "host": None,
            "reason": "",
            "problem": "the state of %s is unknown (not reached); a bootstrap without it could lose the writes it "
            "holds: bring it back, or remove it from sip_databases." % ", ".join(missing),
        }
    running = [host for host in order if states[host].get("primary")]
    if running:
        return {"host": None, "reason": "the cluster runs on %s" % ", ".join(running), "problem": ""}
    positions = {}
    for host in order:
        grastate = parse_grastate(states[host].get("grastate"))
        if not grastate or grastate["uuid"] == NO_CLUSTER:
            continue
        seqno = grastate["seqno"]
        if seqno < 0:
            recovered = parse_recovered(states[host].get("recovered"))
            if recovered is None:
                return {
                    "host": None,
                    "reason": "",
                    "problem": "%s stopped without saving its position (seqno -1) and galera_recovery found none; "
                    "see its error log before you choose a host to bootstrap with galera_new_cluster." % host,
                }
            seqno = recovered[1]
        positions[host] = (grastate["uuid"], seqno, grastate["safe_to_bootstrap"])
    if not positions:
        return {"host": order[0], "reason": "a new cluster: no host has joined one", "problem": ""}
    uuids = sorted(set(position[0] for position in positions.values()))
    if len(uuids) > 1:
        return {
            "host": None,
            "reason": "",
            "problem": "the database hosts hold data of different Galera clusters (%s); sort them out by hand: "
            "one cluster's hosts only in sip_databases."
            % ", ".join("%s: %s" % (host, positions[host][0]) for host in sorted(positions)),
        }
    safe = [host for host in order if host in positions and positions[host][2]]
    if safe:
        return {"host": safe[0], "reason": "%s left the cluster last (safe_to_bootstrap)" % safe[0], "problem": ""}
    best = max(positions[host][1] for host in positions)
    host = [name for name in order if name in positions and positions[name][1] == best][0]
    return {"host": host, "reason": "%s holds the highest position (seqno %d)" % (host, best), "problem": ""}


def interface_of(addresses, address):
    """{"interface": NIC, "prefix": its prefix length} of a host's own address,
    from `ip -j addr` output (parsed); {} when no NIC has it."""
    wanted = address_of(str(address))
    for link in addresses or []:
        for info in link.get("addr_info", []):
            if address_of(str(info.get("local", ""))) == wanted:
                return {"interface": link.get("ifname", ""), "prefix": info.get("prefixlen")}
    return {}


def parse_galera_report(text):
    """A database host's report for galera_problems, from the lines
    "NAME<tab>VALUE" of SHOW GLOBAL STATUS LIKE 'wsrep_%' and one line
    "holds_address<tab>1|0"."""
    status = {}
    for line in (text or "").splitlines():
        name, value = (line.strip().split("\t", 1) + [""])[:2]
        status[name.strip().lower()] = value.strip()
    return {"status": status, "holds_address": status.pop("holds_address", "0") == "1"}


def galera_problems(reports, members):
    """What keeps a Galera cluster from being whole, in plain sentences.

    reports: {database host: parse_galera_report's dict, or its text};
    members: how many voters the inventory names (hosts and arbitrators).
    """
    reports = {host: parse_galera_report(report) if isinstance(report, str) else report for host, report in reports.items()}
    problems = []
    for host in sorted(reports):
        status = {str(key).lower(): str(value) for key, value in (reports[host].get("status") or {}).items()}
        seen = "wsrep_cluster_status %s, wsrep_local_state_comment %s, wsrep_ready %s" % (
            status.get("wsrep_cluster_status", "?"),
            status.get("wsrep_local_state_comment", "?"),
            status.get("wsrep_ready", "?"),
        )
        if (
            status.get("wsrep_cluster_status") != "Primary"
            or status.get("wsrep_local_state_comment") != "Synced"
            or status.get("wsrep_ready") != "ON"
        ):
            problems.append("%s does not serve in the cluster (%s); see its MariaDB log." % (host, seen))
        elif status.get("wsrep_cluster_size") != str(members):
            problems.append(
                "%s sees %s of the %d members (wsrep_cluster_size); a member is down or cut off: bring it back."
                % (host, status.get("wsrep_cluster_size", "?"), members)
            )
    holders = sorted(host for host in reports if reports[host].get("holds_address"))
    if len(holders) != 1:
        problems.append(
            "the database's floating address is on %s; it must be on exactly one database host (keepalived)."
            % (", ".join(holders) if holders else "no host")
        )
    return problems
