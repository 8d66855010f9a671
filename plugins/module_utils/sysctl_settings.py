# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kernel parameters a node role sets live and persists in one sysctl.d file.

What the sysctl_settings module decides, without touching a kernel: where a
key lives under /proc/sys, which keys name the same parameter, what a value
is written as, what the persisted file says, and which keys the running
kernel has with another value. The module does the reading and the writing;
every decision is here, tested on plain values.

Keys come in sysctl's two spellings: dotted (``net.ipv4.ip_forward``) or,
where an interface name has a dot of its own (a VLAN such as eth1.100), the
slash form (``net/ipv4/conf/eth1.100/rp_filter``), in which a dot is part of
a name. The file keeps the key as it was given.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath

# As ansible.posix.sysctl (and Ansible's own boolean parsing) read a value:
# a boolean word is written as 1 or 0.
TRUE_WORDS = ("y", "yes", "on", "true", "t")
FALSE_WORDS = ("n", "no", "off", "false", "f")


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


def value_text(value):
    """A wanted value as it is written: words split by single spaces, a boolean word as 1 or 0."""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = " ".join(str(value).split())
    if text.lower() in TRUE_WORDS:
        return "1"
    if text.lower() in FALSE_WORDS:
        return "0"
    if not text or "\n" in str(value).strip():
        raise SettingError("%r is not a kernel parameter value" % (value,))
    return text


def live_text(text):
    """A running value as read from /proc/sys (tabs between words, a newline; some are empty)."""
    return " ".join(text.split())


def prepare(settings, root="/proc/sys"):
    """(key -> value text, key -> file) for ``settings``, keys stripped.

    Refuses a bad name or value, and two keys that name one parameter (the
    two spellings, or blanks around a key): the file would set it twice.
    """
    texts, files, seen = {}, {}, {}
    for raw_key, value in settings.items():
        key = raw_key.strip()
        path = proc_path(key, root)
        if path in seen:
            raise SettingError("%r and %r are the same parameter: give it once" % (seen[path], raw_key))
        seen[path] = raw_key
        texts[key] = value_text(value)
        files[key] = path
    return texts, files


def render(texts, header):
    """The persisted file: the header's lines as comments, then key = value, sorted."""
    lines = ["# " + line if line else "#" for line in header.splitlines()]
    lines += ["%s = %s" % (key, texts[key]) for key in sorted(texts)]
    return "\n".join(lines) + "\n"


def missing(texts, live):
    """The keys the running kernel does not have (``live`` None), in key order."""
    return [key for key in sorted(texts) if live.get(key) is None]


def differing(texts, live):
    """The keys whose running value is another, or which the kernel lacks, in key order."""
    return [key for key in sorted(texts) if live.get(key) is None or live_text(live[key]) != texts[key]]
