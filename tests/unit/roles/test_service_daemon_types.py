# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every value a role hands roles/_service (its __<role>_daemon) passes _service's argument spec.

A role variable that accepts 0.5 (kamailio_restart_delay, a float, which
benchmarks/profiles/keepalived-fast.yml sets) once reached _service as an
int field, and site.yml failed at the spec check before anything was done.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest
import yaml

ROLES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "roles")
# What a field of each type takes: a spec of the left type accepts a value of the right ones.
ACCEPTS = {"int": {"int"}, "float": {"int", "float"}, "str": {"str"}, "bool": {"bool"}, "raw": {"int", "float", "str", "bool"}}


def spec_options(role):
    with open(os.path.join(ROLES, role, "meta", "argument_specs.yml")) as handle:
        specs = yaml.safe_load(handle)["argument_specs"]
    return dict((name, option) for spec in specs.values() for name, option in spec.get("options", {}).items())


def daemon_fields(role):
    """{_service field: the role variable it is read from} of vars/main.yml's __<role>_daemon."""
    with open(os.path.join(ROLES, role, "vars", "main.yml")) as handle:
        daemon = yaml.safe_load(handle)["__%s_daemon" % role]
    fields = {}
    for field, value in daemon.items():
        match = re.fullmatch(r"\{\{\s*(%s_\w+)\s*\}\}" % role, str(value))
        if match:
            fields[field] = match.group(1)
    return fields


@pytest.mark.parametrize("role", ["kamailio", "opensips"])
def test_each_daemon_field_takes_every_value_its_role_variable_takes(role):
    service = spec_options("_service")["__service_daemon"]["options"]
    variables = spec_options(role)
    fields = daemon_fields(role)
    assert "restart_delay" in fields
    for field, variable in fields.items():
        wanted = variables[variable].get("type", "str")
        have = service[field].get("type", "str")
        assert wanted in ACCEPTS[have], "%s: _service's %s is %s, but %s is %s" % (role, field, have, variable, wanted)
