# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.sipha.cluster.plugins.filter.kamailio_schema_mismatches import FilterModule as Mismatches
from ansible_collections.sipha.cluster.plugins.filter.kamailio_schema_plan import FilterModule as Plan
from ansible_collections.sipha.cluster.plugins.filter.kamailio_schema_versions import FilterModule as Versions

versions = Versions().filters()["kamailio_schema_versions"]
mismatches = Mismatches().filters()["kamailio_schema_mismatches"]
plan = Plan().filters()["kamailio_schema_plan"]

# Shaped like Kamailio 5.6's mysql/usrloc-create.sql and postgres/dialog-create.sql.
USRLOC_MYSQL = """CREATE TABLE `location` (
    `id` INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL
);
INSERT INTO version (table_name, table_version) values ('location','9');
CREATE TABLE `location_attrs` (
    `id` INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL
);
INSERT INTO version (table_name, table_version) values ('location_attrs','1');
"""
DIALOG_POSTGRES = """CREATE TABLE dialog ( id SERIAL PRIMARY KEY NOT NULL );
INSERT INTO version (table_name, table_version) VALUES ( 'dialog' , 7 );
CREATE TABLE dialog_vars ( id SERIAL PRIMARY KEY NOT NULL );
insert into version (table_name, table_version) values ('dialog_vars','1');
"""


def test_versions_from_mysql_sql():
    assert versions(USRLOC_MYSQL) == {"location": 9, "location_attrs": 1}


def test_versions_from_postgres_sql_with_other_spacing_and_case():
    assert versions(DIALOG_POSTGRES) == {"dialog": 7, "dialog_vars": 1}


def test_versions_of_nothing():
    assert versions("") == {}
    assert versions(None) == {}


def test_mismatches_none_when_equal_even_as_text():
    assert mismatches({"location": "9", "location_attrs": 1, "other": 3}, {"location": 9, "location_attrs": 1}) == []


def test_mismatches_name_missing_and_different_tables():
    found = {"location": 8}
    assert mismatches(found, {"location": 9, "dialog": 7}) == [
        "dialog has no row in the version table",
        "location is version 8, Kamailio wants 9",
    ]


EXPECTED = {"standard": {"version": 1}, "usrloc": {"location": 9, "location_attrs": 1}, "dialog": {"dialog": 7, "dialog_vars": 1}}


def test_plan_for_an_empty_database_loads_everything_in_order():
    assert plan(EXPECTED, []) == {"load": ["standard", "usrloc", "dialog"], "partial": []}


def test_plan_for_a_complete_database_loads_nothing():
    tables = ["version", "location", "location_attrs", "dialog", "dialog_vars", "acc"]
    assert plan(EXPECTED, tables) == {"load": [], "partial": []}


def test_plan_names_a_module_that_is_there_in_part():
    assert plan(EXPECTED, ["version", "location"]) == {"load": ["dialog"], "partial": ["usrloc"]}
