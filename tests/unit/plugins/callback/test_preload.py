# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sys

from ansible_collections.sipha.cluster.plugins.callback import preload

NTHHOST = "ansible_collections.ansible.utils.plugins.filter.nthhost"
ROLLOUT_BATCH = "ansible_collections.sipha.cluster.plugins.filter.rollout_batch"


def test_every_filter_module_of_a_package_is_named():
    names = preload.module_names("ansible_collections.ansible.utils.plugins.filter")
    assert NTHHOST in names
    assert "ansible_collections.ansible.utils.plugins.filter.ipaddr" in names


def test_a_missing_package_names_nothing():
    assert preload.module_names("ansible_collections.nobody.nothing.plugins.filter") == []


def test_the_callback_imports_the_filters_and_modules(monkeypatch):
    # Forgotten first, so that only the callback can bring them back.
    for name in (NTHHOST, ROLLOUT_BATCH, "ansible.utils.encrypt"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    preload.CallbackModule()
    assert NTHHOST in sys.modules
    assert ROLLOUT_BATCH in sys.modules
    assert "ansible.utils.encrypt" in sys.modules


def test_what_cannot_be_imported_is_skipped(monkeypatch):
    monkeypatch.setattr(preload, "PACKAGES", ("ansible_collections.nobody.nothing.plugins.filter",))
    monkeypatch.setattr(preload, "MODULES", ("ansible.utils.encrypt", "nobody_has_this_module"))
    assert preload.preload() == 1
