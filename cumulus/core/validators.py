"""Django validators for NHS numbers, UPNs and postcodes, for model and form fields.

They wrap :mod:`cumulus.core.identifiers`, turning its errors into ``ValidationError`` with
the same message. They only check; normalise the value in the form's ``clean`` method.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from cumulus.core.identifiers import (
    IdentifierError,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)

__all__ = ["nhs_number_validator", "postcode_validator", "upn_validator"]


def nhs_number_validator(value: str) -> None:
    """Raise ``ValidationError`` (code ``invalid_nhs_number``) unless ``value`` is valid."""
    try:
        validate_nhs_number(value)
    except IdentifierError as error:
        raise ValidationError(error.message, code="invalid_nhs_number") from error


def upn_validator(value: str) -> None:
    """Raise ``ValidationError`` (code ``invalid_upn``) unless ``value`` is a valid UPN."""
    try:
        validate_upn(value)
    except IdentifierError as error:
        raise ValidationError(error.message, code="invalid_upn") from error


def postcode_validator(value: str) -> None:
    """Raise ``ValidationError`` (code ``invalid_postcode``) unless ``value`` is a UK postcode."""
    try:
        validate_postcode(value)
    except IdentifierError as error:
        raise ValidationError(error.message, code="invalid_postcode") from error
