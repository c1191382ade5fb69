"""The engine's SQL identifier checks agree with cumulus.core.identifiers, value for value.

core/tests covers the algorithms themselves; these tests hold the SQL copies to them, and
check what linkage does with a bad identifier (kept as raw evidence, never trusted).
"""

# ruff: noqa: S608 - SQL is built from our own table names and quoted column names; values are
# always parameters or registered tables.

from __future__ import annotations

import random

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from cumulus.core import identifiers
from cumulus.linkage import engine
from cumulus.linkage.engine.prepare import nhs_number_valid_sql, upn_valid_sql

con = engine.connect(threads=1)


def _sql_true(expression: str, value: str) -> bool:
    rows = con.execute(f"SELECT coalesce({expression}, false) FROM (SELECT ? AS v)", [value])
    return bool(rows.fetchall()[0][0])


def _core_valid(validate: object, value: str) -> bool:
    try:
        validate(value)  # type: ignore[operator]
    except identifiers.IdentifierError:
        return False
    return True


KNOWN_GOOD_NHS = ["9434765919", "9990000018", "4010232137"]
KNOWN_BAD_NHS = ["9434765918", "943476591", "94347659190", "943476591X", "9434765870"]
KNOWN_GOOD_UPN = ["P207000016049", "A999123456789"]
KNOWN_BAD_UPN = ["B207000016049", "P20700001604", "I207000016049", "P2070000160S9"]


def test_known_good_and_bad_nhs_numbers_agree_with_core():
    for number in KNOWN_GOOD_NHS + KNOWN_BAD_NHS:
        assert _sql_true(nhs_number_valid_sql("v"), number) == _core_valid(
            identifiers.validate_nhs_number, number
        ), number
    assert all(_sql_true(nhs_number_valid_sql("v"), n) for n in KNOWN_GOOD_NHS[:2])


def test_known_good_and_bad_upns_agree_with_core():
    good = [identifiers.synthetic_upn(random.Random(seed)) for seed in range(20)]
    for upn in KNOWN_GOOD_UPN + KNOWN_BAD_UPN + good:
        assert _sql_true(upn_valid_sql("v"), upn) == _core_valid(identifiers.validate_upn, upn), upn
    assert all(_sql_true(upn_valid_sql("v"), upn) for upn in good)


def test_temporary_upn_with_final_letter_agrees_with_core():
    body = "20700001604"
    for last in identifiers.UPN_ALPHABET:
        upn = identifiers.upn_check_letter(body + last) + body + last
        assert _sql_true(upn_valid_sql("v"), upn)
        assert _core_valid(identifiers.validate_upn, upn)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_sql_nhs_check_matches_core_on_any_ten_digits(number: str):
    assert _sql_true(nhs_number_valid_sql("v"), number) == _core_valid(
        identifiers.validate_nhs_number, number
    )


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(identifiers.UPN_ALPHABET),
    st.text(alphabet="0123456789", min_size=11, max_size=11),
    st.sampled_from("0123456789" + identifiers.UPN_ALPHABET),
)
def test_sql_upn_check_matches_core(first: str, digits: str, last: str):
    upn = first + digits + last
    assert _sql_true(upn_valid_sql("v"), upn) == _core_valid(identifiers.validate_upn, upn)


def test_prepare_keeps_invalid_identifiers_only_as_raw_evidence():
    records = pa.table(
        {
            "unique_id": ["1", "2", "3"],
            "nhs_number": ["943 476 5919", "943-476-5918", None],
            "upn": [" p207000016049", "B207000016049", ""],
            "postcode": ["em1 2ab", "ZZ99 3VZ", "not a postcode"],
        }
    )
    local = engine.connect(threads=1)
    prepared = engine.prepare(local, records, name="t")
    rows = {
        row[0]: row[1:]
        for row in prepared.project(
            "unique_id, nhs_number, nhs_number_raw, upn, upn_raw, postcode"
        ).fetchall()
    }
    assert rows["1"] == ("9434765919", "9434765919", "P207000016049", "P207000016049", "EM1 2AB")
    assert rows["2"] == (None, "9434765918", None, "B207000016049", None)
    assert rows["3"] == (None, None, None, None, None)


def test_postcodes_are_normalised_like_core():
    raw = ["sw1a1aa", " M1 1AE ", "GIR0AA", "QA1 1AA", "SW1A 1CA"]
    records = pa.table({"unique_id": [str(i) for i in range(len(raw))], "postcode": raw})
    local = engine.connect(threads=1)
    prepared = engine.prepare(local, records, name="p")
    got = dict(prepared.project("unique_id, postcode").fetchall())
    for i, value in enumerate(raw):
        expected = _core_valid(identifiers.validate_postcode, value)
        assert (got[str(i)] is not None) == expected, value
        if expected:
            assert got[str(i)] == identifiers.validate_postcode(value)
