# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`ansible-galaxy collection build` ships the collection and none of the dev files."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys
import tarfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GALAXY_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-galaxy")

DEV_PREFIXES = (
    ".ci/", ".venv/", ".cache/", ".ansible/", ".git/", "tests/", "scripts/", "molecule/",
)
DEV_FILES = (
    "Makefile", "requirements.txt", "ansible.cfg", "pytest.ini", ".yamllint", ".ansible-lint",
    ".ansible-lint-ignore", ".gitignore",
)
SHIPPED = (
    "galaxy.yml", "MANIFEST.json", "README.md", "LICENSE", "site.yml", "meta/runtime.yml",
    "playbooks/site.yml", "roles/node/tasks/main.yml", "roles/node/meta/argument_specs.yml",
    "plugins/filter/cluster_problems.py",
)


def test_tarball_has_the_collection_and_no_dev_files(tmp_path):
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
        names = set(name.rstrip("/") for name in tar.getnames())
    dev = sorted(n for n in names if n in DEV_FILES or (n + "/").startswith(DEV_PREFIXES) or "__pycache__" in n)
    assert dev == []
    # galaxy.yml is turned into MANIFEST.json, so it is not in the tarball itself.
    missing = sorted(f for f in SHIPPED if f not in names and f != "galaxy.yml")
    assert missing == []
