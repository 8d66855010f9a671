# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: nat_test_names
short_description: OpenSIPS's names for nathelper's nat_uac_test bits
version_added: 0.6.0
description:
  - Kamailio's C(nat_uac_test) takes a sum of bits (1 private Contact, 2 Via
    address differs from the source, 16 Via port differs, ...); OpenSIPS 3.x
    takes the checks' names, comma-separated. The cluster sets the bits once
    (C(sipha_nat_detect_flags)); this gives OpenSIPS's form of them.
options:
  _input:
    description: The bits, 1 to 255.
    type: int
    required: true
"""

EXAMPLES = r"""
- name: OpenSIPS's checks for 19
  ansible.builtin.debug:
    msg: "{{ 19 | sipha.cluster.nat_test_names }}"  # private-contact,diff-ip-src-via,diff-port-src-via
"""

RETURN = r"""
_value:
  description: The names, comma-separated, in the order of their bits.
  type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.plugin_utils.sip import nat_test_names as names


def nat_test_names(flags):
    try:
        return names(flags)
    except ValueError as error:
        raise AnsibleFilterError(str(error))


class FilterModule(object):
    def filters(self):
        return {"nat_test_names": nat_test_names}
