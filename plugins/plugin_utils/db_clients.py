# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who may use the proxies' database account, in the form each engine takes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sipha.cluster.plugins.plugin_utils.network import netaddr


def _network(value):
    try:
        return netaddr.IPNetwork(str(value).strip())
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise ValueError("%r is not an IP address or a network in CIDR form such as 10.0.0.11/32" % (value,))


def mariadb_account_hosts(networks):
    """The host parts of the MariaDB accounts that admit clients from ``networks``.

    ``networks`` holds addresses or CIDRs. One address (bare, /32 or /128)
    becomes the address itself, the account MariaDB matches for that client
    only ('user'@'10.0.0.11'). A wider IPv4 network becomes MariaDB's
    network/netmask form ('user'@'10.0.0.0/255.255.255.0'); MariaDB has no
    such form for IPv6, so a wider IPv6 network is refused. Host bits of a
    network are dropped, addresses are written in their short form, and each
    host part appears once, in the order given.
    """
    if isinstance(networks, (str, bytes)) or not hasattr(networks, "__iter__"):
        raise ValueError("the client networks must be a list of addresses or CIDRs, not %r" % (networks,))
    hosts = []
    for value in networks:
        net = _network(value)
        if net.size == 1:
            host = str(net.ip)
        elif net.version == 4:
            host = "%s/%s" % (net.network, net.netmask)
        else:
            raise ValueError(
                "%s is an IPv6 network; MariaDB matches an IPv6 client by its address only, so list the "
                "clients' addresses (/128) instead" % (value,)
            )
        if host not in hosts:
            hosts.append(host)
    return hosts


def pg_hba_strays(lines, database, user, sources, contypes):
    """The pg_hba.conf lines of ``user`` on ``database`` that are not wanted.

    ``lines`` are the rules as community.postgresql.postgresql_pg_hba reads
    them (type, db, usr, src). A line for another database or user is the
    administrator's and never a stray. A network line (host, hostssl,
    hostnossl) of this account is a stray when its source is not one of
    ``sources`` (a client that left, the subnet-wide line of earlier
    releases) or its type is not one of ``contypes`` (a plain ``host`` line
    once TLS is required, a ``hostssl`` line once it is not). Returned as
    {"contype", "source"}, each once, in the order of the file.
    """
    strays = []
    for line in lines:
        if line.get("type") not in ("host", "hostssl", "hostnossl"):
            continue
        if line.get("db") != database or line.get("usr") != user:
            continue
        if line.get("src") in sources and line.get("type") in contypes:
            continue
        stray = {"contype": line.get("type"), "source": line.get("src")}
        if stray not in strays:
            strays.append(stray)
    return strays
