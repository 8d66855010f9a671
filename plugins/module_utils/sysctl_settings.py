# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kernel parameters a node role sets live and persists in one sysctl.d file.

What the sysctl_settings module decides, without touching a kernel: where a
key lives under /proc/sys, what the persisted file says, and which keys the
running kernel has with another value. The module does the reading and the
writing; every decision is here, tested on plain values.

Keys come in sysctl's two spellings: dotted (``net.ipv4.ip_forward``) or,
where an interface name has a dot of its own (a VLAN such as eth1.100), the
slash form (``net/ipv4/conf/eth1.100/rp_filter``), in which a dot is part of
a name. systemd-sysctl and ``sysctl -p`` read both, so the file keeps the
key as it was given.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath


class SettingError(ValueError):
    """A key or a value that no kernel parameter could take."""


def proc_path(key, root="/proc/sys"):
    """The file under ``root`` behind ``key``, in either spelling."""
    name = key.strip()
    if not name or name.startswith((".", "/")) or name.endswith((".", "/")) or ".." in name.split("/"):
        raise SettingError("%r is not a kernel parameter name" % key)
    parts = name.split("/") if "/" in name else name.split(".")
    if any(not part for part in parts):
        raise SettingError("%r is not a kernel parameter name" % key)
    return posixpath.join(root, *parts)


def normalize(value):
    """A value as the kernel prints it back: words split by single spaces.

    /proc/sys separates the words of a multi-word value with tabs; a setting
    written with spaces is the same value.
    """
    if isinstance(value, bool):
        value = int(value)
    text = " ".join(str(value).split())
    if not text or "\n" in str(value).strip():
        raise SettingError("%r is not a kernel parameter value" % (value,))
    return text


def render(settings, header):
    """The persisted file: the header's lines as comments, then key = value, sorted."""
    lines = ["# " + line if line else "#" for line in header.splitlines()]
    lines += ["%s = %s" % (key, normalize(value)) for key, value in sorted(settings.items())]
    return "\n".join(lines) + "\n"


def differing(settings, live):
    """The keys whose running value is another, in key order.

    ``live`` maps each key to what the kernel has now, or None where the
    kernel has no such parameter (which the caller reports as an error).
    """
    return [key for key in sorted(settings) if live.get(key) is None or normalize(live[key]) != normalize(settings[key])]


def missing(settings, live):
    """The keys the running kernel does not have, in key order."""
    return [key for key in sorted(settings) if live.get(key) is None]
