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

# The standard library's ipaddress, not netaddr: see lab_docker_networks.py.
import ipaddress

from ansible.errors import AnsibleFilterError


def overlapping(items, network):
    """Return the items (addresses or CIDRs) that overlap ``network``.

    An item overlaps when it lies inside the network or the network lies
    inside it. Default routes (prefix length 0) and anything that is not an
    IP address or network ("default", "unreachable", "") are ignored: they
    say nothing about which addresses are in use.
    """
    target = ipaddress.ip_network(str(network), strict=False)
    found = []
    for item in items:
        try:
            candidate = ipaddress.ip_network(str(item), strict=False)
        except (ValueError, TypeError):
            continue
        if candidate.version != target.version or candidate.prefixlen == 0:
            continue
        if candidate.subnet_of(target) or target.subnet_of(candidate):
            found.append(str(item))
    return found


def overlapping_networks(items, network_cidr):
    try:
        return overlapping(items, network_cidr)
    except (ValueError, TypeError) as exc:  # what ipaddress raises for a bad network
        raise AnsibleFilterError("overlapping_networks: %r is not a network: %s" % (network_cidr, exc))


class FilterModule(object):
    def filters(self):
        return {"overlapping_networks": overlapping_networks}
