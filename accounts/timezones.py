"""IANA time zones: the only way a user's zone is stored (never an offset)."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@cache
def common_time_zone_names() -> list[str]:
    """The zones offered as suggestions: canonical Area/City names, sorted."""
    areas = ("Africa/", "America/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Pacific/")
    return [*sorted(name for name in time_zone_names() if name.startswith(areas)), "UTC"]


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            "“%(value)s” is not a time zone name. Use an IANA name such as Europe/London.",
            code="invalid_time_zone",
            params={"value": value},
        )
