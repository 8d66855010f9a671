# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lab_failure_window on SIPp's statistics of a REGISTER load at 20/s
through the lab's VIP while the database host holding the database's
floating address was killed (docker kill at 1796554275.06)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "lab", "filter_plugins"))

from lab_failure_window import lab_failure_window  # noqa: E402

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "stat-db-host-killed.csv")


def test_the_failures_fall_in_the_seconds_after_the_kill():
    with open(FIXTURE) as handle:
        window = lab_failure_window(handle.read(), 1796554275.06)
    assert window == {"failed": 1, "from_s": 0.02, "to_s": 1.03}


def test_a_run_without_failures_has_no_window():
    text = "CurrentTime;FailedCall(P)\n2026-12-06\t10:51:07.0\t100.0;0\n2026-12-06\t10:51:08.0\t101.0;0\n"
    assert lab_failure_window(text, 99.0) == {"failed": 0, "from_s": None, "to_s": None}


def test_failures_before_the_fault_show_as_negative_seconds():
    text = "CurrentTime;FailedCall(P)\nd\tt\t100.0;0\nd\tt\t101.0;2\nd\tt\t102.0;0\nd\tt\t103.0;1\n"
    assert lab_failure_window(text, 102.5) == {"failed": 3, "from_s": -2.5, "to_s": 0.5}
