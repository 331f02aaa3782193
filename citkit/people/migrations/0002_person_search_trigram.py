"""Trigram indexes for the roster's search, on PostgreSQL.

The search `q` matches a badge number from its start and a first or last name
anywhere (`istartswith` / `icontains`), which Django writes on PostgreSQL as
`UPPER("last_name"::text) LIKE UPPER('%…%')`. A leading wildcard defeats a B-tree,
so a name search read every row of a 50,000-officer roster (about 130 ms a request).
A GIN index of trigrams over the very same expressions answers both the prefix and
the substring forms; the OR of the three columns becomes a BitmapOr of the indexes.

Built CONCURRENTLY (no transaction), like core 0006, so a live roster keeps taking
writes. SQLite gets nothing: its LIKE stays correct, scanning (docs/performance.md).
"""

from django.db import migrations

INDEXES = {
    "person_first_name_trgm": "first_name",
    "person_last_name_trgm": "last_name",
    "person_badge_number_trgm": "badge_number",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        # An earlier attempt that failed part-way leaves an invalid index of this name.
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY "{name}" ON "people_person" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )
    # Statistics on the indexed expressions, so the planner prefers the indexes.
    schema_editor.execute('ANALYZE "people_person"')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("people", "0001_initial"), ("core", "0006_audit_search_trigram")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
