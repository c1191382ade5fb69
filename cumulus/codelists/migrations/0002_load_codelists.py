"""Load the code lists shipped in cumulus/codelists/data/ (version 2026.1)."""

from django.db import migrations


def load(apps, schema_editor):
    from cumulus.codelists.loader import load_all

    code = apps.get_model("codelists", "Code")
    load_all(
        code,
        [
            "referral_source",
            "primary_need",
            "category_of_abuse",
            "assessment_factor",
            "closure_reason",
            "ethnicity",
            "disability",
            "sex",
            "neglect_type",
            "chronology_event_type",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("codelists", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
