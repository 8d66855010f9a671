# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: config_string_problems
short_description: Inventory strings that would break the configuration file they are written into
version_added: 0.6.0
description:
  - Checks every inventory string the roles write into kamailio.cfg, opensips.cfg, keepalived.conf,
    ha.cf, authkeys, haresources, the media relays' and the failover scripts' configuration. None may
    hold a newline, a carriage return or another control character, which would add a line of its own;
    a string written between double quotes may hold no double quote nor backslash; a bare word may
    hold no blank, quote, backslash, C(#) nor C(!).
  - Each message names the hosts, the variable and the fix, never the value (some are secrets).
    playbooks/preflight.yml runs it before any host is touched.
options:
  _input:
    description: C(hostvars), or any mapping of inventory name to variables.
    type: dict
    required: true
  hosts:
    description: The hosts to check, for example C(groups['sip_proxies']).
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Stop on a string that would break a configuration file
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems }}"
  vars:
    __problems: "{{ hostvars | sipha.cluster.config_string_problems(groups['sip_proxies']) }}"
"""

RETURN = r"""
_value:
  description: One message per broken string, naming the hosts that have it; empty when all are sound.
  type: list
  elements: str
"""

from ansible.errors import AnsibleError
from jinja2 import TemplateError, Undefined

from ansible_collections.sipha.cluster.plugins.plugin_utils import config_strings


class _Unreadable(Exception):
    pass


def plain(value):
    """The value with Ansible's lazy containers read into plain ones."""
    if isinstance(value, Undefined):
        # ansible-core 2.19 hands an undefined marker on instead of raising.
        raise _Unreadable()
    if isinstance(value, str):
        return str(value)
    if hasattr(value, "items") and hasattr(value, "keys"):
        return dict((key, plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def read(host_vars, name):
    """The templated value of one variable, or UNREADABLE when it cannot be
    templated here (it refers to a role's internal variable, say)."""
    try:
        return plain(host_vars[name])
    except (_Unreadable, AnsibleError, TemplateError, KeyError, TypeError, ValueError):
        return config_strings.UNREADABLE


def config_string_problems(all_vars, hosts):
    found = {}
    for host in hosts:
        host_vars = all_vars[host]
        values = {}
        for name in config_strings.CONFIG_STRINGS:
            if name in host_vars:
                value = read(host_vars, name)
                if value is not config_strings.UNREADABLE:
                    values[name] = value
        found[host] = config_strings.string_problems(values)
    return config_strings.merge_hosts(found)


class FilterModule(object):
    def filters(self):
        return {"config_string_problems": config_string_problems}
