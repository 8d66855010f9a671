# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory strings that end up in a daemon's configuration file, checked
before any host is touched: none may add a line of its own or end the
string it is written into, and no secret may be templated by Ansible.

Two rules, each a pure function over plain values:

- string_problems: every variable in CONFIG_STRINGS holds no newline,
  carriage return or other control character (each would start a line of
  its own in kamailio.cfg, opensips.cfg, keepalived.conf, ha.cf...), and,
  by the kind of place it is written to, no double quote or backslash (a
  quoted string of kamailio.cfg, opensips.cfg, keepalived.conf) or no blank,
  quote, '#' or '!' either (a bare word of keepalived.conf, ha.cf,
  haresources, rtpengine.conf).
- templated_problems: a secret in SECRETS whose text holds {{, {% or {#
  and that Ansible templated (ansible-core 2.19 templates every string from
  an inventory or vault-encrypted file; only !unsafe values and
  encrypt_string values are left as written), so the daemons would get
  another secret than the one written.

Messages name the host(s), the variable and the fix, and never the value:
several of these are secrets.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.module_utils.six.moves.collections_abc import Mapping

# Where a string is written, from the most to the least tolerant.
LINE = "line"  # a comment, the rest of a line, a systemd Description=
QUOTED = "quoted"  # inside "..." of kamailio.cfg, opensips.cfg, keepalived.conf
WORD = "word"  # a bare word of keepalived.conf, ha.cf, haresources, rtpengine.conf, dispatcher.list

# variable -> (kind, the files it is written into). A list or a mapping is
# checked item by item. Values that are no text (numbers, booleans) cannot
# break a line and are left to the argument specs.
CONFIG_STRINGS = {
    # Cluster-wide (roles/common)
    "sipha_cluster_name": (LINE, "kamailio.cfg, opensips.cfg, keepalived.conf, rtpengine.conf"),
    "sipha_private_interface": (WORD, "keepalived.conf, ha.cf, the network configuration"),
    "sipha_public_interface": (WORD, "keepalived.conf, haresources, failover.conf, the network configuration"),
    "sipha_vip": (WORD, "keepalived.conf, kamailio.cfg, opensips.cfg"),
    "sipha_private_ip": (WORD, "kamailio.cfg, opensips.cfg, keepalived.conf, the network configuration"),
    "sipha_public_gateway": (WORD, "failover.conf"),
    "sipha_package_proxy": (QUOTED, "the apt proxy configuration"),
    "sipha_sip_port": (WORD, "kamailio.cfg, opensips.cfg"),
    "sipha_sip_domains": (WORD, "kamailio.cfg, opensips.cfg"),
    "sipha_trusted_peers": (QUOTED, "kamailio.cfg, opensips.cfg"),
    "sipha_flood_exempt_networks": (QUOTED, "kamailio.cfg, opensips.cfg"),
    "sipha_media_servers": (WORD, "the dispatcher list"),
    "sipha_nat_detect_flags": (QUOTED, "kamailio.cfg, opensips.cfg"),
    "sipha_db_user": (QUOTED, "the database URL in kamailio.cfg / opensips.cfg"),
    "sipha_db_name": (QUOTED, "the database URL in kamailio.cfg / opensips.cfg"),
    "sipha_db_host": (QUOTED, "the database URL in kamailio.cfg / opensips.cfg"),
    "sipha_db_port": (QUOTED, "the database URL in kamailio.cfg / opensips.cfg"),
    "sipha_db_password": (QUOTED, "the database URL in kamailio.cfg / opensips.cfg"),
    "sipha_sip_secret": (QUOTED, "kamailio.cfg, opensips.cfg"),
    # Kamailio
    "kamailio_db_url": (QUOTED, "kamailio.cfg"),
    "kamailio_advertise_address": (WORD, "kamailio.cfg"),
    "kamailio_server_header": (QUOTED, "kamailio.cfg"),
    "kamailio_protocols": (WORD, "kamailio.cfg"),
    "kamailio_register_networks": (QUOTED, "kamailio.cfg"),
    "kamailio_media_servers": (WORD, "the dispatcher list"),
    "kamailio_dispatcher_algorithm": (QUOTED, "kamailio.cfg"),
    "kamailio_dispatcher_alive_codes": (QUOTED, "kamailio.cfg"),
    "kamailio_rtpengine_control": (QUOTED, "kamailio.cfg"),
    "kamailio_rtpproxy_control": (QUOTED, "kamailio.cfg"),
    "kamailio_nat_detect_flags": (QUOTED, "kamailio.cfg"),
    # OpenSIPS
    "opensips_db_url": (QUOTED, "opensips.cfg"),
    "opensips_version": (LINE, "opensips.cfg"),
    "opensips_advertise_address": (WORD, "opensips.cfg"),
    "opensips_server_header": (QUOTED, "opensips.cfg"),
    "opensips_protocols": (WORD, "opensips.cfg"),
    "opensips_register_networks": (QUOTED, "opensips.cfg"),
    "opensips_media_servers": (WORD, "the dispatcher table"),
    "opensips_tls_certificate": (QUOTED, "opensips.cfg"),
    "opensips_tls_private_key": (QUOTED, "opensips.cfg"),
    "opensips_dispatcher_algorithm": (QUOTED, "opensips.cfg"),
    "opensips_dispatcher_alive_codes": (QUOTED, "opensips.cfg"),
    "opensips_rtpengine_control": (QUOTED, "opensips.cfg"),
    "opensips_rtpproxy_control": (QUOTED, "opensips.cfg"),
    "opensips_nat_detect_flags": (QUOTED, "opensips.cfg"),
    # keepalived
    "keepalived_cluster_name": (LINE, "keepalived.conf"),
    "keepalived_instance_name": (WORD, "keepalived.conf"),
    "keepalived_auth_pass": (WORD, "keepalived.conf"),
    # heartbeat (ha.cf, authkeys, haresources are lines of blank-separated words)
    "heartbeat_node_name": (WORD, "ha.cf"),
    "heartbeat_second_link_interface": (WORD, "ha.cf"),
    "heartbeat_second_link_address": (WORD, "ha.cf"),
    "heartbeat_ping_nodes": (WORD, "ha.cf"),
    "heartbeat_preferred_node": (WORD, "haresources"),
    "heartbeat_authkeys_secret": (LINE, "authkeys"),
    "heartbeat_stonith_device": (LINE, "ha.cf"),
    # The media relays
    "rtpengine_public_address": (WORD, "rtpengine.conf"),
    "rtpengine_private_address": (WORD, "rtpengine.conf"),
    "rtpengine_control_address": (WORD, "rtpengine.conf"),
    "rtpengine_log_level": (WORD, "rtpengine.conf"),
    "rtpproxy_control_socket": (WORD, "kamailio.cfg, opensips.cfg, the RTPproxy unit"),
    "rtpproxy_internal_address": (WORD, "the RTPproxy unit, rtpengine.conf"),
    "rtpproxy_external_address": (WORD, "the RTPproxy unit, rtpengine.conf"),
    "rtpproxy_advertised_address": (WORD, "the RTPproxy unit, rtpengine.conf"),
    "rtpproxy_log_level": (WORD, "the RTPproxy unit"),
    # The failover scripts keepalived and heartbeat call
    "failover_script": (QUOTED, "keepalived.conf, haresources, the units"),
    "failover_given_up_file": (QUOTED, "keepalived.conf, the units"),
    "failover_log_tag": (WORD, "the watch unit, failover.conf"),
}

# The secrets the roles write, and the lists and mappings that hold some.
SECRETS = (
    "sipha_db_password",
    "sipha_sip_secret",
    "sipha_subscribers",
    "keepalived_auth_pass",
    "heartbeat_authkeys_secret",
    "heartbeat_stonith_device",
    "kamailio_db_url",
    "opensips_db_url",
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUOTE_BREAKERS = re.compile(r'["\\]')
_WORD_BREAKERS = re.compile(r"[\s\"'\\#!]")
_NAMES = {
    "\n": "a newline",
    "\r": "a carriage return",
    "\t": "a tab",
    " ": "a blank",
    '"': 'a double quote (")',
    "'": "a single quote (')",
    "\\": "a backslash",
    "#": "'#'",
    "!": "'!'",
}

# Inside a list or mapping of SECRETS, the entries that are secrets.
SECRET_KEY = re.compile(r"pass|secret|ha1|key|token", re.I)

# Jinja's markers: a string holding one is a template to Ansible.
TEMPLATE_MARKERS = re.compile(r"\{\{|\{%|\{#")
# "{{ name }}": the value of another variable (a vault_ one, say).
_REFERENCE = re.compile(r"^\s*\{\{-?\s*([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}\s*\Z")
# A whole template: what it yields is the value, by intent.
_WHOLE_TEMPLATE = re.compile(r"^\s*\{[{%].*[}%]\}\s*\Z", re.S)

# A value that could not be read (templated) in preflight.
UNREADABLE = object()


def _character(char):
    return _NAMES.get(char, "the control character U+%04X" % ord(char))


def _text_problem(text, kind):
    """What breaks `text` where `kind` says it is written, as a phrase, or None."""
    found = _CONTROL.search(text)
    if found:
        return "holds %s" % _character(found.group()), "write it on one line, without control characters"
    if kind in (QUOTED, WORD):
        found = (_WORD_BREAKERS if kind == WORD else _QUOTE_BREAKERS).search(text)
        if found:
            if kind == WORD:
                return "holds %s" % _character(found.group()), "write it as one word without blanks, quotes, backslashes, '#' or '!'"
            return "holds %s" % _character(found.group()), "leave out double quotes and backslashes, which end or escape the quoted string"
    return None


def _leaves(path, value):
    """(path, text) of every string in value, walking lists and mappings."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key in value:
            # A key is written too (heartbeat_stonith_device params).
            if isinstance(key, str):
                yield from _leaves("%s (a key)" % path, key)
            yield from _leaves("%s.%s" % (path, key), value[key])
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _leaves("%s[%d]" % (path, index), item)


def string_problems(values):
    """Problems of one host's config strings: ``values`` maps variable names
    (those of CONFIG_STRINGS; others are ignored) to their effective values.

    Returns one phrase per broken string, "<variable> holds <what>, which
    would break <files>: <fix>.", without the value.
    """
    problems = []
    for name in sorted(values):
        if name not in CONFIG_STRINGS:
            continue
        kind, files = CONFIG_STRINGS[name]
        for path, text in _leaves(name, values[name]):
            found = _text_problem(text, kind)
            if found:
                what, fix = found
                problems.append("%s %s, which would break %s: %s." % (path, what, files, fix))
    return problems


def templated_problems(raw_vars, read, names=SECRETS, depth=3):
    """Secrets that Ansible templated although their text was meant literally.

    ``raw_vars`` maps variable names to their values as written (not
    templated: HostVars.raw_get); ``read(name)`` returns the value Ansible
    hands the roles (templated), or UNREADABLE when templating fails.

    A written string that holds {{, {% or {# and comes out different was
    templated. That is meant when the string is one whole template ("{{
    vault_sipha_db_password }}" is followed to that variable, a lookup is
    accepted) or yields a list or a mapping (a generated subscribers list);
    otherwise the secret the daemons get is not the one written.
    """
    problems = []
    for name in names:
        if name in raw_vars:
            problems.extend(_templated(name, name, raw_vars[name], read(name), raw_vars, read, depth))
    return problems


def _templated(path, key, raw, final, raw_vars, read, depth):
    """``key`` is the name the value is written under, for the fix."""
    if isinstance(raw, str):
        if not TEMPLATE_MARKERS.search(raw):
            return []
        if isinstance(final, str) and final == raw:
            return []  # left as written: !unsafe, or not templated at all
        reference = _REFERENCE.match(raw)
        if reference:
            target = reference.group(1)
            if depth > 0 and target in raw_vars:
                return _templated(
                    "%s (through %s)" % (path, target), target, raw_vars[target], read(target), raw_vars, read, depth - 1
                )
            return []
        if final is not UNREADABLE and not isinstance(final, str):
            return []  # a template that yields a list or a mapping, on purpose
        if _WHOLE_TEMPLATE.match(raw):
            return []  # one whole template ("{{ lookup(...) }}"), on purpose
        return [
            "%s holds {{, {%% or {# and Ansible %s. Mark the value !unsafe (%s: !unsafe '...') or encrypt it "
            "with `ansible-vault encrypt_string` (strings in a file encrypted whole with ansible-vault are "
            "templated like any other)."
            % (
                path,
                "reads it as a template, which fails" if final is UNREADABLE
                else "templated it: the daemons would not get the text you wrote",
                key,
            )
        ]
    if isinstance(raw, Mapping):
        problems = []
        for name in raw:
            if isinstance(raw[name], str) and not SECRET_KEY.search(str(name)):
                continue  # a fence device's host name, a subscriber's username: not a secret
            inner = final.get(name, UNREADABLE) if isinstance(final, Mapping) else UNREADABLE
            problems.extend(_templated("%s.%s" % (path, name), name, raw[name], inner, raw_vars, read, depth))
        return problems
    if isinstance(raw, (list, tuple)):
        problems = []
        for index, item in enumerate(raw):
            inner = final[index] if isinstance(final, (list, tuple)) and index < len(final) else UNREADABLE
            problems.extend(_templated("%s[%d]" % (path, index), key, item, inner, raw_vars, read, depth))
        return problems
    return []


def merge_hosts(problems_by_host):
    """One sentence per problem, naming every host that has it: group_vars
    would otherwise repeat it once per node."""
    hosts_of = {}
    order = []
    for host in sorted(problems_by_host):
        for problem in problems_by_host[host]:
            if problem not in hosts_of:
                hosts_of[problem] = []
                order.append(problem)
            hosts_of[problem].append(host)
    return ["%s: %s" % (", ".join(hosts_of[problem]), problem) for problem in order]
