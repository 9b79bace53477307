"""The Splink 5 model specification for people: comparisons, blocking, training rules.

Kept apart from its execution (linkage/pipeline.py), as Splink keeps `SettingsCreator` apart
from the linker. The unit compared is an *identity*: the distinct identity details one source
holds under one local reference (see pipeline.build_identities), not each event row.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

# A match is a pair scoring at least this probability. Splink's examples use 0.95; measured on
# the 20,000-person synthetic city (seed 42), 0.80 gains recall (cluster recall 0.984 -> 0.987,
# cluster precision 0.972 -> 0.981) at the same pairwise precision (0.998), because the guards
# (pipeline.guard_sql, clusters.ConstrainedUnion) stop the extra links chaining families.
MATCH_PROBABILITY = 0.80
# Prior that two random identities are the same person: about 2 identities per person in a
# city of N people gives ~1/N; recomputed from the data by Splink's deterministic-rule estimate.
RECALL_OF_DETERMINISTIC_RULES = 0.8
# Pairs sampled to estimate u (non-match) probabilities. Splink's docs: 1e7 is "often adequate",
# 1e8-1e9 best; 2e7 keeps training under a minute at 1.1M people on two cores.
U_SAMPLE_PAIRS = 2e7
# Pairs per EM session. Blocking on forename + surname grows with the square of the city
# (6 million pairs at 100,000 people, ~750 million at 1.1 million); Splink's max_pairs samples
# records so each session sees about this many, which is plenty for EM to converge.
EM_MAX_PAIRS = 5e6


def _forename() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="forename",
        comparison_levels=[
            cll.CustomLevel(
                "(forename_l IS NULL OR forename_r IS NULL) AND (forename_initial_l IS NULL OR forename_initial_r IS NULL)"
            ).configure(is_null_level=True),
            cll.ExactMatchLevel("forename", term_frequency_adjustments=True),
            # One side has only initials (drug and alcohol treatment, NDTMS-style attributors):
            # its own level, so its weight is learned apart from "same initial, other name".
            cll.CustomLevel(
                "(forename_l IS NULL OR forename_r IS NULL) AND forename_initial_l = forename_initial_r",
                "initial only, agrees",
            ),
            # Forename and surname swapped (0.5% of records: Christen 2012, "Data Matching").
            cll.CustomLevel(
                "forename_l = surname_r AND surname_l = forename_r", "swapped with surname"
            ),
            cll.CustomLevel(
                "list_has_any(forename_aliases_l, forename_aliases_r)", "nickname or known-as"
            ),
            cll.JaroWinklerLevel("forename", 0.92),
            cll.JaroWinklerLevel("forename", 0.80),
            cll.CustomLevel("forename_initial_l = forename_initial_r", "same initial"),
            cll.ElseLevel(),
        ],
    )


def _surname() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="surname",
        comparison_levels=[
            cll.CustomLevel(
                "(surname_l IS NULL OR surname_r IS NULL) AND (surname_initial_l IS NULL OR surname_initial_r IS NULL)"
            ).configure(is_null_level=True),
            cll.ExactMatchLevel("surname", term_frequency_adjustments=True),
            cll.CustomLevel(
                "forename_l = surname_r AND surname_l = forename_r", "swapped with forename"
            ),
            cll.JaroWinklerLevel("surname", 0.92),
            # One part of a hyphenated or double-barrelled surname, e.g. OSEI-OKAFOR and OKAFOR.
            cll.CustomLevel(
                "list_has_any(string_split_regex(surname_l, '[- ]'), string_split_regex(surname_r, '[- ]'))",
                "shares a surname part",
            ),
            cll.JaroWinklerLevel("surname", 0.80),
            cll.CustomLevel("surname_initial_l = surname_initial_r", "same initial"),
            cll.ElseLevel(),
        ],
    )


def _dob() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob"),
            # Day and month transposed (1-2% of records: ONS 2019, admin data quality).
            cll.CustomLevel(
                "day(dob_l) = month(dob_r) AND month(dob_l) = day(dob_r) AND year(dob_l) = year(dob_r)",
                "day and month swapped",
            ),
            cll.CustomLevel(
                "damerau_levenshtein(CAST(dob_l AS VARCHAR), CAST(dob_r AS VARCHAR)) <= 1",
                "one character different",
            ),
            cll.CustomLevel("abs(date_diff('day', dob_l, dob_r)) <= 366", "within a year"),
            cll.ElseLevel(),
        ],
    )


def _postcode() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="postcode",
        comparison_levels=[
            cll.NullLevel("postcode"),
            cll.ExactMatchLevel("postcode", term_frequency_adjustments=True),
            cll.CustomLevel(
                "left(postcode_l, length(postcode_l) - 2) = left(postcode_r, length(postcode_r) - 2)",
                "same sector",
            ),
            cll.CustomLevel(
                "split_part(postcode_l, ' ', 1) = split_part(postcode_r, ' ', 1)", "same district"
            ),
            cll.ElseLevel(),
        ],
    )


def person_settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="identity_id",
        comparisons=[_forename(), _surname(), _dob(), _postcode(), cl.ExactMatch("sex")],
        blocking_rules_to_generate_predictions=prediction_blocking_rules(),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=True,
    )


def prediction_blocking_rules() -> list[BlockingRuleCreator | dict[str, Any]]:
    """Combinations that scale: never a common surname alone, never the date of birth alone.

    Each rule catches a different error: a new surname (forename + dob), a typo in the date
    (names + year), initials only (initials + dob + postcode district; initials + postcode for
    a mistyped date), a move (names + dob), names swapped (dob + postcode).
    """
    return [
        block_on("surname", "dob"),
        block_on("forename", "dob"),
        block_on("dob", "postcode"),
        block_on("forename", "surname", "year(dob)"),
        block_on("forename", "postcode"),
        block_on("surname_initial", "forename_initial", "dob", "split_part(postcode, ' ', 1)"),
        block_on("surname_initial", "forename_initial", "dob", "sex"),
        block_on("surname_initial", "forename_initial", "postcode"),
    ]


def training_blocking_rules() -> list[BlockingRuleCreator]:
    """EM sessions: each fixes some fields so the others' m probabilities can be learned."""
    return [
        block_on("forename", "surname"),
        block_on("dob", "postcode"),
        block_on("surname", "dob"),
    ]


def deterministic_rules() -> list[str | BlockingRuleCreator]:
    """Rules for estimating the match prior (Splink's estimate_probability_two_random_records_match)."""
    return [
        "l.forename = r.forename AND l.surname = r.surname AND l.dob = r.dob",
        "l.nhs_number = r.nhs_number",
    ]
