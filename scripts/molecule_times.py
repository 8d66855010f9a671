# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a molecule scenario's time went, from its timed log.

Each scenario writes every line of its playbooks, and of the site.yml runs
its steps start, with a time stamp and the process id of its
ansible-playbook to .cache/molecule-<scenario>-timed.log (the log_path in
.config/molecule/config.yml). This prints one line per ansible-playbook run
(when it started, how long it took, its first play) and, for a run with
more plays than --plays-over (a side effect), each play's share.

    python3 scripts/molecule_times.py .cache/molecule-default-timed.log
"""

import argparse
import datetime
import re
import sys

LINE = re.compile(r"^(?P<stamp>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) p=(?P<pid>\d+) [^|]*\| (?P<text>.*)$")
PLAY = re.compile(r"^PLAY \[(?P<name>.*)\] \**$")


def runs(lines):
    """[(pid, [(time, play name or None for the end), ...]), ...] in order of start.

    A run's last entry is its last logged line, so its length covers the
    whole run; the same pid may appear twice only if the system reused it,
    which this does not tell apart.
    """
    found = {}
    for line in lines:
        match = LINE.match(line)
        if not match:
            continue
        stamp = datetime.datetime.strptime(match.group("stamp"), "%Y-%m-%d %H:%M:%S,%f")
        events = found.setdefault(match.group("pid"), [])
        play = PLAY.match(match.group("text"))
        if play:
            events.append((stamp, play.group("name")))
        elif events and events[-1][1] is None:
            events[-1] = (stamp, None)
        else:
            events.append((stamp, None))
    return sorted(found.items(), key=lambda item: item[1][0][0])


def plays(events):
    """[(seconds, play name), ...]: each play lasts until the run's next logged play or its end."""
    named = [(stamp, name) for stamp, name in events if name is not None]
    starts = [stamp for stamp, name in named] + [events[-1][0]]
    seconds = [(starts[index + 1] - starts[index]).total_seconds() for index in range(len(named))]
    return seconds, [name for stamp, name in named]


def report(lines, plays_over):
    out = []
    for pid, events in runs(lines):
        seconds, names = plays(events)
        total = (events[-1][0] - events[0][0]).total_seconds()
        first = names[0] if names else "(no play)"
        out.append("%s %7.1f s  p=%s  %s" % (events[0][0].strftime("%H:%M:%S"), total, pid, first))
        if len(names) > plays_over:
            out.extend("          %7.1f s    %s" % pair for pair in zip(seconds, names))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", help="a .cache/molecule-<scenario>-timed.log")
    parser.add_argument("--plays-over", type=int, default=12, help="list the plays of runs with more plays than this")
    args = parser.parse_args(argv)
    with open(args.log) as handle:
        print("\n".join(report(handle, args.plays_over)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
