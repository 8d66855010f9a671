# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from lab_stream_phones_back import lab_stream_phones_back


def test_the_first_registration_after_the_fault_counts():
    phones = {"tls-phone": {"registrations": [90.0, 104.25, 130.0]}, "tcp-phone": {"registrations": [95.5, 101.004]}}
    assert lab_stream_phones_back(phones, "100") == {"tls-phone": 4.25, "tcp-phone": 1.0}


def test_a_phone_that_never_came_back_is_none():
    assert lab_stream_phones_back({"tls-phone": {"registrations": [90.0]}}, 100) == {"tls-phone": None}
