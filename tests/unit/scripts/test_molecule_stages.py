# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""scripts/molecule_stages.py: the parts molecule-test.sh runs are the whole test_sequence."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))

import molecule_stages  # noqa: E402

SCENARIOS = sorted(
    name for name in os.listdir(os.path.join(molecule_stages.ROOT, "molecule"))
    if os.path.exists(os.path.join(molecule_stages.ROOT, "molecule", name, "molecule.yml"))
)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_parts_with_converge_and_the_final_destroy_are_the_whole_sequence(scenario):
    sequence = molecule_stages.test_sequence(scenario)
    early, faults = molecule_stages.split(sequence)
    assert early + ["converge"] + faults + ["destroy"] == sequence
    assert "create" in early and "converge" not in early
    assert "side_effect" in faults


def test_a_scenario_sequence_replaces_the_shared_one(tmp_path):
    (tmp_path / ".config" / "molecule").mkdir(parents=True)
    (tmp_path / "molecule" / "one").mkdir(parents=True)
    (tmp_path / "molecule" / "two").mkdir(parents=True)
    (tmp_path / ".config" / "molecule" / "config.yml").write_text(
        "scenario:\n  test_sequence: [destroy, create, converge, verify, destroy]\n")
    (tmp_path / "molecule" / "one" / "molecule.yml").write_text(
        "scenario:\n  test_sequence: [destroy, create, check, converge, side_effect, destroy]\n")
    (tmp_path / "molecule" / "two" / "molecule.yml").write_text("ansible: {}\n")
    assert molecule_stages.split(molecule_stages.test_sequence("one", root=str(tmp_path))) == (
        ["destroy", "create", "check"], ["side_effect"])
    assert molecule_stages.split(molecule_stages.test_sequence("two", root=str(tmp_path))) == (
        ["destroy", "create"], ["verify"])


@pytest.mark.parametrize("sequence", [
    ["destroy", "create", "verify", "destroy"],  # no converge
    ["destroy", "converge", "converge", "destroy"],  # two
    ["destroy", "create", "converge", "verify"],  # not destroyed at the end
    ["destroy", "create", "converge", "destroy"],  # nothing after converge
])
def test_a_sequence_it_cannot_split_is_refused(sequence):
    with pytest.raises(ValueError):
        molecule_stages.split(sequence)


def test_main_prints_molecule_command_names(capsys):
    assert molecule_stages.main(["molecule_stages.py", "default", "faults"]) == 0
    assert "side-effect" in capsys.readouterr().out.split()
    assert molecule_stages.main(["molecule_stages.py", "default", "build"]) == 2
