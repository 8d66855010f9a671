# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rtpproxy.service as the role writes it.

RTPproxy itself is built from source or installed from a package on real
hosts only (no registry this machine reaches has it): its unit is checked
here. The rtpengine stand-in (rtpproxy_implementation: rtpengine) runs in
the lab's molecule scenario, which counts the packets it relays.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import shlex

NODES = {"sip-a": "10.0.0.11/24", "sip-b": "10.0.0.12/24"}
BASE = {
    "sipha_vip": "203.0.113.10/24",
    "sipha_public_gateway": "203.0.113.1",
    "sipha_media_relay": "rtpproxy",
}


def render(run_render, **cluster):
    return run_render("render_rtpproxy.yml", dict(BASE, **cluster), NODES)[0]


def exec_start(unit):
    """ExecStart's words, with the unit's line continuations joined."""
    text = unit.replace("\\\n", " ")
    line = re.search(r"^ExecStart=(.*)$", text, re.M).group(1)
    return shlex.split(line)


def option(words, flag):
    return words[words.index(flag) + 1]


def test_source_build_bridges_private_address_and_vip(run_render):
    files = render(run_render)
    for name, own in NODES.items():
        unit = files[(name, "rtpproxy.service")]
        words = exec_start(unit)
        own_ip = own.partition("/")[0]
        assert words[0] == "/opt/rtpproxy/3.1.1/bin/rtpproxy"
        assert "-f" in words
        # Internal (private) first, external (the VIP) second: the proxies'
        # i and e flags pick them in that order.
        assert option(words, "-l") == "%s/203.0.113.10" % own_ip
        assert option(words, "-A") == "%s/203.0.113.10" % own_ip
        assert option(words, "-s") == "udp:127.0.0.1:7722"
        assert (option(words, "-m"), option(words, "-M")) == ("40000", "50000")
        # Not root: RTPproxy refuses a UDP control socket as superuser.
        assert re.search(r"^User=rtpproxy$", unit, re.M)
        assert "Before=kamailio.service opensips.service" in unit


def test_advertised_address_behind_nat(run_render):
    files = render(run_render, rtpproxy_advertised_address="198.51.100.7")
    words = exec_start(files[("sip-b", "rtpproxy.service")])
    assert option(words, "-l") == "10.0.0.12/203.0.113.10"
    assert option(words, "-A") == "10.0.0.12/198.51.100.7"


def test_package_install_uses_the_packaged_binary(run_render):
    files = render(run_render, rtpproxy_install_method="package")
    assert exec_start(files[("sip-a", "rtpproxy.service")])[0] == "/usr/bin/rtpproxy"


def test_rtpengine_stand_in(run_render):
    files = render(run_render, rtpproxy_implementation="rtpengine")
    unit = files[("sip-a", "rtpproxy.service")]
    words = exec_start(unit)
    assert words[0] == "/usr/bin/rtpengine"
    assert "--config-file=/etc/rtpengine/sipha-rtpproxy.conf" in words
    assert "User=" not in unit
    conf = dict(
        line.split(" = ", 1) for line in files[("sip-a", "rtpengine-legacy.conf")].splitlines() if " = " in line
    )
    # The legacy protocol's i and e flags name these two interfaces.
    assert conf["interface"] == "internal/10.0.0.11;external/203.0.113.10"
    assert conf["listen-udp"] == "127.0.0.1:7722"
    assert "listen-ng" not in conf
    assert (conf["port-min"], conf["port-max"]) == ("40000", "50000")
