# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ip_families
short_description: Addresses and networks split by IP version, for nftables sets
version_added: 0.6.0
description:
  - An nftables set holds one address family. The firewall role writes one
    set per family from lists that mix them (admin networks, peers).
  - Each entry once, networks with their host bits off, single addresses
    without a prefix.
options:
  _input:
    description: Addresses or CIDRs.
    type: list
    elements: str
    required: true
requirements:
  - netaddr
"""

EXAMPLES = r"""
- name: The admin networks of each family
  ansible.builtin.debug:
    msg: "{{ ['10.0.0.0/24', '2001:db8::/64', '10.0.0.7'] | sipha.cluster.ip_families }}"
  # {"ipv4": ["10.0.0.0/24", "10.0.0.7"], "ipv6": ["2001:db8::/64"]}
"""

RETURN = r"""
_value:
  description: The entries of each family, in the order given.
  type: dict
  contains:
    ipv4:
      description: IPv4 addresses and networks.
      type: list
      elements: str
    ipv6:
      description: IPv6 addresses and networks.
      type: list
      elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import firewall, network


def ip_families(items):
    if not network.HAS_NETADDR:
        raise AnsibleFilterError("sipha.cluster.ip_families needs the Python library netaddr on the controller")
    try:
        return firewall.families(items)
    except ValueError as exc:
        raise AnsibleFilterError("sipha.cluster.ip_families: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"ip_families": ip_families}
