"""PostgreSQL row-level security on the case tables (see ``cumulus.people.rls``).

Nothing on SQLite, which has no row-level security: there the application's checks stand alone.
Later apps' migrations that create or rebuild a case table must run after this one.
"""

from django.db import migrations


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements():
            schema_editor.execute(statement)

    return run


def enable():
    from cumulus.people.rls import enable_statements

    return enable_statements()


def disable():
    from cumulus.people.rls import disable_statements

    return disable_statements()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_breakglassaccess"),
        ("casework", "0002_contact_already_tried_contact_childs_words_and_more"),
        ("chronology", "0002_attendanceweek"),
    ]
    operations = [migrations.RunPython(_run(enable), _run(disable))]
