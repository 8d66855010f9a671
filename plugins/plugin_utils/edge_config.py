# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules for the SIP edge (who may reach anything through the proxies),
checked before any host is touched.

The settings are a proxy node's effective values: the cluster-wide sipha_*
names and the proxy role's own, passed as auth and register_networks with
the role's prefix in proxy_name. Messages name the variable and the fix.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.sipha.cluster.plugins.plugin_utils.network import address_of, flag, netaddr, whole_number
from ansible_collections.sipha.cluster.plugins.plugin_utils.shared_settings import differing

# Kamailio splits the secret in two halves when its extra nonce checks are
# on (the call, the sender and the URI a challenge was for): 16 each.
SECRET_MIN = 32
# The secret goes into a quoted string of kamailio.cfg / opensips.cfg.
SECRET_ALLOWED = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+$")
DOMAIN = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")
# A trusted peer is a host or a provider's SBC range, not a slice of the internet.
TRUST_PREFIX_MIN = {4: 8, 6: 32}
# Where a SIP proxy must never send, whoever asks: this host (unspecified,
# loopback), link-local, multicast and broadcast addresses.
NEVER_RELAYED = (
    "0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "255.255.255.255/32",
    "::/128", "::1/128", "fe80::/10", "ff00::/8",
)
# What every node must have alike: a node that takes over accepts what the
# others issued (nonces, signed Record-Routes) and serves the same domains.
SHARED = ("sipha_sip_secret", "sipha_sip_domains", "sipha_trusted_peers", "sipha_flood_exempt_networks")


def inside_networks(private_ip, private_routes=None, vip=None):
    """The networks a proxy sends nothing to but a trusted peer, as CIDRs.

    The node's private subnet, the networks of its private routes (the
    database, mgmt, the operators' hosts are there), the VIP itself, and
    NEVER_RELAYED. ``vip``: one VIP or a list (the IPv4 and the IPv6 one of
    a dual-stack cluster); empty ones are skipped.
    """
    found = []
    for value in [private_ip] + [route.get("to") for route in private_routes or [] if isinstance(route, dict)]:
        network = _network(str(value)) if value else None
        if network is not None:
            found.append(str(network.cidr))
    for value in vip if isinstance(vip, (list, tuple)) else [vip]:
        vip_address = address_of(str(value)) if value else None
        if vip_address is not None:
            found.append("%s/%d" % (vip_address, 32 if vip_address.version == 4 else 128))
    found.extend(NEVER_RELAYED)
    unique = []
    for network in found:
        if network not in unique:
            unique.append(network)
    return unique


def _network(value):
    """A network from an address or CIDR string, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return netaddr.IPNetwork(value.strip())
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return None


def _trusted_peer_problems(peers, cluster_addresses):
    """A trusted peer must not be a slice of the internet nor take the cluster's own addresses in."""
    problems = []
    for index, item in enumerate(peers if isinstance(peers, list) else []):
        network = _network(item)
        if network is None or network.prefixlen == 0:
            continue
        if network.prefixlen < TRUST_PREFIX_MIN[network.version]:
            problems.append(
                "sipha_trusted_peers[%d] is %s, %s addresses: trust a host or a provider's SBC range, "
                "at least /%d." % (index, item, network.size, TRUST_PREFIX_MIN[network.version])
            )
        inside = sorted(name for name, address in cluster_addresses.items() if address is not None and address in network)
        if inside:
            problems.append(
                "sipha_trusted_peers[%d] %s takes in %s: the cluster's own hosts would be trusted without "
                "credentials and the proxy would relay to them; list the trunks' own addresses." % (index, item, ", ".join(inside))
            )
    return problems


def _network_list_problems(name, value, what, allow_empty=True):
    if value in (None, ""):
        value = []
    if not isinstance(value, list):
        return ["%s must be a list of %s (addresses or CIDRs such as 198.51.100.7 or 198.51.100.0/24), got %r." % (name, what, value)]
    problems = []
    if not value and not allow_empty:
        problems.append("%s is empty; list the %s." % (name, what))
    for index, item in enumerate(value):
        network = _network(item)
        if network is None:
            problems.append(
                "%s[%d] is %r, which is not an address or CIDR; write an address such as 198.51.100.7 or a "
                "network such as 198.51.100.0/24 (no host names: trust is by source address)." % (name, index, item)
            )
        elif network.prefixlen == 0:
            problems.append(
                "%s[%d] is %r, which is every address on the internet; name only the %s." % (name, index, item, what)
            )
    return problems


def _secret_problems(secret, db_password):
    if secret in (None, ""):
        return [
            "sipha_sip_secret is not set; every proxy node signs its digest challenges and its Record-Route with it: "
            "put a random string of %d or more characters in a vault-encrypted file (group_vars/all/vault.yml)." % SECRET_MIN
        ]
    text = str(secret)
    lowered = text.lower()
    if "change" in lowered or "example" in lowered or "vault_" in lowered:
        return ["sipha_sip_secret is still an example value; set a random secret of your own in a vault-encrypted file."]
    problems = []
    if len(text) < SECRET_MIN:
        problems.append("sipha_sip_secret has %d characters; use at least %d random ones." % (len(text), SECRET_MIN))
    if not SECRET_ALLOWED.match(text):
        problems.append(
            "sipha_sip_secret holds a blank, a quote, a backslash or a non-ASCII character, which break the proxy's "
            "configuration string; use letters, digits and punctuation other than \" and \\."
        )
    if db_password not in (None, "") and text == str(db_password):
        problems.append("sipha_sip_secret is the database password; give each secret its own value.")
    return problems


def _number_problems(settings):
    problems = []
    rules = (
        ("sipha_max_contacts", 1, "contacts one user may register at once"),
        ("sipha_flood_requests", 1, "requests per window before a source is banned"),
        ("sipha_flood_window", 1, "seconds pike counts requests over"),
        ("sipha_flood_ban_seconds", 1, "seconds a flooding source stays banned (0 would ban it for ever)"),
    )
    for name, low, what in rules:
        if name not in settings:
            continue
        number = whole_number(settings.get(name))
        if number is None or number < low:
            problems.append("%s is %r; it is the %s: a whole number, at least %d." % (name, settings.get(name), what, low))
    return problems


def _domain_problems(domains):
    if not isinstance(domains, list) or not domains:
        return [
            "sipha_sip_domains must be a non-empty list of the SIP domains the cluster serves (host names or the "
            "VIP's address), got %r." % (domains,)
        ]
    problems = []
    for index, domain in enumerate(domains):
        if not isinstance(domain, str) or len(domain) > 64 or not DOMAIN.match(domain):
            problems.append("sipha_sip_domains[%d] is %r; write a host name (sip.example.com) or an IPv4 address." % (index, domain))
    return problems


def _cluster_addresses(settings, nodes):
    """{what: address} of the cluster's own hosts: the nodes' private addresses, the VIP, the database."""
    found = {}
    for host in sorted(nodes or {}):
        found["%s's private address" % host] = address_of(str(nodes[host].get("sipha_private_ip")))
    found["the VIP"] = address_of(str(settings.get("sipha_vip"))) if settings.get("sipha_vip") else None
    found["the database"] = address_of(str(settings.get("sipha_db_host"))) if settings.get("sipha_db_host") else None
    return found


def edge_problems(settings, nodes=None):
    """Problems of one node's SIP edge settings: a list of sentences, empty when sound.

    ``nodes`` maps every proxy node to its inventory variables: the cluster's
    own addresses, and the settings every node must share.
    """
    prefix = settings.get("proxy_name") or "kamailio"
    problems = []
    problems.extend(_secret_problems(settings.get("sipha_sip_secret"), settings.get("sipha_db_password")))
    problems.extend(_domain_problems(settings.get("sipha_sip_domains")))
    peers = settings.get("sipha_trusted_peers")
    problems.extend(_network_list_problems("sipha_trusted_peers", peers, "SIP trunks and SBCs to trust"))
    problems.extend(_trusted_peer_problems(peers, _cluster_addresses(settings, nodes)))
    problems.extend(
        _network_list_problems("sipha_flood_exempt_networks", settings.get("sipha_flood_exempt_networks"), "networks to exempt")
    )
    networks = settings.get("register_networks")
    problems.extend(_network_list_problems(prefix + "_register_networks", networks, "networks of your phones"))
    if not flag(settings.get("auth", True)) and not networks:
        problems.append(
            "%s_auth is off and %s_register_networks is empty: anyone on the internet could register as any user "
            "and call through the media servers (an open registrar). Turn %s_auth back on, or list the networks "
            "of your phones in %s_register_networks." % (prefix, prefix, prefix, prefix)
        )
    problems.extend(_number_problems(settings))
    for key, shown in differing(nodes or {}, SHARED, hidden=("sipha_sip_secret",)):
        problems.append(
            "%s differs between the nodes (%s); the node that takes over must accept what the others issued "
            "and serve the same: set it once in group_vars." % (key, shown)
        )
    return problems
