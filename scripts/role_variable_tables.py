# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes each role README's variable table from the role's own sources.

The names, types, choices and descriptions come from the main entry point
of meta/argument_specs.yml, the defaults from defaults/main.yml: the two
places Ansible itself reads, so the table cannot say something else. The
table sits between two marker comments in the README; --check (run by the
unit tests, so by CI) fails when a README's table is not what this writes.

    .venv/bin/python scripts/role_variable_tables.py [--check] [ROLE_DIR ...]
"""

from __future__ import absolute_import, division, print_function

import argparse
import glob
import json
import os
import re
import sys

import yaml

BEGIN = "<!-- variables: written by scripts/role_variable_tables.py from meta/argument_specs.yml and defaults/main.yml -->"
END = "<!-- end of the written variables -->"
LONG_DEFAULT = 60

_MARKUP = [
    (re.compile(r"[CVOE]\(([^()]*)\)"), r"`\1`"),
    (re.compile(r"I\(([^()]*)\)"), r"*\1*"),
    (re.compile(r"B\(([^()]*)\)"), r"**\1**"),
    (re.compile(r"U\(([^()]*)\)"), r"\1"),
    (re.compile(r"L\(([^,()]*),([^()]*)\)"), r"[\1](\2)"),
]


class _Loader(yaml.SafeLoader):
    """A YAML loader that reads Ansible's tags (!unsafe, !vault) as plain scalars."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: loader.construct_scalar(node))


def plain_text(text):
    """Ansible's documentation markup (C(), V(), O(), I(), B(), U(), L()) as Markdown."""
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return text


def cell(text):
    return " ".join(str(text).split()).replace("|", "\\|")


def default_text(name, option, defaults):
    """What the Default column says: the value in defaults/main.yml, as written there."""
    if name not in defaults:
        return "required" if option.get("required") else "unset"
    value = defaults[name]
    if isinstance(value, str):
        text = " ".join(value.split())
        # A long expression, or one of a role's private values (__x), says
        # nothing to a reader of the README: the description says what it is.
        if "{{" in text and (len(text) > LONG_DEFAULT or "__" in text):
            return "derived (defaults/main.yml)"
        return "`%s`" % text if text else '`""`'
    if isinstance(value, bool):
        return "`%s`" % str(value).lower()
    if value is None:
        return "unset"
    if isinstance(value, (list, dict)):
        return "`%s`" % json.dumps(value, separators=(", ", ": "))
    return "`%s`" % value


def description_text(option):
    parts = option.get("description", [])
    if isinstance(parts, str):
        parts = [parts]
    text = " ".join(plain_text(part) for part in parts)
    if option.get("choices"):
        text += " One of: %s." % ", ".join("`%s`" % choice for choice in option["choices"])
    return text


def type_text(option):
    kind = option.get("type", "str")
    if kind == "list" and option.get("elements"):
        return "list of %s" % option["elements"]
    return kind


def table(specs, defaults):
    """The Markdown table of a role's main entry point's options, in the spec's order."""
    options = specs["argument_specs"]["main"].get("options", {})
    lines = ["| Variable | Type | Default | Description |", "|----------|------|---------|-------------|"]
    for name, option in options.items():
        lines.append("| `%s` | %s | %s | %s |" % (
            name, cell(type_text(option)), cell(default_text(name, option, defaults)), cell(description_text(option))))
    return "\n".join(lines)


def with_table(readme, new_table):
    """The README's text with the table between the markers replaced, or ValueError."""
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        raise ValueError("no %r ... %r markers" % (BEGIN, END))
    return readme[:start] + BEGIN + "\n" + new_table + "\n" + readme[end:]


def load(path):
    if not os.path.exists(path):
        return {}
    with open(path) as stream:
        return yaml.load(stream, Loader=_Loader) or {}


def role_readme(role_dir):
    """(README path, the README as it should be) for a role with a main entry point."""
    specs = load(os.path.join(role_dir, "meta", "argument_specs.yml"))
    defaults = load(os.path.join(role_dir, "defaults", "main.yml"))
    readme_path = os.path.join(role_dir, "README.md")
    with open(readme_path) as stream:
        readme = stream.read()
    return readme_path, readme, with_table(readme, table(specs, defaults))


def roles_with_tables(repo):
    found = []
    for spec in sorted(glob.glob(os.path.join(repo, "roles", "*", "meta", "argument_specs.yml"))):
        role_dir = os.path.dirname(os.path.dirname(spec))
        if "main" in (load(spec).get("argument_specs") or {}):
            found.append(role_dir)
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail if a table is not current")
    parser.add_argument("roles", nargs="*", help="role directories (default: every role with a main entry point)")
    args = parser.parse_args(argv)
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    stale = []
    for role_dir in args.roles or roles_with_tables(repo):
        path, old, new = role_readme(role_dir)
        if old == new:
            continue
        stale.append(path)
        if not args.check:
            with open(path, "w") as stream:
                stream.write(new)
    if args.check and stale:
        print("Variable tables not current in: %s. Run .venv/bin/python scripts/role_variable_tables.py." % ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
