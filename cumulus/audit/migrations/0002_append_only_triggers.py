"""Make the access log append-only in the database itself, on SQLite and PostgreSQL.

The model already refuses updates and deletes; these triggers also refuse them from raw SQL,
a bulk ``QuerySet.update()``/``delete()`` or a database console.
"""

from django.db import migrations

TABLE = "audit_accesslogentry"

SQLITE_UP = [
    f"CREATE TRIGGER audit_access_log_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;",
    f"CREATE TRIGGER audit_access_log_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_access_log_no_update;",
    "DROP TRIGGER IF EXISTS audit_access_log_no_delete;",
]
POSTGRES_UP = [
    "CREATE OR REPLACE FUNCTION audit_access_log_refuse() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the access log is append-only'; END; $$ LANGUAGE plpgsql;",
    f"CREATE TRIGGER audit_access_log_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_access_log_refuse();",
    f"CREATE TRIGGER audit_access_log_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_access_log_refuse();",
]
POSTGRES_DOWN = [
    f"DROP TRIGGER IF EXISTS audit_access_log_no_change ON {TABLE};",
    f"DROP TRIGGER IF EXISTS audit_access_log_no_truncate ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_access_log_refuse();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"No append-only triggers for {schema_editor.connection.vendor}; "
                "Cumulus supports SQLite and PostgreSQL"
            )
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
