"""Trigram indexes for the audit trail's text search, on PostgreSQL.

The audit filters `q` (record) and `actor` are `icontains`, which Django writes on
PostgreSQL as `UPPER("object_repr"::text) LIKE UPPER('%…%')`: a pattern with a
leading wildcard, which no B-tree can answer, so a search that matches nothing
read all of a million-entry trail (about 1 s). A GIN index of trigrams over the
very same expression answers it from the index (a bitmap index scan).

The indexes are built CONCURRENTLY, so a deployment with a large trail keeps
writing while they build; that needs a migration outside a transaction. SQLite
gets nothing: its LIKE is already case-insensitive and stays correct, scanning.
"""

from django.db import migrations

INDEXES = {
    "audit_object_repr_trgm": "object_repr",
    "audit_actor_label_trgm": "actor_label",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        # An earlier attempt that failed part-way leaves an invalid index of this name.
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY "{name}" ON "core_auditentry" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )
    # The planner needs statistics on the indexed expression to prefer the index.
    schema_editor.execute('ANALYZE "core_auditentry"')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("core", "0005_platform")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
