"""Make the audit log append-only in the database too, not just in the ORM.

PostgreSQL refuses UPDATE and DELETE of audit rows (TRUNCATE, an owner's operation used by test
flushes, is not a row change). SQLite refuses UPDATE; DELETE stays possible there because
Django's test flush deletes rows, and a removed entry is still found by `upstream audit verify`.
(Since 0003, SQLite refuses DELETE too, and its `flush` lifts the triggers for the flush only.)
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION governance_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit entries are append-only (entry %)', OLD.sequence;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER governance_audit_append_only
  BEFORE UPDATE OR DELETE ON governance_auditentry
  FOR EACH ROW EXECUTE FUNCTION governance_audit_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS governance_audit_append_only ON governance_auditentry;
DROP FUNCTION IF EXISTS governance_audit_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER governance_audit_append_only BEFORE UPDATE ON governance_auditentry
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS governance_audit_append_only;"


def _run(schema_editor, sql_by_vendor):
    sql = sql_by_vendor.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql, params=None)  # no parameters: "%" in PL/pgSQL is literal


def forwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP})


def backwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN})


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
