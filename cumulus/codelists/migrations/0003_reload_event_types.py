"""Load chronology event types added since 0002 (front door decision, synthetic feeds)."""

from django.db import migrations


def load(apps, schema_editor):
    from cumulus.codelists.loader import load_all

    load_all(apps.get_model("codelists", "Code"), ["chronology_event_type"])


class Migration(migrations.Migration):
    dependencies = [("codelists", "0002_load_codelists")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
