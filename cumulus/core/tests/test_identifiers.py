"""Tests for NHS number, UPN and postcode checking (pure Python; no database)."""

import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cumulus.core.identifiers import (
    SYNTHETIC_UPN_LA_CODE,
    UPN_ALPHABET,
    UPN_LA_CODES,
    IdentifierError,
    PseudoPostcodeError,
    nhs_number_check_digit,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    synthetic_nhs_number,
    synthetic_upn,
    upn_check_letter,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)
from cumulus.core.validators import nhs_number_validator, postcode_validator, upn_validator

seeds = st.integers(min_value=0, max_value=2**64)
la_codes = st.from_regex(r"[0-9]{3}", fullmatch=True)


# --- NHS number -------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "1000000060"])
def test_known_valid_nhs_numbers_validate(number: str) -> None:
    assert validate_nhs_number(number) == number


@pytest.mark.parametrize("raw", ["943 476 5919", "943-476-5919", " 9434765919 ", "943\t476 5919"])
def test_nhs_number_with_spaces_or_hyphens_is_normalised(raw: str) -> None:
    assert validate_nhs_number(raw) == "9434765919"


def test_nhs_number_with_wrong_check_digit_says_expected_and_actual() -> None:
    with pytest.raises(IdentifierError) as excinfo:
        validate_nhs_number("9434765918")
    assert str(excinfo.value) == "NHS number check digit is wrong (expected 9, got 8)"


def test_nhs_number_of_wrong_length_says_how_many_digits() -> None:
    with pytest.raises(IdentifierError, match=r"^NHS number must be 10 digits; got 9$"):
        validate_nhs_number("943476591")


def test_nhs_number_with_letters_is_rejected() -> None:
    with pytest.raises(IdentifierError, match="only digits"):
        validate_nhs_number("94347659AB")


def test_nhs_number_with_non_ascii_digits_is_rejected() -> None:
    with pytest.raises(IdentifierError, match="only digits"):
        validate_nhs_number("".join(chr(0x0660 + int(d)) for d in "9434765919"))


def test_empty_nhs_number_is_rejected() -> None:
    with pytest.raises(IdentifierError, match="empty"):
        validate_nhs_number("  ")


def test_nhs_number_whose_check_digit_would_be_ten_is_rejected() -> None:
    assert nhs_number_check_digit("100000001") is None
    with pytest.raises(IdentifierError, match="would be 10"):
        validate_nhs_number("1000000010")


def test_check_digit_eleven_becomes_zero() -> None:
    assert nhs_number_check_digit("100000006") == 0


def test_all_same_digit_nhs_number_passes_because_only_format_is_checked() -> None:
    assert validate_nhs_number("0000000000") == "0000000000"


def test_check_digit_needs_exactly_nine_digits() -> None:
    with pytest.raises(IdentifierError):
        nhs_number_check_digit("12345678")


@given(seeds)
def test_every_synthetic_nhs_number_validates_and_is_in_the_999_test_range(seed: int) -> None:
    number = synthetic_nhs_number(random.Random(seed))
    assert validate_nhs_number(number) == number
    assert 9990000000 <= int(number) <= 9999999999


@given(seeds, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_changing_any_single_digit_of_a_valid_nhs_number_makes_it_invalid(
    seed: int, position: int, shift: int
) -> None:
    number = synthetic_nhs_number(random.Random(seed))
    new_digit = (int(number[position]) + shift) % 10
    altered = number[:position] + str(new_digit) + number[position + 1 :]
    with pytest.raises(IdentifierError):
        validate_nhs_number(altered)


@given(st.text())
def test_normalise_nhs_number_is_idempotent(raw: str) -> None:
    once = normalise_nhs_number(raw)
    assert normalise_nhs_number(once) == once


@given(st.text())
def test_validate_nhs_number_only_ever_raises_identifier_error(raw: str) -> None:
    try:
        result = validate_nhs_number(raw)
    except IdentifierError:
        return
    assert len(result) == 10


# --- UPN --------------------------------------------------------------------------------------


def test_known_upn_validates() -> None:
    assert validate_upn("P207000016049") == "P207000016049"


def test_known_upn_is_normalised_from_lowercase_with_whitespace() -> None:
    assert validate_upn("  p207000016049 ") == "P207000016049"


def test_upn_with_wrong_check_letter_names_the_right_one() -> None:
    with pytest.raises(IdentifierError) as excinfo:
        validate_upn("Q207000016049")
    assert str(excinfo.value) == "UPN check letter should be P, not Q"


def test_upn_check_letter_of_known_example() -> None:
    assert upn_check_letter("207000016049") == "P"


def test_temporary_upn_with_final_letter_uses_its_alphabet_value() -> None:
    # 266 - 13 * 9 + 13 * 0 (A) = 149; 149 % 23 = 11 -> M
    assert upn_check_letter("20700001604A") == "M"
    assert validate_upn("M20700001604A") == "M20700001604A"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("P20700001604", "13 characters; got 12"),
        ("I207000016049", "must start with a check letter"),
        ("1207000016049", "must start with a check letter"),
        ("P2070000160A9", "characters 2 to 12 must be digits"),
        ("P20700001604S", "character 13 must be a digit or a letter"),
    ],
)
def test_malformed_upn_is_rejected_with_a_specific_message(raw: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message):
        validate_upn(raw)


def test_upn_alphabet_has_23_letters_without_i_o_or_s() -> None:
    assert len(UPN_ALPHABET) == 23
    assert not set("IOS") & set(UPN_ALPHABET)


@given(seeds, la_codes)
def test_every_synthetic_upn_validates_and_carries_its_la_code(seed: int, la_code: str) -> None:
    upn = synthetic_upn(random.Random(seed), la_code)
    assert validate_upn(upn) == upn
    assert upn[1:4] == la_code


def test_synthetic_upn_defaults_to_a_recognised_la_code() -> None:
    assert synthetic_upn(random.Random(1))[1:4] == SYNTHETIC_UPN_LA_CODE
    assert SYNTHETIC_UPN_LA_CODE in UPN_LA_CODES


def test_the_upn_la_code_set_holds_the_listed_ranges_and_nothing_else() -> None:
    assert {"001", "005", "201", "213", "420", "865", "896", "941"} <= UPN_LA_CODES
    assert not {"000", "006", "214", "321", "804", "897", "939", "999"} & UPN_LA_CODES
    assert len(UPN_LA_CODES) == 193  # the ranges above, counted by hand


def test_synthetic_upn_rejects_a_malformed_la_code() -> None:
    with pytest.raises(IdentifierError, match="3 digits"):
        synthetic_upn(random.Random(1), "99")


@given(seeds, st.sampled_from(UPN_ALPHABET))
def test_any_other_check_letter_makes_a_upn_invalid(seed: int, letter: str) -> None:
    upn = synthetic_upn(random.Random(seed))
    if letter == upn[0]:
        return
    with pytest.raises(IdentifierError, match="check letter should be"):
        validate_upn(letter + upn[1:])


@given(st.text())
def test_normalise_upn_is_idempotent(raw: str) -> None:
    once = normalise_upn(raw)
    assert normalise_upn(once) == once


@given(st.text())
def test_validate_upn_only_ever_raises_identifier_error(raw: str) -> None:
    try:
        result = validate_upn(raw)
    except IdentifierError:
        return
    assert len(result) == 13


# --- Postcode ---------------------------------------------------------------------------------

VALID_POSTCODES = [
    "SW1A 1AA",
    "EC1A 1BB",
    "W1A 0AX",
    "M1 1AE",
    "B33 8TH",
    "CR2 6XH",
    "DN55 1PT",
    "GIR 0AA",
    "E1W 1AA",
    "N1C 4AG",
]


@pytest.mark.parametrize("postcode", VALID_POSTCODES)
def test_valid_postcodes_are_accepted(postcode: str) -> None:
    assert validate_postcode(postcode) == postcode


@pytest.mark.parametrize("postcode", VALID_POSTCODES)
def test_lowercase_and_unspaced_postcodes_are_accepted_and_normalised(postcode: str) -> None:
    assert validate_postcode(postcode.lower()) == postcode
    assert validate_postcode(postcode.replace(" ", "")) == postcode
    assert validate_postcode(f"  {postcode.lower().replace(' ', '  ')} ") == postcode


@pytest.mark.parametrize("postcode", ["QA1 1AA", "SW1A 1CA", "AB1 1AI", "VA1 1AA"])
def test_invalid_postcodes_are_rejected(postcode: str) -> None:
    with pytest.raises(IdentifierError) as excinfo:
        validate_postcode(postcode)
    assert str(excinfo.value) == f"'{postcode}' is not a valid UK postcode"


@pytest.mark.parametrize("raw", ["", "   "])
def test_empty_postcode_is_rejected(raw: str) -> None:
    with pytest.raises(IdentifierError, match="empty"):
        validate_postcode(raw)


@pytest.mark.parametrize("raw", ["ZZ99 3VZ", "zz993cz", "ZZ99 3WZ"])
def test_nhs_pseudo_postcode_is_rejected_as_no_fixed_abode_or_unknown(raw: str) -> None:
    with pytest.raises(PseudoPostcodeError, match="'no fixed abode / unknown' pseudo-postcode"):
        validate_postcode(raw)


def test_postcode_with_non_ascii_digit_is_rejected() -> None:
    with pytest.raises(IdentifierError, match="not a valid UK postcode"):
        validate_postcode("M\u0661 1AE")  # Arabic-Indic digit one


def test_normalise_postcode_puts_one_space_before_the_inward_code() -> None:
    assert normalise_postcode(" sw 1a1aa\n") == "SW1A 1AA"


@given(st.text())
def test_normalise_postcode_is_idempotent(raw: str) -> None:
    once = normalise_postcode(raw)
    assert normalise_postcode(once) == once


@given(st.from_regex(r"[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}", fullmatch=True))
def test_an_accepted_postcode_validates_again_unchanged(raw: str) -> None:
    try:
        result = validate_postcode(raw)
    except IdentifierError:
        return
    assert validate_postcode(result) == result


# --- Django validators ------------------------------------------------------------------------


def test_validators_accept_valid_values() -> None:
    nhs_number_validator("943 476 5919")
    upn_validator("P207000016049")
    postcode_validator("sw1a1aa")


@pytest.mark.parametrize(
    ("validator", "value", "code"),
    [
        (nhs_number_validator, "9434765918", "invalid_nhs_number"),
        (upn_validator, "Q207000016049", "invalid_upn"),
        (postcode_validator, "QA1 1AA", "invalid_postcode"),
        (postcode_validator, "ZZ99 3VZ", "invalid_postcode"),
    ],
)
def test_validators_raise_validation_error_with_code_and_message(
    validator: object, value: str, code: str
) -> None:
    assert callable(validator)
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    assert excinfo.value.code == code
    assert excinfo.value.message  # the identifier's own message, not a generic one
