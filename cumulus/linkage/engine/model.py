"""The Splink model: comparisons, blocking rules and training.

Each comparison is written out level by level (rather than Splink's ready-made ones) so the
levels match what agency data gets wrong: nicknames, one-letter typos and transpositions, a
forename and surname swapped, a day and month swapped in a date of birth, a mistyped digit
in an NHS number, a family that moved (same postcode district, not the same postcode).

The levels are written once, in DuckDB SQL; on Spark each is translated when Splink renders it
(:mod:`cumulus.linkage.engine.dialect`), so both backends compare by the same rules.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect
from splink.internals.splink_dataframe import SplinkDataFrame

from cumulus.linkage.engine.dialect import translate
from cumulus.linkage.engine.saved import MODEL_FORMAT

logging.getLogger("splink").setLevel(logging.WARNING)


class DuckDBLevel(cll.CustomLevel):
    """A level written in DuckDB SQL, rendered for whichever backend Splink runs on."""

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        return translate(self.sql_condition, source="duckdb", target=sql_dialect.sql_dialect_str)


def _null(column: str) -> ComparisonLevelCreator:
    return DuckDBLevel(f'"{column}_l" IS NULL OR "{column}_r" IS NULL').configure(
        is_null_level=True, label_for_charts="Missing on either side"
    )


def _level(sql: str, label: str) -> ComparisonLevelCreator:
    return DuckDBLevel(sql).configure(label_for_charts=label)


def forename_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="forename",
        comparison_description="Forename",
        comparison_levels=[
            _null("forename"),
            _level("forename_l = forename_r", "Exact match"),
            _level(
                "forename_l = surname_r AND surname_l = forename_r",
                "Forename and surname swapped",
            ),
            _level(
                "list_has_any(forename_variants_l, forename_variants_r)",
                "Nickname or first of several forenames",
            ),
            _level(
                "damerau_levenshtein(forename_l, forename_r) <= 1",
                "One typo or transposition",
            ),
            _level("jaro_winkler_similarity(forename_l, forename_r) >= 0.88", "Similar"),
            cll.ElseLevel(),
        ],
    )


def surname_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="surname",
        comparison_description="Surname",
        comparison_levels=[
            _null("surname"),
            _level("surname_l = surname_r", "Exact match"),
            _level("damerau_levenshtein(surname_l, surname_r) <= 1", "One typo or transposition"),
            _level(
                "jaro_winkler_similarity(surname_l, surname_r) >= 0.88 "
                "OR contains(surname_l, surname_r) OR contains(surname_r, surname_l)",
                "Similar, or part of a double-barrelled name",
            ),
            cll.ElseLevel(),
        ],
    )


def date_of_birth_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_description="Date of birth",
        comparison_levels=[
            _null("date_of_birth"),
            _level("date_of_birth_l = date_of_birth_r", "Exact match"),
            _level("dob_swapped_l = date_of_birth_r", "Day and month swapped"),
            _level(
                "damerau_levenshtein(CAST(date_of_birth_l AS VARCHAR), "
                "CAST(date_of_birth_r AS VARCHAR)) <= 1",
                "One digit different or transposed",
            ),
            _level(
                "abs(date_diff('day', date_of_birth_l, date_of_birth_r)) <= 31",
                "Within a month",
            ),
            _level(
                "abs(date_diff('day', date_of_birth_l, date_of_birth_r)) <= 366",
                "Within a year",
            ),
            cll.ElseLevel(),
        ],
    )


def sex_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="sex",
        comparison_description="Sex",
        comparison_levels=[_null("sex"), _level("sex_l = sex_r", "Same"), cll.ElseLevel()],
    )


def postcode_comparison() -> cl.CustomComparison:
    district = "regexp_extract({}, '^[A-Z]{{1,2}}[0-9][A-Z0-9]?')"
    return cl.CustomComparison(
        output_column_name="postcode",
        comparison_description="Postcode",
        comparison_levels=[
            _null("postcode"),
            _level("postcode_l = postcode_r", "Same postcode"),
            _level(
                "substr(postcode_l, 1, length(postcode_l) - 2) = "
                "substr(postcode_r, 1, length(postcode_r) - 2)",
                "Same sector",
            ),
            _level(
                f"{district.format('postcode_l')} = {district.format('postcode_r')}",
                "Same district",
            ),
            cll.ElseLevel(),
        ],
    )


def address_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="address",
        comparison_description="Address",
        comparison_levels=[
            _null("address"),
            _level("address_l = address_r", "Exact match"),
            _level("jaro_winkler_similarity(address_l, address_r) >= 0.9", "Very similar"),
            _level("jaccard(address_l, address_r) >= 0.6", "Many words in common"),
            cll.ElseLevel(),
        ],
    )


def _identifier_comparison(field: str, label: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=field,
        comparison_description=label,
        comparison_levels=[
            _null(f"{field}_raw"),
            _level(f"{field}_l = {field}_r", "Same valid number"),
            _level(
                f"damerau_levenshtein({field}_raw_l, {field}_raw_r) <= 1",
                "One character different or transposed",
            ),
            cll.ElseLevel(),
        ],
    )


def other_ids_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="other_ids",
        comparison_description="Other identifiers",
        comparison_levels=[
            _null("other_ids"),
            _level("list_has_any(other_ids_l, other_ids_r)", "An identifier in common"),
            cll.ElseLevel(),
        ],
    )


COMPARISONS: dict[str, Any] = {
    "forename": forename_comparison,
    "surname": surname_comparison,
    "date_of_birth": date_of_birth_comparison,
    "sex": sex_comparison,
    "postcode": postcode_comparison,
    "address": address_comparison,
    "nhs_number": lambda: _identifier_comparison("nhs_number", "NHS number"),
    "upn": lambda: _identifier_comparison("upn", "Unique pupil number"),
    "other_ids": other_ids_comparison,
}


def blocking_rules(fields: Iterable[str]) -> list[Any]:
    """Candidate pairs: any one of these agreeing. Tight rules keep comparisons per record low
    (the cost of linkage is the number of comparisons, not of records)."""
    have = set(fields)
    rules: list[Any] = []
    if "nhs_number" in have:
        rules.append(block_on("nhs_number_raw"))
    if "upn" in have:
        rules.append(block_on("upn_raw"))
    if "other_ids" in have:
        rules.append(block_on("other_id_first"))
    if {"surname", "date_of_birth"} <= have:
        rules.append(block_on("surname", "date_of_birth"))
    if {"forename", "date_of_birth"} <= have:
        rules.append(block_on("forename", "date_of_birth"))
    if {"postcode", "date_of_birth"} <= have:
        rules.append(block_on("postcode", "date_of_birth"))
    if {"forename", "surname", "date_of_birth"} <= have:
        rules.append(block_on("forename", "surname", "birth_year"))
    if {"surname", "postcode"} <= have:
        rules.append(block_on("surname", "postcode"))
    if not rules and "surname" in have:
        rules.append(block_on("surname"))
    if not rules:
        raise ValueError(
            "cannot block: map at least one of nhs_number, upn, or surname with date_of_birth"
        )
    return rules


def settings_for(fields: Iterable[str], *, link_type: str) -> SettingsCreator:
    """Splink settings comparing every field in ``fields`` (at least two are needed)."""
    chosen = [field for field in COMPARISONS if field in set(fields)]
    if len(chosen) < 2:
        raise ValueError(
            "linkage needs at least two fields with values on both sides; got "
            + (", ".join(chosen) or "none")
        )
    return SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]
        unique_id_column_name="unique_id",
        comparisons=[COMPARISONS[field]() for field in chosen],
        blocking_rules_to_generate_predictions=blocking_rules(chosen),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        probability_two_random_records_match=0.0001,
    )


def train(
    inputs: list[SplinkDataFrame],
    fields: Iterable[str],
    *,
    link_type: str,
    seed: int = 1,
    max_pairs_u: float = 1e6,
    max_pairs_em: float = 2e6,
) -> tuple[Linker, dict[str, Any]]:
    """Estimate the model from the data itself: u by random sampling, m by EM.

    Both are bounded by ``max_pairs`` so time and memory stay flat however large the inputs;
    EM runs twice, each blocked on something the other leaves free, so every comparison is
    estimated at least once. Returns the linker and the model as a JSON-ready dict.
    """
    have = set(fields)
    settings = settings_for(have, link_type=link_type)
    linker = Linker(inputs, settings, log_level=logging.WARNING)
    deterministic: list[Any] = []
    if "nhs_number" in have and "date_of_birth" in have:
        deterministic.append(block_on("nhs_number", "date_of_birth"))
    if "upn" in have and "date_of_birth" in have:
        deterministic.append(block_on("upn", "date_of_birth"))
    if {"forename", "surname", "date_of_birth"} <= have:
        deterministic.append(block_on("forename", "surname", "date_of_birth"))
    if deterministic:
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.8)
    # One chunk: the early-stopping probe never stops here, because some levels (a forename
    # and surname swapped) are too rare among random pairs to reach its minimum count.
    linker.training.estimate_u_using_random_sampling(
        max_pairs=max_pairs_u, seed=seed, num_chunks=1, min_count_per_level=None
    )
    em_rules = []
    if {"surname", "date_of_birth"} <= have:
        em_rules.append(block_on("surname", "date_of_birth"))
    if "nhs_number" in have:
        em_rules.append(block_on("nhs_number_raw"))
    elif "upn" in have:
        em_rules.append(block_on("upn_raw"))
    elif {"forename", "surname"} <= have:
        em_rules.append(block_on("forename", "surname"))
    elif {"forename", "postcode"} <= have:
        em_rules.append(block_on("forename", "postcode"))
    if not em_rules and "surname" in have:
        em_rules.append(block_on("surname"))
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=max_pairs_em
        )
    model = finalise(linker.misc.save_model_to_json(), max_pairs_u=max_pairs_u)
    model["cumulus"] = {"format": MODEL_FORMAT, "fields": sorted(have)}
    return linker, model


M_FLOOR = 1e-4


def finalise(model: dict[str, Any], *, max_pairs_u: float) -> dict[str, Any]:
    """Fill what training could not observe, so no level carries infinite or missing weight.

    A level never seen among matches (m of 0 or missing: a sex mismatch, when the training
    data never had one) gets m = ``M_FLOOR``: strong evidence against, but not a veto that
    one keying error could trigger. A level never seen among random pairs (u missing: a
    mistyped NHS number) gets u = 1 / ``max_pairs_u``, the most it could be and not be seen.
    """
    for comparison in model.get("comparisons", []):
        levels = [
            lv for lv in comparison.get("comparison_levels", []) if not lv.get("is_null_level")
        ]
        if levels and not any(lv.get("m_probability") for lv in levels):
            # Never estimated (every EM pass blocked on it): Splink's own starting values,
            # most matches in the first level, the rest spread below it.
            levels[0]["m_probability"] = 0.9
            for lv in levels[1:]:
                lv["m_probability"] = 0.1 / (len(levels) - 1)
        for level in comparison.get("comparison_levels", []):
            if level.get("is_null_level"):
                continue
            if not level.get("m_probability"):
                level["m_probability"] = M_FLOOR
            else:
                level["m_probability"] = max(float(level["m_probability"]), M_FLOOR)
            if not level.get("u_probability"):
                level["u_probability"] = 1.0 / max_pairs_u
    return model
