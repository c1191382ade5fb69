"""The partnership's standard neglect courses, with the codes the indicators count."""

from django.db import migrations

COURSES = [
    (
        "neglect_basic",
        "Recognising and working with neglect (basic)",
        "Multi-agency introduction: what neglect looks like at each age, and what to do.",
    ),
    (
        "neglect_advanced",
        "Recognising and working with neglect (advanced)",
        "For practitioners who lead on neglect: assessment, drift, escalation, cumulative harm.",
    ),
    (
        "gcp2",
        "Graded Care Profile 2",
        "Licensed training in the Graded Care Profile 2; only trained practitioners may use it.",
    ),
    (
        "age_appropriate_communication",
        "Age-appropriate communication with children",
        "Hearing the voice of the child at every age and stage of development.",
    ),
    (
        "whole_family_approach",
        "Whole-family approach (adult services)",
        "For adult services: seeing the child behind the adult, and working with the family.",
    ),
]


def add(apps, schema_editor):
    Course = apps.get_model("training", "Course")
    for code, title, description in COURSES:
        Course.objects.get_or_create(
            code=code, defaults={"title": title, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
