# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kamailio's table versions: what its SQL files create, and what a database has.

Every Kamailio `<module>-create.sql` registers each table it creates in the
`version` table, for example
    INSERT INTO version (table_name, table_version) values ('location','9');
and Kamailio refuses to start when a table's row differs from what its
module expects. Reading the rows out of the very files that create the
tables keeps the check in step with whichever Kamailio release the SQL
comes from.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.sipha.cluster.plugins.plugin_utils.network import whole_number

_VERSION_ROW = re.compile(
    r"insert\s+into\s+version\s*\(\s*table_name\s*,\s*table_version\s*\)\s*values\s*"
    r"\(\s*'([^']+)'\s*,\s*'?(\d+)'?\s*\)",
    re.IGNORECASE,
)


def schema_versions(sql):
    """{table: version} for every version row an SQL file inserts."""
    return {table: int(version) for table, version in _VERSION_ROW.findall(sql or "")}


def schema_mismatches(found, wanted):
    """Sentences for each wanted table whose version row is missing or different.

    ``found`` maps table names to the versions the database's `version`
    table holds (numbers or digit strings, as drivers return them).
    """
    problems = []
    for table in sorted(wanted):
        if table not in found:
            problems.append("%s has no row in the version table" % table)
            continue
        have = whole_number(found[table])
        if have != whole_number(wanted[table]):
            problems.append("%s is version %s, Kamailio wants %s" % (table, found[table], wanted[table]))
    return problems


def schema_plan(expected, existing):
    """Which schema files to load into a database that has the tables ``existing``.

    ``expected`` maps each module to the {table: version} its file creates.
    Returns {"load": modules none of whose tables exist, "partial": modules
    with some but not all of them}, both in the order of ``expected``.
    """
    existing = set(existing or [])
    plan = {"load": [], "partial": []}
    for module, tables in expected.items():
        present = existing.intersection(tables)
        if not present:
            plan["load"].append(module)
        elif len(present) < len(tables):
            plan["partial"].append(module)
    return plan
