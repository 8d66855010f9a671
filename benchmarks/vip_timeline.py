# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who held the VIP, and where the router sent it, from `ip -ts monitor` logs.

molecule's partition.yml and `make bench`'s partition fault run
`ip -ts monitor address route` on each node and `ip -ts monitor neigh` on
the router while the private network is cut; the kernel stamps every
change, so this measures to the microsecond what a sampler would see only
every so often. The containers share the host's clock.

    vip_timeline.py VIP HOLDER HOLDER_MAC NODE=LOG... --router LOG

The cut starts with the first blackhole route in any node's log. Prints
JSON: both_held_s (time after the cut when two or more nodes held the VIP),
spans (those stretches, in seconds after the cut), added_by (nodes that
added the VIP after the cut), router_elsewhere_s (time after the cut the
router sent the VIP to another MAC than the holder's), router_macs (the
MACs it used, in turn), router_last_mac.
"""

from __future__ import absolute_import, division, print_function

import argparse
import datetime
import json
import re

STAMP = re.compile(r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)\]\s*(.*)$")


def events(text):
    """(seconds, message) for every stamped line of a monitor log."""
    out = []
    for line in text.splitlines():
        match = STAMP.match(line.strip())
        if match:
            stamp = datetime.datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S.%f")
            out.append(((stamp - datetime.datetime(1970, 1, 1)).total_seconds(), match.group(2)))
    return out


def timeline(vip, holder, holder_mac, node_logs, router_log):
    """What the logs say (see the module's text); node_logs: name -> log text."""
    holder_mac = holder_mac.lower()
    node_events = dict((name, events(text)) for name, text in node_logs.items())
    cuts = [t for evs in node_events.values() for t, text in evs if text.startswith("blackhole ")]
    if not cuts:
        raise ValueError("no blackhole route in any node's log: the cut was not recorded")
    cut = min(cuts)
    vip_word = " %s/" % vip
    # (time, node, holds) changes after the cut; the holder held it then.
    changes = []
    for name, evs in node_events.items():
        for t, text in evs:
            if t >= cut and vip_word in " " + text and " inet " in " " + text:
                changes.append((t, name, not text.startswith("Deleted")))
    changes.sort()
    holding = dict((name, name == holder) for name in node_logs)
    end = max([cut] + [t for evs in node_events.values() for t, _text in evs])
    spans, both_since = [], None
    for t, name, holds in changes + [(end, None, None)]:
        if name is not None:
            holding[name] = holds
        count = sum(holding.values())
        if count >= 2 and both_since is None:
            both_since = t
        elif count < 2 and both_since is not None:
            spans.append([round(both_since - cut, 3), round(t - cut, 3)])
            both_since = None
    macs, elsewhere, last_mac, last_t = [], 0.0, holder_mac, cut
    for t, text in events(router_log):
        if t < cut or not text.startswith(vip + " "):
            continue
        match = re.search(r" lladdr ([0-9a-f:]+)", text)
        mac = match.group(1) if match else last_mac
        if last_mac != holder_mac:
            elsewhere += t - last_t
        last_mac, last_t = mac, t
        if not macs or macs[-1] != mac:
            macs.append(mac)
    if last_mac != holder_mac:
        elsewhere += max(end - last_t, 0)
    return {
        "both_held_s": round(sum(b - a for a, b in spans), 3),
        "spans": spans,
        "added_by": sorted(set(name for _t, name, holds in changes if holds)),
        "router_elsewhere_s": round(elsewhere, 3),
        "router_macs": macs,
        "router_last_mac": last_mac,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("vip")
    parser.add_argument("holder")
    parser.add_argument("holder_mac")
    parser.add_argument("nodes", nargs="+", help="NAME=LOG")
    parser.add_argument("--router", required=True)
    args = parser.parse_args()
    logs = {}
    for item in args.nodes:
        name, path = item.split("=", 1)
        with open(path) as handle:
            logs[name] = handle.read()
    with open(args.router) as handle:
        router_log = handle.read()
    print(json.dumps(timeline(args.vip, args.holder, args.holder_mac, logs, router_log)))


if __name__ == "__main__":
    main()
