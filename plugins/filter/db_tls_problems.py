# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: db_tls_problems
short_description: Problems of the settings for TLS between the proxies and the shared database
version_added: 0.6.0
description:
  - Judges C(sipha_db_tls) and the certificates it needs, as a list of
    messages that name the variable and the fix; empty when all is well.
  - With C(sipdb_tls_certificate) in the input, the database host's own
    certificate and key are judged too (both or neither, PEM, with the CA).
options:
  _input:
    description: >-
      sipha_db_tls, sipha_db_tls_ca_certificate, sipha_db_engine,
      sipha_sip_proxy, database_hosts (the sip_databases group) and, on the
      database host, sipdb_tls_certificate and sipdb_tls_private_key.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Refuse TLS settings that would leave the proxies unable to connect
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems }}"
  vars:
    __problems: "{{ {'sipha_db_tls': true, 'database_hosts': ['db1']} | sipha.cluster.db_tls_problems }}"
"""

RETURN = r"""
_value:
  description: Messages, one per problem.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils.db_tls import db_tls_problems as _problems


def db_tls_problems(settings):
    if not isinstance(settings, dict):
        raise AnsibleFilterError("sipha.cluster.db_tls_problems: expected a dict of settings, got %r" % (settings,))
    return _problems(settings)


class FilterModule(object):
    def filters(self):
        return {"db_tls_problems": db_tls_problems}
