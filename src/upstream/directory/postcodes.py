"""Where a synthetic postcode is: a deterministic postcode → point lookup, and distances.

The synthetic city (`upstream.synth.places`) gives every property a fictional postcode in the
"UP" area, e.g. "UP7 4NB", but no coordinates. Its postcode district is built from the ward
(district = ward × 2 + 1 or + 2), so the ward is recoverable from the postcode. Here each ward
gets a centre on a square spiral 2.5 km apart (a compact city of up to 40 wards, about the
size of Birmingham's 268 km²), each of its two districts sits 600 m either side of it, and a
postcode unit a hashed offset of up to 700 m from its district: nearby postcodes are near,
other wards are further away, and the same postcode is always at the same point.

Pure Python, no Django: used by the search, the synthetic directory and the tests alike.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

from upstream.errors import InputError

AREA = "UP"  # the synthetic city's postcode area (upstream.synth.places.POSTCODE_AREA)
# A fictional city needs somewhere on the map for ORUK's latitude and longitude: the West
# Midlands, where the city's parameters are drawn from (upstream.synth.params).
CENTRE_LATITUDE = 52.48
CENTRE_LONGITUDE = -1.90
WARD_SPACING_M = 2_500
DISTRICT_OFFSET_M = 600
UNIT_SPREAD_M = 700
METRES_PER_DEGREE_LATITUDE = 111_320  # on the WGS84 ellipsoid near 52°N, to within 0.2%
EARTH_RADIUS_M = 6_371_000  # mean radius (IUGG)
METRES_PER_MILE = 1_609.344

UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
SYNTHETIC_POSTCODE = re.compile(r"^UP([0-9]{1,2}) ([0-9][A-Z]{2})$")


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def normalise(postcode: str) -> str:
    """'up7 4nb', 'UP74NB' and ' UP7  4NB ' all become 'UP7 4NB'; anything else is refused."""
    compact = re.sub(r"\s+", "", postcode).upper()
    match = UK_POSTCODE.match(compact)
    if not match:
        raise InputError(f"{postcode.strip()!r} is not a postcode", where="postcode")
    return f"{match.group(1)} {match.group(2)}"


def ward_of(postcode: str) -> int | None:
    """The synthetic city's ward index for a postcode, or None if it is not one of the city's."""
    match = SYNTHETIC_POSTCODE.match(normalise(postcode))
    if not match or int(match.group(1)) < 1:
        return None
    return (int(match.group(1)) - 1) // 2


def point_for(postcode: str) -> Point:
    """The point a synthetic postcode stands for; InputError if the city has no such postcode."""
    code = normalise(postcode)
    ward = ward_of(code)
    if ward is None:
        raise InputError(f"{code} is not a postcode in this city", where="postcode")
    district = int(code.split(" ")[0][len(AREA) :])
    ward_x, ward_y = spiral(ward)
    east = ward_x * WARD_SPACING_M + (
        DISTRICT_OFFSET_M if district % 2 == 0 else -DISTRICT_OFFSET_M
    )
    north = ward_y * WARD_SPACING_M
    unit_east, unit_north = _unit_offset(code)
    return from_metres(east + unit_east, north + unit_north)


def ward_centre(ward: int) -> Point:
    x, y = spiral(ward)
    return from_metres(x * WARD_SPACING_M, y * WARD_SPACING_M)


def spiral(index: int) -> tuple[int, int]:
    """The index-th cell of a square spiral out from (0, 0): 0 → (0,0), 1 → (1,0), 2 → (1,1)…"""
    x = y = 0
    dx, dy = 1, 0
    run, step_in_run, turns = 1, 0, 0
    for _ in range(index):
        x, y = x + dx, y + dy
        step_in_run += 1
        if step_in_run == run:
            step_in_run = 0
            dx, dy = -dy, dx
            turns += 1
            if turns % 2 == 0:
                run += 1
    return x, y


def _unit_offset(code: str) -> tuple[float, float]:
    # A stable hash (Python's hash() is salted per process) spread over ±UNIT_SPREAD_M.
    digest = hashlib.sha256(code.encode()).digest()
    east = int.from_bytes(digest[:4], "big") / 2**32
    north = int.from_bytes(digest[4:8], "big") / 2**32
    return (east * 2 - 1) * UNIT_SPREAD_M, (north * 2 - 1) * UNIT_SPREAD_M


def from_metres(east: float, north: float) -> Point:
    """A point east and north of the city centre (flat-earth approximation, fine over 20 km)."""
    latitude = CENTRE_LATITUDE + north / METRES_PER_DEGREE_LATITUDE
    metres_per_degree_longitude = METRES_PER_DEGREE_LATITUDE * math.cos(
        math.radians(CENTRE_LATITUDE)
    )
    return Point(
        round(latitude, 6), round(CENTRE_LONGITUDE + east / metres_per_degree_longitude, 6)
    )


def distance_m(a: Point, b: Point) -> float:
    """Great-circle distance by the haversine formula."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def bounding_box(centre: Point, radius_m: float) -> tuple[float, float, float, float]:
    """(min latitude, max latitude, min longitude, max longitude) around a point: a cheap
    database pre-filter before the exact distance."""
    dlat = radius_m / METRES_PER_DEGREE_LATITUDE
    dlon = radius_m / (METRES_PER_DEGREE_LATITUDE * math.cos(math.radians(centre.latitude)))
    return (
        centre.latitude - dlat,
        centre.latitude + dlat,
        centre.longitude - dlon,
        centre.longitude + dlon,
    )


def miles(metres: float) -> float:
    return metres / METRES_PER_MILE
