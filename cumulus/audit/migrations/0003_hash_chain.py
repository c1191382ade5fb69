"""Chain the access log: a gapless sequence and SHA-256 hashes on every entry.

Existing entries are chained in id order. The append-only triggers forbid the UPDATE that
needs, so they are dropped for the backfill and put back straight after. On SQLite, adding a
column rebuilds the table and loses its triggers anyway, so they must be created again here.
"""

import importlib

from django.db import migrations, models

triggers = importlib.import_module("cumulus.audit.migrations.0002_append_only_triggers")


def backfill(apps, schema_editor):
    from cumulus.audit.chain import GENESIS_HASH, entry_hash

    vendor = schema_editor.connection.vendor
    entries = apps.get_model("audit", "AccessLogEntry").objects.order_by("id")
    down = {"sqlite": triggers.SQLITE_DOWN, "postgresql": triggers.POSTGRES_DOWN}[vendor]
    up = {"sqlite": triggers.SQLITE_UP, "postgresql": triggers.POSTGRES_UP}[vendor]
    for statement in down:
        schema_editor.execute(statement)
    previous = GENESIS_HASH
    for sequence, entry in enumerate(entries.iterator(), start=1):
        entry.sequence = sequence
        entry.previous_hash = previous
        entry.entry_hash = entry_hash(entry, previous)
        type(entry).objects.filter(pk=entry.pk).update(
            sequence=sequence, previous_hash=previous, entry_hash=entry.entry_hash
        )
        previous = entry.entry_hash
    for statement in up:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="accesslogentry",
            name="sequence",
            field=models.BigIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="previous_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="entry_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
