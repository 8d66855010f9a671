# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sipha.cluster.plugins.filter.vrrp_router_id import FilterModule

vrrp_router_id = FilterModule().filters()["vrrp_router_id"]

# Computed once with `python3 -c "import zlib; print(zlib.crc32(b'sip-prod') % 255 + 1)"`
# (crc32 4283459795). A change here would move every deployed cluster to a new id.
SIP_PROD_ID = 141
# zlib.crc32(b'cluster-174') is 4107255929, which maps to the last id: the wrap test needs it.
LAST_ID_NAME = "cluster-174"


def test_stable_id_for_a_name():
    assert vrrp_router_id("sip-prod") == SIP_PROD_ID


def test_name_is_hashed_as_utf8():
    # zlib.crc32("Zürich".encode("utf-8")) is 3540756798.
    assert vrrp_router_id("Zürich") == 199


def test_ids_stay_in_range_and_spread():
    ids = [vrrp_router_id("cluster-%d" % number) for number in range(2000)]
    assert all(1 <= router_id <= 255 for router_id in ids)
    # Names of one pattern must not bunch up on a few ids.
    assert len(set(ids)) > 240


def test_avoid_takes_the_next_free_id():
    assert vrrp_router_id("sip-prod", avoid=[SIP_PROD_ID]) == SIP_PROD_ID + 1
    assert vrrp_router_id("sip-prod", avoid=[SIP_PROD_ID + 1, SIP_PROD_ID]) == SIP_PROD_ID + 2


def test_avoid_without_a_clash_changes_nothing():
    assert vrrp_router_id("sip-prod", avoid=[51, 52]) == SIP_PROD_ID
    assert vrrp_router_id("sip-prod", avoid=[]) == SIP_PROD_ID
    assert vrrp_router_id("sip-prod", avoid=None) == SIP_PROD_ID


def test_avoid_wraps_from_255_to_1():
    assert vrrp_router_id(LAST_ID_NAME) == 255
    assert vrrp_router_id(LAST_ID_NAME, avoid=[255, 1]) == 2


def test_avoid_accepts_digit_strings():
    # An INI inventory or --extra-vars gives numbers as text.
    assert vrrp_router_id("sip-prod", avoid=[str(SIP_PROD_ID)]) == SIP_PROD_ID + 1


def test_last_free_id_is_found():
    assert vrrp_router_id("sip-prod", avoid=[number for number in range(1, 256) if number != 7]) == 7


def test_avoid_of_every_id_is_an_error():
    with pytest.raises(AnsibleFilterError, match="all 255 VRRP router ids"):
        vrrp_router_id("sip-prod", avoid=list(range(1, 256)))


@pytest.mark.parametrize("name", ["", "   ", None, 42, ["sip-prod"]])
def test_bad_name(name):
    with pytest.raises(AnsibleFilterError, match="non-empty string"):
        vrrp_router_id(name)


@pytest.mark.parametrize("entry", [0, 256, -1, "abc", "5.1", 51.0, True, None])
def test_bad_avoid_entry(entry):
    with pytest.raises(AnsibleFilterError, match="not a VRRP router id"):
        vrrp_router_id("sip-prod", avoid=[51, entry])


@pytest.mark.parametrize("avoid", [51, "51", {"51": True}])
def test_avoid_must_be_a_list(avoid):
    with pytest.raises(AnsibleFilterError, match="must be a list"):
        vrrp_router_id("sip-prod", avoid=avoid)
