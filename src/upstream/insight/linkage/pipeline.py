"""Link person records into people: identities, deterministic rules, Splink, clusters.

1. Identities: rows with the same source reference and the same identity details are one
   identity (an A&E regular's 40 attendances are one identity, compared once).
2. Deterministic edges: the same source reference; the same valid NHS number; the same UPRN,
   date of birth and forename (a twin has another forename; a parent another birth date).
3. Splink 5 on DuckDB, trained without labels (u by random sampling, m by EM), scores pairs
   from blocking rules that scale; pairs at or above MATCH_PROBABILITY are edges unless a
   guard forbids them (different NHS numbers; clearly different forenames at one birth date).
4. Connected components of the edges are people (clusters.py gives them persistent IDs).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker

from upstream.insight.linkage import settings as model_spec

IDENTITY_FIELDS = (
    "forename",
    "surname",
    "known_as",
    "forename_initial",
    "surname_initial",
    "dob",
    "sex",
    "postcode",
    "uprn",
    "nhs_number",
)


@dataclass(frozen=True)
class LinkOptions:
    threads: int = 2
    memory_limit: str = "6GB"  # the budget is 8 GiB peak on two cores
    incremental: bool = False  # score only pairs with a new identity, keep earlier links
    model_path: Path | None = None  # a trained model to reuse (incremental runs)
    seed: int = 42


def build_identities(con: duckdb.DuckDBPyConnection) -> None:
    """`identities` (one row per distinct identity) and `record_identity` (record -> identity)."""
    key = (
        "md5(concat_ws('|', coalesce(local_key, record_key), "
        + ", ".join(f"coalesce(CAST({f} AS VARCHAR), '')" for f in IDENTITY_FIELDS)
        + "))"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE keyed AS SELECT *, {key} AS identity_key FROM person_records"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TABLE identities AS
        SELECT row_number() OVER (ORDER BY identity_key) AS identity_id, identity_key,
               any_value(source) AS source, any_value(coalesce(local_key, record_key)) AS holder,
               {", ".join(f"any_value({f}) AS {f}" for f in IDENTITY_FIELDS)},
               any_value(forename_aliases) AS forename_aliases, count(*) AS records
        FROM keyed GROUP BY identity_key
        """
    )
    con.execute(
        "CREATE OR REPLACE TABLE record_identity AS SELECT k.record_key, i.identity_id "
        "FROM keyed k JOIN identities i USING (identity_key)"
    )


DETERMINISTIC = {
    "source_reference": "holder",
    "nhs_number": "nhs_number",
    "uprn_dob": "uprn, dob, forename",
}


def deterministic_edges(con: duckdb.DuckDBPyConnection) -> None:
    """`edges` from the strong rules: each identity joins the first identity sharing the key."""
    parts = []
    for method, columns in DETERMINISTIC.items():
        nonnull = " AND ".join(f"{c.strip()} IS NOT NULL" for c in columns.split(","))
        parts.append(
            f"SELECT min(identity_id) OVER (PARTITION BY {columns}) AS identity_l, identity_id AS identity_r, "
            f"'{method}' AS method, CAST(1.0 AS DOUBLE) AS match_probability FROM identities WHERE {nonnull}"
        )
    union = " UNION ALL ".join(parts)
    con.execute(
        f"CREATE OR REPLACE TABLE edges AS SELECT * FROM ({union}) WHERE identity_l != identity_r"
    )


def _splink_input(con: duckdb.DuckDBPyConnection, new_keys: set[str] | None) -> pa.Table:
    table = con.sql(
        "SELECT identity_id, identity_key, forename, surname, forename_initial, surname_initial, dob, sex, "
        "postcode, nhs_number, forename_aliases FROM identities"
    ).to_arrow_table()
    is_new = (
        [True] * table.num_rows
        if new_keys is None
        else [k in new_keys for k in table["identity_key"].to_pylist()]
    )
    return table.append_column("is_new", pa.array(is_new))


def _linker(splink_con: duckdb.DuckDBPyConnection, identities: pa.Table, settings: Any) -> Linker:
    db_api = DuckDBAPI(connection=splink_con)
    frame = db_api.register(identities, dataset_display_name="identities")
    return Linker(frame, settings, log_level=logging.ERROR)


def train(linker: Linker, seed: int) -> None:
    """Unsupervised: prior from deterministic rules, u from random pairs, m from EM sessions."""
    training = linker.training
    training.estimate_probability_two_random_records_match(
        model_spec.deterministic_rules(), recall=model_spec.RECALL_OF_DETERMINISTIC_RULES
    )
    training.estimate_u_using_random_sampling(max_pairs=model_spec.U_SAMPLE_PAIRS, seed=seed)
    for rule in model_spec.training_blocking_rules():
        training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=model_spec.EM_MAX_PAIRS
        )


def _incremental_settings(model_path: Path) -> dict[str, Any]:
    """The saved model, with every prediction rule limited to pairs that involve a new identity."""
    import json

    settings: dict[str, Any] = json.loads(model_path.read_text(encoding="utf-8"))
    rules = settings["blocking_rules_to_generate_predictions"]
    settings["blocking_rules_to_generate_predictions"] = [
        {**rule, "blocking_rule": f"({rule['blocking_rule']}) AND (l.is_new OR r.is_new)"}
        for rule in rules
    ]
    return settings


def splink_edges(
    con: duckdb.DuckDBPyConnection,
    options: LinkOptions,
    model_out: Path,
    new_keys: set[str] | None = None,
) -> None:
    """Train (or reuse) the model, predict, and add guarded edges to `edges`."""
    splink_con = duckdb.connect()
    # Spill beside the run, not into ./.tmp (DuckDB's default for in-memory databases).
    splink_con.execute(
        f"SET threads = {options.threads}; SET memory_limit = '{options.memory_limit}'; "
        f"SET temp_directory = '{model_out.parent / 'tmp'}'"
    )
    identities = _splink_input(con, new_keys)
    if options.incremental and options.model_path:
        linker = _linker(splink_con, identities, _incremental_settings(options.model_path))
    else:
        linker = _linker(splink_con, identities, model_spec.person_settings())
        train(linker, options.seed)
    for column in ("forename", "surname", "postcode"):
        linker.table_management.compute_tf_table(column)
    linker.misc.save_model_to_json(str(model_out), overwrite=True)
    predictions = linker.inference.predict(threshold_match_probability=model_spec.MATCH_PROBABILITY)
    pairs = (
        predictions.as_duckdbpyrelation()
        .select("identity_id_l AS identity_l, identity_id_r AS identity_r, match_probability")
        .to_arrow_table()
    )
    con.register("splink_pairs", pairs)
    con.execute(
        "INSERT INTO edges SELECT p.identity_l, p.identity_r, 'probabilistic', p.match_probability "
        "FROM splink_pairs p JOIN identities a ON a.identity_id = p.identity_l "
        f"JOIN identities b ON b.identity_id = p.identity_r WHERE NOT ({guard_sql()})"
    )
    con.unregister("splink_pairs")
    splink_con.close()


def guard_sql() -> str:
    """Pairs Splink may score highly but that are not one person (over-linking of families).

    Two valid NHS numbers that differ are two people; so are two birth dates more than a year
    apart that are not a typo of each other (a father and his namesake son). At one date of birth, two full forenames
    that are neither aliases, nor close (Jaro-Winkler < 0.8), nor swapped with the surname are
    twins, not typos.
    """
    return (
        "coalesce((a.nhs_number IS NOT NULL AND b.nhs_number IS NOT NULL AND a.nhs_number != b.nhs_number) OR "
        "(abs(date_diff('day', a.dob, b.dob)) > 366 AND damerau_levenshtein(CAST(a.dob AS VARCHAR), CAST(b.dob AS VARCHAR)) > 1 "
        "AND NOT (day(a.dob) = month(b.dob) AND month(a.dob) = day(b.dob))) OR "
        "(a.dob = b.dob AND length(a.forename) > 1 AND length(b.forename) > 1 "
        "AND NOT list_has_any(a.forename_aliases, b.forename_aliases) AND a.forename != coalesce(b.surname, '') "
        "AND jaro_winkler_similarity(a.forename, b.forename) < 0.8), false)"
    )
