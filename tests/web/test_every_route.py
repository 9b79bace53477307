"""Every route × every role, probed as an attacker and a careless user would.

The routes come from Django's resolver itself (the pages, the directory's Open Referral API
and the django-ninja API under /api/), so a route added later is probed too. Path parameters
are filled from a small world (a family with events and a household, an allocation, a recorded
reason, a flag, a directory service, an appraisal); the query and form fields each view reads
are found by watching it read them, and the API's from its OpenAPI document. Each role, and an
anonymous visitor, then sends GETs and POSTs with hostile values: very long strings, NUL bytes,
"/", "../", "%", SQL quotes, `<script>`, negative and huge numbers, and dates such as
0001-01-01 and 9999-12-31.

Whatever is sent: no response is a 500 or shows a traceback; anonymous visitors reach only the
public pages (everything else sends them to sign in or refuses them); every 403 and 404 is a
GOV.UK page (JSON under /api/ and for JSON downloads); no redirect leaves the site.

Each role's requests (about 7,500 in all) follow from its own fixed seed, so a failure is
repeatable and names the role, method, address, what was sent and what happened. Hostile
values are sampled per field (the ends of the calendar always go to date-looking fields), so
the probe takes about 30 s on SQLite and 45 s on PostgreSQL on 2 cores;
UPSTREAM_ROUTE_PROBE_SAMPLES=99 sends every value to every field (about 2 minutes on SQLite).
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
from django.db import DatabaseError, transaction
from django.http import QueryDict
from django.test import Client
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone

from tests.factories import DEFAULT_PASSWORD, create_user
from tests.routes import routes
from upstream.accounts.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

TEAM = "Early help — North"
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
ANONYMOUS = "anonymous"

# Public pages: what the code means anyone to reach without signing in (the start page, sign-in
# and sign-out, the health check, Find help and a service's page, the Open Referral API, the
# API's OpenAPI document, the favicon, the API's root, a 404 for everyone, and Ask for help
# with its confirmation). Every other route sends an anonymous visitor to sign in, or refuses
# them.
PUBLIC = re.compile(
    r"^(|healthz|favicon\.ico|sign-in/|sign-out/|directory/|directory/services/<uuid:service_id>/"
    r"|directory/api/.*|api/|api/openapi\.json"
    r"|ask/|ask/sent/)$"
)
STATIC_ASSET = "/assets/govuk/govuk-frontend.min.css"

SCRIPT = "<script>alert(1)</script>"
HOSTILE = [
    "x" * 5000,
    "a\x00b",
    "/",
    "../../../etc/passwd",
    "%",
    "%00",
    "' OR '1'='1' --",
    '"; DROP TABLE people_person; --',
    SCRIPT,
    "-1",
    "-99999999999999999999",
    "99999999999999999999",
    "1e400",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "//evil.example/",
    "\u202e\U0001f600 ",
]
DATES = ["0001-01-01", "9999-12-31"]
DATE_LIKE = re.compile(r"date|dob|from|^to$|start|end|year|month|day|time|since|until")
# Path segments: what str/path converters pass to a view (a "/" inside one makes another route).
HOSTILE_PATH = [
    "x" * 300,
    "a\x00b",
    "..",
    "%",
    "' OR '1'='1",
    SCRIPT,
    "-1",
    "99999999999999999999",
]
# What a careful person would put in each form field, so that a hostile value in one field
# gets past the checks on the others.
PLAUSIBLE = {
    "purpose": "safeguarding",
    "reason": "Police asked about a welfare concern",
    "kind": "not_relevant",
    "outcome": "appropriate",
    "note": "Proportionate to the concern",
    "target": "toxic-trio",
    "withdrawn": "1",
    "username": "someone",
    "password": "not-their-password",
    "next": "/home/",
}
# Hostile values per field per role, on the routes the role may open (deterministic samples;
# across the roles every value reaches the fields most roles can reach). Set
# UPSTREAM_ROUTE_PROBE_SAMPLES=99 for every value in every field: a slower, thorough sweep.
SAMPLES_PER_PARAMETER = int(os.environ.get("UPSTREAM_ROUTE_PROBE_SAMPLES", "2"))
THOROUGH = len(HOSTILE) <= SAMPLES_PER_PARAMETER


@dataclass
class Finding:
    who: str
    method: str
    url: str
    sent: str
    problem: str

    def __str__(self) -> str:
        return f"{self.who} {self.method} {self.url} {self.sent} -> {self.problem}"


@dataclass
class Probe:
    """One client (a role or anonymous) sending requests and noting what went wrong."""

    who: str
    client: Client
    csrf_client: Client
    findings: list[Finding] = field(default_factory=list)
    requests: int = 0

    def send(
        self,
        method: str,
        url: str,
        data: dict[str, Any] | str | None = None,
        *,
        content_type: str | None = None,
        hostile_path: bool = False,
        client: Client | None = None,
    ) -> Any:
        client = client or self.client
        self.requests += 1
        kwargs: dict[str, Any] = {"content_type": content_type} if content_type else {}
        sent: list[Any] = []
        try:
            # Each request in a savepoint, as each has its own transaction in production: on
            # PostgreSQL one failed query would otherwise fail every request after it.
            with transaction.atomic():
                if method == "GET":
                    sent.append(client.get(url, data if isinstance(data, dict) else {}))
                else:
                    sent.append(client.post(url, data if data is not None else {}, **kwargs))
        except DatabaseError:
            pass  # the 500 it answered is the finding
        response = sent[0]
        for problem in problems(self.who, method, url, response, hostile_path=hostile_path):
            self.findings.append(Finding(self.who, method, url, _summary(data), problem))
        return response


def _summary(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=True) if data else ""
    return text if len(text) < 120 else text[:100] + f"…({len(text)} chars)"


def body_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def is_json(response: Any) -> bool:
    """JSON, or a JSON problem (RFC 9457: application/problem+json)."""
    content_type = response.get("Content-Type", "")
    return content_type.startswith(("application/json", "application/problem+json"))


def is_govuk_page(body: bytes) -> bool:
    return b"govuk-template" in body and b"govuk-header" in body and b"<h1" in body


def wants_json(response: Any) -> bool:
    request = response.wsgi_request
    return bool(
        request.path.startswith(("/api/", "/directory/api/"))
        or request.path.endswith(".json")
        or request.GET.get("format") == "json"
    )


def problems(
    who: str, method: str, url: str, response: Any, *, hostile_path: bool = False
) -> Iterator[str]:
    status = response.status_code
    body = body_of(response)
    path = urlsplit(url).path
    if status >= 500:
        exc = getattr(response, "exc_info", None)
        yield f"{status}: {exc[0].__name__}: {exc[1]}"[:300] if exc else f"{status}"
    if b"Traceback (most recent call last)" in body or b"Exception Value" in body:
        yield "shows a traceback"
    if status in (403, 404):
        if path.startswith(("/api/", "/directory/api/")):
            if not is_json(response):
                yield f"{status} from an API is not JSON: {body[:80]!r}"
        elif is_json(response):
            if not wants_json(response):
                yield f"{status} answered JSON to a page"
        elif not is_govuk_page(body):
            yield f"{status} is not a GOV.UK page: {body[:80]!r}"
    html = response.get("Content-Type", "").startswith("text/html")
    if html and SCRIPT.encode() in body:
        yield "shows the <script> it was sent unescaped"
    if status == 400 and html and not is_govuk_page(body):
        yield f"400 is not a GOV.UK page: {body[:80]!r}"
    location = response.get("Location", "")
    if location and urlsplit(location).netloc not in ("", "testserver"):
        yield f"redirects off the site to {location}"
    if who == ANONYMOUS and not is_public(path):
        to_sign_in = status == 302 and location.startswith("/sign-in/")
        unmatched = status == 404 and hostile_path and not resolves(path)
        if not (to_sign_in or status in (401, 403, 405) or unmatched):
            yield f"anonymous visitor not sent to sign in or refused: {status}"


def resolves(path: str) -> bool:
    try:
        resolve(unquote(path))
    except Resolver404:
        return False
    return True


def is_public(path: str) -> bool:
    if path.startswith("/assets/"):
        return True
    try:
        match = resolve(unquote(path))
    except Resolver404:
        return True  # nothing is served there: a 404 for everyone
    return bool(PUBLIC.match(str(match.route)))


# --- the routes ------------------------------------------------------------------------------


def all_routes() -> list[str]:
    # Signing out ends the session, so it goes last.
    return sorted(set(routes()), key=lambda r: (r == "sign-out/", r))


def test_the_route_list_covers_the_pages_the_directory_api_and_the_json_api() -> None:
    found = all_routes()
    for expected in (
        "",
        "people/<str:person_id>/",
        "governance/audit/",
        "directory/api/services",
        "directory/editor/services/<uuid:service_id>/edit/",
        "api/people/<person_id>",
        "api/openapi.json",
    ):
        assert expected in found, expected
    assert len(found) > 50


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/healthz",
        "/sign-in/",
        "/directory/",
        "/directory/?q=food",
        "/directory/api/",
        "/directory/api/services",
        "/api/openapi.json",
        STATIC_ASSET,
    ],
)
def test_the_public_pages_open_without_signing_in(client: Client, address: str) -> None:
    assert client.get(address).status_code == 200


# --- the world -------------------------------------------------------------------------------


@pytest.fixture
def world(family: dict[str, Any], settings: Any, tmp_path: Path) -> dict[str, str]:
    """Plausible values for every path parameter, and the records behind them."""
    import dataclasses

    from tests.casework.factories import allocate
    from tests.directory.factories import create_service
    from upstream.directory.models import Attribute, ServiceAtLocation
    from upstream.flags.models import Flag, FlagMember, IdentifyRun
    from upstream.governance.models import RecordedReason
    from upstream.governance.pseudonyms import pseudonym_for

    mother, partner = family["mother"], family["partner"]
    allocate(person=mother, team=TEAM)
    ending = allocate(person=partner, team=TEAM)
    colleague = create_user(username="colleague", role=Role.PRACTITIONER, team=TEAM)
    now = timezone.now()
    reason = RecordedReason.objects.create(
        user=colleague,
        person=family["neighbour"].person_id,
        purpose="safeguarding",
        reason="Police asked about a welfare concern",
        at=now,
        expires_at=now + timedelta(hours=8),
    )
    run = IdentifyRun.objects.create(
        as_of=date(2025, 3, 31),
        input_kind="test",
        workspace="test",
        transparency_markdown="# Transparency",
        dpia_markdown="# DPIA",
        fairness_csv="group,rate\n",
    )
    flag = Flag.objects.create(
        flag_id=f"toxic-trio/{mother.person_id}/2025-03-31",
        flag_key=f"toxic-trio/{mother.person_id}",
        run=run,
        ruleset_id="toxic-trio",
        ruleset_version="1",
        kind="rule",
        code="T",
        label="Housing need",
        subject_type="person",
        subject_id=mother.person_id,
        card={"needs": [{"id": "n", "label": "Need", "evidence": []}]},
    )
    FlagMember.objects.create(flag=flag, person_id=mother.person_id)
    service = create_service()
    sal = ServiceAtLocation.objects.filter(service=service).first()
    attribute = Attribute.objects.filter(service=service).select_related("taxonomy_term").first()
    assert sal is not None and attribute is not None
    term = attribute.taxonomy_term
    folder = tmp_path / "data" / "reports" / "parenting-programme"
    folder.mkdir(parents=True)
    (folder / "appraisal.json").write_text(
        json.dumps(
            {
                "title": "Parenting programme",
                "kind": "appraisal",
                "headline": {"sentence": "It pays back.", "figures": {"Net present value": "£1"}},
            }
        )
    )
    (folder / "report.html").write_text("<h1>Report</h1>")
    settings.UPSTREAM = dataclasses.replace(settings.UPSTREAM, data_dir=tmp_path / "data")
    return {
        "person_id": mother.person_id,
        "analyst_person_id": pseudonym_for(mother.person_id),
        "household_id": family["home"].household_id,
        "table": "timeline",
        "flag_id": flag.flag_id,
        "allocation_id": str(ending.pk),
        "reason_id": str(reason.pk),
        "service_id": str(service.pk),
        "sal_id": str(sal.pk),
        "taxonomy_id": str(term.taxonomy_id),
        "term_id": str(term.pk),
        "appraisal": "parenting-programme",
        "filename": "report.html",
        "download": "transparency.md",
    }


def values_for(route: str, world: dict[str, str], who: str) -> dict[str, str]:
    """A plausible value for each of the route's path parameters."""
    values = {}
    for match in PARAMETER.finditer(route):
        name = match.group(2)
        if name == "person_id" and who == Role.ANALYST:
            values[name] = world["analyst_person_id"]
        elif name == "name":
            values[name] = world["download"] if route.startswith("flags/") else world["appraisal"]
        elif name == "fmt":
            values[name] = "csv"
        else:
            values[name] = world.get(name, "1")
    return values


def fill(route: str, values: dict[str, str]) -> str:
    return "/" + PARAMETER.sub(lambda m: values[m.group(2)], route)


def urls_for(route: str, world: dict[str, str], who: str) -> list[str]:
    """The route with plausible values (a table route once per format)."""
    values = values_for(route, world, who)
    if "fmt" in values:
        return [fill(route, {**values, "fmt": fmt}) for fmt in ("csv", "json")]
    return [fill(route, values)]


def hostile_paths(route: str, world: dict[str, str], who: str, rng: random.Random) -> Iterator[str]:
    """The route with each path parameter in turn replaced by hostile text."""
    values = values_for(route, world, who)
    k = len(HOSTILE_PATH) if THOROUGH else 3
    for name in values:
        texts = ["exe", "csv\x00", "x" * 300] if name == "fmt" else rng.sample(HOSTILE_PATH, k)
        for text in texts:
            yield fill(route, {**values, name: quote(text, safe="")})


# --- watching a view read its fields ---------------------------------------------------------


class Reads:
    """The keys views read from request.GET and request.POST while recording."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.on = False


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    seen = Reads()
    for name in ("get", "getlist", "__getitem__", "__contains__"):
        original = getattr(QueryDict, name)

        def watched(self: QueryDict, key: Any, *args: Any, _original: Any = original) -> Any:
            if seen.on and isinstance(key, str):
                seen.keys.add(key)
            return _original(self, key, *args)

        monkeypatch.setattr(QueryDict, name, watched)
    return seen


def fields_read(
    probe: Probe, reads: Reads, method: str, url: str, data: dict[str, str] | None = None
) -> tuple[Any, set[str]]:
    """Send the request, noting the fields the view reads; the response and the fields."""
    reads.keys.clear()
    reads.on = True
    try:
        response = probe.send(method, url, data)
    finally:
        reads.on = False
    return response, reads.keys - {"_probe", "csrfmiddlewaretoken"}


def fields_of(probe: Probe, reads: Reads, method: str, url: str) -> tuple[Any, set[str]]:
    """The response to the request as a link or an empty form sends it, and the fields the
    view reads; a view that reads nothing from an empty query or form (`Form(request.GET or
    None)`) is asked again with one field, so that its form reads the rest."""
    response, names = fields_read(probe, reads, method, url)
    if not names and response.status_code not in (302, 401, 403, 405):
        names = fields_read(probe, reads, method, url, {"_probe": "1"})[1]
    return response, names


@pytest.fixture
def openapi(db: None) -> dict[str, Any]:
    document: dict[str, Any] = Client().get("/api/openapi.json").json()
    return document


def api_fields(openapi: dict[str, Any], route: str, method: str) -> tuple[list[str], list[str]]:
    """An API route's query parameters and JSON body fields, from the OpenAPI document."""
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    operation = openapi["paths"].get(path, {}).get(method.lower(), {})
    query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    schema = (
        operation.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
    )
    if "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return query, list(schema.get("properties", {}))


def samples(name: str, rng: random.Random) -> list[str]:
    """Hostile values for one field: the ends of the calendar and one more for a date-looking
    field, else SAMPLES_PER_PARAMETER of them (all in a thorough sweep)."""
    if THOROUGH:
        return DATES + HOSTILE if DATE_LIKE.search(name) else HOSTILE
    if DATE_LIKE.search(name):
        return [*DATES, rng.choice(HOSTILE)]
    return rng.sample(HOSTILE, SAMPLES_PER_PARAMETER)


# --- the probe -------------------------------------------------------------------------------


def client_for(role: Role | None) -> tuple[Client, Client]:
    client = Client(REMOTE_ADDR="203.0.113.9", raise_request_exception=False)
    strict = Client(
        REMOTE_ADDR="203.0.113.9", enforce_csrf_checks=True, raise_request_exception=False
    )
    if role is not None:
        fields = {"team": TEAM} if role in {Role.PRACTITIONER, Role.TEAM_MANAGER} else {}
        user = create_user(role=role, **fields)
        for c in (client, strict):
            assert c.login(username=user.username, password=DEFAULT_PASSWORD)
    return client, strict


def probe_route(
    probe: Probe,
    route: str,
    world: dict[str, str],
    reads: Reads,
    openapi: dict[str, Any],
    rng: random.Random,
) -> None:
    accepts_post = False
    for number, url in enumerate(urls_for(route, world, probe.who)):
        # GET: as the page links it, then with each field it reads given hostile values (the
        # other format of a table route only as linked, and with one hostile value).
        plain, names = fields_of(probe, reads, "GET", url)
        opened = plain.status_code not in (302, 401, 403, 405)
        if route.startswith("api/"):
            names |= set(api_fields(openapi, route, "GET")[0])
        for name in sorted(names) if opened and number == 0 else ():
            for text in samples(name, rng):
                probe.send("GET", url, {name: text})
        probe.send("GET", url, dict.fromkeys(names | {"format", "page"}, rng.choice(HOSTILE)))
        # POST: an empty body, then hostile values in each field the view reads (the others
        # as a careful person would fill them), then all at once; and without the CSRF token,
        # as a form forged on another site would be.
        empty, posted = fields_of(probe, reads, "POST", url)
        if empty.status_code == 405:
            continue
        accepts_post = True
        opened = empty.status_code not in (302, 401, 403)
        if route.startswith("api/"):
            fields = set(api_fields(openapi, route, "POST")[1])
            as_json = "application/json"
        else:
            fields = posted
            as_json = None
        careful = {name: PLAUSIBLE.get(name, world.get(name, "")) for name in fields}
        for name in sorted(fields) if opened and number == 0 else ():
            for text in samples(name, rng):
                probe.send("POST", url, {**careful, name: text}, content_type=as_json)
        for text in rng.sample(HOSTILE, 2 if opened else 1):
            probe.send(
                "POST", url, dict.fromkeys(fields or {"person_id"}, text), content_type=as_json
            )
        if as_json:
            probe.send("POST", url, "{not json", content_type=as_json)
            probe.send("POST", url, "[1, 2]", content_type=as_json)
        probe.send("POST", url, {}, content_type=as_json, client=probe.csrf_client)
        if route == "sign-out/":
            return
    # Hostile text in the address itself, in each path parameter in turn.
    for url in hostile_paths(route, world, probe.who, rng):
        probe.send("GET", url, hostile_path=True)
        if accepts_post:
            probe.send("POST", url, hostile_path=True)


WHO = [ANONYMOUS, *(role.value for role in Role)]


@pytest.mark.parametrize("who", WHO)
def test_no_route_fails_leaks_a_traceback_or_lets_in_the_wrong_person(
    who: str, world: dict[str, str], reads: Reads, openapi: dict[str, Any]
) -> None:
    role = None if who == ANONYMOUS else Role(who)
    client, strict = client_for(role)
    probe = Probe(who, client, strict)
    rng = random.Random(f"every-route:{who}")
    probe.send("GET", STATIC_ASSET)
    for route in all_routes():
        probe_route(probe, route, world, reads, openapi, rng)
    # Somewhere that is nothing at all.
    probe.send("GET", "/no-such-page/", hostile_path=True)
    probe.send("GET", "/api/no-such-endpoint", hostile_path=True)
    report = "\n".join(sorted({str(f) for f in probe.findings}))
    assert not probe.findings, (
        f"{len(probe.findings)} findings in {probe.requests} requests:\n{report}"
    )
