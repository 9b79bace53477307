"""Allocations move to governance (governance 0005): removed from casework's state only; the
table `casework_allocation` stays as it is, now governance's."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0002_allocation_basis"),
        ("governance", "0005_allocation_from_casework"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="Allocation")],
        ),
    ]
