# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.nat_test_names import FilterModule

nat_test_names = FilterModule().filters()["nat_test_names"]


@pytest.mark.parametrize(
    "flags, names",
    [
        (19, "private-contact,diff-ip-src-via,diff-port-src-via"),
        ("18", "diff-ip-src-via,diff-port-src-via"),
        (1, "private-contact"),
        (255, "private-contact,diff-ip-src-via,private-via,private-sdp,diff-port-src-via,diff-ip-src-contact,"
              "diff-port-src-contact,carrier-grade-nat"),
    ],
)
def test_bits_become_opensips_check_names(flags, names):
    assert nat_test_names(flags) == names


@pytest.mark.parametrize("flags", [0, 256, "nineteen", True, None])
def test_anything_but_a_sum_of_the_bits_is_refused(flags):
    with pytest.raises(AnsibleFilterError, match="not a number from 1 to 255"):
        nat_test_names(flags)
