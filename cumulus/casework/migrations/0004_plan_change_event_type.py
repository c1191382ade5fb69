"""Load the ``casework.plan_change`` chronology event type added to
`codelists/data/chronology_event_type.csv` (plan content edits land in the chronology)."""

from django.db import migrations


def load(apps, schema_editor):
    from cumulus.codelists.loader import load_all

    load_all(apps.get_model("codelists", "Code"), ["chronology_event_type"])


class Migration(migrations.Migration):
    dependencies = [("casework", "0003_journey"), ("codelists", "0003_reload_event_types")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
