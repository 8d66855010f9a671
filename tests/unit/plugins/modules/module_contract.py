# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module's tests check the same way: its documented options are its argument spec."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible.module_utils import basic


class Exited(Exception):
    """exit_json or fail_json was called; ``result`` holds its arguments."""

    def __init__(self, failed, result):
        super(Exited, self).__init__(result)
        self.failed = failed
        self.result = result


def assert_documented_options_match_the_argument_spec(monkeypatch, module):
    """DOCUMENTATION's options have the names, types, defaults, choices and required of main()'s spec."""
    options = yaml.safe_load(module.DOCUMENTATION)["options"]
    captured = {}

    def capture(ansible_module, argument_spec, **kwargs):
        captured.update(argument_spec)
        raise Exited(False, {})

    monkeypatch.setattr(basic.AnsibleModule, "__init__", capture)
    with pytest.raises(Exited):
        module.main()
    assert set(options) == set(captured)
    for name, spec in captured.items():
        for key in ("type", "default", "choices", "required"):
            assert options[name].get(key) == spec.get(key), (name, key)
