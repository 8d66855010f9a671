# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: overlapping_networks
short_description: Addresses or networks that overlap a given network
version_added: 0.1.0
description:
  - Returns the items of a list (IP addresses or CIDR networks) that lie inside
    O(network) or contain it.
  - Entries that are not addresses (such as V(default) from C(ip -j route)) and
    default routes are ignored.
  - Used to keep the lab's networks away from the host's routes, resolver and
    package mirror.
options:
  _input:
    description: Addresses or networks to check.
    type: list
    elements: str
    required: true
  network:
    description: The network to compare with, in CIDR form.
    type: str
    required: true
requirements:
  - netaddr
"""

EXAMPLES = r"""
- name: Stop when the lab would hide the resolver
  ansible.builtin.assert:
    that: (['10.255.255.53', '192.0.2.0/24'] | overlapping_networks('10.66.0.0/16')) == []
"""

RETURN = r"""
_value:
  description: The items that overlap O(network), in input order.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

try:
    import netaddr
except ImportError:  # pragma: no cover - reported when the filter runs
    netaddr = None


def overlapping(items, network):
    """Return the items (addresses or CIDRs) that overlap ``network``.

    An item overlaps when it lies inside the network or the network lies
    inside it. Default routes (prefix length 0) and anything that is not an
    IP address or network ("default", "unreachable", "") are ignored: they
    say nothing about which addresses are in use.
    """
    target = netaddr.IPNetwork(network)
    found = []
    for item in items:
        try:
            candidate = netaddr.IPNetwork(str(item))
        except (netaddr.AddrFormatError, ValueError, TypeError):
            continue
        if candidate.version != target.version or candidate.prefixlen == 0:
            continue
        if candidate in target or target in candidate:
            found.append(str(item))
    return found


def overlapping_networks(items, network_cidr):
    if netaddr is None:
        raise AnsibleFilterError("overlapping_networks needs the Python library netaddr on the controller")
    try:
        return overlapping(items, network_cidr)
    except Exception as exc:  # netaddr raises several types for a bad network
        raise AnsibleFilterError("overlapping_networks: %r is not a network: %s" % (network_cidr, exc))


class FilterModule(object):
    def filters(self):
        return {"overlapping_networks": overlapping_networks}
