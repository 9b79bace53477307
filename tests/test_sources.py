"""The source catalogue names each agency source once, and everything that lists sources agrees
with it: the dataset register, the identification rules, ingest's contracts, the synthetic city."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from upstream import sources
from upstream.errors import InputError
from upstream.governance.register import read_register
from upstream.identify.rules import load_rulesets
from upstream.insight.contract import bundled_contracts_dir, load_contract, load_contracts
from upstream.synth.extracts.build import BUILDERS
from upstream.synth.extracts.contracts import CONTRACTS

pytestmark = pytest.mark.core

CODES = sources.codes()
AGENCIES = sources.agency_codes()


def _event_streams() -> set[tuple[str, str]]:
    text = resources.files("upstream.synth").joinpath("data/event_streams.csv").read_text("utf-8")
    return {(r["source"], r["event_type"]) for r in csv.DictReader(text.splitlines())}


def test_the_catalogue_names_the_ten_agency_sources_each_with_a_label_people_read() -> None:
    assert AGENCIES == (
        "housing",
        "revs_benefits",
        "childrens",
        "adults",
        "schools",
        "police",
        "health",
        "dwp",
        "youth_offending",
        "drug_alcohol",
    )
    assert sources.labels()["dwp"] == "Jobcentre (DWP)"
    assert sources.source("housing").event_label("HAPP") == "Homelessness application decided"


def test_the_front_door_is_the_one_provisional_source_and_records_no_events() -> None:
    assert sources.codes() == (*AGENCIES, "front_door")
    assert sources.provisional_codes() == ("front_door",)
    front_door = sources.source("front_door")
    assert front_door.label == "Front door requests"
    assert not front_door.events
    contract = load_contract(bundled_contracts_dir() / front_door.contract)
    assert contract.event is None  # identities only: it links and adds no event or cost
    assert {"forename", "surname", "dob", "postcode"} <= set(contract.role_columns())


def test_every_source_has_one_dataset_register_entry_and_every_entry_one_source() -> None:
    register = [entry.code for entry in read_register()]
    assert sorted(register) == sorted(sources.datasets().values())
    assert len(set(register)) == len(register)


def test_a_register_entry_for_no_source_in_the_catalogue_is_refused() -> None:
    text = (
        "[[dataset]]\ncode = 'fire'\nname = 'Fire'\ncontroller = 'The fire service'\n"
        "lawful_basis = 'UK GDPR Art 6(1)(e)'\n"
    )
    with pytest.raises(InputError, match="source catalogue"):
        read_register(text)


def test_every_ingest_contract_is_for_its_catalogue_source_and_its_event_types() -> None:
    assert [c.source for c in load_contracts()] == sorted(CODES)
    for entry in sources.catalogue():
        contract = load_contract(bundled_contracts_dir() / entry.contract)
        assert contract.source == entry.code
        if entry.provisional:
            continue
        assert contract.event and contract.event.type_column, entry.code
        codes = contract.column(contract.event.type_column).codes
        assert set(codes) == set(entry.events), entry.code


def test_no_bundled_contract_is_left_out_of_the_catalogue() -> None:
    bundled = {p.name for p in bundled_contracts_dir().glob("*.toml")}
    assert bundled == {s.contract for s in sources.catalogue()}


def test_the_synthetic_city_makes_one_extract_per_source_of_its_catalogue_event_types() -> None:
    assert list(CONTRACTS) == list(AGENCIES)
    assert set(BUILDERS) == set(AGENCIES)
    assert _event_streams() == set(sources.event_labels())
    for entry in (sources.source(code) for code in AGENCIES):
        ingest = load_contract(bundled_contracts_dir() / entry.contract)
        assert ingest.files == (CONTRACTS[entry.code].file,), entry.code


def test_rules_name_only_catalogue_sources_and_event_types() -> None:
    known = set(sources.event_labels())
    for ruleset in load_rulesets():
        for need in ruleset.needs:
            for source, kind in need.patterns():
                assert source == "*" or source in CODES, (ruleset.id, need.id)
                assert kind == "*" or (source, kind) in known, (ruleset.id, need.id)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[source]]\ncode = 'x'\nlabel = 'X'\ndataset = 'x'\n", "has no `contract`"),
        (
            "[[source]]\ncode = 'x'\nlabel = 'X'\ndataset = 'x'\ncontract = 'x.toml'\n"
            "[source.events]\nA = 'a'\n"
            "[[source]]\ncode = 'x'\nlabel = 'Y'\ndataset = 'y'\ncontract = 'y.toml'\n"
            "[source.events]\nB = 'b'\n",
            "named twice: x",
        ),
        ("[[source]]\ncode = 'x'", "has no `label`"),
        (
            "[[source]]\ncode = 'x'\nlabel = 'X'\ndataset = 'x'\ncontract = 'x.toml'\n",
            "an agency source has `events`",
        ),
        (
            "[[source]]\ncode = 'x'\nlabel = 'X'\ndataset = 'x'\ncontract = 'x.toml'\n"
            "provisional = 'yes'\n",
            "`provisional` is true or false",
        ),
        ("[[source]", "not valid TOML"),
    ],
)
def test_a_bad_catalogue_says_what_is_wrong_and_where(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as error:
        sources.parse_catalogue(text, "sources.toml")
    assert "sources.toml" in error.value.one_line()


def test_an_unknown_source_code_is_named_in_the_error() -> None:
    with pytest.raises(InputError, match="'nowhere'"):
        sources.source("nowhere")
