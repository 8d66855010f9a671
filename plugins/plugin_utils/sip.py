# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SIP settings that the proxies' configurations spell differently.

Errors are ValueError with a sentence the filter shows to the operator as it is.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sipha.cluster.plugins.plugin_utils.network import whole_number


# nathelper's nat_uac_test checks, by the bit the old integer form gave each
# (Kamailio still takes the bits; OpenSIPS 3.x takes the names).
NAT_TESTS = (
    (1, "private-contact"),
    (2, "diff-ip-src-via"),
    (4, "private-via"),
    (8, "private-sdp"),
    (16, "diff-port-src-via"),
    (32, "diff-ip-src-contact"),
    (64, "diff-port-src-contact"),
    (128, "carrier-grade-nat"),
)


def nat_test_names(flags):
    """OpenSIPS's comma-separated check names for nat_uac_test bits (19 -> private-contact,...)."""
    bits = whole_number(flags)
    if bits is None or not 0 < bits < 256:
        raise ValueError("nat_uac_test flags %r are not a number from 1 to 255 (a sum of 1, 2, 4, ... 128)" % (flags,))
    return ",".join(name for bit, name in NAT_TESTS if bits & bit)
