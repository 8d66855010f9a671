# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`ansible-galaxy collection build` ships what users run: no dev files, no lab, no benchmarks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys
import tarfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GALAXY_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-galaxy")

DEV_PREFIXES = (
    ".ci/", ".venv/", ".cache/", ".ansible/", ".git/", "tests/", "scripts/", "molecule/", ".config/",
)
DEV_FILES = (
    "Makefile", "requirements.txt", "ansible.cfg", "pytest.ini", ".yamllint", ".ansible-lint",
    ".ansible-lint-ignore", ".gitignore",
)
# What a user runs, at the top of the tarball. The lab (its playbooks,
# inventory, templates and filters) and the benchmarks run from a checkout.
TOP_LEVEL = (
    "FILES.json", "MANIFEST.json", "LICENSE", "README.md", "CHANGELOG.rst", "requirements.yml", "site.yml",
    "changelogs", "docs", "inventories", "meta", "playbooks", "plugins", "roles",
)
USER_PLAYBOOKS = (
    "playbooks/database_ready.yml", "playbooks/database_start.yml", "playbooks/preflight.yml", "playbooks/site.yml",
    "playbooks/status.yml", "playbooks/switchover.yml", "playbooks/verify.yml",
)
LAB_PATHS = (
    "benchmarks", "inventories/lab", "inventories/lab_galera", "inventories/lab_ssh", "playbooks/lab_up.yml",
    "playbooks/lab_down.yml",
    "playbooks/files", "playbooks/templates", "plugins/filter/lab_changed_tasks.py",
    "plugins/filter/lab_docker_networks.py", "plugins/filter/overlapping_networks.py",
)
SHIPPED = (
    "galaxy.yml", "MANIFEST.json", "README.md", "LICENSE", "site.yml", "meta/runtime.yml",
    "playbooks/site.yml", "roles/node/tasks/main.yml", "roles/node/meta/argument_specs.yml",
    "plugins/filter/cluster_problems.py",
)


def built_names(tmp_path):
    """The names in the tarball `ansible-galaxy collection build` makes of this checkout."""
    subprocess.run(
        [GALAXY_BIN, "collection", "build", "--output-path", str(tmp_path), REPO],
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=120,
    )
    tarballs = list(tmp_path.glob("sipha-cluster-*.tar.gz"))
    assert len(tarballs) == 1
    with tarfile.open(str(tarballs[0])) as tar:
        return set(name.rstrip("/") for name in tar.getnames())


def test_tarball_has_the_collection_and_no_dev_files(tmp_path):
    names = built_names(tmp_path)
    dev = sorted(n for n in names if n in DEV_FILES or (n + "/").startswith(DEV_PREFIXES) or "__pycache__" in n)
    assert dev == []
    # galaxy.yml is turned into MANIFEST.json, so it is not in the tarball itself.
    missing = sorted(f for f in SHIPPED if f not in names and f != "galaxy.yml")
    assert missing == []


def test_tarball_holds_only_what_users_run(tmp_path):
    names = built_names(tmp_path)
    assert sorted(set(n.split("/")[0] for n in names) - set(TOP_LEVEL)) == []
    lab = sorted(n for n in names if any(n == p or n.startswith(p + "/") for p in LAB_PATHS))
    assert lab == []
    playbooks = sorted(n for n in names if n.startswith("playbooks/"))
    assert playbooks == sorted(USER_PLAYBOOKS)
    inventories = sorted(set(n.split("/")[1] for n in names if n.startswith("inventories/")))
    assert inventories == ["example"]
