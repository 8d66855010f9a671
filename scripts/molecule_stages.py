# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A molecule scenario's test_sequence, in the parts scripts/molecule-test.sh runs.

    python3 scripts/molecule_stages.py default early    -> destroy syntax create check
    python3 scripts/molecule_stages.py default faults   -> verify side-effect

early is the sequence before converge (nothing there is timed, and no
daemon of the cluster runs yet), then comes converge itself, and faults is
what follows, without the final destroy, which molecule-test.sh runs
whether the faults passed or not. The sequence is
the scenario's molecule.yml's, else .config/molecule/config.yml's: the one
`molecule test -s SCENARIO` runs, so both ways run the same stages. Stage
names are printed as molecule's commands spell them (side_effect ->
side-effect).
"""

import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_sequence(scenario, root=ROOT):
    sequence = None
    for path in (os.path.join(root, ".config", "molecule", "config.yml"),
                 os.path.join(root, "molecule", scenario, "molecule.yml")):
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        sequence = (data.get("scenario") or {}).get("test_sequence", sequence)
    if not sequence:
        raise ValueError("no scenario.test_sequence for %s" % scenario)
    return sequence


def split(sequence):
    """(early, faults) of a test_sequence that runs converge once and ends with destroy.

    converge itself is in neither: sequence == early + ["converge"] + faults + ["destroy"].
    """
    if sequence.count("converge") != 1 or sequence[-1] != "destroy":
        raise ValueError("a test_sequence with one converge and destroy last, not %s" % sequence)
    cut = sequence.index("converge")
    if not sequence[cut + 1:-1]:
        raise ValueError("a test_sequence with stages between converge and the final destroy, not %s" % sequence)
    return sequence[:cut], sequence[cut + 1:-1]


def main(argv):
    if len(argv) != 3 or argv[2] not in ("early", "faults"):
        sys.stderr.write("usage: molecule_stages.py SCENARIO early|faults\n")
        return 2
    early, faults = split(test_sequence(argv[1]))
    print(" ".join(stage.replace("_", "-") for stage in (early if argv[2] == "early" else faults)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
