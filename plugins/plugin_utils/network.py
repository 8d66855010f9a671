# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Address checks shared by the collection's filters."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sipha.cluster.plugins.module_utils.vip_state import route_words

try:
    import netaddr

    HAS_NETADDR = True
except ImportError:  # pragma: no cover - reported by the filter that needs it
    netaddr = None
    HAS_NETADDR = False


def address_of(value):
    """The address of an address or CIDR string ("203.0.113.10" or "203.0.113.10/24"), or None.

    netaddr 1.x rejects shorthand such as "10.1", so only full addresses pass.
    """
    if not isinstance(value, str):
        return None
    try:
        return netaddr.IPNetwork(value).ip
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return None


def whole_number(value):
    """An int from an int or a digit string, or None.

    INI inventories and --extra-vars hand numbers over as text; True is an
    int to Python but never a number here.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value)
    return None


def flag(value):
    """True for what Jinja's ``| bool`` takes as true (True, "yes", "true", "1", "on"), else False.

    Settings arrive as booleans or, from INI inventories and --extra-vars, as
    text; the rules judge them the way the templates will render them.
    """
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "yes", "1", "on")


def route_text(route):
    """One route as ``ip route`` would print it.

    Takes a route object of ``ip -j route`` (dst, gateway, prefsrc) or a
    default route as the vip_state module reports it (via, src, no dst),
    which the module's own words describe.
    """
    if "dst" not in route:
        return route_words(route)
    parts = [route["dst"]]
    for key, word in (("gateway", "via"), ("dev", "dev"), ("prefsrc", "src"), ("metric", "metric")):
        if route.get(key) not in (None, ""):
            parts.extend([word, str(route[key])])
    return " ".join(parts)
