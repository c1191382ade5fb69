"""Row-level security learns record restriction (see ``cumulus.people.rls``): the case content
tables of a restricted child show rows only to the restriction's allowed roles and people.

A database migrated from scratch already has these policies from 0003 (which builds the
current ones); re-creating them here is harmless. Nothing on SQLite.
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
    from cumulus.people.rls import restriction_statements

    return restriction_statements()


def disable():
    from cumulus.people.rls import restriction_undo_statements

    return restriction_undo_statements()


class Migration(migrations.Migration):
    dependencies = [("people", "0007_person_name_trigram_indexes")]
    operations = [migrations.RunPython(_run(enable), _run(disable))]
