"""Linkage: guards against over-linking families, persistent IDs, and accuracy on a small city."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from upstream.insight.linkage.clusters import ConstrainedUnion, _choose_ids, dates_compatible
from upstream.insight.linkage.pipeline import LinkOptions
from upstream.insight.service import run_link
from upstream.insight.workspace import Workspace

pytestmark = pytest.mark.core
OPTIONS = LinkOptions(threads=2, memory_limit="2GB")


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        ("1980-02-01", "1980-02-01", True),
        ("1980-02-01", "1980-01-02", True),  # day and month swapped
        ("1980-02-01", "1981-02-01", True),  # one digit of the year
        ("1980-02-13", "1980-02-31", True),  # adjacent digits swapped
        ("1957-04-21", "1986-07-22", False),  # a father and his namesake son
        ("2007-08-25", "2008-12-31", False),  # siblings
    ],
)
def test_dates_of_birth_are_compatible_only_when_one_could_be_a_typo_of_the_other(
    a: str, b: str, compatible: bool
) -> None:
    assert dates_compatible(a, b) is compatible


def test_a_record_without_a_birth_date_cannot_chain_a_father_to_his_son() -> None:
    union = ConstrainedUnion(["1957-04-21", None, "1986-07-22"], [None, None, None])
    union.union(0, 1, constrained=True)
    union.union(1, 2, constrained=True)
    assert union.find(0) == union.find(1) != union.find(2)


def test_two_nhs_numbers_are_two_people_for_probabilistic_links_but_rules_still_join() -> None:
    union = ConstrainedUnion([None, None], ["9434765919", "9434765870"])
    union.union(0, 1, constrained=True)
    assert union.find(0) != union.find(1)


def test_a_cluster_keeps_its_earlier_person_id() -> None:
    chosen, lineage = _choose_ids([(0, "P00000007", 3), (0, None, 1)], next_number=8, run_id="r")
    assert chosen == {0: "P00000007"} and lineage == []


def test_merging_two_earlier_people_keeps_the_older_id_and_records_the_merge() -> None:
    chosen, lineage = _choose_ids(
        [(0, "P00000002", 2), (0, "P00000005", 1)], next_number=9, run_id="r"
    )
    assert chosen == {0: "P00000002"}
    assert lineage == [("P00000005", "P00000002", "merge", "r")]


def test_splitting_an_earlier_person_gives_the_smaller_part_a_new_id_and_records_the_split() -> (
    None
):
    chosen, lineage = _choose_ids(
        [(0, "P00000003", 5), (1, "P00000003", 2)], next_number=9, run_id="r"
    )
    assert chosen == {0: "P00000003", 1: "P00000009"}
    assert lineage == [("P00000003", "P00000009", "split", "r")]


def test_new_people_get_new_ids_in_order() -> None:
    chosen, _ = _choose_ids([(0, None, 1), (1, None, 4)], next_number=1, run_id="r")
    assert chosen == {0: "P00000001", 1: "P00000002"}


def test_the_pipeline_links_a_small_city_accurately(linked_city: dict[str, object]) -> None:
    accuracy = linked_city["result"]["accuracy"]  # type: ignore[index]
    assert accuracy["pairwise_precision"] >= 0.99
    assert accuracy["pairwise_f1"] >= 0.98


def test_a_second_incremental_run_over_the_same_records_keeps_every_id(
    linked_city: dict[str, object], small_city: Path, tmp_path: Path
) -> None:
    data_dir = Path(str(linked_city["data_dir"]))
    shutil.copytree(data_dir / "insight", tmp_path / "insight")
    before = _ids(tmp_path)
    run_link(tmp_path, city_dir=small_city, incremental=True, options=OPTIONS)
    after = _ids(tmp_path)
    assert after == before


def _ids(data_dir: Path) -> dict[str, str]:
    with Workspace.insight(data_dir).open(read_only=True) as con:
        return dict(con.execute("SELECT record_key, person_id FROM record_person").fetchall())


def test_the_quality_report_is_written_with_its_model(linked_city: dict[str, object]) -> None:
    folder = Path(str(linked_city["folder"]))
    for name in (
        "quality.html",
        "quality.json",
        "link_rates.csv",
        "clerical_review.csv",
        "model.json",
    ):
        assert (folder / name).exists(), name
    assert "Linkage quality report" in (folder / "quality.html").read_text(encoding="utf-8")


def test_every_event_is_costed_with_a_paying_agency(linked_city: dict[str, object]) -> None:
    counts = linked_city["counts"]
    assert counts["uncosted_events"] == 0  # type: ignore[index]
    assert counts["costed_events"] == counts["records"]  # type: ignore[index]
