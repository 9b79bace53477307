"""Wards, synthetic postcodes, properties with UPRNs and tenures.

Postcodes are postcode-shaped but fictional: the outward area "UP" is not a real UK postcode
area (there is no UP area in Royal Mail's list), e.g. "UP7 4NB". UPRNs are 12-digit integers
starting 99, outside the range any council has issued, unique per property.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from upstream.synth import params

CITY = "UPSTREAM"
POSTCODE_AREA = "UP"
UPRN_BASE = 990_000_000_000
INWARD_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))  # Royal Mail inward-code letters
TENURES = tuple(params.TENURE_SHARES)
_WARD_STEMS = [
    "Ashfield",
    "Brookvale",
    "Copperhill",
    "Dovecote",
    "Elmstead",
    "Fernlea",
    "Granary",
    "Heronsgate",
    "Ivybridge",
    "Juniper",
    "Kingsmead",
    "Larkrise",
    "Millbrook",
    "Northgate",
    "Oakwell",
    "Pennyfield",
    "Quarrybank",
    "Rookery",
    "Saltley",
    "Thornbury",
    "Upperton",
    "Vauxley",
    "Willowmere",
    "Yewtree",
    "Alderbank",
    "Bramblewood",
    "Cedarholme",
    "Deepdale",
    "Eastcroft",
    "Foxcote",
    "Gorsehill",
    "Hawthorn",
    "Ironbridge",
    "Kestrel",
    "Lindenvale",
    "Marshgate",
    "Netherby",
    "Orchardleigh",
    "Primrose",
    "Redhill",
]
_STREET_STEMS = [
    "Acorn",
    "Beech",
    "Birch",
    "Chapel",
    "Church",
    "Clover",
    "Coronation",
    "Cross",
    "Elm",
    "Field",
    "Forge",
    "Garden",
    "Glebe",
    "Grange",
    "Green",
    "Hazel",
    "High",
    "Holly",
    "Laurel",
    "Lime",
    "Manor",
    "Maple",
    "Meadow",
    "Mill",
    "Moor",
    "Oak",
    "Orchard",
    "Park",
    "Pine",
    "Poplar",
    "Priory",
    "Queens",
    "Rectory",
    "Rose",
    "School",
    "Spring",
    "Station",
    "Stone",
    "Sycamore",
    "Victoria",
    "Well",
    "Willow",
    "Windmill",
]
_STREET_SUFFIXES = ("", "field", "wood", "hill", "dale", "gate", "croft")
_STREET_TYPES = [
    "Road",
    "Street",
    "Lane",
    "Avenue",
    "Close",
    "Drive",
    "Grove",
    "Way",
    "Crescent",
    "Terrace",
]


@dataclass
class Places:
    ward_names: list[str]
    ward_deprivation: np.ndarray
    uprn: np.ndarray  # int64 per property
    ward: np.ndarray  # ward index per property
    tenure: np.ndarray  # index into TENURES
    deprivation: np.ndarray  # property score used to match needy households to tenure
    address_line_1: list[str]
    address_line_2: list[str]
    postcode: list[str]


def ward_count(n_people: int) -> int:
    # About 40 wards for a 1.1M city (Birmingham has 69 smaller ones); at least 4.
    return int(np.clip(round(40 * n_people / params.MAX_PEOPLE), 4, 40))


def ward_names(n_wards: int) -> list[str]:
    """The wards' names: stems in order, numbered after the stems run out."""
    return [
        f"{_WARD_STEMS[i % len(_WARD_STEMS)]}{'' if i < len(_WARD_STEMS) else ' ' + str(i)}"
        for i in range(n_wards)
    ]


def build_places(rng: np.random.Generator, n_properties: int, n_wards: int) -> Places:
    ward_deprivation = rng.normal(0, 1, n_wards)
    ward = np.sort(rng.integers(0, n_wards, n_properties))
    deprivation = ward_deprivation[ward] + rng.normal(0, 1, n_properties)
    tenure = _tenure_by_deprivation(deprivation)
    uprn = UPRN_BASE + np.sort(rng.choice(9_000_000_000, size=n_properties, replace=False))
    postcode, line1, line2 = _addresses(rng, ward, tenure)
    return Places(
        ward_names(n_wards),
        ward_deprivation,
        uprn.astype(np.int64),
        ward,
        tenure,
        deprivation,
        line1,
        line2,
        postcode,
    )


def _tenure_by_deprivation(deprivation: np.ndarray) -> np.ndarray:
    """The most deprived properties are TA, then social, HMO, private rented, owner occupied.

    Noise keeps the mix imperfect: owners live in deprived wards too.
    """
    order = np.argsort(-deprivation, kind="stable")
    ranks = ["temporary_accommodation", "social_rented", "hmo", "private_rented", "owner_occupied"]
    counts = np.array([params.TENURE_SHARES[t] for t in ranks]) * len(deprivation)
    bounds = np.cumsum(counts).astype(np.int64)
    tenure = np.empty(len(deprivation), dtype=np.int8)
    start = 0
    for name, end in zip(ranks, bounds, strict=True):
        tenure[order[start:end]] = TENURES.index(name)
        start = end
    tenure[order[start:]] = TENURES.index("owner_occupied")
    return tenure


def _addresses(
    rng: np.random.Generator, ward: np.ndarray, tenure: np.ndarray
) -> tuple[list[str], list[str], list[str]]:
    """About 15 properties per postcode unit and 40 per street; flats for HMO/social/TA."""
    n = len(ward)
    unit = np.arange(n) // 15
    district = ward * 2 + (unit % 2) + 1
    n_units = int(unit.max()) + 1
    inward_digit = rng.integers(1, 10, n_units)
    letters = rng.integers(0, len(INWARD_LETTERS), (n_units, 2))
    unit_codes = [
        f"{d}{INWARD_LETTERS[a]}{INWARD_LETTERS[b]}"
        for d, (a, b) in zip(inward_digit, letters, strict=True)
    ]
    street = np.arange(n) // 40
    street_names = [_street_name(s) for s in range(int(street.max()) + 1)]
    house_no = np.arange(n) % 40 + 1
    flat = np.isin(
        tenure, [TENURES.index(t) for t in ("hmo", "social_rented", "temporary_accommodation")]
    )
    flat &= rng.random(n) < 0.6
    flat_no = rng.integers(1, 12, n)
    postcodes = [f"{POSTCODE_AREA}{d} {unit_codes[u]}" for d, u in zip(district, unit, strict=True)]
    line1, line2 = [], []
    for i in range(n):
        road = f"{house_no[i]} {street_names[street[i]]}"
        if flat[i]:
            line1.append(f"Flat {flat_no[i]}")
            line2.append(road)
        else:
            line1.append(road)
            line2.append("")
    return postcodes, line1, line2


def _street_name(s: int) -> str:
    stem = _STREET_STEMS[s % len(_STREET_STEMS)]
    s //= len(_STREET_STEMS)
    suffix = _STREET_SUFFIXES[s % len(_STREET_SUFFIXES)]
    kind = _STREET_TYPES[(s // len(_STREET_SUFFIXES)) % len(_STREET_TYPES)]
    return f"{stem}{suffix} {kind}"
