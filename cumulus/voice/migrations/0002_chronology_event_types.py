"""The chronology event type this app records (its own, so no other app's migration changes)."""

import datetime as dt

from django.db import migrations

EVENT_TYPES = [("voice.recorded", "Voice of the child and family recorded")]


def load(apps, schema_editor):
    code_model = apps.get_model("codelists", "Code")
    for code, label in EVENT_TYPES:
        code_model.objects.update_or_create(
            scheme="chronology_event_type",
            code=code,
            defaults={"label": label, "valid_from": dt.date(2026, 1, 1), "list_version": "voice"},
        )


class Migration(migrations.Migration):
    dependencies = [("voice", "0001_initial"), ("codelists", "0003_reload_event_types")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
