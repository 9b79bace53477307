"""`flush` with the audit log's SQLite triggers lifted for the flush only.

Flushing empties every table: the database owner's wipe of everything, which Django's tests do
between transactional tests. PostgreSQL flushes with TRUNCATE, which row triggers do not see;
SQLite flushes with DELETE, which the audit log's triggers refuse (migration 0003). So on
SQLite the triggers are dropped, the flush runs, and they are made again from their own stored
SQL, all in one transaction. A flushed audit log is found by a head anchored outside the
database (`upstream audit verify --checkpoint`).
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

AUDIT_TABLES = ("governance_auditentry", "governance_auditchainhead")


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            placeholders = ", ".join("%s" for _ in AUDIT_TABLES)
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                f"AND tbl_name IN ({placeholders})",
                AUDIT_TABLES,
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            super().handle(**options)
            for _, sql in triggers:
                cursor.execute(sql)
