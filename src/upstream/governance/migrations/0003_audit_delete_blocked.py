"""Block DELETE of audit entries and of the chain head, on SQLite too (issue 10, item 6).

Deleting the last entries and the chain-head row used to leave a chain that verified as intact.
Now, on both databases:
- no audit entry can be deleted (PostgreSQL refused already, by 0002's trigger);
- the chain head can be neither deleted nor moved back to an earlier entry.

Flushing a whole database (`manage flush`, and Django's tests between transactional tests) is
the owner's wipe of everything: PostgreSQL does it with TRUNCATE, which row triggers do not see;
on SQLite `governance/management/commands/flush.py` lifts these triggers for the flush only.
Someone who owns the database can always drop a trigger: an anchored head (`upstream audit
checkpoint`, `verify --expect-head`) is what finds truncation then.
"""

from django.db import migrations

SQLITE_UP = [
    """
    CREATE TRIGGER governance_audit_no_delete BEFORE DELETE ON governance_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END
    """,
    """
    CREATE TRIGGER governance_audit_head_no_delete BEFORE DELETE ON governance_auditchainhead
    BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be removed'); END
    """,
    """
    CREATE TRIGGER governance_audit_head_forward_only BEFORE UPDATE ON governance_auditchainhead
    WHEN NEW.sequence < OLD.sequence OR NEW.id != OLD.id
    BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS governance_audit_no_delete",
    "DROP TRIGGER IF EXISTS governance_audit_head_no_delete",
    "DROP TRIGGER IF EXISTS governance_audit_head_forward_only",
]
POSTGRES_UP = [
    """
    CREATE OR REPLACE FUNCTION governance_audit_head_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the audit chain head cannot be removed';
      END IF;
      IF NEW.sequence < OLD.sequence OR NEW.id <> OLD.id THEN
        RAISE EXCEPTION 'the audit chain head only moves forward (entry % to %)',
          OLD.sequence, NEW.sequence;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER governance_audit_head_guard
      BEFORE UPDATE OR DELETE ON governance_auditchainhead
      FOR EACH ROW EXECUTE FUNCTION governance_audit_head_guard()
    """,
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS governance_audit_head_guard ON governance_auditchainhead",
    "DROP FUNCTION IF EXISTS governance_audit_head_guard()",
]


def _run(schema_editor, sql_by_vendor):
    for sql in sql_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)  # no parameters: "%" in PL/pgSQL is literal


def forwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP})


def backwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN})


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_audit_append_only_triggers")]
    operations = [migrations.RunPython(forwards, backwards)]
