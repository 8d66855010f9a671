# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""scripts/role_variable_tables.py: the role READMEs' variable tables come from the specs."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))

import role_variable_tables as tables  # noqa: E402

SPEC = """\
argument_specs:
  main:
    short_description: A relay
    options:
      relay_port:
        type: int
        description: The C(udp) port; O(relay_mode) says how.
      relay_mode:
        type: str
        choices: [hot, cold]
        description:
          - Hot or cold.
          - A pipe | in text.
      relay_secret:
        type: str
        required: true
        description: No default.
      relay_peers:
        type: list
        elements: str
        description: Peers.
"""
DEFAULTS = """\
relay_port: 2223
relay_mode: "{{ sipha_addon_standby }}"
relay_peers: []
"""
README = "# relay\n\nIntro.\n\n%s\nan old table\n%s\n\nMore.\n" % (tables.BEGIN, tables.END)


def make_role(tmp_path, readme=README):
    role = tmp_path / "relay"
    (role / "meta").mkdir(parents=True)
    (role / "defaults").mkdir()
    (role / "meta" / "argument_specs.yml").write_text(SPEC)
    (role / "defaults" / "main.yml").write_text(DEFAULTS)
    (role / "README.md").write_text(readme)
    return role


def test_the_table_says_what_the_spec_and_defaults_say(tmp_path):
    role = make_role(tmp_path)
    assert tables.main([str(role)]) == 0
    text = (role / "README.md").read_text()
    assert text.startswith("# relay\n\nIntro.\n\n" + tables.BEGIN + "\n| Variable | Type | Default | Description |")
    assert text.endswith(tables.END + "\n\nMore.\n")
    assert "an old table" not in text
    assert "| `relay_port` | int | `2223` | The `udp` port; `relay_mode` says how. |" in text
    assert "| `relay_mode` | str | `{{ sipha_addon_standby }}` | Hot or cold. A pipe \\| in text. One of: `hot`, `cold`. |" in text
    assert "| `relay_secret` | str | required | No default. |" in text
    assert "| `relay_peers` | list of str | `[]` | Peers. |" in text


def test_check_fails_on_a_table_that_drifted_and_passes_once_written(tmp_path, capsys):
    role = make_role(tmp_path)
    assert tables.main(["--check", str(role)]) == 1
    assert "role_variable_tables.py" in capsys.readouterr().out
    assert (role / "README.md").read_text() == README
    assert tables.main([str(role)]) == 0
    assert tables.main(["--check", str(role)]) == 0


def test_a_readme_without_markers_is_an_error(tmp_path):
    role = make_role(tmp_path, readme="# relay\n")
    try:
        tables.main([str(role)])
    except ValueError as error:
        assert "markers" in str(error)
    else:
        raise AssertionError("a README without markers was accepted")


def test_every_role_readme_of_this_collection_is_current():
    assert tables.main(["--check"]) == 0
