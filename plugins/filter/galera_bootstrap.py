# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: galera_bootstrap
short_description: Which database host may start a stopped Galera cluster
version_added: 0.1.0
description:
  - From every database host's state (whether it runs in a primary
    component, its C(grastate.dat), and C(galera_recovery)'s output when it
    stopped without saving its position), picks the one host that starts a
    new primary component with C(galera_new_cluster), or none when the
    cluster runs. Never two, never a guess.
  - The host that left last (C(safe_to_bootstrap)), else the highest
    position; a new cluster starts on the first host. Unknown states and
    data of two clusters are problems, not choices.
options:
  _input:
    description: Host name to C(primary) (bool), C(grastate) and C(recovered) (text).
    type: dict
    required: true
  order:
    description: The database hosts in inventory order.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Choose the host that bootstraps
  ansible.builtin.set_fact:
    __choice: "{{ __states | sipha.cluster.galera_bootstrap(groups['sip_databases']) }}"
"""

RETURN = r"""
_value:
  description: C(host) (or null), C(reason), and C(problem) (empty unless the run must stop).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils import db_cluster


def galera_bootstrap(states, order):
    if not isinstance(states, dict):
        raise AnsibleFilterError("sipha.cluster.galera_bootstrap expects a dict of host states, got %r" % (states,))
    return db_cluster.galera_bootstrap(states, list(order))


class FilterModule(object):
    def filters(self):
        return {"galera_bootstrap": galera_bootstrap}
