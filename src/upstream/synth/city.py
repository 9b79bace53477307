"""generate_city: the whole synthetic city, stage by stage, with progress reports."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa

from upstream import sources
from upstream.errors import InputError
from upstream.synth import params, truth, writer
from upstream.synth.events import Events, generate_events, load_streams, parental_toxic_trio
from upstream.synth.extracts.build import BUILDERS, USES_NICKNAMES
from upstream.synth.extracts.columns import CityView
from upstream.synth.extracts.contracts import CONTRACTS
from upstream.synth.identity import Names, assign_names
from upstream.synth.names import build_name_book
from upstream.synth.needs import household_adversity, latent_needs
from upstream.synth.places import Places, build_places, ward_count
from upstream.synth.population import ROLE_CHILD, Population, build_population
from upstream.synth.records import source_records
from upstream.synth.residence import Residence, household_spells, memberships, residence_intervals
from upstream.synth.timeline import household_moves, initial_allocation, life_events, vacancy_chain

Progress = Callable[[str], None]
# One extract per agency source in the catalogue, in its order (no agency sends the front door's).
EXTRACTS = sources.agency_codes()
STAGES = ("people", "needs", "places", "moves", "events", "truth", *EXTRACTS, "manifest")


def stage_rng(seed: int, stage: str) -> np.random.Generator:
    """An independent random stream per stage, so changing one stage leaves others alone."""
    return np.random.default_rng([seed, zlib.crc32(stage.encode())])


def check_arguments(people: int, seed: int) -> None:
    if not params.MIN_PEOPLE <= people <= params.MAX_PEOPLE:
        raise InputError(
            f"must be between {params.MIN_PEOPLE:,} and {params.MAX_PEOPLE:,} (got {people:,})",
            where="--people",
        )
    if seed < 0:
        raise InputError(f"must be zero or positive (got {seed})", where="--seed")


def generate_city(
    *,
    people: int = 20_000,
    seed: int = 42,
    out: Path | str = "var/city",
    progress: Progress | None = None,
) -> dict[str, object]:
    """Generate the city into `out` and return the manifest (also written to out/manifest.json)."""
    check_arguments(people, seed)
    out = Path(out)
    writer.prepare_out_dir(out)
    step = progress or (lambda _stage: None)
    book = build_name_book()
    pop = build_population(stage_rng(seed, "people"), people)
    names = assign_names(stage_rng(seed, "names"), pop, book)
    step("people")
    adversity = household_adversity(stage_rng(seed, "adversity"), len(pop.household_kind))
    needs = latent_needs(stage_rng(seed, "needs"), pop, adversity)
    needs["parental_toxic_trio"] = parental_toxic_trio(pop.household, pop.role == ROLE_CHILD, needs)
    step("needs")
    rng = stage_rng(seed, "life")
    life = life_events(rng, pop, needs)
    n_households = len(pop.household_kind) + len(life.leaver)
    places = build_places(
        stage_rng(seed, "places"),
        int(n_households * (1 + params.SPARE_PROPERTY_SHARE)) + 10,
        ward_count(people),
    )
    step("places")
    home = initial_allocation(rng, pop, adversity, places.tenure, places.deprivation)
    insecure = np.zeros(len(home), dtype=bool)
    insecure[pop.household[needs["housing_insecurity"]]] = True
    requests = household_moves(
        rng, home, places.tenure, life, insecure, pop.household[life.nfa_people]
    )
    moved = vacancy_chain(rng, home, n_households, places.tenure, requests)
    spells = household_spells(home, life, moved, n_households)
    members = memberships(pop, life)
    residence = residence_intervals(members, spells, n_households)
    step("moves")
    present_from, present_to = _presence(members, len(pop.sex))
    streams = load_streams()
    events = generate_events(
        stage_rng(seed, "events"), streams, pop.age, needs, present_from, present_to
    )
    step("events")
    nhs = truth.nhs_numbers(stage_rng(seed, "nhs"), len(pop.sex))
    files = _write_truth(
        out, pop, names, life.dod_day, nhs, places, residence, needs, adversity, len(life.leaver)
    )
    step("truth")
    view = CityView(
        rng=stage_rng(seed, "extracts"), vocabulary=pa.array(names.vocabulary), sex=pop.sex,
        ethnic_group=pop.ethnic_group, nhs_number=nhs, nino_index=stage_rng(seed, "nino").permutation(len(pop.sex)),
        places=places, line1=pa.array(places.address_line_1), line2=pa.array(places.address_line_2),
        postcode=pa.array(places.postcode), streams=streams, nickname=names.nickname, send=needs["send"],
    )  # fmt: skip
    record_truth = []
    for source in EXTRACTS:
        entry, table = _write_source(out, source, seed, events, names, pop.dob, residence, view)
        files.append(entry)
        record_truth.append(table)
        step(source)
    files.append(
        _write_table(out, "truth/record_truth.parquet", pa.concat_tables(record_truth), "truth")
    )
    manifest = _manifest(people, seed, files, places.ward_names)
    writer.write_manifest(out, manifest)
    step("manifest")
    return manifest


def _presence(members: tuple[np.ndarray, ...], n: int) -> tuple[np.ndarray, np.ndarray]:
    person, _hh, frm, to = members
    first = np.full(n, params.WINDOW_DAYS, dtype=np.int64)
    last = np.full(n, -1, dtype=np.int64)
    np.minimum.at(first, person, frm)
    np.maximum.at(last, person, to)
    return first, last


def _write_table(out: Path, relative: str, table: pa.Table, kind: str) -> dict[str, object]:
    path = out / relative
    writer.write_parquet(table, path)
    return writer.file_entry(path, out, table.num_rows, kind)


def _write_truth(
    out: Path,
    pop: Population,
    names: Names,
    dod_day: np.ndarray,
    nhs: np.ndarray,
    places: Places,
    residence: Residence,
    needs: dict[str, np.ndarray],
    adversity: np.ndarray,
    n_new: int,
) -> list[dict[str, object]]:
    tables = {
        "truth/people.parquet": truth.people_table(pop, names, dod_day, nhs),
        "truth/properties.parquet": truth.properties_table(places),
        "truth/residence.parquet": truth.residence_table(residence, places),
        "truth/households.parquet": truth.households_table(pop, n_new, adversity),
        "truth/needs.parquet": truth.needs_table(needs),
    }
    return [_write_table(out, path, table, "truth") for path, table in tables.items()]


def _write_source(
    out: Path,
    source: str,
    seed: int,
    events: Events,
    names: Names,
    dob: np.ndarray,
    residence: Residence,
    view: CityView,
) -> tuple[dict[str, object], pa.Table]:
    contract = CONTRACTS[source]
    in_source = np.flatnonzero(np.array([s.source == source for s in view.streams])[events.stream])
    rng = stage_rng(seed, f"records:{source}")
    records = source_records(
        rng,
        source,
        events.person[in_source],
        events.day[in_source],
        events.stream[in_source],
        names,
        dob,
        residence,
        source in USES_NICKNAMES,
    )
    view.vocabulary = pa.array(names.vocabulary)  # noise adds misspelt names
    columns = BUILDERS[source](view, records)
    table = pa.table(columns)
    path = writer.write_extract(table, contract, out / "extracts")
    entry = writer.file_entry(
        path,
        out,
        table.num_rows,
        "extract",
        source=source,
        format=contract.format,
        encoding=contract.encoding,
        delimiter=contract.delimiter,
    )
    record_col = next(c.name for c in contract.columns if c.identifier == "record id")
    local_col = next(c.name for c in contract.columns if "duplicates possible" in c.identifier)
    cost = np.array([s.gmca_cost_gbp for s in view.streams])[records.stream]
    flags = {k: v[records.registration] for k, v in records.identity.noise_flags.items()}
    truth_rows = truth.record_truth_table(
        source,
        columns[record_col],
        columns[local_col],
        records.person,
        records.identity.duplicate[records.registration],
        records.stale_address,
        _stream_types(view, records.stream),
        _stream_codes(view, records.stream),
        cost,
        flags,
    )
    return entry, truth_rows


def _stream_types(view: CityView, stream: np.ndarray) -> pa.Array:
    return pa.array([s.event_type for s in view.streams]).take(pa.array(stream))


def _stream_codes(view: CityView, stream: np.ndarray) -> pa.Array:
    return pa.array([s.gmca_code for s in view.streams]).take(pa.array(stream))


def _manifest(
    people: int, seed: int, files: list[dict[str, object]], wards: list[str]
) -> dict[str, object]:
    # The wards are listed so that whoever reads the city (the directory's demo step) learns
    # them from the data, as it would from a council's, not from the generator's code.
    return {
        "generator": "upstream.synth",
        "generator_version": params.GENERATOR_VERSION,
        "seed": seed,
        "people": people,
        "window": {"start": str(params.WINDOW_START), "end": str(params.WINDOW_END)},
        "records_in_extracts": sum(int(f["rows"]) for f in files if f["kind"] == "extract"),  # type: ignore[call-overload]
        "wards": wards,
        "files": files,
    }
