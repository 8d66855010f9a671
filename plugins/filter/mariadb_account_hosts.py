# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: mariadb_account_hosts
short_description: The host parts of the MariaDB accounts that admit the given clients
version_added: 0.6.0
description:
  - Turns the networks a database account may be used from into the host
    parts of MariaDB accounts (C('user'@'host')), one per network.
  - One address (bare, C(/32) or C(/128)) becomes the address itself, so
    the account admits that client only, for example C(10.0.0.11) or
    C(2001:db8::11).
  - A wider IPv4 network becomes MariaDB's network/netmask form, for
    example C(10.0.0.0/255.255.255.0). MariaDB has no such form for IPv6,
    so a wider IPv6 network is an error.
  - Host bits of a network are dropped, addresses are written in their
    short form, and each host part appears once, in the order given.
options:
  _input:
    description: Addresses or networks in CIDR form.
    type: list
    elements: str
    required: true
requirements:
  - netaddr
"""

EXAMPLES = r"""
- name: One account per proxy node
  ansible.builtin.debug:
    msg: "{{ ['10.0.0.11/32', '10.0.0.12/32'] | sipha.cluster.mariadb_account_hosts }}"  # ['10.0.0.11', '10.0.0.12']
"""

RETURN = r"""
_value:
  description: MariaDB account host parts, in the order of the input.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import db_clients, network


def mariadb_account_hosts(networks):
    if not network.HAS_NETADDR:
        raise AnsibleFilterError("sipha.cluster.mariadb_account_hosts needs the Python library netaddr on the controller")
    try:
        return db_clients.mariadb_account_hosts(networks)
    except ValueError as exc:
        raise AnsibleFilterError("sipha.cluster.mariadb_account_hosts: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"mariadb_account_hosts": mariadb_account_hosts}
