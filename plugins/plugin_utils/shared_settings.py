# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Settings every node of a cluster must share: which ones differ, and how."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sipha.cluster.plugins.plugin_utils.network import flag


def differing(nodes, keys, flags=(), hidden=()):
    """(key, "value on hosts; ...") for every key whose value is not the same on all nodes.

    Keys in ``flags`` are compared as Jinja would judge them (``flag``);
    the values of keys in ``hidden`` (secrets) are shown as "(hidden)".
    """
    found = []
    hosts = sorted(nodes)
    for key in keys:
        values = {}
        for host in hosts:
            value = nodes[host].get(key)
            value = flag(value) if key in flags else str(value)
            values.setdefault(value, []).append(host)
        if len(values) > 1:
            shown = "; ".join(
                "%s on %s" % ("(hidden)" if key in hidden else value, ", ".join(owners)) for value, owners in values.items()
            )
            found.append((key, shown))
    return found
