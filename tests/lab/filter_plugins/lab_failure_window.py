# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: lab_failure_window
short_description: When a SIPp run's failures happened, relative to a fault
version_added: 0.9.0
description:
  - Reads SIPp's periodic statistics (C(-trace_stat -fd 1), stat.csv) and
    says between which seconds after the fault the failed calls fell: from
    the start of the first period with a failure to the end of the last.
    A test of a fault that may only fail requests while it lasts (a
    database host's death) asserts on it and prints it.
options:
  _input:
    description: stat.csv's text.
    type: str
    required: true
  fault_time:
    description: The fault's Unix time.
    type: float
    required: true
"""

RETURN = r"""
_value:
  description: >-
    C(failed) (calls), C(from_s) and C(to_s) (seconds after the fault,
    null without failures).
  type: dict
"""


def _time(cell):
    # "2026-12-06<tab>10:51:16.093695<tab>1796554276.093695": the last field.
    return float(cell.split()[-1])


def lab_failure_window(text, fault_time):
    lines = [line.split(";") for line in str(text).splitlines() if line.strip()]
    if not lines:
        return {"failed": 0, "from_s": None, "to_s": None}
    header, rows = lines[0], lines[1:]
    when, failed = header.index("CurrentTime"), header.index("FailedCall(P)")
    window = {"failed": 0, "from_s": None, "to_s": None}
    previous = None
    for row in rows:
        end = _time(row[when])
        count = int(row[failed])
        if count > 0:
            start = previous if previous is not None else end - 1
            window["failed"] += count
            if window["from_s"] is None:
                window["from_s"] = round(start - float(fault_time), 2)
            window["to_s"] = round(end - float(fault_time), 2)
        previous = end
    return window


class FilterModule(object):
    def filters(self):
        return {"lab_failure_window": lab_failure_window}
