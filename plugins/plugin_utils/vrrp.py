# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VRRP virtual router ids derived from a cluster's name.

Errors are ValueError with a sentence the filter shows to the operator as it is.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import zlib

from collections.abc import Iterable, Mapping

from ansible_collections.sipha.cluster.plugins.plugin_utils.network import whole_number

# RFC 5798 section 5.2.3: the VRID is 1..255; 0 is not a valid router id.
FIRST_ID = 1
LAST_ID = 255
ID_COUNT = LAST_ID - FIRST_ID + 1


def _router_id(value):
    """One entry of the avoid list as an int, or ValueError (digit strings count)."""
    number = whole_number(value)
    if number is None or not FIRST_ID <= number <= LAST_ID:
        raise ValueError("avoid contains %r, which is not a VRRP router id (%d..%d)" % (value, FIRST_ID, LAST_ID))
    return number


def router_id(name, avoid=None):
    """A virtual_router_id for ``name``, the same on every run and controller.

    The id comes from the CRC-32 of the name's UTF-8 bytes, never from
    hash(): Python salts str hashes per process, so hash() would hand the
    cluster another id on each run and flap the VRRP instance. When the id is
    in ``avoid`` (ids other clusters already use on the segment), the next
    free id counting upwards is taken, 255 wrapping to 1, so the answer stays
    deterministic for the same name and avoid list.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError("the cluster name must be a non-empty string, got %r" % (name,))
    if avoid is None:
        avoid = []
    if isinstance(avoid, (str, bytes, Mapping)) or not isinstance(avoid, Iterable):
        raise ValueError("avoid must be a list of VRRP router ids, for example [51, 52], got %r" % (avoid,))
    taken = set(_router_id(value) for value in avoid)
    if len(taken) >= ID_COUNT:
        raise ValueError("avoid lists all %d VRRP router ids; no id is left for cluster %r" % (ID_COUNT, name))

    start = zlib.crc32(name.encode("utf-8")) % ID_COUNT
    for step in range(ID_COUNT):
        candidate = (start + step) % ID_COUNT + FIRST_ID
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable: a free id exists")  # pragma: no cover
