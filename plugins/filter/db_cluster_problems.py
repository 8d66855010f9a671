# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: db_cluster_problems
short_description: What is wrong with the shared database's hosts, in plain sentences
version_added: 0.1.0
description:
  - Checks the database inventory before any host is touched, for one
    database host or a MariaDB Galera cluster (C(sip_databases) with two or
    more hosts, C(sip_db_arbitrators) optional). One engine everywhere,
    Galera for MariaDB only, an odd number of voters, each member's own
    private address (C(sipdb_address)), and a floating database address
    (C(sipha_db_host)) on the private network that no host owns.
  - Each message names the variable and the fix. playbooks/preflight.yml runs it.
options:
  _input:
    description: >-
      C(engines) (host to C(sipha_db_engine)), C(engine), C(db_host),
      C(databases) and C(arbitrators) (host to C(sipdb_address), in inventory
      order), C(node_addresses) (name to address) and C(private_networks).
    type: dict
    required: true
requirements:
  - netaddr
"""

EXAMPLES = r"""
- name: Stop on a database inventory that cannot work
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems }}"
  vars:
    __problems: "{{ __settings | sipha.cluster.db_cluster_problems }}"
"""

RETURN = r"""
_value:
  description: One message per broken rule; empty when the settings are sound.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import db_cluster, network


def db_cluster_problems(settings):
    if not network.HAS_NETADDR:
        raise AnsibleFilterError("sipha.cluster.db_cluster_problems needs the Python library netaddr on the controller")
    if not isinstance(settings, dict):
        raise AnsibleFilterError("sipha.cluster.db_cluster_problems expects a dict, got %r" % (settings,))
    return db_cluster.db_cluster_problems(settings)


class FilterModule(object):
    def filters(self):
        return {"db_cluster_problems": db_cluster_problems}
