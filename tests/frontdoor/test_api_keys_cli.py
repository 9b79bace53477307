"""`upstream frontdoor api-key`: a key made for an organisation is shown once and works; a
revoked one does not; every mistake is one line and exit code 2."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from typer.testing import CliRunner

from tests.frontdoor.provider_factories import create_organisation
from upstream.cli import app
from upstream.frontdoor.models import ApiKey
from upstream.governance.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)

KEY = re.compile(r"ufd_[a-z2-9]{8}_[A-Za-z0-9_-]{43}")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["frontdoor", "api-key", *args])
    return result.exit_code, result.output


def test_a_key_is_shown_once_kept_as_a_hash_and_opens_the_api() -> None:
    organisation = create_organisation(name="Northside Housing Association")
    code, output = run("--organisation", "northside housing association", "--name", "CMS")
    assert code == 0, output
    [key] = KEY.findall(output)
    stored = ApiKey.objects.get(organisation=organisation)
    assert stored.name == "CMS" and key not in stored.key_hash
    assert Client().get("/api/frontdoor/requests", HTTP_X_API_KEY=key).status_code == 200
    assert AuditEntry.objects.filter(action="frontdoor.api-key.issue", actor="system").exists()


def test_a_key_is_made_for_an_organisation_named_by_its_id() -> None:
    organisation = create_organisation()
    code, output = run("--organisation", str(organisation.pk), "--name", "CMS")
    assert code == 0, output
    assert ApiKey.objects.filter(organisation=organisation).count() == 1


def test_a_revoked_key_no_longer_opens_the_api() -> None:
    create_organisation(name="Riverside Foodbank")
    _, output = run("--organisation", "Riverside Foodbank", "--name", "Referrals")
    [key] = KEY.findall(output)
    code, output = run("--revoke", key[:12])
    assert code == 0 and "Revoked the key" in output
    assert Client().get("/api/frontdoor/requests", HTTP_X_API_KEY=key).status_code == 401
    assert AuditEntry.objects.filter(action="frontdoor.api-key.revoke").count() == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "give --organisation and --name"),
        (("--organisation", "Riverside Foodbank"), "give --organisation and --name"),
        (("--organisation", "Nobody at all", "--name", "x"), "no organisation in the directory"),
        (("--organisation", "Riverside Foodbank", "--name", "x" * 101), "100 characters"),
        (("--revoke", "abcdefgh", "--name", "x"), "give --revoke alone"),
        (("--revoke", "abcdefgh"), "no API key has the prefix"),
    ],
)
def test_a_mistake_is_one_line_and_exit_code_2(args: tuple[str, ...], says: str) -> None:
    create_organisation(name="Riverside Foodbank")
    code, output = run(*args)
    assert code == 2
    assert output.startswith("error: ") and says in output
    assert len(output.strip().splitlines()) == 1
    assert not ApiKey.objects.exists()


def test_an_ambiguous_name_asks_for_the_id() -> None:
    create_organisation(name="Twin Trust")
    create_organisation(name="twin trust")
    code, output = run("--organisation", "TWIN TRUST", "--name", "x")
    assert code == 2 and "give its ID" in output


def test_revoking_twice_says_when_it_was_revoked() -> None:
    create_organisation(name="Riverside Foodbank")
    _, output = run("--organisation", "Riverside Foodbank", "--name", "x")
    [key] = KEY.findall(output)
    run("--revoke", key[4:12])
    code, output = run("--revoke", key[4:12])
    assert code == 2 and "already revoked" in output
