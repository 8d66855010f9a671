# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""sysctl_settings' decisions: key spellings, values as the kernel prints them, the file, what differs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.sipha.cluster.plugins.module_utils import sysctl_settings as s


@pytest.mark.parametrize(
    "key, path",
    [
        ("net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward"),
        ("net.ipv4.conf.eth1.rp_filter", "/proc/sys/net/ipv4/conf/eth1/rp_filter"),
        # The slash form keeps a VLAN interface's dot inside its name.
        ("net/ipv4/conf/eth1.100/rp_filter", "/proc/sys/net/ipv4/conf/eth1.100/rp_filter"),
        (" net.ipv4.ip_forward ", "/proc/sys/net/ipv4/ip_forward"),
    ],
)
def test_a_key_in_either_spelling_finds_its_file(key, path):
    assert s.proc_path(key) == path


@pytest.mark.parametrize("key", ["", ".net.ipv4", "net.ipv4.", "net..ipv4", "/net/ipv4", "net/../../etc/passwd", "net//ipv4"])
def test_a_name_that_is_no_parameter_is_refused(key):
    with pytest.raises(s.SettingError, match="is not a kernel parameter name"):
        s.proc_path(key)


@pytest.mark.parametrize(
    "value, text",
    [
        (1, "1"),
        ("0", "0"),
        (True, "1"),
        (False, "0"),
        # As ansible.posix.sysctl wrote them: a boolean word is 1 or 0.
        ("yes", "1"),
        ("True", "1"),
        ("off", "0"),
        ("4096 131072   33554432", "4096 131072 33554432"),
    ],
)
def test_a_wanted_value_is_written_as_the_kernel_takes_it(value, text):
    assert s.value_text(value) == text


@pytest.mark.parametrize("value", ["", "  ", "1\n2"])
def test_an_empty_or_multi_line_value_is_refused(value):
    with pytest.raises(s.SettingError, match="is not a kernel parameter value"):
        s.value_text(value)


@pytest.mark.parametrize(
    "read, text",
    [
        # /proc/sys prints a value of several words with tabs (read on a lab node).
        ("4096\t131072\t33554432\n", "4096 131072 33554432"),
        ("1\n", "1"),
        # Some parameters read back empty (kernel.hotplug without a helper).
        ("\n", ""),
    ],
)
def test_a_running_value_reads_as_words(read, text):
    assert s.live_text(read) == text


def test_prepare_strips_keys_and_finds_their_files():
    texts, files = s.prepare({" net.ipv4.ip_forward ": 0, "net/ipv4/conf/eth1.100/rp_filter": "yes"}, "/p")
    assert texts == {"net.ipv4.ip_forward": "0", "net/ipv4/conf/eth1.100/rp_filter": "1"}
    assert files == {"net.ipv4.ip_forward": "/p/net/ipv4/ip_forward", "net/ipv4/conf/eth1.100/rp_filter": "/p/net/ipv4/conf/eth1.100/rp_filter"}


@pytest.mark.parametrize(
    "settings",
    [
        {"net.ipv4.ip_forward": 0, "net/ipv4/ip_forward": 1},
        {"net.ipv4.ip_forward": 0, " net.ipv4.ip_forward": 0},
    ],
)
def test_one_parameter_given_twice_is_refused(settings):
    with pytest.raises(s.SettingError, match="are the same parameter: give it once"):
        s.prepare(settings)


def test_the_file_has_the_header_then_every_key_sorted():
    texts, dummy = s.prepare({"net.ipv4.ip_forward": 0, "net.ipv4.conf.all.rp_filter": "0", "net/ipv4/conf/eth1.100/rp_filter": 1})
    assert s.render(texts, "first line\n\nsecond") == (
        "# first line\n"
        "#\n"
        "# second\n"
        "net.ipv4.conf.all.rp_filter = 0\n"
        "net.ipv4.ip_forward = 0\n"
        "net/ipv4/conf/eth1.100/rp_filter = 1\n"
    )


def test_only_the_keys_with_another_running_value_differ():
    texts = {"net.ipv4.ip_forward": "0", "net.ipv4.tcp_rmem": "4096 131072 33554432", "net.ipv4.conf.eth1.rp_filter": "1"}
    live = {"net.ipv4.ip_forward": "1\n", "net.ipv4.tcp_rmem": "4096\t131072\t33554432\n", "net.ipv4.conf.eth1.rp_filter": "1\n"}
    assert s.differing(texts, live) == ["net.ipv4.ip_forward"]
    assert s.missing(texts, live) == []


def test_a_parameter_the_kernel_lacks_is_missing_and_differs():
    texts = {"net.ipv6.conf.eth1.accept_ra": "0", "net.ipv4.ip_forward": "0"}
    live = {"net.ipv6.conf.eth1.accept_ra": None, "net.ipv4.ip_forward": "0\n"}
    assert s.missing(texts, live) == ["net.ipv6.conf.eth1.accept_ra"]
    assert s.differing(texts, live) == ["net.ipv6.conf.eth1.accept_ra"]
