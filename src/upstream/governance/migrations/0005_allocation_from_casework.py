"""Allocations (working relationships) move from casework to governance, where the access
decision that rests on them lives: in Django's state only. The table stays `casework_allocation`
and nothing in the database changes (casework 0003 removes the model from casework's state).

The person is kept as text (`person_id`, the column the foreign key without a constraint
already used, with the same index), so governance refers to no app above it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0004_sign_in_failures_by_address"),
        ("casework", "0002_allocation_basis"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Allocation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("person_id", models.CharField(db_index=True, max_length=16)),
                        ("team", models.CharField(max_length=100)),
                        ("allocated_at", models.DateTimeField()),
                        ("ended_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "basis",
                            models.CharField(
                                choices=[
                                    ("caseload", "Already on the team's caseload"),
                                    ("reason", "Reason recorded by the team manager"),
                                    ("demo", "Demo caseload"),
                                ],
                                default="caseload",
                                max_length=20,
                            ),
                        ),
                        (
                            "allocated_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "recorded_reason",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="allocations",
                                to="governance.recordedreason",
                            ),
                        ),
                        (
                            "worker",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="allocations",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "casework_allocation",
                        "ordering": ["-allocated_at"],
                        "indexes": [
                            models.Index(
                                fields=["person_id", "ended_at"],
                                name="casework_al_person__aa45ca_idx",
                            ),
                            models.Index(
                                fields=["team", "ended_at"], name="casework_al_team_4cfd77_idx"
                            ),
                            models.Index(
                                fields=["worker", "ended_at"], name="casework_al_worker__b52ddc_idx"
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
