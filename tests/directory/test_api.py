"""The ORUK API: every response validates against the ORUK schemas; filters; bad input."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.directory.factories import journey_service, load_directory
from upstream.directory import validation
from upstream.directory.models import ServiceAtLocation
from upstream.directory.taxonomy import TAXONOMY_ID, term_id

pytestmark = pytest.mark.django_db
JOURNEY_POSTCODE = "UP1 2AB"


@pytest.fixture
def api(client: Client) -> Client:
    load_directory(per_item=2)
    return client


def get(client: Client, path: str, status: int = 200) -> dict:  # type: ignore[type-arg]
    response = client.get("/directory/api/" + path)
    assert response.status_code == status, response.content
    return response.json()  # type: ignore[no-any-return]


def test_the_api_root_names_the_hsds_version_and_profile(api: Client) -> None:
    assert get(api, "")["version"] == "3.0"


@pytest.mark.parametrize(
    ("path", "item_kind"),
    [
        ("services", "service_list_item"),
        ("services?per_page=5&page=3", "service_list_item"),
        ("service_at_locations", "service_at_location_list_item"),
        (
            f"service_at_locations?postcode={JOURNEY_POSTCODE}&proximity=2000",
            "service_at_location_list_item",
        ),
        ("taxonomies", "taxonomy"),
        ("taxonomy_terms", "taxonomy_term"),
        (f"taxonomy_terms?taxonomy_id={TAXONOMY_ID}", "taxonomy_term"),
    ],
)
def test_listings_are_valid_oruk_pages(api: Client, path: str, item_kind: str) -> None:
    page = get(api, path)
    assert validation.page_problems(page, item_kind) == []
    assert page["size"] == len(page["contents"]) > 0


def test_a_full_service_is_valid_oruk(api: Client) -> None:
    document = get(api, f"services/{journey_service().pk}")
    assert validation.problems_in(document, "service") == []
    assert document["schedules"][0]["byday"] == "SA"


def test_a_service_at_location_gives_its_full_service(api: Client) -> None:
    sal = ServiceAtLocation.objects.first()
    assert sal is not None
    assert validation.problems_in(get(api, f"service_at_locations/{sal.pk}"), "service") == []


def test_single_taxonomies_and_terms_are_valid_oruk(api: Client) -> None:
    assert validation.problems_in(get(api, f"taxonomies/{TAXONOMY_ID}"), "taxonomy") == []
    term = get(api, f"taxonomy_terms/{term_id('financial-help')}")
    assert validation.problems_in(term, "taxonomy_term") == []
    assert term["term"] == "financial-help"


def test_paging_reports_totals_and_first_and_last_pages(api: Client) -> None:
    first = get(api, "services?per_page=40")
    last = get(api, f"services?per_page=40&page={first['total_pages']}")
    assert first["first_page"] and not first["last_page"]
    assert last["last_page"] and not last["first_page"]
    assert first["total_items"] == 89  # 44 items × 2 + the journey service


def ids(page: dict) -> set[str]:  # type: ignore[type-arg]
    return {item["id"] for item in page["contents"]}


def test_the_journey_is_found_by_need_day_age_and_postcode(api: Client) -> None:
    found = get(
        api,
        f"services?taxonomy_term_id={term_id('financial-help')}&day=SA&age=67&postcode={JOURNEY_POSTCODE}&proximity=5000",
    )
    assert str(journey_service().pk) in ids(found)


def test_filters_narrow_the_results(api: Client) -> None:
    journey = str(journey_service().pk)
    assert journey in ids(get(api, "services?search=debt advice&per_page=100"))
    assert journey not in ids(get(api, "services?search=swimming&per_page=100"))
    assert journey not in ids(get(api, "services?day=MO&per_page=100"))
    assert journey in ids(
        get(api, "services?day=saturday&start_time=09:00&end_time=13:00&per_page=100")
    )
    assert journey not in ids(get(api, "services?day=SA&start_time=11:00&per_page=100"))
    assert journey not in ids(get(api, "services?age=30&per_page=100"))
    assert journey in ids(get(api, "services?minimum_age=60&per_page=100"))
    assert journey in ids(get(api, f"services?taxonomy_id={TAXONOMY_ID}&per_page=100"))


def test_a_postcode_orders_services_nearest_first(api: Client) -> None:
    page = get(api, f"service_at_locations?postcode={JOURNEY_POSTCODE}&per_page=100")
    from upstream.directory import postcodes

    origin = postcodes.point_for(JOURNEY_POSTCODE)
    distances = [
        postcodes.distance_m(
            origin, postcodes.Point(i["location"]["latitude"], i["location"]["longitude"])
        )
        for i in page["contents"]
    ]
    assert distances == sorted(distances)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=0", "page"),
        ("per_page=1000", "per_page"),
        ("minimum_age=old", "minimum_age"),
        ("day=Funday", "day"),
        ("start_time=noon", "start_time"),
        ("proximity=1000", "proximity"),
        ("postcode=SW1A1AA", "postcode"),
        ("postcode=nonsense", "postcode"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_parameter(
    api: Client, query: str, parameter: str
) -> None:
    assert get(api, f"services?{query}", status=400)["parameter"] == parameter


def test_unknown_ids_get_a_404(api: Client) -> None:
    get(api, "services/00000000-0000-0000-0000-000000000000", status=404)
    get(api, "taxonomy_terms/00000000-0000-0000-0000-000000000000", status=404)


def test_the_api_only_answers_get(api: Client) -> None:
    assert api.post("/directory/api/services").status_code == 405


# Found by the route probe (tests/web/test_every_route.py).


@pytest.mark.parametrize("listing", ["taxonomies", "taxonomy_terms", "services"])
def test_a_page_far_past_the_last_is_empty_rather_than_a_server_error(
    api: Client, listing: str
) -> None:
    # The listings asked the database for an offset too big for its integers (a 500).
    data = get(api, f"{listing}?page=99999999999999999999&per_page=10")
    assert data["contents"] == [] and data["last_page"] is True


@pytest.mark.parametrize("parameter", ["search", "need", "taxonomy_term_id", "postcode"])
def test_a_nul_character_in_a_parameter_is_a_400_naming_it(api: Client, parameter: str) -> None:
    # PostgreSQL refuses NUL in a query: a 500 there.
    assert get(api, f"services?{parameter}=a%00b", status=400)["parameter"] == parameter
    assert get(api, f"service_at_locations?{parameter}=a%00b", status=400)["parameter"] == parameter
