# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""scripts/ensure-docker.sh says what is missing when it cannot install an engine.

The script runs for real, with a PATH on which `docker` is a stand-in that
fails like a client without an engine and apt-get does not exist.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_no_engine_and_no_way_to_install_one(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    docker = bin_dir / "docker"
    docker.write_text("#!/bin/sh\necho 'Cannot connect to the Docker daemon' >&2\nexit 1\n")
    docker.chmod(0o755)
    # Only what the script needs besides docker and apt-get.
    for tool in ("bash", "id", "cat", "dirname", "timeout", "pgrep", "sleep", "seq", "printf"):
        for directory in ("/usr/bin", "/bin", "/usr/sbin", "/sbin"):
            if os.path.exists(os.path.join(directory, tool)):
                (bin_dir / tool).symlink_to(os.path.join(directory, tool))
                break
    result = subprocess.run(
        ["bash", os.path.join(REPO, "scripts", "ensure-docker.sh")],
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stdout
    assert "no Docker engine answers" in result.stdout
    assert "apt-get install docker.io" in result.stdout
    assert "docker info" in result.stdout
