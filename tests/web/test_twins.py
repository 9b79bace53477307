"""Every page and table answers as JSON and CSV one way (upstream.edge.twins): `.csv`/`.json`
addresses are downloads, `?format=json`/`?format=csv` the page's twin, and nothing else in the
code builds a JSON or CSV answer of its own."""

from __future__ import annotations

import ast
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from tests.casework.factories import allocate, create_person
from tests.factories import DEFAULT_PASSWORD, create_user
from upstream.accounts.roles import Role
from upstream.edge.twins import Table, respond
from upstream.errors import InvalidFields, NotFound

SRC = Path(__file__).resolve().parents[2] / "src" / "upstream"
TEAM = "Early help — North"


def asked(query: str = "") -> Any:
    request = RequestFactory().get(f"/somewhere/{query}")
    request.user = AnonymousUser()
    return request


def never() -> Any:
    raise AssertionError("built for an answer that does not need it")


TABLE = Table("things", [{"name": "=1+1", "tags": ["a", "b"], "cost": 1}], ("name", "tags"))


@pytest.mark.django_db
def test_a_page_is_the_page_and_builds_no_twin() -> None:
    response = respond(asked(), "edge/error.html", {"title": "T"}, data=never, table=never)
    assert response.status_code == 200 and b"<h1" in response.content


def test_the_json_twin_is_the_data_shown_in_the_browser_and_never_kept() -> None:
    response = respond(asked("?format=json"), "x.html", never, data=lambda: {"n": 1})
    assert json.loads(response.content) == {"n": 1}
    assert "Content-Disposition" not in response and response["Cache-Control"] == "no-store"


def test_the_csv_twin_is_the_table_with_lists_joined_and_no_formulas() -> None:
    response = respond(asked("?format=csv"), "x.html", never, table=TABLE)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows == [{"name": "'=1+1", "tags": "a; b"}]
    assert response["Content-Disposition"] == 'attachment; filename="things.csv"'


def test_a_json_download_is_the_data_or_else_the_table_as_an_attachment() -> None:
    as_data = respond(asked(), "x.html", never, data={"n": 1}, name="report", fmt="json")
    assert as_data["Content-Disposition"] == 'attachment; filename="report.json"'
    as_table = respond(asked(), "x.html", never, table=TABLE, fmt="json")
    assert json.loads(as_table.content)["table"] == "things"
    assert as_table["Cache-Control"] == "no-store"


def test_a_download_in_a_format_there_is_none_of_is_not_found() -> None:
    with pytest.raises(NotFound):
        respond(asked(), "x.html", never, table=TABLE, fmt="xlsx")


def test_a_twin_asked_with_values_that_cannot_be_used_is_refused_naming_them() -> None:
    with pytest.raises(InvalidFields) as refused:
        respond(asked("?format=json"), "x.html", never, data=never, errors={"year": "No."})
    assert refused.value.fields == {"year": "No."}


# --- the real pages --------------------------------------------------------------------------


def signed_in(role: Role) -> tuple[Any, Client]:
    user = create_user(role=role, team=TEAM)
    client = Client()
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    return user, client


@pytest.mark.django_db
def test_the_person_and_household_pages_have_json_twins_as_the_viewer_may_see_them() -> None:
    from tests.casework.factories import create_household

    person = create_person(given_name="Sarah", family_name="Khan")
    home = create_household(members=[person])
    user, client = signed_in(Role.PRACTITIONER)
    allocate(person=person, worker=user)
    data = client.get(f"/people/{person.person_id}/", {"format": "json"}).json()
    assert data["person"]["name"] == "Sarah Khan" and data["access"]["basis"] == "allocated"
    household = client.get(f"/households/{home.household_id}/", {"format": "json"}).json()
    assert household["household"]["household_id"] == home.household_id


@pytest.mark.django_db
def test_the_caseload_and_the_register_download_as_tables() -> None:
    person = create_person(given_name="Sarah", family_name="Khan")
    user, client = signed_in(Role.PRACTITIONER)
    allocate(person=person, worker=user)
    caseload = client.get("/caseload.json").json()
    assert caseload["table"] == "caseload" and caseload["rows"][0]["name"] == "Sarah Khan"
    assert client.get("/caseload/", {"format": "csv"}).content.startswith(b"person_id,name")
    register = client.get("/governance/datasets.csv").content.decode()
    first = next(csv.DictReader(io.StringIO(register)))
    assert "; " in first["permitted_uses"]
    assert isinstance(
        client.get("/governance/datasets.json").json()["rows"][0]["permitted_uses"], list
    )


# --- one mechanism -----------------------------------------------------------------------------

# The Open Referral API (directory/api.py) is an API with its own envelope, and the health
# check is not a page; every other JSON or CSV answer is a twin made by upstream.edge.twins.
OWN_ANSWERS = {"directory/api.py", "web/views.py:healthz"}
MAKERS = {"JsonResponse", "DictWriter", "writer"}


def answers_made_outside_the_edge() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        where = path.relative_to(SRC).as_posix()
        if where.startswith(("edge/", "synth/", "insight/", "identify/", "economics/", "jobs/")):
            continue
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef):
                continue
            for call in ast.walk(function):
                name = _called(call)
                excused = {where, f"{where}:{function.name}"} & OWN_ANSWERS
                if name in MAKERS and not excused:
                    found.append(f"{where}:{function.name} calls {name}")
    return found


def _called(node: ast.AST) -> str:
    if not isinstance(node, ast.Call):
        return ""
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def test_no_page_builds_its_json_or_csv_answer_itself() -> None:
    assert answers_made_outside_the_edge() == []
