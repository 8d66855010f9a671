# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: templated_secret_problems
short_description: Secrets that Ansible would template instead of using as written
version_added: 0.6.0
description:
  - ansible-core templates every string of an inventory, including those of a file encrypted whole
    with ansible-vault; only values marked C(!unsafe) and values encrypted with
    C(ansible-vault encrypt_string) are used as written. A password holding C({{), C({%) or C({#)
    would reach the daemons changed, or stop the run with a templating error.
  - Compares each secret (sipha_db_password, sipha_sip_secret, sipha_subscribers, keepalived_auth_pass,
    heartbeat_authkeys_secret, heartbeat_stonith_device, kamailio_db_url, opensips_db_url) as written
    with what Ansible makes of it. A value that is one whole template (C({{ vault_sipha_db_password }}),
    followed to that variable; a lookup) or that yields a list or mapping is meant to be templated. In a list
    or mapping only the entries named like a secret (password, passwd, secret, key, token, ha1) are compared.
  - Each message names the hosts, the variable and the fix, never the value. playbooks/preflight.yml
    runs it before any host is touched.
options:
  _input:
    description: C(hostvars) (its C(raw_get) gives the values as written).
    type: raw
    required: true
  hosts:
    description: The hosts to check, for example C(groups['sip_proxies'] + groups['sip_databases']).
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Stop on a secret Ansible would template
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems }}"
  vars:
    __problems: "{{ hostvars | sipha.cluster.templated_secret_problems(groups['sip_proxies']) }}"
"""

RETURN = r"""
_value:
  description: One message per templated secret, naming the hosts that have it; empty when all are used as written.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.config_string_problems import read
from ansible_collections.sipha.cluster.plugins.plugin_utils import config_strings


def templated_secret_problems(all_vars, hosts):
    if not hasattr(all_vars, "raw_get"):
        raise AnsibleFilterError("sipha.cluster.templated_secret_problems needs hostvars itself: it reads the values as written")
    found = {}
    for host in hosts:
        host_vars = all_vars[host]
        raw_vars = all_vars.raw_get(host)
        found[host] = config_strings.templated_problems(raw_vars, lambda name, host_vars=host_vars: read(host_vars, name))
    return config_strings.merge_hosts(found)


class FilterModule(object):
    def filters(self):
        return {"templated_secret_problems": templated_secret_problems}
