# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules for the services on top of the network: the SIP proxy, the shared
database and the media servers, checked before any host is touched.

The nodes have no default route, so everything the proxy talks to besides
the phones (the database, the media servers) must be on the private network
or behind one of the node's private routes. Messages name the variable and
the fix; the operator reads them as they are.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.sipha.cluster.plugins.plugin_utils.db_tls import db_tls_problems
from ansible_collections.sipha.cluster.plugins.plugin_utils.edge_config import edge_problems
from ansible_collections.sipha.cluster.plugins.plugin_utils.network import address_of, flag, netaddr, whole_number
from ansible_collections.sipha.cluster.plugins.plugin_utils.sip_tls import sip_tls_problems

SIP_PROXIES = ("kamailio", "opensips")
MEDIA_RELAYS = ("rtpengine", "rtpproxy", "none")
PROXY_TITLES = {"kamailio": "Kamailio", "opensips": "OpenSIPS"}
# The module each proxy drives each relay with. A relay missing from a
# proxy's entry is one that proxy's configuration cannot use.
RELAY_MODULES = {
    "kamailio": {"rtpengine": "rtpengine", "rtpproxy": "rtpproxy"},
    "opensips": {"rtpengine": "rtpengine", "rtpproxy": "rtpproxy"},
}
DB_ENGINES = ("mariadb", "postgresql")

# Values that come from examples, documentation or Kamailio's own kamctlrc
# ("kamailiorw"): a database with one of them is open to anyone who read them.
EXAMPLE_PASSWORDS = ("kamailiorw", "kamailioro", "kamailio", "password", "secret", "changeme", "change_me", "example")
PASSWORD_MIN = 12
# The password goes into a db_url (engine://user:password@host/db), which
# Kamailio splits on these characters, and into a quoted cfg string.
PASSWORD_FORBIDDEN = re.compile(r"[@:/\s\"'#\\]")


def _networks(nodes):
    """The private subnets of the nodes and the networks of their private routes."""
    found = []
    for node in nodes.values():
        try:
            found.append(netaddr.IPNetwork(str(node.get("sipha_private_ip"))).cidr)
        except (netaddr.AddrFormatError, ValueError, TypeError):
            pass
        for route in node.get("node_private_routes") or []:
            try:
                found.append(netaddr.IPNetwork(str(route.get("to"))).cidr)
            except (AttributeError, netaddr.AddrFormatError, ValueError, TypeError):
                pass
    unique = []
    for network in found:
        if network not in unique:
            unique.append(network)
    return unique


def _on_private_network(address, networks):
    return any(address in network for network in networks)


def _password_problems(password):
    if password in (None, ""):
        return [
            "sipha_db_password is not set; the proxies log in to the shared database with it: put it in a "
            "vault-encrypted file (ansible-vault create group_vars/all/vault.yml) as sipha_db_password."
        ]
    text = str(password)
    lowered = text.lower()
    if lowered in EXAMPLE_PASSWORDS or "change" in lowered or "example" in lowered or "vault_" in lowered:
        return [
            "sipha_db_password is still an example value; set a secret of your own (at least %d characters) "
            "in a vault-encrypted file." % PASSWORD_MIN
        ]
    problems = []
    if len(text) < PASSWORD_MIN:
        problems.append("sipha_db_password has %d characters; use at least %d." % (len(text), PASSWORD_MIN))
    if PASSWORD_FORBIDDEN.search(text):
        problems.append(
            "sipha_db_password contains one of @ : / # \\ quotes or blanks, which break Kamailio's db_url "
            "(engine://user:password@host/db); use letters, digits and - _ . + = ! % ^ * characters."
        )
    return problems


def _media_server_problems(servers, networks, name):
    problems = []
    if not isinstance(servers, list):
        return [name + " must be a list of {address, port, transport} entries, got %r." % (servers,)]
    for index, server in enumerate(servers):
        if not isinstance(server, dict):
            problems.append(name + "[%d] is %r; write {address: 10.0.0.31, port: 5060}." % (index, server))
            continue
        address = address_of(str(server.get("address", "")))
        if address is None or "/" in str(server.get("address", "")):
            problems.append(
                name + "[%d] has address %r; give the media server's private IP address."
                % (index, server.get("address"))
            )
        elif networks and not _on_private_network(address, networks):
            problems.append(
                name + "[%d] address %s is not on the private network (%s); a standby node has no "
                "default route and could not reach it: use its private address or add a route in node_private_routes."
                % (index, address, ", ".join(str(net) for net in networks))
            )
        port = whole_number(server.get("port", 5060))
        if port is None or not 0 < port < 65536:
            problems.append(name + "[%d] has port %r; use a UDP/TCP port number." % (index, server.get("port")))
        if str(server.get("transport", "udp")).lower() not in ("udp", "tcp"):
            problems.append(name + "[%d] has transport %r; use udp or tcp." % (index, server.get("transport")))
    return problems


def _relay_problems(proxy, relay, proxy_relay):
    """The cluster's relay must be one the proxy has a module for, and the
    proxy's own setting must name that relay: otherwise the proxy would drive
    a relay that is not there, and every call would go without media."""
    if proxy not in RELAY_MODULES or relay not in MEDIA_RELAYS or relay == "none":
        return []
    title = PROXY_TITLES.get(proxy, proxy)
    if relay not in RELAY_MODULES[proxy]:
        return [
            "sipha_media_relay is %r but %s has no module for it (it drives %s); pick one of those, or none."
            % (relay, title, ", ".join(sorted(RELAY_MODULES[proxy])))
        ]
    if proxy_relay != relay:
        return [
            "sipha_media_relay is %r but %s_media_relay is %r: %s would load its %s module and talk to a relay that "
            "is not installed, and calls would have no media. Remove %s_media_relay from the inventory (it follows "
            "sipha_media_relay)." % (relay, proxy, proxy_relay, title, RELAY_MODULES[proxy].get(proxy_relay, proxy_relay),
                                     proxy)
        ]
    return []


def service_problems(settings, nodes):
    """Problems of one node's service settings.

    ``settings`` holds the node's effective values (role defaults with the
    inventory over them): the sipha_* names, and the proxy role's own as
    proxy_name (its variable prefix), port, protocols, dispatcher,
    media_servers and media_relay; ``nodes`` maps every
    proxy node to its variables (sipha_private_ip, node_private_routes), to
    know the private network. Returns messages, empty when all is well.
    """
    problems = []
    networks = _networks(nodes)

    proxy = settings.get("sipha_sip_proxy")
    if proxy not in SIP_PROXIES:
        problems.append("sipha_sip_proxy is %r; this release runs %s." % (proxy, " or ".join(SIP_PROXIES)))
    relay = settings.get("sipha_media_relay")
    if relay not in MEDIA_RELAYS:
        problems.append("sipha_media_relay is %r; use one of %s." % (relay, ", ".join(MEDIA_RELAYS)))
    problems.extend(_relay_problems(proxy, relay, settings.get("media_relay", relay)))

    engine = settings.get("sipha_db_engine")
    if engine not in DB_ENGINES:
        problems.append("sipha_db_engine is %r; use mariadb or postgresql." % (engine,))

    host = settings.get("sipha_db_host")
    if host in (None, ""):
        problems.append(
            "sipha_db_host is not set; set it to the private IP address of the shared database (the sipdb "
            "role's host, or a database of your own)."
        )
    else:
        address = address_of(str(host))
        if address is None or "/" in str(host):
            problems.append("sipha_db_host is %r; give the database's private IP address (no name, no prefix)." % (host,))
        elif networks and not _on_private_network(address, networks):
            problems.append(
                "sipha_db_host %s is not on the private network (%s); the nodes reach nothing else (no default "
                "route on a standby): put the database there, or add a route to it in node_private_routes."
                % (address, ", ".join(str(net) for net in networks))
            )

    problems.extend(_password_problems(settings.get("sipha_db_password")))
    problems.extend(db_tls_problems(settings))
    problems.extend(sip_tls_problems(settings))

    # The health check asks the proxy on the VIP; on another port it would
    # ask nobody, fail every time, and move the group round the nodes.
    title = PROXY_TITLES.get(proxy, str(proxy))
    prefix = settings.get("proxy_name") or str(proxy)
    proxy_port = whole_number(settings.get("port", 5060))
    check_port = whole_number(settings.get("failover_sip_port", 5060))
    if proxy_port != check_port:
        problems.append(
            "failover_sip_port is %s but %s listens on %s_port %s; the health check would get no "
            "answer and the group would never stay anywhere: set both to the same port (sipha_sip_port sets both)."
            % (settings.get("failover_sip_port", 5060), title, prefix, settings.get("port", 5060))
        )

    problems.extend(edge_problems(settings, nodes))

    if flag(settings.get("dispatcher", True)):
        servers = settings.get("media_servers")
        if not servers:
            problems.append(
                "%s_media_servers is empty while %s_dispatcher is on; list the media servers (Asterisk/FreeSWITCH) "
                "in sipha_media_servers as {address: <private IP>, port: 5060}, or set %s_dispatcher: false."
                % (prefix, prefix, prefix)
            )
        else:
            problems.extend(_media_server_problems(servers, networks, prefix + "_media_servers"))
    return problems
