"""Trigram indexes for the name search, on PostgreSQL only.

The child search matches names by prefix (given and family name) and anywhere in other names,
case-insensitively: ``UPPER(name) LIKE 'SMITH%'`` / ``'%SMITH%'``. No B-tree index serves the
second, and the OR of the three made PostgreSQL read every person (0.1 s for an agency-wide
search at 300,000 children). GIN trigram indexes (``pg_trgm``, a trusted extension that ships
with PostgreSQL) serve all three. SQLite has no such index and needs none at its sizes.
"""

from django.db import migrations

COLUMNS = ("given_name", "family_name", "other_names")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS people_person_{column}_trgm ON people_person "
            f"USING gin (upper({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS people_person_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0006_record_restriction")]

    operations = [migrations.RunPython(create, drop)]
