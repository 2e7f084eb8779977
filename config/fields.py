"""Input fields the API and the pages share, so that both refuse the same input the same way.

Dates and times are bounded to a sane range: Python's dates end at 9999-12-31 and start at
0001-01-01, so a time near either edge overflows once a duration is added or it is moved
to UTC. Nothing in the product looks that far: slots go 4 weeks ahead and reports back a
few years. Anything outside 2000 to 2099 is refused as input instead.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# The largest value of PostgreSQL's `integer`, which ids and counters are stored as.
MAX_DATABASE_INTEGER = 2**31 - 1

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)
EARLIEST = datetime.combine(EARLIEST_DATE, datetime.min.time(), tzinfo=UTC)
END_OF_RANGE = datetime.combine(date(2100, 1, 1), datetime.min.time(), tzinfo=UTC)
OUT_OF_RANGE = f"Pick a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}."

INVALID_INSTANT = "Enter a date and time in ISO 8601, such as 2027-03-14T09:00:00Z."
NAIVE_INSTANT = "Include the UTC offset, such as 2027-03-14T09:00:00+01:00 or ...Z."

# An unescaped "+" in a query string arrives as a space: "2027-03-14T09:00:00 01:00".
SPACE_FOR_PLUS = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


def validate_date_in_range(value: date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


def validate_instant_in_range(value: datetime) -> None:
    # Aware datetimes compare by their offsets without being converted, so this cannot
    # overflow even for 0001-01-01T00:00:00+01:00.
    if not EARLIEST <= value < END_OF_RANGE:
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


def parse_instant(text: str) -> datetime:
    """An ISO 8601 date and time with its offset, within the range, in UTC."""
    try:
        value = datetime.fromisoformat(SPACE_FOR_PLUS.sub(r"\1+\2", text.strip()))
    except ValueError as error:
        raise ValidationError(INVALID_INSTANT, code="invalid") from error
    if value.tzinfo is None:
        # A bare time is ambiguous: whose 09:00?
        raise ValidationError(NAIVE_INSTANT, code="naive")
    validate_instant_in_range(value)
    return value.astimezone(UTC)


# A query's `?from=&to=`: empty means the default, as DRF reads any optional query value.
OPTIONAL_INSTANT = {
    "anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "maxLength": 0}]
}


@extend_schema_field(OpenApiTypes.DATETIME)
class InstantField(serializers.Field):
    """The API's date and time input: ISO 8601 with an offset, within the range, in UTC."""

    def to_internal_value(self, data: Any) -> datetime:
        try:
            return parse_instant(str(data))
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def to_representation(self, value: datetime) -> str:
        return value.isoformat()


class InstantFormField(forms.Field):
    """The pages' date and time input, parsed as the API's `InstantField` is."""

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        return parse_instant(str(value))
