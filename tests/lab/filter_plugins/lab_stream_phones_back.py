# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: lab_stream_phones_back
short_description: How long after a fault each stream phone was registered again
version_added: 0.9.0
description:
  - For each lab stream phone (sipha-lab-stream-phone's findings), the
    seconds from the fault to its first 200 OK to a REGISTER after it, or
    None when it never registered again.
options:
  _input:
    description: User name to the phone's findings (their C(registrations), seconds since the epoch).
    type: dict
    required: true
  fault_time:
    description: When the fault began (seconds since the epoch).
    type: float
    required: true
"""

EXAMPLES = r"""
- name: Tell how long each phone was unreachable
  ansible.builtin.debug:
    msg: "{{ stream_phones | lab_stream_phones_back(fault_time) }}"
"""

RETURN = r"""
_value:
  description: User name to seconds (two decimals), or None.
  type: dict
"""


def lab_stream_phones_back(phones, fault_time):
    fault_time = float(fault_time)
    back = {}
    for user, found in phones.items():
        after = [moment for moment in found.get("registrations", []) if moment > fault_time]
        back[user] = round(min(after) - fault_time, 2) if after else None
    return back


class FilterModule(object):
    def filters(self):
        return {"lab_stream_phones_back": lab_stream_phones_back}
