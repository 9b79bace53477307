"""The synthetic city: determinism, truth, realism and noise."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from upstream.synth import generate_city, params

pytestmark = pytest.mark.core
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][ABD-HJLNP-UW-Z]{2}$")


def _truth(out: Path, name: str) -> pd.DataFrame:
    return pq.read_table(out / "truth" / f"{name}.parquet").to_pandas()


def _age_at_start(people: pd.DataFrame) -> np.ndarray:
    dob = people.dob.values.astype("datetime64[D]")
    return (params.WINDOW_START - dob).astype(np.int64) / 365.25


def _mod11_ok(number: str) -> bool:
    digits = [int(c) for c in number]
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return len(digits) == 10 and (0 if check == 11 else check) == digits[9]


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first = generate_city(people=1_000, seed=3, out=tmp_path / "a")
    second = generate_city(people=1_000, seed=3, out=tmp_path / "b")
    assert [f["sha256"] for f in first["files"]] == [f["sha256"] for f in second["files"]]


def test_different_seeds_give_different_cities(tmp_path: Path) -> None:
    first = generate_city(people=1_000, seed=3, out=tmp_path / "a")
    second = generate_city(people=1_000, seed=4, out=tmp_path / "b")
    assert [f["sha256"] for f in first["files"]] != [f["sha256"] for f in second["files"]]


def test_rerunning_into_the_same_directory_replaces_the_city(tmp_path: Path) -> None:
    generate_city(people=1_000, seed=3, out=tmp_path)
    manifest = generate_city(people=1_000, seed=5, out=tmp_path)
    assert manifest["seed"] == 5
    assert sorted(p.name for p in (tmp_path / "extracts").iterdir()) == sorted(
        Path(str(f["path"])).name for f in manifest["files"] if f["kind"] == "extract"
    )


def test_truth_covers_every_extract_record(city: tuple[Path, dict]) -> None:
    out, manifest = city
    truth = _truth(out, "record_truth")
    people = set(_truth(out, "people").person_id)
    for entry in manifest["files"]:
        if entry["kind"] == "extract":
            assert (truth.source == entry["source"]).sum() == entry["rows"]
    assert set(truth.person_id) <= people
    assert not truth.duplicated(["source", "record_id"]).any()


def test_records_average_about_two_point_seven_per_person(city: tuple[Path, dict]) -> None:
    _, manifest = city
    assert 2.2 < manifest["records_in_extracts"] / manifest["people"] < 3.2


def test_nhs_numbers_pass_modulus_11(city: tuple[Path, dict]) -> None:
    out, _ = city
    people = _truth(out, "people")
    health = pd.read_csv(out / "extracts/health_activity.csv", dtype=str)
    numbers = list(people.nhs_number) + list(health.NHSNumber.dropna())
    assert all(_mod11_ok(n) for n in numbers)
    assert people.nhs_number.is_unique


def test_age_pyramid_matches_the_parameters(big_city: tuple[Path, dict]) -> None:
    out, _ = big_city
    age = _age_at_start(_truth(out, "people"))
    age = age[age >= 0]
    bands = np.minimum((age // 5).astype(int), len(params.AGE_BAND_SHARES) - 1)
    shares = np.bincount(bands, minlength=len(params.AGE_BAND_SHARES)) / len(bands)
    assert np.abs(shares - params.AGE_BAND_SHARES).max() < 0.02  # two points in any five-year band


def test_ethnic_groups_match_census_shares(big_city: tuple[Path, dict]) -> None:
    out, _ = big_city
    shares = _truth(out, "people").ethnic_group.value_counts(normalize=True)
    total = sum(g[1] for g in params.ETHNIC_GROUPS)
    for name, share, *_ in params.ETHNIC_GROUPS:
        assert abs(shares.get(name, 0) - share / total) < 0.03, name


def test_twins_marriages_nicknames_and_no_fixed_abode_exist(city: tuple[Path, dict]) -> None:
    out, _ = city
    people = _truth(out, "people")
    twins = people[people.twin_of.notna()]
    assert len(twins) > 0
    twin_dob = people.set_index("person_id").dob
    assert (twin_dob.loc[twins.twin_of.astype(int)].values == twins.dob.values).all()
    changed = people[people.surname_changed_on.notna()]
    # Some husbands share the wife's birth surname (Khan marrying Khan), so "most", not "all".
    assert (changed.surname != changed.birth_surname).mean() > 0.8
    assert changed.surname.str.contains("-").any()
    assert _truth(out, "residence").no_fixed_abode.any()
    truth = _truth(out, "record_truth")
    assert truth.noise_nickname.any()


def test_toxic_trio_family_share_is_near_seventeen_per_cent(big_city: tuple[Path, dict]) -> None:
    out, _ = big_city
    people, needs = _truth(out, "people"), _truth(out, "needs")
    first = (
        _truth(out, "residence")
        .sort_values(["person_id", "from_date"])
        .groupby("person_id")
        .first()
    )
    frame = pd.DataFrame(
        {
            "household": first.household_id.reindex(people.person_id).values,
            "age": _age_at_start(people),
        }
    )
    frame["trio"] = (needs.domestic_abuse | needs.mental_ill_health | needs.substance_misuse).values
    families = frame[(frame.age >= 0) & (frame.age < 18)].household.unique()
    adults = frame[(frame.age >= 18) & frame.household.isin(families)]
    share = adults.groupby("household").trio.any().mean()
    assert 0.13 < share < 0.21


def test_top_five_per_cent_of_people_account_for_over_forty_per_cent_of_cost(
    city: tuple[Path, dict],
) -> None:
    out, manifest = city
    cost = (
        _truth(out, "record_truth")
        .groupby("person_id")
        .unit_cost_gbp.sum()
        .sort_values(ascending=False)
    )
    top = int(manifest["people"] * 0.05)
    assert cost.iloc[:top].sum() / cost.sum() > 0.40


@pytest.mark.parametrize(
    ("flag", "rate"),
    [
        ("noise_surname_typo", params.NOISE["surname_typo"]),
        ("noise_forename_typo", params.NOISE["forename_typo"]),
        ("noise_dob_transposed", params.NOISE["dob_day_month_transposed"]),
        ("noise_name_swap", params.NOISE["name_swap"]),
        ("duplicate_registration", params.NOISE["duplicate_registration"] / 2),
    ],
)
def test_noise_appears_at_the_documented_rate(
    big_city: tuple[Path, dict], flag: str, rate: float
) -> None:
    out, _ = big_city
    observed = _truth(out, "record_truth")[flag].mean()
    assert rate * 0.4 < observed < rate * 1.8


def test_recorded_surnames_differ_from_truth_where_noise_says_so(city: tuple[Path, dict]) -> None:
    out, _ = city
    truth = _truth(out, "record_truth")
    housing = pd.read_csv(
        out / "extracts/housing_homelessness.csv", dtype=str, keep_default_na=False
    )
    rows = truth[truth.source == "housing"].set_index("record_id").loc[housing.RecordNo]
    people = _truth(out, "people").set_index("person_id")
    true_surname = people.surname.loc[rows.person_id].values
    clean = ~(rows.noise_surname_typo | rows.noise_name_swap | rows.noise_old_surname).values
    assert (housing.Surname.values[clean] == true_surname[clean]).mean() > 0.85
    assert (housing.Surname.values[~clean] != true_surname[~clean]).mean() > 0.5


def test_postcodes_are_postcode_shaped_and_uprns_unique(city: tuple[Path, dict]) -> None:
    out, _ = city
    properties = _truth(out, "properties")
    assert properties.postcode.str.match(POSTCODE).all()
    assert properties.postcode.str.startswith("UP").all()
    assert properties.uprn.is_unique and properties.uprn.astype(str).str.len().eq(12).all()


def test_residence_intervals_never_overlap_for_a_person(city: tuple[Path, dict]) -> None:
    out, _ = city
    res = _truth(out, "residence").sort_values(["person_id", "from_date"])
    end = res.to_date.fillna(pd.Timestamp(str(params.WINDOW_END)).date())
    same = res.person_id.values[1:] == res.person_id.values[:-1]
    assert (res.from_date.values[1:][same] > end.values[:-1][same]).all()
