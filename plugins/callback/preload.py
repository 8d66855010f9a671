# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: preload
type: aggregate
short_description: Import once what every task's worker would import again
version_added: 0.7.0
description:
  - Ansible runs every task for every host in a worker process forked from
    its main process. A worker inherits what the main process had imported
    before the fork and imports the rest itself, every time. Measured on a
    2-core machine, a site.yml run of this collection that changes nothing
    spent about a third of the controller's CPU on such imports (user CPU
    91 s without this plugin, 59 s with it; wall clock 168 s and 140 s).
  - Enabled, it imports as the run starts, before any worker, every filter
    plugin of C(ansible.utils) and of C(sipha.cluster) (the address filters
    import C(netaddr) and C(ansible.module_utils.basic), about 0.4 s of CPU;
    this collection's defaults use them in values most tasks template), the
    password hashing helpers every worker loads with the builtin filters
    (C(passlib), about 70 ms), and the C(ssh) and C(community.docker.docker)
    connection plugins.
  - It changes nothing else and prints nothing. What is not installed on the
    controller is skipped.
requirements:
  - Enable it in ansible.cfg, C(callbacks_enabled = sipha.cluster.preload).
"""

import importlib
import pkgutil

from ansible.plugins.callback import CallbackBase
from ansible.utils.display import Display

display = Display()

# Packages whose every module is imported: the filter plugins.
PACKAGES = (
    "ansible_collections.ansible.utils.plugins.filter",
    "ansible_collections.sipha.cluster.plugins.filter",
)
# Single modules every worker imported (seen with an import hook in the
# workers of a lab run).
MODULES = (
    "ansible.utils.encrypt",
    # ansible.builtin.ssh is loaded under its collection name: both names,
    # one module object.
    "ansible.plugins.connection.ssh",
    "ansible_collections.ansible.builtin.plugins.connection.ssh",
    "ansible_collections.community.docker.plugins.connection.docker",
)


def _import(name):
    """Imports a module and returns it, or None. A module that cannot be
    imported (not installed, or failing as it loads) is left to the worker,
    which says what is wrong if a task needs it: the preload goes on with
    the next."""
    try:
        return importlib.import_module(name)
    except Exception as error:  # a module failing as it loads must not end the preload
        display.vvv("preload: %s not imported: %s" % (name, error))
        return None


def module_names(package_name):
    """The names of the modules of a package, or none if it is missing."""
    package = _import(package_name)
    if package is None:
        return []
    return ["%s.%s" % (package_name, module.name) for module in pkgutil.iter_modules(package.__path__)]


def preload():
    """Imports PACKAGES' modules and MODULES; returns how many it imported."""
    names = [name for package in PACKAGES for name in module_names(package)] + list(MODULES)
    return sum(1 for name in names if _import(name) is not None)


class CallbackModule(CallbackBase):
    """Imports them when Ansible loads its callbacks, before any worker is
    forked."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "sipha.cluster.preload"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        preload()
