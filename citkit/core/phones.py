"""Phone numbers checked and written one way, in the program's country.

A crisis phone is tapped by an officer or dialled by a dispatcher at 3 a.m.:
"not a phone" must be refused, and "5735550110" shown as "(573) 555-0110".
Short numbers that crisis services really use (911, 988, 211) are allowed.
Parsing and formatting come from `phonenumbers`, Google's libphonenumber.
"""

import phonenumbers
from django.core.exceptions import ValidationError
from phonenumbers import shortnumberinfo


def normalise_phone(value: str, country: str, *, field: str) -> str:
    """The number in the country's national format ("" stays ""); refuse non-numbers."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and shortnumberinfo.is_valid_short_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            {field: f"“{text}” is not a phone number here; write it as e.g. (573) 555-0110."}
        )
    region = phonenumbers.region_code_for_number(number)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region == country
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def tel_uri(value: str, country: str) -> str:
    """A tel: address for a tappable link ("" if the number cannot be read)."""
    try:
        number = phonenumbers.parse(value, country)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966)
