"""The template side of `config.timefmt`, a builtin of the template engine (settings), so
every page and email template has these filters without a {% load %}:
`{{ session.start|full }}`, `{{ session.start|full_range:session.end }}`, `|short`,
`|short_zoned`, `|short_range:end`, `|clock`, `|clock_zoned`, `|day`, `|long_day`,
`|long_date`, `|iso`.
Times are shown in the zone active while rendering: the reader's (see timefmt)."""

from __future__ import annotations

from datetime import date, datetime, time

from django import template

from config import timefmt

register = template.Library()


@register.filter
def full(moment: datetime | None) -> str:
    return timefmt.full(moment) if moment else ""


@register.filter
def full_range(start: datetime | None, end: datetime) -> str:
    return timefmt.full_range(start, end) if start else ""


@register.filter
def short(moment: datetime | None) -> str:
    return timefmt.short(moment) if moment else ""


@register.filter
def short_zoned(moment: datetime | None) -> str:
    return timefmt.short_zoned(moment) if moment else ""


@register.filter
def short_range(start: datetime | None, end: datetime) -> str:
    return timefmt.short_range(start, end) if start else ""


@register.filter
def clock(value: datetime | time | None) -> str:
    return timefmt.clock(value) if value is not None else ""


@register.filter
def clock_zoned(moment: datetime | None) -> str:
    return timefmt.clock_zoned(moment) if moment else ""


@register.filter
def day(value: datetime | date | None) -> str:
    return timefmt.day(value) if value else ""


@register.filter
def long_day(value: datetime | date | None) -> str:
    return timefmt.long_day(value) if value else ""


@register.filter
def long_date(value: datetime | date | None) -> str:
    return timefmt.long_date(value) if value else ""


@register.filter
def month(value: datetime | date | None) -> str:
    return timefmt.month(value) if value else ""


@register.filter
def iso(value: datetime | date | None) -> str:
    return timefmt.iso(value) if value else ""
