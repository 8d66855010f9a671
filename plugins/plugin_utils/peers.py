# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The other nodes of a cluster, as the HA managers' unicast peer lists want them.

Errors are ValueError with a sentence that names the host and the variable,
because the filter shows it to the operator as it is.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sipha.cluster.plugins.plugin_utils.network import address_of


def _node_address(host, host_vars, key):
    # hostvars templates a value on each read: read it once.
    value = host_vars[key] if key in host_vars else None
    if value in (None, ""):
        raise ValueError(
            "%s: %s is not set; every node in the list needs its address there, "
            "for example 10.66.10.12/24" % (host, key)
        )
    ip = address_of(value)
    if ip is not None:
        return ip
    raise ValueError("%s: %s is %r, which is not an IP address or an address in CIDR form such as 10.66.10.12/24" % (host, key, value))


def cluster_peers(hosts, all_vars, current, key="sipha_private_ip"):
    """The addresses of every node in ``hosts`` but ``current``, in list order.

    Every node's address is read, the current one's too, so a typo on any
    node fails on every node alike instead of only where it is a peer, and
    two nodes sharing an address (a node that would unicast to itself) are
    reported rather than rendered.
    """
    if isinstance(hosts, (str, bytes)) or not isinstance(hosts, (list, tuple)):
        raise ValueError("expects a list of inventory names such as groups['sip_proxies'], got %r" % (hosts,))
    if current not in hosts:
        raise ValueError(
            "%s is not in the list of nodes (%s); pass the group the host belongs to, "
            "for example groups['sip_proxies']" % (current, ", ".join(str(host) for host in hosts))
        )
    owners = {}
    peers = []
    for host in hosts:
        if host not in all_vars:
            raise ValueError("%s is in the list of nodes but not in the inventory" % (host,))
        ip = _node_address(host, all_vars[host], key)
        if ip in owners:
            raise ValueError("%s and %s both have %s %s; each node needs an address of its own" % (owners[ip], host, key, ip))
        owners[ip] = host
        if host != current:
            peers.append(str(ip))
    return peers
