"""`upstream casework index`, and the demo steps that index people and give the demo team a
caseload of whole households, so the README's main job has someone to find."""

from __future__ import annotations

from pathlib import Path

import typer

from upstream.jobs.database import operational_database
from upstream.jobs.output import console

casework_app = typer.Typer(
    help="Casework: the person search index and demo caseloads.", no_args_is_help=True
)

DEMO_HOUSEHOLDS = 6  # allocated to the demo team; the first half to the demo practitioner


@casework_app.command("index")
def index_command() -> None:
    """Rebuild the person search index (names, postcodes, agency identifiers) after a publish."""
    operational_database()
    from upstream.casework.search import rebuild_index

    console().print(f"Search index rebuilt: {rebuild_index():,} keys.")


def index_step(city_dir: Path, data_dir: Path) -> None:
    """Demo step (after publish): rebuild the search index."""
    operational_database()
    from upstream.casework.search import rebuild_index

    rebuild_index()


def allocate_demo_caseload(*, team: str, practitioner: object, manager: object) -> int:
    """Allocate the costliest households with three or more members to the demo team
    (idempotent: does nothing if the team already has a caseload). Returns people allocated."""
    from django.utils import timezone

    from upstream.casework.models import SearchKey
    from upstream.casework.search import rebuild_index
    from upstream.governance.models import Allocation
    from upstream.people.models import Household, Person

    if not Person.objects.exists() or Allocation.objects.filter(team=team).exists():
        return 0
    if not SearchKey.objects.exists():
        rebuild_index()
    # Published households are dated intervals that mostly end before the data does, so the
    # demo takes the costliest households of three or more, whenever they lived together.
    households = Household.objects.filter(member_count__gte=3).order_by("-total_cost")
    allocated: set[str] = set()
    for i, household in enumerate(households[:DEMO_HOUSEHOLDS]):
        worker = practitioner if i < DEMO_HOUSEHOLDS // 2 else None
        members = set(household.memberships.values_list("person_id", flat=True)) - allocated
        Allocation.objects.bulk_create(
            Allocation(
                person_id=p,
                team=team,
                worker=worker,
                allocated_by=manager,
                allocated_at=timezone.now(),
                basis=Allocation.Basis.DEMO,
            )  # type: ignore[misc]
            for p in sorted(members)
        )
        allocated |= members
    return len(allocated)


def register(app: typer.Typer) -> None:
    app.add_typer(casework_app, name="casework")
