"""The roster search's trigram index on SQLite (FTS5), as 0002 is on PostgreSQL.

See people/search.py: the same `ensure()` also runs after every migrate, so a later
migration that rebuilds the people table gets its triggers back.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from citkit.people import search

    search.ensure(schema_editor.connection)


def backwards(apps, schema_editor):
    from citkit.people import search

    search.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_person_search_trigram")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
