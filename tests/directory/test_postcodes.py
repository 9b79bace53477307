"""Synthetic postcodes: normalised, placed deterministically, near their own ward."""

from __future__ import annotations

import pytest

from upstream.directory import postcodes
from upstream.errors import InputError

pytestmark = pytest.mark.core


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("up7 4nb", "UP7 4NB"),
        ("UP74NB", "UP7 4NB"),
        ("  UP7   4NB ", "UP7 4NB"),
        ("sw1a1aa", "SW1A 1AA"),
    ],
)
def test_postcodes_are_normalised_to_upper_case_with_one_space(given: str, normal: str) -> None:
    assert postcodes.normalise(given) == normal


@pytest.mark.parametrize("bad", ["", "hello", "UP7", "12345", "UP7 4N"])
def test_things_that_are_not_postcodes_are_refused(bad: str) -> None:
    with pytest.raises(InputError):
        postcodes.normalise(bad)


@pytest.mark.parametrize(
    ("code", "ward"), [("UP1 2AB", 0), ("UP2 9ZZ", 0), ("UP3 1AA", 1), ("UP80 1AA", 39)]
)
def test_the_ward_comes_from_the_postcode_district(code: str, ward: int) -> None:
    assert postcodes.ward_of(code) == ward


def test_a_real_postcode_is_not_one_of_the_citys() -> None:
    assert postcodes.ward_of("SW1A 1AA") is None
    with pytest.raises(InputError, match="not a postcode in this city"):
        postcodes.point_for("SW1A 1AA")


def test_the_same_postcode_is_always_at_the_same_point() -> None:
    assert postcodes.point_for("UP7 4NB") == postcodes.point_for("up74nb")


def test_postcodes_in_the_same_ward_are_nearer_than_postcodes_in_a_far_ward() -> None:
    here = postcodes.point_for("UP1 2AB")
    same_ward = postcodes.point_for("UP2 7XY")
    far_ward = postcodes.point_for("UP49 3DE")  # ward 24, on the spiral's third ring
    assert postcodes.distance_m(here, same_ward) < 3_000
    assert postcodes.distance_m(here, far_ward) > 5_000


@pytest.mark.parametrize(
    ("index", "cell"),
    [(0, (0, 0)), (1, (1, 0)), (2, (1, 1)), (3, (0, 1)), (4, (-1, 1)), (9, (2, -1))],
)
def test_wards_lie_on_a_square_spiral(index: int, cell: tuple[int, int]) -> None:
    assert postcodes.spiral(index) == cell


def test_distance_is_the_great_circle_distance() -> None:
    # One degree of latitude is about 111 km anywhere.
    a, b = postcodes.Point(52.0, -1.9), postcodes.Point(53.0, -1.9)
    assert postcodes.distance_m(a, b) == pytest.approx(111_195, rel=1e-3)


def test_the_bounding_box_holds_every_point_within_the_radius() -> None:
    centre = postcodes.point_for("UP1 2AB")
    lat_min, lat_max, _, lon_max = postcodes.bounding_box(centre, 1_000)
    east = postcodes.Point(centre.latitude, lon_max)
    assert postcodes.distance_m(centre, east) == pytest.approx(1_000, rel=1e-2)
    assert lat_min < centre.latitude < lat_max
