"""Check and normalise the identifiers Cumulus records: NHS numbers, UPNs and UK postcodes.

Pure Python, no Django. Each ``validate_*`` function returns the normalised value or raises
:class:`IdentifierError` with a message a practitioner can act on. The ``synthetic_*``
generators make valid-looking identifiers for demo data and tests from reserved ranges, so
they can never collide with a live child's record.

Only format and check characters are checked. An NHS number such as ``0000000000`` passes
(its check digit is right); a UPN's local authority code is not looked up; a postcode that
matches the BS 7666 pattern is not checked against the Postcode Address File.
"""

from __future__ import annotations

import random
import re

__all__ = [
    "SYNTHETIC_UPN_LA_CODE",
    "UPN_ALPHABET",
    "UPN_LA_CODES",
    "IdentifierError",
    "PseudoPostcodeError",
    "nhs_number_check_digit",
    "normalise_nhs_number",
    "normalise_postcode",
    "normalise_upn",
    "synthetic_nhs_number",
    "synthetic_upn",
    "upn_check_letter",
    "validate_nhs_number",
    "validate_postcode",
    "validate_upn",
]


class IdentifierError(ValueError):
    """An identifier is malformed; the message says exactly what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class PseudoPostcodeError(IdentifierError):
    """The postcode is an NHS pseudo-postcode (ZZ99...): record no postcode instead."""


_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def _is_ascii_digits(value: str) -> bool:
    return _DIGITS.fullmatch(value) is not None


# --- NHS number -------------------------------------------------------------------------------

_NHS_NUMBER_LENGTH = 10
_NHS_TEST_PREFIX = "999"


def normalise_nhs_number(raw: str) -> str:
    """Remove spaces (any whitespace) and hyphens, so ``943 476 5919`` becomes ``9434765919``."""
    return "".join(ch for ch in raw if not ch.isspace() and ch != "-")


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for the first nine digits of an NHS number.

    Digits are weighted 10 down to 2 and summed; the check digit is ``11 - (sum % 11)``,
    with 11 becoming 0. A result of 10 means no valid NHS number starts with these nine
    digits, and ``None`` is returned.
    """
    if len(first_nine) != 9 or not _is_ascii_digits(first_nine):
        raise IdentifierError(
            f"The first part of an NHS number must be 9 digits; got {first_nine!r}"
        )
    weights = range(10, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, weights, strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def validate_nhs_number(raw: str) -> str:
    """Return the NHS number as 10 digits, or raise :class:`IdentifierError`."""
    number = normalise_nhs_number(raw)
    if not number:
        raise IdentifierError("NHS number is empty")
    if not _is_ascii_digits(number):
        raise IdentifierError(
            "NHS number must contain only digits (spaces and hyphens are allowed); "
            f"got {raw.strip()!r}"
        )
    if len(number) != _NHS_NUMBER_LENGTH:
        raise IdentifierError(f"NHS number must be 10 digits; got {len(number)}")
    expected = nhs_number_check_digit(number[:9])
    if expected is None:
        raise IdentifierError(
            "NHS number is not valid: no NHS number can start with these nine digits "
            "(the check digit would be 10)"
        )
    actual = int(number[9])
    if actual != expected:
        raise IdentifierError(
            f"NHS number check digit is wrong (expected {expected}, got {actual})"
        )
    return number


def synthetic_nhs_number(rng: random.Random) -> str:
    """A random valid NHS number in the reserved test range 999 000 0000 to 999 999 9999."""
    while True:
        first_nine = _NHS_TEST_PREFIX + "".join(str(rng.randrange(10)) for _ in range(6))
        check = nhs_number_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


# --- Unique pupil number (DfE) ----------------------------------------------------------------

UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
"""The 23 letters a UPN may use (no I, O or S), valued 0 to 22 in this order."""

_UPN_LENGTH = 13
_UPN_BODY = re.compile(rf"[0-9]{{11}}[0-9{UPN_ALPHABET}]", re.ASCII)
_UPN_LETTER_LIST = "A-Z excluding I, O and S"


def normalise_upn(raw: str) -> str:
    """Strip surrounding whitespace and uppercase."""
    return raw.strip().upper()


def _upn_char_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else UPN_ALPHABET.index(ch)


def upn_check_letter(chars_2_to_13: str) -> str:
    """The check letter (character 1) for the other twelve characters of a UPN.

    Character ``p`` (2 to 13) is weighted by ``p``; a digit counts at face value and a final
    letter (a temporary UPN) at its place in :data:`UPN_ALPHABET`. The check letter is the
    alphabet letter at ``sum % 23``.
    """
    if len(chars_2_to_13) != 12 or _UPN_BODY.fullmatch(chars_2_to_13) is None:
        raise IdentifierError(
            "Characters 2 to 13 of a UPN must be 11 digits then a digit or letter "
            f"({_UPN_LETTER_LIST}); got {chars_2_to_13!r}"
        )
    total = sum(
        position * _upn_char_value(ch) for position, ch in enumerate(chars_2_to_13, start=2)
    )
    return UPN_ALPHABET[total % 23]


def validate_upn(raw: str) -> str:
    """Return the UPN uppercased, or raise :class:`IdentifierError`.

    The local authority code in characters 2 to 4 is not checked.
    """
    upn = normalise_upn(raw)
    if not upn:
        raise IdentifierError("UPN is empty")
    if len(upn) != _UPN_LENGTH:
        raise IdentifierError(f"UPN must be 13 characters; got {len(upn)}")
    first, rest = upn[0], upn[1:]
    if first not in UPN_ALPHABET:
        raise IdentifierError(
            f"UPN must start with a check letter ({_UPN_LETTER_LIST}); got {first!r}"
        )
    if not _is_ascii_digits(rest[:11]):
        raise IdentifierError(f"UPN characters 2 to 12 must be digits; got {rest[:11]!r}")
    last = rest[11]
    if not (_is_ascii_digits(last) or last in UPN_ALPHABET):
        raise IdentifierError(
            f"UPN character 13 must be a digit or a letter ({_UPN_LETTER_LIST}); got {last!r}"
        )
    expected = upn_check_letter(rest)
    if first != expected:
        raise IdentifierError(f"UPN check letter should be {expected}, not {first}")
    return upn


def _la_code_ranges(spec: str) -> frozenset[str]:
    codes: set[str] = set()
    for part in spec.split(","):
        low, _, high = part.strip().partition("-")
        codes.update(f"{n:03d}" for n in range(int(low), int(high or low) + 1))
    return frozenset(codes)


# Characters 2-4 of a UPN: the post-April-1998 local authority codes and the recognised pseudo-LA
# codes that DfE's CIN census rule 1530 (2023-24, amended) accepts, as listed in that rule.
UPN_LA_CODES = _la_code_ranges(
    "001-005, 201-213, 301-320, 330-336, 340-344, 350-359, 370-373, 380-384, 390-394, 420,"
    " 660-681, 701-708, 800-803, 805-808, 810-813, 815, 816, 820-823, 825, 826, 830, 831,"
    " 835-839, 840, 841, 845, 846, 850-852, 855-857, 860, 861, 865-896, 908, 909, 916, 919,"
    " 921, 925, 926, 928, 929, 931, 933, 935-938, 940, 941"
)
# The LA code the synthetic partnership's UPNs carry: a recognised one, so that its census
# passes rule 1530 (any code would do; the UPNs themselves are random).
SYNTHETIC_UPN_LA_CODE = "938"


def synthetic_upn(rng: random.Random, la_code: str = SYNTHETIC_UPN_LA_CODE) -> str:
    """A random valid permanent UPN: check letter, ``la_code``, then nine random digits."""
    if len(la_code) != 3 or not _is_ascii_digits(la_code):
        raise IdentifierError(f"UPN local authority code must be 3 digits; got {la_code!r}")
    rest = la_code + "".join(str(rng.randrange(10)) for _ in range(9))
    return upn_check_letter(rest) + rest


# --- UK postcode ------------------------------------------------------------------------------

_POSTCODE = re.compile(
    r"^(GIR ?0AA|(?:[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY]))"
    r" ?\d[ABD-HJLNP-UW-Z]{2})$",
    re.ASCII,
)
_PSEUDO_POSTCODE_PREFIX = "ZZ99"


def normalise_postcode(raw: str) -> str:
    """Uppercase, remove all whitespace, and put one space before the last three characters."""
    compact = "".join(raw.split()).upper()
    if len(compact) <= 3:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def validate_postcode(raw: str) -> str:
    """Return the postcode normalised (``SW1A 1AA``), or raise :class:`IdentifierError`.

    NHS pseudo-postcodes beginning ``ZZ99`` (no fixed abode, not known, overseas) raise
    :class:`PseudoPostcodeError` so the caller can leave the postcode blank instead.
    """
    postcode = normalise_postcode(raw)
    if not postcode:
        raise IdentifierError("Postcode is empty")
    if postcode.startswith(_PSEUDO_POSTCODE_PREFIX):
        raise PseudoPostcodeError(
            f"{postcode!r} is an NHS 'no fixed abode / unknown' pseudo-postcode, not a real "
            "address; leave the postcode blank instead"
        )
    if _POSTCODE.fullmatch(postcode) is None:
        raise IdentifierError(f"{postcode!r} is not a valid UK postcode")
    return postcode
