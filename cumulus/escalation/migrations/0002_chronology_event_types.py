"""Load the chronology event types added to `codelists/data/chronology_event_type.csv` for
this app (this app's own migration, so no other app's migrations change)."""

from django.db import migrations


def load(apps, schema_editor):
    from cumulus.codelists.loader import load_all

    load_all(apps.get_model("codelists", "Code"), ["chronology_event_type"])


class Migration(migrations.Migration):
    dependencies = [("escalation", "0001_initial"), ("codelists", "0003_reload_event_types")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
